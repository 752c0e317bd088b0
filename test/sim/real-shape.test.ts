// The simulator as strict as a real Triton DC: zones with two NICs, vmadm's
// payload checks, autoboot, SAPI in full mode, sdcadm's HA-ready list, faults
// matching a payload. Each test fails if its rule is taken out of src/remote/sim.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/state/restore-data-layout.js';
import { openTestSim, scenario, until } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const CLOUDAPI0 = REF.cloudapi0.uuid;
const DHCPD1 = REF.dhcpd1.uuid;
const BINDER1 = REF.binder1.uuid;
const NEW = '11111111-2222-4333-8444-5555555555a1';

type Nic = Record<string, unknown>;
const adminNic = (ip: string, extra: Nic = {}): Nic => ({
  interface: 'net0',
  nic_tag: 'admin',
  ip,
  netmask: '255.255.255.0',
  ...extra,
});
const extNic = (ip: string, extra: Nic = {}): Nic => ({
  interface: 'net1',
  nic_tag: 'external',
  ip,
  netmask: '255.255.255.0',
  gateway: '10.88.88.2',
  ...extra,
});

function payload(nics: Nic[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    uuid: NEW,
    alias: 'amonredis1',
    image_uuid: REF.amonredis0.image,
    brand: 'joyent-minimal',
    owner_uuid: REF.admin.uuid,
    tags: { smartdc_role: 'amonredis', smartdc_type: 'core' },
    nics,
    autoboot: false,
    ...extra,
  });
}

describe('zones as vmadm shows them', () => {
  it('NICs in interface order, primary only on the primary NIC, external NIC fields, firewall_enabled', async () => {
    const t = await openTestSim();
    // The dumps sync wrote from `vmadm get` (cloudapi0 and sapi0 ran on the dead headnode0).
    const dump = (svc: string, uuid: string): { nics: Nic[]; firewall_enabled: boolean } =>
      JSON.parse(readFileSync(join(t.sim.restoreDataDir, paths.vm(svc, uuid)), 'utf8'));
    const cloudapi = dump('cloudapi', CLOUDAPI0);
    expect(cloudapi.nics.map((n) => n['interface'])).toEqual(['net0', 'net1']);
    expect(cloudapi.nics[0]).toMatchObject({ nic_tag: 'admin', ip: REF.cloudapi0.adminIp });
    expect('primary' in cloudapi.nics[0]!).toBe(false);
    expect(cloudapi.nics[1]).toMatchObject({
      nic_tag: 'external',
      ip: '10.88.88.5',
      primary: true,
      gateway: '10.88.88.2',
      netmask: '255.255.255.0',
      vlan_id: 0,
    });
    expect(cloudapi.firewall_enabled).toBe(false);
    expect(dump('sapi', REF.sapi0.uuid).firewall_enabled).toBe(true);
    const dhcpd = JSON.parse((await t.run('headnode1', ['vmadm', 'get', DHCPD1])).stdout) as { nics: Nic[] };
    expect(dhcpd.nics[0]).toMatchObject({ nic_tag: 'admin', dhcp_server: true, primary: true });
  });
});

