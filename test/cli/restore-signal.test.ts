// SIGINT, SIGTERM and SIGHUP during a restore: it stops cleanly (journaled,
// locks released, report written, the resume command printed), and a rerun
// finishes it. Real processes, as an operator's terminal or systemd sends them.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { loadState, violations } from '../support/restore-oracle.js';
import { restoreArgs } from '../support/kill-restore.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const args = (dir: string): string[] => restoreArgs(dir, '100');

interface Entry {
  t: string;
  decision?: string;
  detail?: string;
  exitCode?: number;
  id?: string;
  ok?: boolean;
  skipped?: boolean;
}
const entries = (dir: string): Entry[] => {
  const f = join(dir, 's.journal', 'journal.jsonl');
  return existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Entry)
    : [];
};

describe('a signal during a restore', () => {
  it.concurrent.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s: journaled stop, locks released, report, resume command, exit %i; the rerun completes',
    async (sig, code) => {
      const dir = tempDir('tr-signal-');
      const p = execa(bin, args(dir), { reject: false, stdin: 'ignore' });
      // Midway: some zones restored, more to go.
      while (p.exitCode === null && entries(dir).filter((e) => e.t === 'service').length < 3)
        await new Promise((r) => setTimeout(r, 5));
      p.kill(sig);
      const r = await p;
      const why = `${r.stdout}\n${r.stderr.slice(-2000)}`;
      expect(r.exitCode, why).toBe(code);
      expect(r.stderr).toContain(`${sig} received: stopping after the command under way`);
      expect(r.stdout).toMatch(new RegExp(`^STOPPED \\(${sig}\\): ${sig} received: stopped (before|during) \\S+`, 'm'));
      expect(r.stdout).toMatch(/^next: triton-recover restore --yes --fenced headnode0 .*\(resumes where it stopped/m);
      const report = /^report: (.*)$/m.exec(r.stdout)?.[1];
      expect(report && readFileSync(report, 'utf8'), why).toContain('Outcome: **STOPPED**');
      const j = entries(dir);
      expect(
        j.some((e) => e.t === 'decision' && e.decision === 'stop' && e.detail?.startsWith(`${sig} received`)),
      ).toBe(true);
      expect(j.at(-1)).toMatchObject({ t: 'stop', exitCode: code });
      // Both locks gone: the local one and the DC-wide one on every headnode.
      expect(existsSync(join(dir, 's.journal', 'lock.json'))).toBe(false);
      const files = loadState(join(dir, 's.json')).servers.flatMap((s) => Object.keys(s.files ?? {}));
      expect(files.filter((f) => f.includes('triton-recover.lock'))).toEqual([]);
      // The rerun resumes (nothing set aside) and finishes, nothing done twice.
      const again = await execa(bin, args(dir), { reject: false, stdin: 'ignore' });
      expect(again.exitCode, again.stderr.slice(-2000)).toBe(0);
      expect(again.stdout).toMatch(/^DONE: 21 of 21/m);
      expect(again.stderr).not.toContain('set aside');
      expect(violations(join(dir, 's.json'))).toEqual([]);
      const twice = new Map<string, number>();
      for (const e of entries(dir))
        if (e.t === 'end' && e.ok && !e.skipped && e.id && !e.id.endsWith('/wait-healthy'))
          twice.set(e.id, (twice.get(e.id) ?? 0) + 1);
      expect([...twice].filter(([, n]) => n > 1)).toEqual([]);
    },
    120_000,
  );
});
