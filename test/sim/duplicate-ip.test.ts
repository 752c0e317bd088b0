// Two live NICs on one IP, as on a real network (ip-owner.ts): illumos's
// duplicate address detection leaves the IP with the holder that came up
// first; the newcomer's address is "duplicate" and everything sent to the IP
// reaches the first holder.
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/remote/errors.js';
import { openTestSim, until, type TestSim } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const ADMIN = REF.admin.uuid;
const SAPI_IMG = REF.sapi0.image;
/** sapi0's uuid: its SAPI record exists, so its first boot completes. */
const SAPI0 = REF.sapi0.uuid;
const MORAY2 = 'moray2';

async function startSapi(t: TestSim, ip: string): Promise<void> {
  const payload = JSON.stringify({
    uuid: SAPI0,
    alias: 'sapi0',
    image_uuid: SAPI_IMG,
    brand: 'joyent-minimal',
    owner_uuid: ADMIN,
    tags: { smartdc_role: 'sapi', smartdc_type: 'core' },
    nics: [{ interface: 'net0', nic_tag: 'admin', ip, netmask: '255.255.255.0', primary: true }],
    autoboot: false,
  });
  expect((await t.run('headnode1', ['vmadm', 'create'], payload)).code).toBe(0);
  expect((await t.run('headnode1', ['vmadm', 'start', SAPI0])).code).toBe(0);
  const inst = t.sim.world.instanceOn('headnode1', SAPI0)!;
  await until('sapi0 set up on headnode1', () => t.sim.world.isUp(inst));
}

async function addrState(t: TestSim, server: string, uuid: string): Promise<string> {
  const r = await t.run(server, ['zlogin', uuid, 'ipadm', 'show-addr', '-p', '-o', 'addrobj,state,addr']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').find((l) => l.startsWith('net0/_a:'))!;
}

describe('two NICs on one IP (duplicate address detection)', () => {
  it("a zone on a live server's admin IP does not get it: HTTP reaches the server's GZ, the zone's address is duplicate", async () => {
    const t = await openTestSim();
    await startSapi(t, REF.headnode2.adminIp); // headnode2's admin IP
    const err = await t.http('GET', `http://${REF.headnode2.adminIp}/ping`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toContain('ECONNREFUSED');
    expect(await addrState(t, 'headnode1', SAPI0)).toBe(`net0/_a:duplicate:${REF.headnode2.adminIp}/24`);
    expect((await t.run('headnode1', ['ping', REF.headnode2.adminIp, '2'])).stdout).toBe(
      `${REF.headnode2.adminIp} is alive\n`,
    );
  });

  it('the zone that came up first keeps the IP, whichever is listed first; the other answers nothing on it', async () => {
    const t = await openTestSim();
    const moray2 = t.sim.world.state.instances.find((i) => i.alias === MORAY2)!;
    expect((await t.run('headnode2', ['vmadm', 'stop', moray2.uuid])).code).toBe(0);
    await startSapi(t, moray2.adminIp); // sapi0 takes 10.99.99.50 while moray2 is down
    expect((await t.run('headnode2', ['vmadm', 'start', moray2.uuid])).code).toBe(0);
    // moray2 came up second: the IP stays sapi0's, so its ping answers as SAPI.
    const ping = await t.http('GET', `http://${moray2.adminIp}/ping`);
    expect(ping.json).toMatchObject({ mode: 'full' });
    expect(await addrState(t, 'headnode1', SAPI0)).toBe(`net0/_a:ok:${moray2.adminIp}/24`);
    expect(await addrState(t, 'headnode2', moray2.uuid)).toBe(`net0/_a:duplicate:${moray2.adminIp}/24`);
  });

  it('ipadm show-addr escapes the colons inside a field, as parsable mode does', async () => {
    const t = await openTestSim();
    const moray2 = t.sim.world.state.instances.find((i) => i.alias === MORAY2)!;
    const r = await t.run('headnode2', ['zlogin', moray2.uuid, 'ipadm', 'show-addr', '-p', '-o', 'addrobj,state,addr']);
    expect(r.stdout).toBe(`lo0/v4:ok:127.0.0.1/8\nnet0/_a:ok:${moray2.adminIp}/24\nlo0/v6:ok:\\:\\:1/128\n`);
  });

  it("the admin network's gateway is the router's: a zone on it is duplicate and its HTTP goes to the router", async () => {
    const t = await openTestSim();
    await startSapi(t, '10.99.99.1');
    expect(await addrState(t, 'headnode1', SAPI0)).toBe('net0/_a:duplicate:10.99.99.1/24');
    const err = await t.http('GET', 'http://10.99.99.1/ping').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
  });

  it('an IP outside the admin subnet: NAPI refuses the NIC, and nothing on the segment reaches the zone', async () => {
    const t = await openTestSim();
    await startSapi(t, '10.99.98.30');
    const inst = t.sim.world.instanceOn('headnode1', SAPI0)!;
    expect(inst.nicRegistration).toBe('failed');
    expect(t.sim.world.state.sim.events.map((e) => e.what)).toContain(
      `net-agent: NIC ${inst.mac} of sapi0: ip 10.99.98.30 cannot be outside subnet 10.99.99.0/24`,
    );
    const err = await t.http('GET', 'http://10.99.98.30/ping', undefined, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('timeout');
    expect((await t.run('headnode1', ['ping', '10.99.98.30', '1'])).code).toBe(1);
  });
});
