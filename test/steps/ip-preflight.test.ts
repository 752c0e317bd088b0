// The IP pre-flight against the simulator: every IP the restore would use is
// compared with live zones, live servers, NAPI's records, the other zones of
// the restore and the network; a clash refuses the restore before anything
// changes (exit 2, the problem named).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { exitCodeOf } from '../../src/state/check-report.js';
import { type Problem } from '../../src/state/problem.js';
import { runCheck } from '../../src/steps/check.js';
import { runRestore } from '../../src/steps/restore.js';
import { openTestSim, scenario, type TestSim } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';
import { REF } from '../support/reference.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };
const ADMIN = REF.admin.uuid;
const SAPI0 = REF.sapi0.uuid;
const ROGUE = '11111111-2222-4333-8444-555555555577';
const inst = (s: Scenario, alias: string) => s.instances.find((i) => i.alias === alias)!;

/**
 * A zone made on headnode2 after the last sync, on sapi0's admin IP: only a
 * live look sees it. An assets zone: it sets itself up without SAPI and
 * answers /ping, so a health check by IP alone would take it for sapi0.
 */
async function rogueOnSapiIp(t: TestSim): Promise<void> {
  const payload = JSON.stringify({
    uuid: ROGUE,
    alias: 'rogue0',
    image_uuid: REF.assets0.image,
    brand: 'joyent-minimal',
    owner_uuid: ADMIN,
    tags: { smartdc_role: 'assets', smartdc_type: 'core' },
    nics: [{ interface: 'net0', nic_tag: 'admin', ip: REF.sapi0.adminIp, netmask: '255.255.255.0', primary: true }],
    autoboot: true,
  });
  const r = await t.run('headnode2', ['vmadm', 'create'], payload);
  expect(r.code, r.stderr).toBe(0);
}

/** A reuse restore that must refuse: exit 2, nothing created, the IP problems it names. */
async function refused(s: Scenario, before?: (t: TestSim) => Promise<void>): Promise<Problem[]> {
  const t = await openTestSim(s, SPEED);
  await before?.(t);
  // The rogue zone's own first boot goes on meanwhile: not the restore's doing.
  const zones = (): string => JSON.stringify(loadState(t.statePath).instances.filter((i) => i.uuid !== ROGUE));
  const instances = zones();
  const out = await runRestore({
    dc: t.sim,
    journalDir: join(t.dir, 'journal'),
    strategy: 'reuse',
    fenced: 'headnode0',
    timing,
    probeTimeoutMs: 500,
    command: 'x',
  });
  expect(out.exitCode, out.message).toBe(2);
  expect(out.message).toContain('nothing was changed');
  expect(zones()).toBe(instances);
  expect(
    loadState(t.statePath)
      .sim.events.filter((e) => /vmadm create|SAPI:|NAPI:/.test(e.what))
      .map((e) => e.what),
  ).toEqual(before ? ['vmadm create rogue0 (11111111-2222-4333-8444-555555555577) on headnode2'] : []);
  const ip = out.problems.filter((p) => p.code.startsWith('IP_'));
  expect(ip.every((p) => p.severity === 'critical')).toBe(true);
  return ip;
}

