// `triton-recover sync` as cron runs it: exit codes, the per-service lines, --json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { healthy } from '../support/sync-dc.js';
import { tempDir } from '../support/sim-dc.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const cli = (args: string[]) => execa(bin, args, { reject: false, stdin: 'ignore' });

function healthyScenario(dir: string): string {
  const file = join(dir, 'healthy.json');
  writeFileSync(file, JSON.stringify(healthy()));
  return file;
}

describe('triton-recover sync', () => {
  it('syncs a healthy DC (exit 0), says per service what it sent; the next run sends only incrementals', async () => {
    const dir = tempDir();
    const args = [
      'sync',
      '--sim',
      healthyScenario(dir),
      '--sim-state',
      join(dir, 's.json'),
      '--restore-data',
      join(dir, 'rd'),
      '--sim-speed',
      '200',
      '--min-free-mb',
      '1',
    ];
    const r = await cli(args);
    expect(r.exitCode, r.stderr).toBe(0);
    // 2 MiB of data, sent compressed (zfs send -c, 2:1 in the simulator).
    expect(r.stdout).toMatch(/^OK +sapi +1 instance\(s\) +\d+\.\d s +dataset: sapi0 full 1\.0 MiB$/m);
    expect(r.stdout).toMatch(/^OK +manatee +3 instance\(s\)/m);
    expect(r.stdout).toMatch(/^disk: restore-data uses \d+\.\d MiB; .* free on its filesystem \(floor 1\.0 MiB\)$/m);
    expect(r.stdout).toMatch(/^DONE: 25 service\(s\) synced$/m);
    const j = await cli([...args, '--json']);
    expect(j.exitCode, j.stderr).toBe(0);
    const rep = JSON.parse(j.stdout);
    expect(rep).toMatchObject({ outcome: 'ok', exitCode: 0, bytes: { full: 0 } });
    expect(rep.bytes.incremental).toBeGreaterThan(0);
    expect(rep.services).toHaveLength(25);
  });

  it('exit 2 while a restore holds the lock; exit 2 below the disk floor; 64 on a bad option', async () => {
    const dir = tempDir();
    const journal = join(dir, 'journal');
    mkdirSync(journal);
    writeFileSync(
      join(journal, 'lock.json'),
      JSON.stringify({
        who: 'operator',
        host: hostname(),
        pid: process.pid,
        since: '2026-09-01T10:00:00Z',
        command: 'triton-recover restore',
      }),
    );
    const base = [
      'sync',
      '--sim',
      healthyScenario(dir),
      '--sim-state',
      join(dir, 's.json'),
      '--restore-data',
      join(dir, 'rd'),
      '--sim-speed',
      '200',
    ];
    const locked = await cli([...base, '--journal-dir', journal]);
    expect(locked.exitCode).toBe(2);
    expect(locked.stdout).toMatch(/^REFUSED: a restore holds the lock: operator on \S+ \(pid \d+\)/m);
    const full = await cli([...base, '--min-free-mb', '999999999999']);
    expect(full.exitCode).toBe(2);
    expect(full.stdout).toContain('below the floor of 999999999999 MiB');
    expect((await cli([...base, '--min-free-mb', '-1'])).exitCode).toBe(64);
  });
});
