// kill -9 at many points of a restore, then rerun: it completes, and nothing is
// lost or done twice. Real processes, real files (state, journal, restore-data).
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { violations } from '../support/restore-oracle.js';
import { bin, journalLines, killAt, restoreArgs as args, type KillPoint } from '../support/kill-restore.js';

// Journal line counts land right before/after actions (mutations happen at a
// command's start, so many kills fall between "done" and "seen done"); time
// offsets land mid-command and mid-detection.
// The `ahead` points land while a later zone is created or received ahead of
// its turn (src/steps/zone-preparer.ts), an earlier one still booting.
const POINTS: KillPoint[] = [
  ...[1, 2, 3, 4, 5, 7, 9, 12, 15, 19, 24, 30, 37, 45, 55, 66, 80, 95].map((lines) => ({ lines })),
  ...[120, 250, 400, 550, 700, 850].map((ms) => ({ ms })),
  { ahead: 'create-vm' },
  { ahead: 'receive-dataset' },
];

describe('kill -9 during a restore, then rerun', () => {
  it.concurrent.each(POINTS.map((p, i) => [i, p] as const))(
    'point %i %o',
    async (_i, point) => {
      const dir = tempDir('tr-kill-');
      // The kill must land while the restore runs, or this point tests nothing.
      expect(await killAt(dir, point)).toBe(true);
      // A second kill on some points: a crash during the resume too.
      if (point.lines !== undefined && point.lines % 2 === 1) await killAt(dir, { lines: journalLines(dir) + 4 });
      const rerun = await execa(bin, args(dir), { reject: false, stdin: 'ignore' });
      expect(rerun.stdout, rerun.stderr).toContain('DONE');
      const why = `${dir}\n${rerun.stdout}\n${rerun.stderr.slice(-3000)}`;
      expect(rerun.exitCode, why).toBe(0);
      expect(violations(join(dir, 's.json')), why).toEqual([]);
      // Never the same action completed twice: each non-skipped action id ends ok at most once.
      // A kill -9 mid-append leaves one torn line, ended by the next run: skipped, as the journal's reader does.
      const entries = readFileSync(join(dir, 's.journal', 'journal.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as { t: string; id?: string; ok?: boolean; skipped?: boolean }];
          } catch {
            return [];
          }
        });
      const doneTwice = new Map<string, number>();
      for (const e of entries)
        if (e.t === 'end' && e.ok && !e.skipped && e.id && !e.id.endsWith('/wait-healthy'))
          doneTwice.set(e.id, (doneTwice.get(e.id) ?? 0) + 1);
      expect(
        [...doneTwice].filter(([, n]) => n > 1),
        why,
      ).toEqual([]);
    },
    120_000,
  );
});
