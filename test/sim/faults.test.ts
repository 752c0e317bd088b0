import { describe, expect, it } from 'vitest';
import { HttpError, RemoteError } from '../../src/remote/errors.js';
import { openTestSim, scenario, until } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const BINDER2 = REF.binder2.uuid;

describe('simulated faults', () => {
  it('fail N times: realistic stderr, no effect, then the command works', async () => {
    const t = await openTestSim(
      scenario((s) => (s.faults = [{ command: 'vmadm stop', match: BINDER2, effect: 'fail', times: 2 }])),
    );
    for (let i = 0; i < 2; i++) {
      const r = await t.run('headnode2', ['vmadm', 'stop', BINDER2]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^vmadm: ERROR: stop failed/);
      expect(t.sim.world.instanceOn('headnode2', BINDER2)!.state).toBe('running');
    }
    expect((await t.run('headnode2', ['vmadm', 'stop', BINDER2])).code).toBe(0);
    expect(t.sim.world.instanceOn('headnode2', BINDER2)!.state).toBe('stopped');
    expect(t.sim.world.state.faults[0]).toMatchObject({ fired: 2 });
  });

  it('a fault only hits commands that match', async () => {
    const t = await openTestSim(
      scenario((s) => (s.faults = [{ command: 'vmadm stop', match: 'no-such-thing', effect: 'fail' }])),
    );
    expect((await t.run('headnode2', ['vmadm', 'stop', BINDER2])).code).toBe(0);
  });

  it('hang: the command never answers and the caller timeout fires, saying it may have run', async () => {
    const t = await openTestSim(scenario((s) => (s.faults = [{ command: 'zfs', effect: 'hang', times: 1 }])));
    const started = Date.now();
    const err = await t.run('headnode1', ['zfs', 'list', 'zones/x/data'], undefined, 150).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((err as RemoteError).kind).toBe('timeout');
    expect((err as RemoteError).mayHaveRun).toBe(true);
    expect((await t.run('headnode1', ['zfs', 'list', 'zones/x/data'])).code).toBe(1);
  });

  it('HTTP faults: fail answers 500, hang runs into the client timeout', async () => {
    const t = await openTestSim(
      scenario(
        (s) =>
          (s.faults = [
            { command: 'GET /ping', effect: 'fail', times: 1 },
            { command: 'GET /servers', effect: 'hang', times: 1 },
          ]),
      ),
    );
    // A live API is needed: the scenario's are all on the dead headnode, so revive one.
    t.sim.world.state.servers[0]!.alive = true;
    const ping = await t.http('GET', `http://${REF.cnapi0.adminIp}/ping`);
    expect(ping.status).toBe(500);
    const err = await t.http('GET', `http://${REF.cnapi0.adminIp}/servers`, undefined, 100).catch((e: unknown) => e);
    expect((err as HttpError).kind).toBe('timeout');
    expect((await t.http('GET', `http://${REF.cnapi0.adminIp}/servers`)).status).toBe(200);
  });

  it('primary-returns: once the named service is restored, the dead primary boots back', async () => {
    const t = await openTestSim(scenario((s) => (s.faults = [{ event: 'primary-returns', after: 'sapi' }])));
    const sapi = REF.sapi0.uuid; // sapi0's own uuid: its SAPI record exists (reuse)
    const payload = JSON.stringify({
      uuid: sapi,
      alias: 'sapi1',
      image_uuid: REF.sapi0.image,
      tags: { smartdc_role: 'sapi' },
      nics: [{ ip: '10.99.99.60', nic_tag: 'admin', primary: true }],
      autoboot: false,
    });
    await t.run('headnode1', ['vmadm', 'create'], payload);
    expect(t.sim.world.isAlive('headnode0')).toBe(false);
    await t.run('headnode1', ['vmadm', 'start', sapi]);
    await until('sapi1 up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', sapi)!));
    await t.run('headnode1', ['true']);
    expect(t.sim.world.isAlive('headnode0')).toBe(true);
    expect((await t.run('headnode1', ['ping', REF.headnode0.adminIp, '2'])).code).toBe(0);
    expect(t.sim.world.state.sim.events.map((e) => e.what)).toContain('headnode0 came back with its old zones');
  });
});
