// `restore --fence-method` (issue 16 item 2) and the whole story of item 1 on
// the compiled CLI: restore with a stated fence, the old primary boots back,
// `check` says PRIMARY_RETURNED.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const cli = (args: string[]) =>
  execa(bin, args, { reject: false, stdin: 'ignore', env: { ...process.env, NO_COLOR: '1' } });

describe('restore --fence-method', () => {
  it('a method without --fenced, or an unknown method, is a usage error (64) and changes nothing', async () => {
    const dir = tempDir();
    const alone = await cli([
      'restore',
      '--yes',
      '--fence-method',
      'bmc-off',
      '--sim',
      contract,
      '--sim-state',
      join(dir, 's.json'),
    ]);
    expect(alone.exitCode).toBe(64);
    expect(alone.stderr).toContain('--fenced <dead primary hostname>');
    const bogus = await cli([
      'restore',
      '--yes',
      '--fenced',
      'headnode0',
      '--fence-method',
      'hope',
      '--sim',
      contract,
      '--sim-state',
      join(dir, 's.json'),
    ]);
    expect(bogus.exitCode).toBe(64);
    expect(bogus.stderr).toMatch(/bmc-off, cables, no-pool-import/);
  });

  it('restore with the fence stated; the primary boots back; check says PRIMARY_RETURNED (exit 2)', async () => {
    const dir = tempDir();
    const state = join(dir, 's.json');
    const r = await cli([
      'restore',
      '--yes',
      '--fenced',
      'headnode0',
      '--fence-method',
      'cables',
      '--sim',
      contract,
      '--sim-state',
      state,
      '--sim-speed',
      '400',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const report = /^report: (.*)$/m.exec(r.stdout)![1]!;
    expect(readFileSync(report, 'utf8')).toMatch(
      /Fencing confirmed by: .*: headnode0 fenced: its network cables pulled/,
    );
    expect(readFileSync(join(dir, 's.journal', 'journal.jsonl'), 'utf8')).toContain(
      'headnode0 fenced: its network cables pulled',
    );

    // Quiet while it stays fenced.
    const quiet = await cli(['check', '--json', '--sim', contract, '--sim-state', state, '--sim-speed', '400']);
    expect(quiet.stdout).not.toContain('PRIMARY_RETURNED');

    // Someone plugs the cables back in: it was never powered off, its zones run.
    const live = JSON.parse(readFileSync(state, 'utf8')) as {
      servers: { hostname: string; alive: boolean; bootedAt?: number }[];
    };
    live.servers.find((s) => s.hostname === 'headnode0')!.alive = true;
    writeFileSync(state, JSON.stringify(live));
    const back = await cli(['check', '--sim', contract, '--sim-state', state, '--sim-speed', '400']);
    expect(back.exitCode).toBe(2);
    expect(back.stdout).toMatch(
      /CRIT PRIMARY_RETURNED: the old primary headnode0 .* answers again after its zones were re-created on headnode1 .*\(it was its network cables pulled/,
    );
  });
});
