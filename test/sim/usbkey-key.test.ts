// The physical USB key in the simulator: sdc-usbkey, gtar from the mounted key,
// what the preparation makes of the archive, and a server that PXE boots.
import { describe, expect, it } from 'vitest';
import { PREPARE_MARKER } from '../../src/remote/sim/headnode-prepare.js';
import {
  SIM_SDCADM_BUILDSTAMP,
  SIM_SDCADM_DEPLOYED_IMAGE,
  SIM_SDCADM_IMAGE,
  tgzMembers,
} from '../../src/remote/sim/usbkey-key.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const CN0 = REF.cn0.uuid;
const DIR = '/usbkey/extra/headnode-prepare';

describe('sdc-usbkey (sdc-headnode tools/cmd/sdc-usbkey.js)', () => {
  it('mounts at /mnt/usbkey and prints it; status says "mounted" only for the default (foldcase) mount', async () => {
    const t = await openTestSim();
    const st = async (): Promise<string> => (await t.run('headnode1', ['sdc-usbkey', 'status'])).stdout.trim();
    expect(await st()).toBe('unmounted');
    const m = await t.run('headnode1', ['sdc-usbkey', 'mount', '--nofoldcase']);
    expect([m.code, m.stdout]).toEqual([0, '/mnt/usbkey\n']);
    expect(await st()).toBe('unmounted');
    expect((await t.run('headnode1', ['test', '-f', '/mnt/usbkey/.joyliveusb'])).code).toBe(0);
    await t.run('headnode1', ['sdc-usbkey', 'mount']);
    expect(await st()).toBe('mounted');
    await t.run('headnode1', ['sdc-usbkey', 'unmount']);
    expect(await st()).toBe('unmounted');
    expect((await t.run('headnode1', ['test', '-f', '/mnt/usbkey/.joyliveusb'])).code).toBe(1);
    expect((await t.run('cn0', ['sdc-usbkey', 'mount'])).stderr).toContain('no suitable devices found');
  });
});

describe('gtar from the USB key', () => {
  const pack = ['gtar', '-czf', `${DIR}/b.tgz`, '-C', '/mnt/usbkey', '.joyliveusb', 'boot', 'os'];

  it('needs the key mounted; a folding mount and the /usbkey copy give case-folded names', async () => {
    const t = await openTestSim();
    await t.run('headnode1', ['mkdir', '-p', DIR]);
    const unmounted = await t.run('headnode1', pack);
    expect(unmounted.code).toBe(2);
    expect(unmounted.stderr).toContain('gtar: boot: Cannot stat: No such file or directory');
    const files = (): Record<string, string> => t.sim.world.server('headnode1')!.files ?? {};
    await t.run('headnode1', ['sdc-usbkey', 'mount']);
    expect((await t.run('headnode1', pack)).code).toBe(0);
    expect(tgzMembers(files()[`${DIR}/b.tgz`]).get('os')?.tag).toBe('key,folded');
    await t.run('headnode1', ['sdc-usbkey', 'mount', '--nofoldcase']);
    expect((await t.run('headnode1', pack)).code).toBe(0);
    expect(tgzMembers(files()[`${DIR}/b.tgz`]).get('os')?.tag).toBe('key');
    expect((await t.run('headnode1', ['gtar', '-czf', `${DIR}/c.tgz`, '-C', '/usbkey', 'os'])).code).toBe(0);
    expect(tgzMembers(files()[`${DIR}/c.tgz`]).get('os')?.tag).toBe('copy,folded');
    const notOnKey = await t.run('headnode1', [
      'gtar',
      '-czf',
      `${DIR}/d.tgz`,
      '-C',
      '/mnt/usbkey',
      'sdcadm-install.sh',
    ]);
    expect(notOnKey.stderr).toContain('sdcadm-install.sh: Cannot stat');
  });
});

describe('the sdcadm installer: the running build, on the updates server', () => {
  it('headnodes carry etc/buildstamp; updates-imgadm finds that build by tag, nothing for an unknown one, and the latest', async () => {
    const t = await openTestSim();
    const stamp = (await t.run('headnode1', ['cat', '/opt/smartdc/sdcadm/etc/buildstamp'])).stdout.trim();
    expect(stamp).toBe(SIM_SDCADM_BUILDSTAMP);
    const list = async (filter: string) =>
      (await t.run('headnode1', ['updates-imgadm', 'list', 'name=sdcadm', filter, '-H', '-o', 'uuid'])).stdout.trim();
    expect(await list(`tag.buildstamp=${stamp}`)).toBe(SIM_SDCADM_DEPLOYED_IMAGE);
    expect(await list('tag.buildstamp=master-20990101T000000Z-gdeadbee')).toBe('');
    expect(await list('--latest')).toBe(SIM_SDCADM_IMAGE);
    expect(SIM_SDCADM_IMAGE).not.toBe(SIM_SDCADM_DEPLOYED_IMAGE);
  });
});

describe('the prepared key and how the server boots', () => {
  /** headnode0 serves a prepared set whose base archive has these members. */
  const prepared = (base: string, bootsFrom?: 'pxe' | 'usb') =>
    scenario((s) => {
      const hn0 = s.servers.find((x) => x.hostname === 'headnode0')!;
      hn0.alive = true;
      hn0.files = {
        [`${DIR}/`]: '',
        [`${DIR}/usbkey-base.tgz`]: base,
        [`${DIR}/${CN0}.config`]: 'hostname=cn0\n',
        [`${DIR}/${CN0}.networking.json`]: '{}',
      };
      if (bootsFrom) s.servers.find((x) => x.hostname === 'cn0')!.bootsFrom = bootsFrom;
    });
  const GOOD = 'sim-tgz\nboot\t/mnt/usbkey\tkey\nos\t/mnt/usbkey\tkey\n';

  it('a key packed with case-folded os/ names does not boot (the loader finds no platform)', async () => {
    const t = await openTestSim(prepared('sim-tgz\nboot\t/usbkey\tcopy,folded\nos\t/usbkey\tcopy,folded\n'));
    expect((await t.run('cn0', ['bash', '-s', '--', REF.assets0.adminIp, CN0], `${PREPARE_MARKER}\n`)).code).toBe(0);
    expect(t.sim.world.server('cn0')!.headnodeKey).toBe(false);
  });

  it('a server that PXE boots comes back as a compute node after its key is prepared; from the key, as a headnode', async () => {
    for (const [from, headnode] of [
      ['pxe', undefined],
      ['usb', 'true'],
    ] as const) {
      const t = await openTestSim(prepared(GOOD, from), 20_000);
      expect((await t.run('cn0', ['bash', '-s', '--', REF.assets0.adminIp, CN0], `${PREPARE_MARKER}\n`)).code).toBe(0);
      expect(t.sim.world.server('cn0')!.headnodeKey).toBe(true);
      await t.run('cn0', ['reboot']);
      const srv = t.sim.world.server('cn0')!;
      srv.downFrom = Date.now() - 2;
      srv.downUntil = Date.now() - 1;
      const bp = (await t.run('cn0', ['bootparams'])).stdout;
      expect(/^headnode=(.*)$/m.exec(bp)?.[1], from).toBe(headnode);
      expect(t.sim.world.server('cn0')!.headnode, from).toBe(from === 'usb');
    }
  });
});