describe('IP pre-flight: a clash refuses the restore before anything changes', () => {
  it('a reused admin IP held by a live zone made since the last sync: both named, the fix said', async () => {
    const ps = await refused(scenario(), rogueOnSapiIp);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ code: 'IP_CONFLICT', service: 'sapi' });
    expect(ps[0]!.message).toBe(
      `${REF.sapi0.adminIp}, which the restore gives sapi0 (${SAPI0}) on its admin NIC (from its vm dump in restore-data (svc-sapi/vm-${SAPI0}.json)), is held by zone rogue0 (${ROGUE}) on headnode2, running (seen by vmadm lookup on headnode2): two NICs on one IP break one of them (the second to come up is marked duplicate and stays down), and a health check by IP would hear the other's answers`,
    );
    expect(ps[0]!.fix).toContain(`if zone rogue0 should not have ${REF.sapi0.adminIp}, give it another IP or stop it`);
  });

  it("a reused admin IP that is a live server's admin IP", async () => {
    const ps = await refused(
      scenario((s) => (s.servers.find((x) => x.hostname === 'cn0')!.adminIp = REF.sapi0.adminIp)),
    );
    const p = ps.find((x) => x.message.includes('is held by server cn0'))!;
    expect(p).toMatchObject({ code: 'IP_CONFLICT', service: 'sapi' });
    expect(p.message).toContain(`gives sapi0 (${SAPI0})`);
    expect(p.message).toContain(`server cn0 (${REF.cn0.uuid}), its admin IP`);
    expect(p.fix).toContain("a server's admin IP is not the restore's to take");
  });

  it('two lost zones with one IP', async () => {
    const ps = await refused(scenario((s) => (inst(s, 'assets0').adminIp = REF.sapi0.adminIp)));
    const p = ps.find((x) => x.message.includes('is given to two re-created zones'))!;
    expect(p.message).toBe(
      `${REF.sapi0.adminIp} is given to two re-created zones: assets0 (${REF.assets0.uuid}) (from its vm dump in restore-data (svc-assets/vm-${REF.assets0.uuid}.json)) and sapi0 (${SAPI0}) (from its vm dump in restore-data (svc-sapi/vm-${SAPI0}.json)): the one restored second would come up duplicate and answer nothing on it`,
    );
    expect(p.service).toBe('sapi');
  });

  it('a reused IP at the gateway or outside the admin subnet', async () => {
    const ps = await refused(
      scenario((s) => {
        inst(s, 'assets0').adminIp = '10.99.99.1';
        inst(s, 'ufds0').adminIp = '10.99.98.18';
      }),
    );
    expect(
      ps.find(
        (p) =>
          p.service === 'assets' &&
          p.message.includes('is held by the gateway (router) of the admin network 10.99.99.0/24'),
      )?.code,
    ).toBe('IP_CONFLICT');
    expect(ps.find((p) => p.service === 'ufds')).toMatchObject({ code: 'IP_INVALID' });
    expect(ps.find((p) => p.service === 'ufds')!.message).toContain('10.99.98.18, which the restore gives ufds0');
    expect(ps.find((p) => p.service === 'ufds')!.message).toContain(
      'is outside the admin network 10.99.99.0/24 (restore-data dc/admin-network.json): no zone can use it',
    );
  });

  it("the new strategy's recovery IPs at the broadcast, network or an outside address (check; the restore refuses new anyway)", async () => {
    const s = scenario((x) => (x.recoveryIps = ['10.99.99.255', '10.99.99.0', '10.99.100.7', ...x.recoveryIps]));
    const t = await openTestSim(s, 1000);
    const r = await runCheck(t.sim, { timeoutMs: 400, strategy: 'new' });
    expect(exitCodeOf(r.report)).toBe(2);
    const ip = r.report.problems.filter((p) => p.code.startsWith('IP_'));
    expect(ip.map((p) => [p.severity, p.code, p.service])).toEqual([
      ['critical', 'IP_INVALID', 'assets'],
      ['critical', 'IP_INVALID', 'sapi'],
      ['critical', 'IP_INVALID', 'amonredis'],
    ]);
    expect(ip[0]!.message).toContain('10.99.99.255, which the restore gives assets0');
    expect(ip[0]!.message).toContain(
      '(from the recovery IPs (restore-data dc/recovery-ips.json)), is the broadcast address of the admin network 10.99.99.0/24',
    );
    expect(ip[1]!.message).toContain('is the network address of the admin network');
    expect(ip[2]!.message).toContain('10.99.100.7, which the restore gives amonredis0');
    expect(ip[2]!.message).toContain('is outside the admin network');
  });

  it("a live server that cannot be asked: its zones' dumps stand in, with a warning", async () => {
    const s = scenario((x) => (x.faults = [{ command: 'vmadm lookup', match: '', effect: 'hang' }]));
    s.faults[0] = { command: 'vmadm lookup', effect: 'hang' };
    const t = await openTestSim(s, 1000);
    const r = await runCheck(t.sim, { timeoutMs: 400 });
    const w = r.report.problems.filter((p) => p.code === 'IP_UNVERIFIED');
    // The two live headnodes; compute nodes without core zones are not asked (NAPI covers them).
    expect(w.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(w[0]!.message).toMatch(
      /^the zones on headnode1 could not be listed \(vmadm lookup -j: no answer within 0\.4 s\)/,
    );
    expect(r.report.problems.filter((p) => p.code === 'IP_CONFLICT')).toEqual([]);
  });

  it("a zone that takes the IP after the pre-flight: the health check sees the duplicate address and stops (exit 3), not fooled by the other zone's ping", async () => {
    const t = await openTestSim(scenario(), SPEED);
    const out = await runRestore({
      dc: t.sim,
      journalDir: join(t.dir, 'journal'),
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
      // Just before sapi0 is re-created, something else comes up on 10.99.99.30.
      confirm: async (step) => {
        if (step.alias === 'sapi0') await rogueOnSapiIp(t);
        return 'go';
      },
    });
    expect(out.exitCode).toBe(3);
    expect(out.message).toBe(
      'sapi0 (sapi) failed on headnode1: wait until sapi0 runs, its setup is complete, svcs -xz is clean and /ping answers',
    );
    expect(out.failure?.command).toBe(`zlogin ${SAPI0} ipadm show-addr -p -o addrobj,state,addr`);
    expect(out.failure?.output).toContain(`${REF.sapi0.adminIp} of sapi0`);
    expect(out.failure?.output).toContain(`is DUPLICATE: another host on the network held ${REF.sapi0.adminIp} first`);
    expect(out.next).toContain(`arp -an | grep ${REF.sapi0.adminIp}`);
    // What a check by IP alone would have taken for sapi0's answer: the rogue zone's.
    expect((await t.http('GET', `http://${REF.sapi0.adminIp}/ping`)).status).toBe(200);
    // Nothing after sapi0 was touched.
    expect(
      loadState(t.statePath)
        .instances.filter((i) => i.server === 'headnode1' && i.payload)
        .map((i) => i.alias),
    ).toEqual(['assets0', 'sapi0']);
  });
});
