// Two consoles, one DC: the DC-wide lock in binder lets exactly one restore
// run, and without binder's quorum nothing runs until the operator confirms
// the per-headnode fallback. Real processes sharing one --sim-state (each with
// its own journal, as on two headnodes).
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useZkEnsemble, zookeeperProgram } from '../support/zk-ensemble.js';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');

interface Inst {
  alias: string;
  state?: string;
}
interface Srv {
  hostname: string;
  alive: boolean;
  partitioned?: boolean;
}

function scenario(dir: string, edit: (s: { servers: Srv[]; instances: Inst[] }) => void = () => {}): string {
  const s = JSON.parse(readFileSync(contract, 'utf8')) as { servers: Srv[]; instances: Inst[] };
  edit(s);
  const f = join(dir, 'scenario.json');
  writeFileSync(f, JSON.stringify(s));
  return f;
}

const restore = (dir: string, sim: string, journal: string, extra: string[] = []) =>
  execa(
    bin,
    [
      'restore',
      '--yes',
      '--fenced',
      'headnode0',
      '--sim',
      sim,
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '400',
      '--journal-dir',
      join(dir, journal),
      ...extra,
    ],
    { reject: false, stdin: 'ignore' },
  );

describe('the DC-wide lock between two consoles', () => {
  it('two restores started at once: exactly one runs, the other exits 2 with LOCK_HELD naming the holder', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = tempDir('tr-binder-');
      const sim = scenario(dir);
      // The state file first, so both consoles open the same DC.
      await execa(bin, ['check', '--sim', sim, '--sim-state', join(dir, 's.json')], { reject: false });
      const a = restore(dir, sim, 'journal-a');
      const b = restore(dir, sim, 'journal-b');
      const [ra, rb] = await Promise.all([a, b]);
      const codes = [ra.exitCode, rb.exitCode].sort();
      expect(codes, `${ra.stderr.slice(-1500)}\n${rb.stderr.slice(-1500)}`).toEqual([0, 2]);
      const [winner, loser] = ra.exitCode === 0 ? [a, rb] : [b, ra];
      const out = loser.stdout + loser.stderr;
      expect(out).toContain('LOCK_HELD');
      expect(out).toMatch(/holds the DC-wide lock in binder/);
      expect(out).toContain(`pid ${winner.pid}`);
    }
  }, 120_000);

  it('binder without quorum: a conversion refuses (exit 2), saying what is at risk; with --without-binder-quorum it takes the per-headnode lock', async () => {
    const dir = tempDir('tr-binder-');
    // Every headnode up; two of the three binder zones stopped: no quorum.
    const sim = scenario(dir, (s) => {
      s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
      for (const i of s.instances) if (i.alias === 'binder0' || i.alias === 'binder2') i.state = 'stopped';
    });
    const args = ['convert', 'cn0', '--yes', '--sim', sim, '--sim-state', join(dir, 's.json'), '--sim-speed', '400'];
    const refused = await execa(bin, args, { reject: false, stdin: 'ignore' });
    const out = refused.stdout + refused.stderr;
    expect(refused.exitCode, out).toBe(2);
    expect(out).toMatch(/binder has no quorum from here/);
    expect(out).toMatch(/restore the same zones at the same time/);
    expect(out).toContain('--without-binder-quorum');
    const journal = join(dir, 's.journal');
    const ok = await execa(bin, [...args, '--without-binder-quorum'], { reject: false, stdin: 'ignore' });
    const jl = readFileSync(join(journal, `convert-${REF.cn0.uuid}`, 'journal.jsonl'), 'utf8');
    expect(jl, ok.stderr.slice(-2000)).toContain('the operator confirmed the per-headnode lock');
  }, 120_000);

  it('binder partitioned from this headnode: the restore refuses (exit 2), fallback or not: without binder nothing can be restored', async () => {
    const dir = tempDir('tr-binder-');
    const sim = scenario(dir, (s) => (s.servers.find((x) => x.hostname === 'headnode2')!.partitioned = true));
    for (const extra of [[], ['--without-binder-quorum']]) {
      const r = await restore(dir, sim, 'journal', extra);
      expect(r.exitCode, r.stderr.slice(-1500)).toBe(2);
      expect(r.stdout + r.stderr).toContain('BINDER_NO_QUORUM');
    }
  }, 60_000);
});

// The same race with the simulator's lock in a real ZooKeeper ensemble (hidden --sim-binder).
const zk = zookeeperProgram();
describe.skipIf(zk.skip)('two consoles, the lock in a real ZooKeeper ensemble', () => {
  const ens = useZkEnsemble(zk.java);

  it('two restores at once: exactly one runs; with the ensemble down to one member, a restore refuses', async () => {
    const dir = tempDir('tr-binder-');
    const sim = scenario(dir);
    const real = ['--sim-binder', ens().ips.join(',')];
    await execa(bin, ['check', '--sim', sim, '--sim-state', join(dir, 's.json')], { reject: false });
    const a = restore(dir, sim, 'journal-a', real);
    const b = restore(dir, sim, 'journal-b', real);
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.exitCode, rb.exitCode].sort(), `${ra.stderr.slice(-1500)}\n${rb.stderr.slice(-1500)}`).toEqual([0, 2]);
    const [winner, loser] = ra.exitCode === 0 ? [a, rb] : [b, ra];
    expect(loser.stdout + loser.stderr).toContain(`pid ${winner.pid}`);

    await ens().kill(0);
    await ens().kill(1);
    const dir2 = tempDir('tr-binder-');
    const r = await restore(dir2, scenario(dir2), 'journal', real);
    expect(r.exitCode, r.stderr.slice(-1500)).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/binder has no quorum from here/);
  }, 120_000);
});
