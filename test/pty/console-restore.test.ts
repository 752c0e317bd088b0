// The console as an operator drives it, in a real pseudo-terminal at 80x24:
// a whole restore of the demo DC by keys, with a failure and a retry.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { violations } from '../support/restore-oracle.js';
import { describePty, startPty } from '../support/pty.js';
import { REF } from '../support/reference.js';

const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const UFDS = REF.ufds0.uuid;

function scenarioWithFault(dir: string): string {
  const s = JSON.parse(readFileSync(contract, 'utf8'));
  // vmadm create takes its uuid on stdin; zfs recv names the dataset in its argv.
  s.faults = [{ command: 'zfs recv', match: UFDS, effect: 'fail', times: 1 }];
  const f = join(dir, 'scenario.json');
  writeFileSync(f, JSON.stringify(s));
  return f;
}

describePty('console: a whole demo restore by keys (80x24)', () => {
  for (const mode of ['normal', 'serial'] as const) {
    it(`${mode}: detection, pre-flight, strategy, plan, typed hostname, run, failure, retry, summary`, async () => {
      const dir = tempDir('tr-pty-');
      const state = join(dir, 'state.json');
      const p = startPty({
        args: [
          '--sim',
          scenarioWithFault(dir),
          '--sim-state',
          state,
          '--sim-speed',
          '20',
          ...(mode === 'serial' ? ['--serial'] : []),
        ],
        term: mode === 'serial' ? 'vt100' : 'xterm-256color',
        env: mode === 'serial' ? { LANG: 'C' } : { LANG: 'en_US.UTF-8' },
      });
      try {
        await p.waitFor('> 1 Restore after a dead primary');
        expect(p.screen()[0]).toMatch(/^triton-recover {2}simulated: primary-dead {2}HOME/);
        p.press('1');
        await p.waitFor('RESTORE 1/4: DETECTION');
        await p.waitFor(/dead\s+manatee manatee0 was deposed/);
        p.press('\r');
        await p.waitFor('RESTORE 2/4: PRE-FLIGHT');
        p.press('\r');
        await p.waitFor('> 1 reuse');
        p.press('\r');
        await p.waitFor('21 zone(s) of headnode0 re-created on headnode1');
        p.press('\r');
        await p.waitFor("Type the dead primary's hostname to confirm:");
        p.press('headnode0\r');
        await p.waitFor('How was headnode0 fenced?');
        p.press('b');
        await p.waitFor('[1/21] Restore assets0 (assets)?');
        // Every screen of the run says how the primary was fenced.
        expect(p.text()).toContain('Fence: headnode0 fenced: powered off through its BMC');
        p.press('g');
        await p.waitFor('[2/21] Restore sapi0 (sapi)?');
        p.press('a');
        await p.waitFor('Run the remaining 20 zone(s) without asking again?');
        p.press('y');
        // The question comes last; on a serial line the screen arrives at the line's pace.
        await p.waitFor('r retry, s skip, x stop', 30_000);
        const failed = p.text();
        expect(failed).toContain('ufds0 (ufds) failed on headnode1');
        expect(failed).toContain(`on headnode1: zfs recv -F zones/${UFDS}/data`);
        expect(failed).toContain('cannot receive new filesystem stream: checksum mismatch');
        expect(failed).toMatch(/\[ OK \] sapi0/);
        expect(failed).toMatch(/\[FAIL\] ufds0/);
        p.press('r');
        await p.waitFor('RESTORE: SUMMARY', 60_000);
        await p.waitFor('Enter: home'); // the summary's last line: the whole screen is drawn
        const done = p.screen();
        expect(done[0]).toMatch(/^triton-recover {2}simulated: primary-dead {2}RESTORE: SUMMARY/);
        expect(done[1]).toMatch(/^DONE {2}\(exit 0\)/);
        expect(p.text()).toContain('21 of 21 zone(s) restored and healthy');
        expect(p.text()).toContain('21 done, 0 skipped, 0 failed');
        if (mode === 'serial') for (const line of done) expect(line).toMatch(/^[\x20-\x7e]*$/);
        // Nothing is drawn one row low (the ink 6.8 incremental bug): row 0 is the header, once.
        expect(done.filter((l) => l.startsWith('triton-recover  '))).toHaveLength(1);
        p.press('\r');
        await p.waitFor('> 1 Restore after a dead primary');
        p.press('q');
        expect(await p.exit()).toBe(0);
        expect(violations(state)).toEqual([]);
      } finally {
        p.kill();
      }
    }, 120_000);
  }

  it('quitting mid-run says how to resume, and reopening resumes', async () => {
    const dir = tempDir('tr-pty-');
    const state = join(dir, 'state.json');
    const args = ['--sim', contract, '--sim-state', state, '--sim-speed', '20'];
    const p = startPty({ args });
    try {
      await p.waitFor('> 1 Restore after a dead primary');
      p.press('1');
      await p.waitFor('RESTORE 1/4');
      p.press('\r');
      await p.waitFor('PRE-FLIGHT');
      p.press('\r');
      await p.waitFor('> 1 reuse');
      p.press('\r');
      await p.waitFor('21 zone(s)');
      p.press('\r');
      await p.waitFor('hostname to confirm');
      p.press('headnode0\r');
      await p.waitFor('fenced?');
      p.press('c');
      await p.waitFor('[1/21] Restore assets0');
      p.press('ay');
      await p.waitFor(/\[ OK \] sapi0/, 30_000);
      p.press('q');
      await p.waitFor('Quit now?');
      p.press('y');
      await p.waitFor('Resume with:');
      // The command wraps at 80 columns: compare without the line breaks.
      expect(p.screen().join('').replace(/\s+/g, '')).toContain(`--sim-state${state}`);
      expect(await p.exit()).toBe(0);
    } finally {
      p.kill();
    }
    const again = startPty({ args });
    try {
      await again.waitFor('> 1 Restore after a dead primary');
      again.press('1\r\r\r');
      await again.waitFor('21 zone(s)');
      again.press('\r');
      await again.waitFor('hostname to confirm');
      again.press('headnode0\r');
      await again.waitFor('fenced?');
      again.press('2');
      // The journal says assets and sapi are done: the first question is a later zone.
      await again.waitFor(/\[\d+\/21\] Restore (?!assets0|sapi0)\w+/, 30_000);
      expect(again.text()).toMatch(/\[ OK \] assets0/);
    } finally {
      again.kill();
    }
  }, 120_000);
});