describe('vmadm create checks its payload before it changes anything', () => {
  const refusals: [string, Nic[], Record<string, unknown>, string][] = [
    [
      'two primary NICs',
      [adminNic('10.99.99.70', { primary: true }), extNic('10.88.88.70', { primary: true })],
      {},
      'payload specifies more than 1 primary NIC',
    ],
    [
      'a NIC without nic_tag',
      [{ interface: 'net0', ip: '10.99.99.70', netmask: '255.255.255.0' }],
      {},
      'invalid or missing .nic_tag option for NIC',
    ],
    ['a nic tag the server lacks', [adminNic('10.99.99.70', { nic_tag: 'storage' })], {}, 'Invalid nic tag "storage"'],
    [
      'one IP on two NICs',
      [adminNic('10.99.99.70'), extNic('10.99.99.70')],
      {},
      'Cannot add multiple NICs with the same IP: 10.99.99.70',
    ],
    [
      'an IP a zone on this server uses',
      [adminNic(REF.binder1.adminIp)],
      {},
      'Conflict detected with another vm, please check the MAC, IP, and VRID',
    ],
    [
      'a MAC a zone on this server uses',
      [adminNic('10.99.99.70', { mac: 'MAC-OF-BINDER1' })],
      {},
      'Conflict detected with another vm',
    ],
    ['an existing uuid', [adminNic('10.99.99.70')], { uuid: BINDER1 }, `VM with UUID ${BINDER1} already exists`],
    [
      'an integer of the wrong type',
      [adminNic('10.99.99.70')],
      { max_physical_memory: 'lots' },
      'Invalid value for max_physical_memory',
    ],
    [
      'a boolean of the wrong type',
      [adminNic('10.99.99.70')],
      { firewall_enabled: 'yes' },
      'Invalid value(s) for: firewall_enabled',
    ],
    [
      'a primary flag that is not true',
      [adminNic('10.99.99.70', { primary: 'yes' })],
      {},
      "invalid value for NIC's primary flag",
    ],
  ];
  for (const [what, nics, extra, message] of refusals) {
    it(`refuses ${what}: exit 1, vmadm's message, nothing created`, async () => {
      const t = await openTestSim();
      const binderMac = t.sim.world.instanceOn('headnode1', BINDER1)!.mac!;
      const body = payload(nics, extra).replace('MAC-OF-BINDER1', binderMac);
      const before = t.sim.world.state.instances.length;
      const r = await t.run('headnode1', ['vmadm', 'create'], body);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(message);
      expect(t.sim.world.state.instances.length).toBe(before);
    });
  }

  it('drops unknown properties with the warning, and creates the zone', async () => {
    const t = await openTestSim();
    const r = await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload([adminNic('10.99.99.70')], { server_uuid: REF.headnode1.uuid, state: 'running' }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning, invalid create property: [server_uuid] removing from payload.');
    expect(r.stderr).toContain(`Successfully created VM ${NEW}`);
    expect(t.sim.world.instanceOn('headnode1', NEW)!.payload).not.toHaveProperty('server_uuid');
  });

  it('a zone with its primary on external: its admin IP is the admin-tagged NIC, both NICs shown in order', async () => {
    const t = await openTestSim();
    const r = await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload([adminNic('10.99.99.70'), extNic('10.88.88.70', { primary: true })], { firewall_enabled: true }),
    );
    expect(r.code).toBe(0);
    expect(t.sim.world.instanceOn('headnode1', NEW)!.adminIp).toBe('10.99.99.70');
    const vm = JSON.parse((await t.run('headnode1', ['vmadm', 'get', NEW])).stdout) as {
      nics: Nic[];
      firewall_enabled: boolean;
    };
    expect(vm.nics.map((n) => [n['nic_tag'], n['ip'], n['primary']])).toEqual([
      ['admin', '10.99.99.70', undefined],
      ['external', '10.88.88.70', true],
    ]);
    expect(vm.firewall_enabled).toBe(true);
  });

  it('start sets autoboot, stop clears it (VM.js startZone/stopZone)', async () => {
    const t = await openTestSim();
    await t.run('headnode1', ['vmadm', 'create'], payload([adminNic('10.99.99.70')]));
    const autoboot = async (): Promise<boolean> =>
      (JSON.parse((await t.run('headnode1', ['vmadm', 'get', NEW])).stdout) as { autoboot: boolean }).autoboot;
    expect(await autoboot()).toBe(false);
    await t.run('headnode1', ['vmadm', 'start', NEW]);
    expect(await autoboot()).toBe(true);
    await t.run('headnode1', ['vmadm', 'stop', NEW]);
    expect(await autoboot()).toBe(false);
  });

  it("a fault's match sees the payload fed on stdin", async () => {
    const t = await openTestSim(
      scenario((s) => (s.faults = [{ command: 'vmadm create', match: 'amonredis1', effect: 'fail', times: 1 }])),
    );
    const other = payload([adminNic('10.99.99.71')], { uuid: '11111111-2222-4333-8444-5555555555a2', alias: 'sapi9' });
    expect((await t.run('headnode1', ['vmadm', 'create'], other)).code).toBe(0);
    expect((await t.run('headnode1', ['vmadm', 'create'], payload([adminNic('10.99.99.70')]))).code).toBe(1);
    expect((await t.run('headnode1', ['vmadm', 'create'], payload([adminNic('10.99.99.70')]))).code).toBe(0);
  });
});

