// `capture` and `drill` from the command line: a capture of the simulated
// reference DC (every headnode alive), then a drill on it with headnode0 dead:
// done, the report and bundle give the times scaled back to the scenario's
// latencies against the 1 h goal, and the bundle holds no /usbkey/config secret.
import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecretKey } from '../../src/state/redact.js';
import { loadState } from '../support/restore-oracle.js';
import { rawScenario, tempDir } from '../support/sim-dc.js';
import { untarGz } from '../support/untar.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const cli = (args: string[]) => execa(bin, args, { reject: false, stdin: 'ignore' });

/** The secret values of every headnode's /usbkey/config in a simulated DC's state. */
function usbkeySecrets(statePath: string): string[] {
  const out: string[] = [];
  for (const srv of loadState(statePath).servers)
    for (const m of (srv.files?.['/usbkey/config'] ?? '').matchAll(/^([\w.-]+)=(.{5,})$/gm))
      if (isSecretKey(m[1]!)) out.push(m[2]!);
  return out;
}

describe('triton-recover capture, then drill', () => {
  it('captures the alive reference DC; a drill with headnode0 dead is done, timed against the goal, without secrets', async () => {
    const dir = tempDir();
    const alive = rawScenario() as { servers: { hostname: string; alive: boolean }[] };
    alive.servers.find((s) => s.hostname === 'headnode0')!.alive = true;
    writeFileSync(join(dir, 'alive.json'), JSON.stringify(alive));
    const cap = await cli([
      '--sim',
      join(dir, 'alive.json'),
      '--sim-state',
      join(dir, 'live.json'),
      '--sim-speed',
      '100',
      'capture',
      '--out',
      join(dir, 'cap.json'),
    ]);
    expect(cap.exitCode, cap.stderr).toBe(0);
    expect(cap.stdout).toMatch(/^captured 5 servers, 32 core zones, \d+ images of us-west-1 into .*cap\.json/m);
    expect(cap.stdout).toContain(`triton-recover drill --sim ${join(dir, 'cap.json')} --dead <headnode>`);

    const drillDir = join(dir, 'drill');
    const drillArgs = [
      'drill',
      '--sim',
      join(dir, 'cap.json'),
      '--dead',
      'headnode0',
      '--sim-speed',
      '100',
      '--yes',
      '--drill-dir',
      drillDir,
    ];
    const r = await cli(drillArgs);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^drill: headnode0 dead, restoring on headnode1 .* --sim-speed 100/m);
    expect(r.stdout).toMatch(/^DONE: 21 of 21 zone\(s\) restored and healthy$/m);
    const report = /^report: (.*\.md)$/m.exec(r.stdout)![1]!;
    expect(readFileSync(report, 'utf8')).toMatch(
      /^- Drill at --sim-speed 100: at the scenario's latencies this run takes \d+ min \d+ s, (within|OVER) the 1 h goal$/m,
    );
    const bundle = /^incident bundle: (.*)$/m.exec(r.stdout)![1]!;
    const files = untarGz(readFileSync(bundle));
    const timings = files.find((f) => f.name.endsWith('/timings.txt'))!.content.toString('utf8');
    expect(timings).toContain('a drill in the simulator at --sim-speed 100: every time here is scaled back (x100)');
    expect(r.stdout).toMatch(/^ {2}DRILL in the simulator, not an outage: Datacenter us-west-1: /m);
    // The status line's clock is the scaled one: minutes, not the seconds the run took here.
    expect(r.stdout).toMatch(/Restore DONE: 21 of 21 zones restored, .*; [1-9]\d* min \d+ s elapsed of the 1 h goal/);

    const secrets = usbkeySecrets(join(drillDir, 'state.json'));
    expect(secrets.length).toBeGreaterThan(2);
    const text = files.map((f) => f.content.toString('utf8')).join('\n');
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);

    // The same drill directory: the drill resumes (nothing left to do); another dead headnode is refused there.
    const again = await cli(drillArgs);
    expect(again.stdout).toMatch(/^drill: headnode0 dead, resuming the restore on headnode1 /m);
    const other = await cli([
      'drill',
      '--sim',
      join(dir, 'cap.json'),
      '--dead',
      'headnode2',
      '--sim-speed',
      '100',
      '--yes',
      '--drill-dir',
      drillDir,
    ]);
    expect(other.exitCode).toBe(64);
    expect(other.stderr).toContain(
      `${drillDir} holds another drill (captured-us-west-1-drill-headnode0), not captured-us-west-1-drill-headnode2`,
    );
  }, 120_000);

  it('capture of a DC whose primary is dead: exit 2, what did not answer, where, and what to do', async () => {
    const dir = tempDir();
    const r = await cli([
      '--demo',
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '100',
      'capture',
      '--out',
      join(dir, 'c.json'),
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^triton-recover capture: could not read the DC on headnode1: GET http:\/\/10\.99\.99\.30\/applications\?name=sdc: /m,
    );
    expect(r.stderr).toMatch(
      /^ {2}next: .*\n {2}\(capture reads a DC on a normal day: .*drill on a capture made before it\)$/m,
    );
    expect(existsSync(join(dir, 'c.json'))).toBe(false);
  });

  it('drill without --sim, or with a dead server that is no headnode: a usage error that says what to give', async () => {
    const r = await cli(['drill', '--dead', 'headnode0', '--yes']);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toContain('--sim FILE');
    const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
    const cn = await cli(['drill', '--sim', contract, '--dead', 'cn0', '--yes', '--drill-dir', join(tempDir(), 'd')]);
    expect(cn.exitCode).toBe(64);
    expect(cn.stderr).toMatch(/--dead cn0: not a headnode .*headnode0, headnode1, headnode2/);
    // The real console's journal directory is never a drill's: check there would take the drill's dead for a fenced primary.
    const real = join(tempDir(), 'real-journal');
    const j = await cli(['--journal-dir', real, 'drill', '--sim', contract, '--dead', 'headnode0', '--yes']);
    expect(j.exitCode).toBe(64);
    expect(j.stderr).toContain('--journal-dir is for the real DC; a drill keeps everything in its drill directory');
    expect(existsSync(real)).toBe(false);
  });
});
