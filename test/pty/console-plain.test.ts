// The linear console (--plain; TERM=dumb) in a real pty: a whole restore of the
// demo DC driven by typed lines (numbers and words). Not one escape byte is
// written, no carriage return moves back over a line, and the output reads top
// to bottom: every screen once, in order, each zone's progress once.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { violations } from '../support/restore-oracle.js';
import { describePty, startPty, type PtySession } from '../support/pty.js';

async function waitRaw(p: PtySession, what: string | RegExp, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  const seen = (): boolean => (typeof what === 'string' ? p.raw().includes(what) : what.test(p.raw()));
  while (!seen()) {
    if (Date.now() > deadline)
      throw new Error(`waited ${ms} ms for ${String(what)}; output so far (tail):\n${p.raw().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Where each text first appears in the output; -1 when it does not. */
const at = (raw: string, texts: string[]): number[] => texts.map((t) => raw.indexOf(t));

describePty('the linear console (real pty)', () => {
  it('--plain: a whole demo restore by typed lines, no escape byte, read top to bottom, the bundle at the end', async () => {
    const dir = tempDir('tr-plain-');
    const state = join(dir, 'state.json');
    const p = startPty({
      args: ['--demo', '--sim-state', state, '--sim-speed', '50', '--plain'],
      term: 'xterm-256color',
    });
    try {
      await waitRaw(p, 'The primary is dead: choose 1');
      p.press('1\r');
      await waitRaw(p, 'Enter: pre-flight checks');
      p.press('\r');
      await waitRaw(p, 'Enter: choose the identity strategy');
      p.press('\r');
      await waitRaw(p, 'Enter: build the plan');
      p.press('\r');
      await waitRaw(p, 'Enter: start the restore');
      p.press('\r');
      await waitRaw(p, "Type the dead primary's hostname to confirm");
      p.press('headnode0\r');
      // How it was fenced: a numbered question like every other.
      await waitRaw(
        p,
        '1) powered off through its BMC  2) its network cables pulled  3) booted without importing its zones pool: ',
      );
      p.press('1\r');
      await waitRaw(
        p,
        /\[1\/21\] Restore assets0 \(assets\)\?\r\n1\) go {2}2\) skip \(asks why\) {2}3\) all the rest {2}4\) pause: /,
      );
      p.press('go\r');
      await waitRaw(p, '[2/21] Restore sapi0 (sapi)?');
      p.press('3\r');
      await waitRaw(p, '1) no  2) yes: ');
      p.press('yes\r');
      await waitRaw(p, '== RESTORE: SUMMARY ==', 90_000);
      await waitRaw(p, /Status \(for a status page\):/);
      p.press('\r');
      await waitRaw(p, /SUMMARY ==[\s\S]*== HOME ==/);
      p.press('q\r');
      expect(await p.exit()).toBe(0);

      const raw = p.raw();
      expect(raw.includes('\u001b'), 'an escape byte was written').toBe(false);
      // Output only moves down: every carriage return ends a line.
      expect(raw.match(/\r(?!\n)/g) ?? []).toEqual([]);
      const screens = [
        '== HOME ==',
        '== RESTORE 1/4: DETECTION ==',
        '== RESTORE 2/4: PRE-FLIGHT ==',
        '== RESTORE 3/4: STRATEGY ==',
        '== RESTORE 4/4: PLAN ==',
        '== RESTORE: RUNNING ==',
        '== RESTORE: SUMMARY ==',
      ];
      const pos = at(raw, screens);
      expect(pos.every((x) => x >= 0)).toBe(true);
      expect([...pos].sort((a, b) => a - b)).toEqual(pos);
      // Each screen printed once until it is left (home again only after the summary).
      for (const s of screens.slice(1)) expect(raw.split(s).length - 1, s).toBe(1);
      // Each zone's progress once, in order: 1/21 ... 21/21.
      const done = [...raw.matchAll(/^(\d+)\/21 zones done$/gm)].map((m) => Number(m[1]));
      expect(done).toEqual(Array.from({ length: 22 }, (_, i) => i));
      expect(raw.match(/^DONE {4}\S+ /gm)?.length).toBe(21);
      // The bundle's path and status, printed in the summary; the restore is whole.
      const bundle = /(\/\S+\/incident-\S+\.tar\.gz)/.exec(raw)?.[1];
      expect(bundle && existsSync(bundle)).toBe(true);
      expect(raw).toMatch(/Restore DONE: 21 of 21 zones restored, 0 failed, 0 skipped, 0 pending/);
      // On the simulator the run is a drill: the status can never be pasted as an outage.
      expect(raw).toMatch(/DRILL in the simulator, not an outage: Datacenter /);
      expect(violations(state)).toEqual([]);
    } finally {
      p.kill();
    }
  }, 150_000);

  it('--plain: a failure asks with numbered choices and the whole command; "retry" finishes the restore', async () => {
    const dir = tempDir('tr-plain-');
    const state = join(dir, 'state.json');
    const sc = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json'), 'utf8'),
    ) as Record<string, unknown>;
    // ufds0's dataset receive fails once (vmadm create takes its uuid on stdin; zfs recv names it in its argv).
    sc['faults'] = [{ command: 'zfs recv', match: '9e255cfd-7463-5df6-8659-3990ea9475cd', effect: 'fail', times: 1 }];
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(sc));
    const p = startPty({
      args: ['--sim', join(dir, 'scenario.json'), '--sim-state', state, '--sim-speed', '50', '--plain'],
      term: 'vt100',
    });
    try {
      await waitRaw(p, 'The primary is dead: choose 1');
      p.press('1\r');
      for (const next of [
        'Enter: pre-flight checks',
        'Enter: choose the identity strategy',
        'Enter: build the plan',
        'Enter: start the restore',
      ]) {
        await waitRaw(p, next);
        p.press('\r');
      }
      await waitRaw(p, "Type the dead primary's hostname to confirm");
      p.press('headnode0\r');
      await waitRaw(p, '3) booted without importing its zones pool: ');
      p.press('cables\r');
      await waitRaw(p, '4) pause: ');
      p.press('all\r');
      await waitRaw(p, '1) no  2) yes: ');
      p.press('2\r');
      await waitRaw(p, /What now\?\r\n1\) retry {2}2\) skip {2}3\) stop: /, 30_000);
      const failure = p.raw().slice(p.raw().lastIndexOf('FAILED ufds0'));
      // The whole command, never cut to the screen's width.
      expect(failure).toMatch(/on headnode1: zfs recv -F zones\/9e255cfd-7463-5df6-8659-3990ea9475cd\/data < \S+\.zfs/);
      p.press('retry\r');
      await waitRaw(p, '== RESTORE: SUMMARY ==', 90_000);
      await waitRaw(p, /Restore DONE: 21 of 21 zones restored/);
      p.press('\r');
      await waitRaw(p, /SUMMARY ==[\s\S]*== HOME ==/);
      p.press('q\r');
      expect(await p.exit()).toBe(0);
      const raw = p.raw();
      expect(raw.includes('\u001b'), 'an escape byte was written').toBe(false);
      expect(raw.match(/\r(?!\n)/g) ?? []).toEqual([]);
      const done = [...raw.matchAll(/^(\d+)\/21 zones done$/gm)].map((m) => Number(m[1]));
      expect(done.at(-1)).toBe(21);
      expect([...done].sort((a, b) => a - b)).toEqual(done);
      expect(violations(state)).toEqual([]);
    } finally {
      p.kill();
    }
  }, 150_000);
});
