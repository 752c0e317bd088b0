// Simulator rules that had no test of their own (physics.ts INDEX names them):
// each case fails if its rule is taken out of the world or the formatter.
import { describe, expect, it } from 'vitest';
import { SimWorld } from '../../src/remote/sim/world.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { corePayload, REF } from '../support/reference.js';

describe('simulator rules', () => {
  it('a zone created without autoboot and started before its data arrives comes up empty: the data is lost', async () => {
    const t = await openTestSim();
    const uuid = '11111111-2222-4333-8444-555555555507';
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      corePayload(uuid, 'amonredis1', REF.amonredis0.image, '10.99.99.64', { delegate_dataset: true }),
    );
    expect(t.sim.world.instanceOn('headnode1', uuid)!.bootedWithoutData).toBeUndefined();
    expect((await t.run('headnode1', ['vmadm', 'start', uuid])).code).toBe(0);
    expect(t.sim.world.instanceOn('headnode1', uuid)).toMatchObject({
      state: 'running',
      data: 'empty',
      bootedWithoutData: true,
    });
    expect(t.sim.world.state.sim.events.some((e) => e.what.includes('EMPTY delegated dataset'))).toBe(true);
  });

  it('a prepared key makes a headnode in two boots (HEAD-2343); a plain reboot is one boot', () => {
    let clock = 1_000_000;
    const world = new SimWorld(
      scenario((s) => (s.servers.find((x) => x.hostname === 'cn0')!.headnodeKey = true)),
      { now: () => clock, speed: 1 },
    );
    const cn0 = world.server('cn0')!;
    const cn1 = world.server('cn1')!;
    world.reboot(cn0);
    world.reboot(cn1);
    // Shutdown (20 s) and one boot (180 s) later: cn1 is back, cn0 is in its second boot.
    clock += 20_000 + 180_000 + 1;
    world.settle();
    expect(world.isAlive('cn1')).toBe(true);
    expect(cn1.headnode).toBe(false);
    expect(world.isAlive('cn0')).toBe(false);
    clock += 180_000;
    world.settle();
    expect(world.isAlive('cn0')).toBe(true);
    expect(cn0.headnode).toBe(true);
  });

  it("VMAPI: a dead server's VMs are unknown until CNAPI forgets the server; one record per uuid, the live one", async () => {
    const t = await openTestSim(scenario((s) => (s.servers.find((x) => x.hostname === 'headnode0')!.alive = true)));
    const w = t.sim.world;
    const ip = (svc: string): string =>
      w.state.instances.find((i) => i.service === svc && i.server === 'headnode0')!.adminIp;
    const binder2 = w.state.instances.find((i) => i.alias === 'binder2')!;
    const hn2 = w.server('headnode2')!;
    const vm = async (): Promise<Record<string, unknown>> =>
      (await t.http('GET', `http://${ip('vmapi')}/vms/${binder2.uuid}`)).json as Record<string, unknown>;
    w.killServer('headnode2');
    expect(await vm()).toMatchObject({ state: 'unknown', server_uuid: hn2.uuid });
    expect((await t.http('DELETE', `http://${ip('cnapi')}/servers/${hn2.uuid}`)).status).toBe(204);
    expect(await vm()).toMatchObject({ state: 'running', server_uuid: hn2.uuid });
    // Re-created under its old uuid on a live server: vm-agent's report replaces the old record.
    const made = await t.run(
      'headnode1',
      ['vmadm', 'create'],
      corePayload(binder2.uuid, 'binder2', binder2.image, '10.99.99.65', { autoboot: true }),
    );
    expect(made.code).toBe(0);
    expect(await vm()).toMatchObject({ state: 'running', server_uuid: w.server('headnode1')!.uuid });
    const list = (await t.http('GET', `http://${ip('vmapi')}/vms?tag.smartdc_role=binder`)).json as Record<
      string,
      unknown
    >[];
    expect(list.filter((v) => v['uuid'] === binder2.uuid)).toHaveLength(1);
  });
});
