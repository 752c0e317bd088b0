// Issue 11 "Also", and class 5 end to end: the compiled CLI with a journal or
// restore-data path that is a file, and restore-data holding a FIFO.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinPath, tempDir } from '../support/sim-dc.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const cli = (args: string[]) =>
  execa(bin, args, { reject: false, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });

describe('directory options that are files', () => {
  it('--journal-dir or --restore-data naming a file: exit 64 (usage), the path and what to do; nothing opened', async () => {
    const dir = tempDir();
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const sim = ['--sim', builtinPath, '--sim-state', join(dir, 's.json'), '--sim-speed', '50'];
    for (const args of [
      ['--journal-dir', file, 'check'],
      ['--journal-dir', file, 'restore', '--yes', '--fenced', 'headnode0'],
      ['--restore-data', file, 'plan'],
      ['--journal-dir', join(file, 'sub'), 'restore', '--yes', '--fenced', 'headnode0'],
    ]) {
      const r = await cli([...sim, ...args]);
      expect(r.exitCode, args.join(' ')).toBe(64);
      expect(r.stderr).toContain(file);
      expect(r.stderr).toMatch(/give (a directory|a path under a directory)/);
      expect(r.stderr).not.toContain('internal error');
    }
  });
});

describe('restore-data with a FIFO where a dump should be', () => {
  it('check ends quickly with exit 2 and names the file', async () => {
    const dir = tempDir();
    const sim = ['--sim', builtinPath, '--sim-state', join(dir, 's.json'), '--sim-speed', '50'];
    expect((await cli([...sim, 'check'])).exitCode).toBe(1);
    const svc = join(dir, 's.restore-data', 'svc-sapi');
    const dump = join(
      svc,
      readdirSync(svc).find((f) => f.startsWith('vm-'))!,
    );
    rmSync(dump);
    execFileSync('mkfifo', [dump]);
    const started = Date.now();
    const r = await cli([...sim, 'check']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/CRIT RESTORE_DATA_MISSING \[sapi\]: .*vm-[0-9a-f-]+\.json is a FIFO/);
  });
});
