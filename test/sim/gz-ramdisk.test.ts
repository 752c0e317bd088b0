// SmartOS GZ root is a ramdisk: a reboot loses /root, keeps /usbkey, /opt, /var, /zones.
import { describe, expect, it } from 'vitest';
import { openTestSim, until } from './helpers.js';

describe('simulated reboot: the GZ ramdisk', () => {
  it('empties /root (keys, known_hosts, crontab), keeps /var and /usbkey, and restores authorized_keys from config.inc', async () => {
    const t = await openTestSim();
    const put = async (path: string, text: string): Promise<void> => {
      const dir = path.replace(/\/[^/]+$/, '');
      expect((await t.run('headnode1', ['mkdir', '-p', dir])).code).toBe(0);
      expect((await t.run('headnode1', ['tee', path], text)).code).toBe(0);
    };
    await put('/root/.ssh/id_ed25519', 'private\n');
    await put('/root/.ssh/known_hosts', 'hn2 ssh-ed25519 AAAA\n');
    await put('/var/spool/cron/crontabs/root', '0 * * * * sync\n');
    await put('/var/sdcadm/triton-recover/ssh/id_ed25519', 'kept\n');
    await put('/usbkey/config.inc/root.authorized_keys', 'ssh-ed25519 AAAAkept sync\n');
    const srv = t.sim.world.state.servers.find((s) => s.hostname === 'headnode1')!;
    const bootedBefore = srv.bootedAt;
    expect((await t.run('headnode1', ['reboot'])).code).toBe(0);
    await until('headnode1 back', () => {
      t.sim.world.settle();
      return t.sim.world.state.servers.find((s) => s.hostname === 'headnode1')!.bootedAt !== bootedBefore;
    });
    const cat = async (p: string): Promise<number> => (await t.run('headnode1', ['cat', p])).code;
    expect(await cat('/root/.ssh/id_ed25519')).not.toBe(0);
    expect(await cat('/root/.ssh/known_hosts')).not.toBe(0);
    expect(await cat('/var/sdcadm/triton-recover/ssh/id_ed25519')).toBe(0);
    expect(await cat('/var/spool/cron/crontabs/root')).toBe(0);
    expect((await t.run('headnode1', ['cat', '/root/.ssh/authorized_keys'])).stdout).toBe('ssh-ed25519 AAAAkept sync\n');
  });
});
