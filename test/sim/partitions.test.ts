// The scenario contract's partitions[]: two live servers cut apart, as if each
// were dead to the other (ping, SSH, TCP time out), while every other server
// still reaches both; CNAPI hears a server's heartbeats through any CNAPI zone
// it reaches (sdc-cn-agent lib/app.js postHeartbeat; sdc-cnapi
// lib/endpoints/servers.js eventHeartbeat).
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { openTestSim, scenario } from '../support/sim-dc.js';

/** headnode0 (the primary) alive, but cut off from headnode1, where the console runs. */
const cutOff = () =>
  scenario((s) => {
    s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
    s.partitions = [{ from: 'headnode1', to: 'headnode0' }];
  });
const PRIMARY_IP = '10.99.99.7';

describe('simulated partitions[]', () => {
  it('from this headnode the other side answers nothing: ping fails, SSH times out', async () => {
    const t = await openTestSim(cutOff());
    expect((await t.run('headnode1', ['ping', PRIMARY_IP, '1'])).code).not.toBe(0);
    await expect(t.run('headnode0', ['hostname'])).rejects.toBeInstanceOf(RemoteError);
  });

  it('every other server still reaches both sides: a compute node pings the primary', async () => {
    const t = await openTestSim(cutOff());
    const cn = await t.run('cn0', ['ping', PRIMARY_IP, '1']);
    expect(cn.code).toBe(0);
    expect(cn.stdout).toContain('is alive');
    // And headnode2 reaches both.
    expect((await t.run('headnode2', ['ping', PRIMARY_IP, '1'])).code).toBe(0);
    expect((await t.run('headnode2', ['ping', '10.99.99.41', '1'])).code).toBe(0);
  });

  it('is symmetric: the primary cannot reach this headnode either', async () => {
    const t = await openTestSim(cutOff());
    const world = t.sim.world;
    expect(world.reaches('headnode0', 'headnode1')).toBe(false);
    expect(world.reaches('headnode1', 'headnode0')).toBe(false);
    expect(world.reaches('cn1', 'headnode0')).toBe(true);
  });

  it('without a partition the same compute node sees a dead primary as dead', async () => {
    const t = await openTestSim(scenario());
    expect((await t.run('cn0', ['ping', PRIMARY_IP, '1'])).code).not.toBe(0);
  });
});
