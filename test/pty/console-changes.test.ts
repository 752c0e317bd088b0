// After a kill -9 mid-zone, the console's first screen lists that zone as a
// change still in effect, and `a` then its word accepts it (the linear console
// in a real pty, on the DC the killed restore left).
import { expect, it } from 'vitest';
import { killSeeing, simArgs } from '../support/kill-restore.js';
import { tempDir } from '../support/sim-dc.js';
import { describePty, startPty, type PtySession } from '../support/pty.js';

async function waitRaw(p: PtySession, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!p.raw().includes(what)) {
    if (Date.now() > deadline)
      throw new Error(`waited ${ms} ms for ${what}; output so far (tail):\n${p.raw().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describePty('changes still in effect on the first screen (real pty)', () => {
  it('home lists the zone a kill -9 left created; a and its word accept it', async () => {
    const dir = tempDir('tr-cie-pty-');
    const kill = await killSeeing(dir, { aheadDone: 'create-vm' });
    expect(kill.killed).toBe(true);
    const alias = kill.ahead[0]!.split('/')[1]!;
    const p = startPty({ args: [...simArgs(dir), '--plain'], term: 'xterm-256color' });
    await waitRaw(p, '== HOME ==');
    await waitRaw(p, 'CHANGES STILL IN EFFECT (');
    const count = Number(/CHANGES STILL IN EFFECT \((\d+)\)/.exec(p.raw())![1]);
    expect(p.raw()).toContain(`[${alias}] headnode1: ${alias} (`);
    p.press('a\r');
    await waitRaw(p, 'Type the word in [brackets] of the change to accept');
    p.press(`${alias}\r`);
    await waitRaw(p, `accepted as it is: ${alias} (`);
    // Checked again: one change fewer, and that zone no longer listed.
    await waitRaw(p, count > 1 ? `CHANGES STILL IN EFFECT (${count - 1})` : 'Restore readiness');
    p.press('q\r');
    expect(await p.exit()).toBe(0);
    const afterAccept = p.raw().slice(p.raw().indexOf(`accepted as it is: ${alias} (`));
    expect(afterAccept).not.toContain(`[${alias}] headnode1`);
  }, 120_000);
});
