// kill -9 at many points of a restore, then rerun: it completes, and nothing is
// lost or done twice. Real processes, real files (state, journal, restore-data).
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { violations } from '../support/restore-oracle.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const SPEED = '400';

function args(dir: string): string[] {
  return [
    'restore',
    '--yes',
    '--fenced',
    'headnode0',
    '--sim',
    contract,
    '--sim-state',
    join(dir, 's.json'),
    '--sim-speed',
    SPEED,
  ];
}

function journalLines(dir: string): number {
  const f = join(dir, 's.journal', 'journal.jsonl');
  if (!existsSync(f)) return 0;
  return readFileSync(f, 'utf8').split('\n').filter(Boolean).length;
}

/**
 * A zone prepared ahead of its turn is in the journal: this kind of action
 * (create-vm, receive-dataset) has begun for a zone not started yet while
 * another zone has been started and is not finished (it boots). Torn lines
 * are ignored.
 */
function preparingAhead(dir: string, kind: string): boolean {
  const f = join(dir, 's.journal', 'journal.jsonl');
  if (!existsSync(f)) return false;
  const zoneOf = (id: string): string => id.split('/').slice(0, 2).join('/');
  const started = new Set<string>();
  const finished = new Set<string>();
  const begun: string[] = [];
  for (const l of readFileSync(f, 'utf8').split('\n')) {
    let e: { t?: string; id?: string; service?: string };
    try {
      e = JSON.parse(l) as typeof e;
    } catch {
      continue;
    }
    if (e.t === 'service' && e.service) finished.add(e.service);
    if (e.t === 'start' && e.id?.endsWith('/start-vm')) started.add(zoneOf(e.id));
    if (e.t === 'start' && e.id?.endsWith(`/${kind}`)) begun.push(zoneOf(e.id));
  }
  const booting = [...started].some((z) => !finished.has(z));
  return booting && begun.some((z) => !started.has(z));
}

/** Run until the journal has `lines` entries (or `ms` passed, or a zone is being prepared ahead), then SIGKILL. */
async function killAt(dir: string, at: { lines?: number; ms?: number; ahead?: string }): Promise<boolean> {
  const p: ResultPromise = execa(bin, args(dir), { reject: false, stdin: 'ignore' });
  const start = Date.now();
  let killed = false;
  while (p.exitCode === null && !killed) {
    if (
      (at.lines !== undefined && journalLines(dir) >= at.lines) ||
      (at.ms !== undefined && Date.now() - start >= at.ms) ||
      (at.ahead !== undefined && preparingAhead(dir, at.ahead))
    ) {
      p.kill('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await p;
  return killed;
}

// Journal line counts land right before/after actions (mutations happen at a
// command's start, so many kills fall between "done" and "seen done"); time
// offsets land mid-command and mid-detection.
// The `ahead` points land while a later zone is created or received ahead of
// its turn (src/steps/zone-preparer.ts), an earlier one still booting.
const POINTS: { lines?: number; ms?: number; ahead?: string }[] = [
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
