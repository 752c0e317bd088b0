// The simulated booter (src/remote/sim/booter.ts): a compute node PXE boots
// only from a dhcpd zone that answers it (NAPI and CNAPI up, or its
// /tftpboot/cache entry: sdc-booter lib/bootparams.js) and whose headnode's
// /usbkey/os holds its platform; the firmware retries until one does.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { serverAdminMac } from '../../src/remote/sim/physics.js';
import { openTestSim, scenario, until, type TestSim } from '../support/sim-dc.js';

const inst = (s: Scenario, alias: string) => s.instances.find((i) => i.alias === alias)!;
const srv = (s: Scenario, hostname: string) => s.servers.find((x) => x.hostname === hostname)!;

/** Reboots cn0 and reports whether it is back once its boot time has passed twice over. */
async function rebootCn0(t: TestSim): Promise<boolean> {
  const before = t.sim.world.server('cn0')!.bootedAt;
  expect((await t.run('cn0', ['reboot'])).code).toBe(0);
  const cn0 = t.sim.world.server('cn0')!;
  cn0.downFrom = Date.now() - 2;
  cn0.downUntil = Date.now() - 1;
  t.sim.world.settle();
  return t.sim.world.server('cn0')!.bootedAt !== before;
}

describe('simulated PXE boot of a compute node (sdc-booter)', () => {
  it("lists a dhcpd zone's booter cache: one <mac>.json per compute node", async () => {
    const t = await openTestSim();
    const dhcpd1 = inst(t.sim.world.state, 'dhcpd1');
    const r = await t.run('headnode1', ['ls', '-1', `/zones/${dhcpd1.uuid}/root/tftpboot/cache`]);
    expect(r.code).toBe(0);
    const cns = t.sim.world.state.servers
      .filter((s) => !s.headnode)
      .map((s) => `${serverAdminMac(s.uuid)}.json`)
      .sort();
    expect(r.stdout).toBe(cns.map((n) => `${n}\n`).join(''));
  });

  it("boots from the surviving dhcpd's cache while CNAPI and NAPI are down with the primary", async () => {
    expect(await rebootCn0(await openTestSim())).toBe(true);
  });

  it('does not boot when the surviving dhcpd has no cache entry for it and CNAPI is down', async () => {
    const t = await openTestSim(
      scenario((s) => (inst(s, 'dhcpd1').booterCache = [serverAdminMac(srv(s, 'cn1').uuid)])),
    );
    expect(await rebootCn0(t)).toBe(false);
    expect(t.sim.world.server('cn0')!.pxeRefused).toContain('no dhcpd zone answers');
    // It keeps retrying: once the cache holds it, it comes up.
    inst(t.sim.world.state, 'dhcpd1').booterCache = [serverAdminMac(t.sim.world.server('cn0')!.uuid)];
    t.sim.world.server('cn0')!.downUntil = Date.now() - 1;
    await until('cn0 back', () => (t.sim.world.settle(), t.sim.world.isAlive('cn0')));
  });

  it("does not boot a platform only the dead primary's /usbkey/os held", async () => {
    const t = await openTestSim(
      scenario((s) => {
        srv(s, 'cn0').platform = '20200101T000000Z';
        srv(s, 'headnode0').usbkeyPlatforms = ['20200101T000000Z', '20240307T000552Z'];
        srv(s, 'headnode1').usbkeyPlatforms = ['20240307T000552Z'];
        srv(s, 'headnode2').usbkeyPlatforms = ['20240307T000552Z'];
      }),
    );
    expect(await rebootCn0(t)).toBe(false);
    expect(t.sim.world.server('cn0')!.pxeRefused).toBe('platform 20200101T000000Z not under /usbkey/os of headnode1');
  });

  it('does not boot with no dhcpd zone running on a live headnode', async () => {
    const t = await openTestSim(scenario((s) => (inst(s, 'dhcpd1').state = 'stopped')));
    expect(await rebootCn0(t)).toBe(false);
  });
});