describe('SAPI in full mode', () => {
  const svcUuid = async (t: Awaited<ReturnType<typeof openTestSim>>, ip: string): Promise<string> =>
    ((await t.http('GET', `http://${ip}/services?name=amonredis`)).json as { uuid: string }[])[0]!.uuid;

  it('CreateInstance for a uuid VMAPI does not know, while VMAPI is down: an error, and no record is kept', async () => {
    const t = await openTestSim();
    // sapi0 re-created on headnode1 with its own uuid (its record exists); VMAPI died with headnode0.
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload([adminNic('10.99.99.60')], {
        uuid: REF.sapi0.uuid,
        alias: 'sapi0',
        image_uuid: REF.sapi0.image,
        tags: { smartdc_role: 'sapi' },
      }),
    );
    await t.run('headnode1', ['vmadm', 'start', REF.sapi0.uuid]);
    await until('sapi up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', REF.sapi0.uuid)!));
    const svc = await svcUuid(t, '10.99.99.60');
    for (const exists of [undefined, true]) {
      const r = await t.http('POST', 'http://10.99.99.60/instances', {
        service_uuid: svc,
        uuid: NEW,
        params: { alias: 'amonredis1', server_uuid: REF.headnode1.uuid },
        ...(exists ? { exists } : {}),
      });
      expect(r.status).toBe(500);
      expect(t.sim.world.state.sim.sapiInstances.some((x) => x.uuid === NEW)).toBe(false);
    }
  });

  it('with VMAPI up: without exists it provisions a second VM under that uuid; with exists it wants the VM', async () => {
    const t = await openTestSim(scenario((s) => (s.servers.find((x) => x.hostname === 'headnode0')!.alive = true)));
    const svc = await svcUuid(t, REF.sapi0.adminIp);
    const known = await t.http('POST', `http://${REF.sapi0.adminIp}/instances`, {
      service_uuid: svc,
      uuid: NEW,
      params: { alias: 'amonredis1', server_uuid: REF.headnode1.uuid },
      exists: true,
    });
    expect(known.status).toBe(409);
    expect(JSON.stringify(known.json)).toContain(`no such zone: ${NEW}`);
    const made = await t.http('POST', `http://${REF.sapi0.adminIp}/instances`, {
      service_uuid: svc,
      uuid: NEW,
      params: { alias: 'amonredis1', server_uuid: REF.headnode1.uuid },
    });
    expect(made.status).toBe(200);
    const vm = t.sim.world.instanceOn('headnode1', NEW)!;
    expect(vm).toMatchObject({ state: 'running', autoboot: true });
    // The IP is NAPI's pick, not one the caller chose; vmadm create of that uuid now collides.
    const again = await t.run('headnode1', ['vmadm', 'create'], payload([adminNic('10.99.99.70')]));
    expect(again.stderr).toContain(`VM with UUID ${NEW} already exists`);
  });

  it('a new sapi zone with no record of its own uuid fails its first boot', async () => {
    const t = await openTestSim();
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload([adminNic('10.99.99.60')], {
        alias: 'sapi1',
        image_uuid: REF.sapi0.image,
        tags: { smartdc_role: 'sapi' },
      }),
    );
    await t.run('headnode1', ['vmadm', 'start', NEW]);
    await until(
      'setup_failed',
      () => (t.sim.world.settle(), t.sim.world.instanceOn('headnode1', NEW)!.state === 'setup_failed'),
    );
  });
});

describe('sdcadm create', () => {
  it('refuses a service outside the HA-ready list without --dev-allow-multiple-instances', async () => {
    const t = await openTestSim(scenario((s) => (s.servers.find((x) => x.hostname === 'headnode0')!.alive = true)));
    const r = await t.run('headnode0', ['sdcadm', 'create', 'dhcpd', '-s', 'headnode2', '-y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The "dhcpd" service does not support proper operation with multiple instances');
    const ok = await t.run('headnode0', [
      'sdcadm',
      'create',
      'dhcpd',
      '-s',
      'headnode2',
      '--dev-allow-multiple-instances',
      '-y',
    ]);
    expect(ok.code).toBe(0);
  });
});

describe("the global zone's tar", () => {
  it('is illumos tar: -C before the key is an unknown function modifier; gtar takes it', async () => {
    const t = await openTestSim();
    const argv = ['-C', '/usbkey', '-czf', '/usbkey/extra/headnode-prepare/base.tgz', 'os'];
    await t.run('headnode1', ['mkdir', '-p', '/usbkey/extra/headnode-prepare']);
    const illumos = await t.run('headnode1', ['tar', ...argv]);
    expect(illumos.code).toBe(1);
    expect(illumos.stderr).toContain('tar: C: unknown function modifier');
    expect((await t.run('headnode1', ['gtar', ...argv])).code).toBe(0);
  });
});

describe('NAPI networks', () => {
  it('lists the external network beside admin, and finds it by name (sdc-napi docs/index.md ListNetworks)', async () => {
    const napi = `http://${REF.napi0.adminIp}`;
    // headnode0, where NAPI runs, is dead in the reference: here it is alive.
    const alive = await openTestSim(
      scenario((s) => {
        s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
      }),
    );
    const all = await alive.http('GET', `${napi}/networks`);
    expect((all.json as { name: string }[]).map((n) => n.name)).toEqual(['admin', 'external']);
    const ext = await alive.http('GET', `${napi}/networks?name=external`);
    expect(ext.json).toMatchObject([
      { name: 'external', nic_tag: 'external', subnet: '10.88.88.0/24', gateway: '10.88.88.2', vlan_id: 0 },
    ]);
    const one = await alive.http('GET', `${napi}/networks/${(ext.json as { uuid: string }[])[0]!.uuid}`);
    expect(one.status).toBe(200);
    await alive.sim.close();
  });
});
