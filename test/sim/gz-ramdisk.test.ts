// SmartOS GZ root is a ramdisk: a reboot loses /root, keeps /usbkey, /opt, /var, /zones.
import { describe, expect, it } from 'vitest';
import { bootAuthorizedKeysSource, CONFIG_INC_GENERIC, filesAfterBoot } from '../../src/remote/sim/gz-ramdisk.js';
import { openTestSim, until } from '../support/sim-dc.js';

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
    expect((await t.run('headnode1', ['cat', '/root/.ssh/authorized_keys'])).stdout).toBe(
      'ssh-ed25519 AAAAkept sync\n',
    );
  });
});

// smartos-live overlay/generic/lib/svc/method/smartdc-config (c25ea88) with
// src/lib/sdc/config.sh (059ec27): the file root_authorized_keys_file names,
// in config_inc_dir, is copied over /root/.ssh/authorized_keys; nothing else is.
describe('simulated boot: root authorized_keys as smartdc-config sets them', () => {
  const hn = (extra: Record<string, string>): Record<string, string> => ({
    '/usbkey/config': 'hostname=headnode1\n',
    '/usbkey/config.inc/generic': CONFIG_INC_GENERIC,
    '/root/.ssh/authorized_keys': 'ssh-ed25519 AAAAlive only-in-root\n',
    ...extra,
  });

  it('a key only in /root/.ssh/authorized_keys is lost; the config.inc file replaces it', () => {
    const after = filesAfterBoot(hn({ '/usbkey/config.inc/root.authorized_keys': 'ssh-ed25519 AAAAkept sync\n' }));
    expect(after['/root/.ssh/authorized_keys']).toBe('ssh-ed25519 AAAAkept sync\n');
    expect(filesAfterBoot(hn({}))['/root/.ssh/authorized_keys']).toBeUndefined();
  });

  it('the name comes from the config: /usbkey/config overrides generic, and a file it does not name is not copied', () => {
    const files = hn({
      '/usbkey/config': 'hostname=headnode1\n  root_authorized_keys_file="ops.keys"\n',
      '/usbkey/config.inc/root.authorized_keys': 'ssh-ed25519 AAAAstock sync\n',
      '/usbkey/config.inc/ops.keys': 'ssh-ed25519 AAAAops ops\n',
    });
    expect(bootAuthorizedKeysSource(files)).toBe('/usbkey/config.inc/ops.keys');
    expect(filesAfterBoot(files)['/root/.ssh/authorized_keys']).toBe('ssh-ed25519 AAAAops ops\n');
  });

  it('no root_authorized_keys_file anywhere (no generic, a commented line): nothing is restored', () => {
    const files = hn({
      '/usbkey/config': '# root_authorized_keys_file=root.authorized_keys\n',
      '/usbkey/config.inc/root.authorized_keys': 'ssh-ed25519 AAAAkept sync\n',
    });
    delete files['/usbkey/config.inc/generic'];
    expect(filesAfterBoot(files)['/root/.ssh/authorized_keys']).toBeUndefined();
  });

  it('a compute node reads /opt/smartdc/config/node.config, with that directory as config_inc_dir', () => {
    const after = filesAfterBoot({
      '/opt/smartdc/config/node.config': "root_authorized_keys_file='root.authorized_keys'\n",
      '/opt/smartdc/config/root.authorized_keys': 'ssh-ed25519 AAAAcn cn\n',
      '/usbkey/config.inc/root.authorized_keys': 'ssh-ed25519 AAAAnot-read x\n',
    });
    expect(after['/root/.ssh/authorized_keys']).toBe('ssh-ed25519 AAAAcn cn\n');
  });

  it('every simulated headnode starts with the stock generic', async () => {
    const t = await openTestSim();
    for (const s of t.sim.world.state.servers.filter((x) => x.usbkey))
      expect(s.files?.['/usbkey/config.inc/generic']).toContain('root_authorized_keys_file=root.authorized_keys');
  });
});
