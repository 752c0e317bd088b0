// ssh-setup puts our key where each peer's boot restores it: the file its own
// config names (smartos-live smartdc-config, root_authorized_keys_file), read
// from that peer; a peer whose config names none is said to lose it at reboot.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSshSetup } from '../../src/steps/ssh-setup.js';
import { openTestSim, scenario, until, type TestSim } from '../support/sim-dc.js';

/** Every headnode up, restore-data as sync leaves it (dc/servers.json lists the peers). */
const openAllUp = (): Promise<TestSim> =>
  openTestSim(
    scenario((s) => {
      for (const srv of s.servers) srv.alive = true;
    }),
  );

async function setUp(t: TestSim): Promise<{ lines: string[]; out: Awaited<ReturnType<typeof runSshSetup>> }> {
  const lines: string[] = [];
  const out = await runSshSetup({
    dc: t.sim,
    identity: join(t.dir, 'ssh', 'id_ed25519'),
    knownHosts: join(t.dir, 'ssh', 'known_hosts'),
    log: (l) => lines.push(l),
    timeoutMs: 2_000,
  });
  return { lines, out };
}

async function rebootAll(t: TestSim, hostnames: string[]): Promise<void> {
  for (const h of hostnames) {
    const before = t.sim.world.server(h)!.bootedAt;
    expect((await t.run(h, ['reboot'])).code).toBe(0);
    await until(
      `${h} back`,
      () => {
        t.sim.world.settle();
        return t.sim.world.server(h)!.bootedAt !== before;
      },
      10_000,
    );
  }
}

const liveKeys = async (t: TestSim, h: string): Promise<string> =>
  (await t.run(h, ['cat', '/root/.ssh/authorized_keys'])).stdout;

describe('ssh-setup: the key where each peer keeps it across reboots', () => {
  it('stock config.inc/generic and a /usbkey/config that names its own file: both keep the key after a reboot', async () => {
    const t = await openAllUp();
    const hn2 = t.sim.world.server('headnode2')!;
    hn2.files!['/usbkey/config'] += 'root_authorized_keys_file=ops.keys\n';
    t.sim.world.commit();
    const { lines, out } = await setUp(t);
    const by = new Map(out.peers.map((p) => [p.hostname, p]));
    expect(by.get('headnode0')).toMatchObject({
      status: 'installed',
      persistent: '/usbkey/config.inc/root.authorized_keys',
    });
    expect(by.get('headnode2')).toMatchObject({ status: 'installed', persistent: '/usbkey/config.inc/ops.keys' });
    expect(lines.join('\n')).toContain(
      'headnode2: key in /usbkey/config.inc/ops.keys (its boot copies that file to /root/.ssh/authorized_keys)',
    );
    const key = out.publicLine.split(' ').slice(0, 2).join(' ');
    expect(hn2.files!['/usbkey/config.inc/root.authorized_keys']).toBeUndefined();
    await rebootAll(t, ['headnode0', 'headnode2']);
    expect(await liveKeys(t, 'headnode0')).toContain(key);
    expect(await liveKeys(t, 'headnode2')).toContain(key);
    // A second run finds it everywhere.
    expect((await setUp(t)).out.peers.map((p) => p.status)).toEqual(['already', 'already']);
  }, 30_000);

  it('a peer whose config names no root_authorized_keys_file: LIVE-ONLY, with what to add; its reboot does drop the key', async () => {
    const t = await openAllUp();
    delete t.sim.world.server('headnode2')!.files!['/usbkey/config.inc/generic'];
    t.sim.world.commit();
    const { out } = await setUp(t);
    const hn2 = out.peers.find((p) => p.hostname === 'headnode2')!;
    expect(hn2.status).toBe('live-only');
    expect(hn2.detail).toContain('root_authorized_keys_file=root.authorized_keys');
    const key = out.publicLine.split(' ').slice(0, 2).join(' ');
    expect(await liveKeys(t, 'headnode2')).toContain(key);
    await rebootAll(t, ['headnode2']);
    expect(await liveKeys(t, 'headnode2')).not.toContain(key);
  }, 30_000);
});
