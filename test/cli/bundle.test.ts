// The incident bundle from the command line: `restore --yes` makes one at its
// end and prints its path and the three-line status; `bundle` makes one on
// request from the same journal; without a journal it says where it looked.
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { untarGz } from '../support/untar.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const cli = (args: string[]) => execa(bin, args, { reject: false, stdin: 'ignore' });

describe('triton-recover bundle', () => {
  it('restore --yes ends with the bundle and the status; bundle makes another on request', async () => {
    const dir = tempDir();
    const sim = ['--sim', contract, '--sim-state', join(dir, 's.json'), '--sim-speed', '400'];
    const r = await cli(['restore', '--yes', '--fenced', 'headnode0', ...sim]);
    expect(r.exitCode, r.stderr).toBe(0);
    const path = /^incident bundle: (.*s\.journal\/incident-.*\.tar\.gz)$/m.exec(r.stdout)?.[1];
    expect(path && existsSync(path), r.stdout).toBe(true);
    expect(r.stdout).toMatch(
      /^status \(for a status page\):\n {2}DRILL in the simulator, not an outage: Datacenter .*: primary headnode headnode0 is dead; .*\n {2}Restore DONE: 21 of 21 zones restored, .*\n {2}Next: /m,
    );

    const b = await cli(['bundle', ...sim]);
    expect(b.exitCode, b.stderr).toBe(0);
    const again = /^incident bundle: (.*)$/m.exec(b.stdout)![1]!;
    expect(again).not.toBe(path);
    const names = untarGz(readFileSync(again)).map((f) => f.name.replace(/^[^/]+\//, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'status.txt',
        'journal.jsonl',
        'confirmations.txt',
        'check.json',
        'plan.json',
        'report.md',
        'timings.txt',
      ]),
    );
  });

  it('no journal directory: exit 2, where it looked and what to give', async () => {
    const dir = tempDir();
    const r = await cli([
      '--journal-dir',
      join(dir, 'none'),
      'bundle',
      '--sim',
      contract,
      '--sim-state',
      join(dir, 's.json'),
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`no journal directory ${join(dir, 'none')}`);
    expect(r.stderr).toContain('--journal-dir DIR');
  });
});
