// The compiled CLI as an operator runs it: a real process, real files.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');

function cli(args: string[]) {
  return execa(bin, args, { reject: false, env: { ...process.env, NO_COLOR: '1' } });
}

describe('triton-recover check', () => {
  it('--json answers the detection part of the contract on the reference scenario', async () => {
    const dir = tempDir();
    const r = await cli([
      'check',
      '--json',
      '--sim',
      contract,
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '50',
    ]);
    const out = JSON.parse(r.stdout) as Record<string, any>;
    expect(out.mode).toBe('disaster');
    expect(out.primary).toMatchObject({ hostname: 'headnode0', uuid: REF.headnode0.uuid, state: 'dead' });
    const signals = Object.fromEntries(out.primary.evidence.map((e: any) => [e.signal, e]));
    expect(Object.keys(signals).sort()).toEqual(['binder', 'cnapi', 'manatee', 'ping', 'ssh', 'vantage']);
    expect(signals.ping).toMatchObject({ ok: false, detail: `no answer from ${REF.headnode0.adminIp}` });
    expect(signals.manatee.detail).toContain('manatee0 was deposed');
    // The SSH probe's own timeout fires before the probe deadline: a typed "dead", not "cannot tell".
    expect(signals.ssh).toMatchObject({
      says: 'dead',
      detail: `SSH to ${REF.headnode0.adminIp}: connection timed out`,
    });
    for (const e of out.primary.evidence)
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['signal', 'ok', 'detail']));
    expect(out.headnodes.map((h: any) => [h.hostname, h.state, h.local])).toEqual([
      ['headnode0', 'dead', false],
      ['headnode1', 'alive', true],
      ['headnode2', 'alive', false],
    ]);
    expect(['ready', 'degraded', 'not-ready']).toContain(out.verdict);
    expect(out.services.find((s: any) => s.name === 'sapi')).toMatchObject({
      onDeadHeadnode: true,
      restoreData: { present: true, dataset: true },
    });
    expect(Array.isArray(out.problems)).toBe(true);
    // The live state was written for a rerun to pick up.
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).sim.createdAt).toBeTypeOf('number');
  });

  it('says the primary is alive when it is, and exits 0 in readiness mode', async () => {
    const dir = tempDir();
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    s.servers[0].alive = true;
    const f = join(dir, 'alive.json');
    (await import('node:fs')).writeFileSync(f, JSON.stringify(s));
    const r = await cli(['check', '--json', '--sim', f, '--sim-speed', '50']);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe('readiness');
    expect(out.primary.state).toBe('alive');
    expect(out.primary.evidence.filter((e: any) => e.ok).map((e: any) => e.signal)).toEqual(
      expect.arrayContaining(['ping', 'ssh', 'binder']),
    );
  });

  it('a malformed scenario is a usage error naming the field', async () => {
    const dir = tempDir();
    const s = JSON.parse(readFileSync(contract, 'utf8'));
    s.servers[2].adminIp = 'ten.nine';
    const f = join(dir, 'bad.json');
    (await import('node:fs')).writeFileSync(f, JSON.stringify(s));
    const r = await cli(['check', '--sim', f]);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('field servers[2].adminIp: not an IPv4 address');
  });

  it('unknown options are usage errors (64)', async () => {
    const r = await cli(['check', '--frobnicate']);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it('the console without a terminal points to check, plan and restore --yes', async () => {
    const r = await execa(bin, ['--demo'], { reject: false, stdin: 'ignore', env: { TERM: 'xterm' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('the console needs a terminal');
    expect(r.stderr).toContain('triton-recover check [--json]');
    expect(r.stderr).toContain('triton-recover restore --yes --fenced');
  });

  it('--version prints the version', async () => {
    const r = await cli(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
