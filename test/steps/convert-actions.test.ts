// Each conversion action kind of the first step (the USB key data on the
// assets headnode), alone, as test/steps/actions.test.ts does for the restore:
// what prepare looks at on a rerun (already done? not done?) and what execute
// runs, exactly, with its success and its failure. The kinds that act on the
// server and the HA layout are in convert-actions-server.test.ts. The kill -9
// sweep of test/cli/convert-run.test.ts proves whole runs; these pin each rule.
import { describe, expect, it } from 'vitest';
import { FakeDc } from '../support/fake-dc.js';
import {
  T,
  CNAPI,
  SDCADM_IMAGE,
  PREP,
  action,
  prepared,
  executed,
  failed,
  sysinfo,
  cnapiServer,
  PREPARED_AT,
  NO_FILE,
} from './convert-action-helpers.js';

describe('mkdir', () => {
  const id = 'usbkey-data/mkdir';
  it('prepare: the directory exists is done; absent is not', async () => {
    expect(await prepared(new FakeDc().expectRun(['test', '-d', PREP]), id)).toEqual({
      done: true,
      why: `${PREP} exists`,
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-d', PREP], NO_FILE), id)).toEqual({ done: false });
  });
  it('execute: mkdir -p once; a non-zero exit names the host, the output and what next', async () => {
    expect(await executed(new FakeDc().expectRun(['mkdir', '-p', PREP]), id)).toBe(`created ${PREP}`);
    const f = await failed(
      new FakeDc().expectRun(['mkdir', '-p', PREP], { code: 1, stderr: 'mkdir: Read-only file system' }),
      id,
    );
    expect([f.host, f.output, f.command]).toEqual([
      'headnode0',
      'exit 1: mkdir: Read-only file system',
      `headnode0$ mkdir -p ${PREP}`,
    ]);
    expect(f.hint).toMatch(/fix the cause on headnode0, then rerun/);
  });
});

describe('fetch-sdcadm', () => {
  const id = 'usbkey-data/sdcadm';
  const FILE = '/usbkey/extra/sdcadm/sdcadm.sh';
  const STAMP = 'release-20250101-20250101T000000Z-g1234567';
  const byStamp = ['updates-imgadm', 'list', 'name=sdcadm', `tag.buildstamp=${STAMP}`, '-H', '-o', 'uuid'];
  const latest = ['updates-imgadm', 'list', 'name=sdcadm', '--latest', '-H', '-o', 'uuid'];
  const write = (dc: FakeDc): FakeDc =>
    dc
      .expectRun(['mkdir', '-p', '/usbkey/extra/sdcadm'])
      .expectRun(['updates-imgadm', 'get-file', '-o', `${FILE}.tmp`, SDCADM_IMAGE])
      .expectRun(['mv', `${FILE}.tmp`, FILE]);
  it('prepare: the installer is there is done; absent is not', async () => {
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE]), id)).toEqual({
      done: true,
      why: `${FILE} is there`,
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE], NO_FILE), id)).toEqual({ done: false });
  });
  it('execute: the image of the running build (its -dirty dropped), written to .tmp then moved', async () => {
    const dc = write(
      new FakeDc()
        .expectRun(['cat', '/opt/smartdc/sdcadm/etc/buildstamp'], { stdout: `${STAMP}-dirty\n` })
        .expectRun(byStamp, { stdout: `${SDCADM_IMAGE}\n` }),
    );
    expect(await executed(dc, id)).toBe(
      `wrote ${FILE} (sdcadm image ${SDCADM_IMAGE}, the build this headnode runs: ${STAMP})`,
    );
  });
  it('execute: no image of the running build: the latest', async () => {
    const dc = write(
      new FakeDc()
        .expectRun(['cat', '/opt/smartdc/sdcadm/etc/buildstamp'], { stdout: `${STAMP}\n` })
        .expectRun(byStamp, { stdout: '' })
        .expectRun(latest, { stdout: `${SDCADM_IMAGE}\n` }),
    );
    expect(await executed(dc, id)).toBe(
      `wrote ${FILE} (sdcadm image ${SDCADM_IMAGE}, the latest build: the updates server has no sdcadm image with buildstamp ${STAMP})`,
    );
  });
  it('execute: no buildstamp and the updates server names no image: fails before writing anything', async () => {
    const dc = new FakeDc()
      .expectRun(['cat', '/opt/smartdc/sdcadm/etc/buildstamp'], { code: 1, stderr: 'No such file' })
      .expectRun(latest, { stdout: 'Error: getaddrinfo ENOTFOUND updates.tritondatacenter.com\n' });
    const f = await failed(dc, id);
    expect(f.output).toMatch(/^updates-imgadm named no sdcadm image: "Error: getaddrinfo/);
    expect(f.hint).toContain(`put an sdcadm installer at ${FILE} by hand`);
  });
});

describe('usbkey-mount', () => {
  const id = 'usbkey-data/mount';
  const mount = ['sdc-usbkey', 'mount', '--nofoldcase'];
  it('prepare: not mounted by this conversion (nothing journaled) is not done, without looking', async () => {
    expect(await prepared(new FakeDc(), id)).toEqual({ done: false });
  });
  it('prepare: the key base is packed: the nofoldcase mount is done; the tarball gone: not', async () => {
    const o = { journaled: { endedOk: ['usbkey-data/base'] } };
    expect(await prepared(new FakeDc().expectRun(['test', '-f', `${PREP}/usbkey-base.tgz`]), id, o)).toEqual({
      done: true,
      why: 'usbkey-base.tgz is packed',
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', `${PREP}/usbkey-base.tgz`], NO_FILE), id, o)).toEqual({
      done: false,
    });
  });
  it('prepare: mounted by this conversion and still there is done; unmounted since (a reboot) is not', async () => {
    const o = { journaled: { endedOk: [id] } };
    expect(await prepared(new FakeDc().expectRun(['test', '-f', '/mnt/usbkey/.joyliveusb']), id, o)).toEqual({
      done: true,
      why: 'the USB key is mounted at /mnt/usbkey',
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', '/mnt/usbkey/.joyliveusb'], NO_FILE), id, o)).toEqual({
      done: false,
    });
  });
  it('execute: mounted where the plan packs from; mounted elsewhere fails', async () => {
    expect(await executed(new FakeDc().expectRun(mount, { stdout: '/mnt/usbkey\n' }), id)).toBe(
      'USB key mounted at /mnt/usbkey',
    );
    const f = await failed(new FakeDc().expectRun(mount, { stdout: '/mnt/usbkey2\n' }), id);
    expect(f.output).toBe('sdc-usbkey mounted the key at "/mnt/usbkey2", not /mnt/usbkey');
  });
  it('the remount (default options) is done only when this conversion mounted it and it is still there', async () => {
    const o = { journaled: { endedOk: ['usbkey-data/base', 'usbkey-data/remount'] } };
    expect(
      await prepared(new FakeDc().expectRun(['test', '-f', '/mnt/usbkey/.joyliveusb']), 'usbkey-data/remount', o),
    ).toEqual({ done: true, why: 'the USB key is mounted at /mnt/usbkey' });
  });
});

describe('write-base', () => {
  const id = 'usbkey-data/base';
  const FILE = `${PREP}/usbkey-base.tgz`;
  it('prepare: a tarball this conversion did not write is written anew; one it wrote and still there is done', async () => {
    expect(await prepared(new FakeDc(), id)).toEqual({ done: false });
    const o = { journaled: { endedOk: [id] } };
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE]), id, o)).toEqual({
      done: true,
      why: `${FILE} was written by this conversion`,
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE], NO_FILE), id, o)).toEqual({ done: false });
  });
  it('execute: gtar to .tmp, then moved; gtar failing leaves the final name alone', async () => {
    const gtar = action(id).argv ?? [];
    expect(await executed(new FakeDc().expectRun(gtar).expectRun(['mv', `${FILE}.tmp`, FILE]), id)).toBe(
      `wrote ${FILE}`,
    );
    const f = await failed(
      new FakeDc().expectRun(gtar, { code: 2, stderr: 'gtar: os: Cannot stat: No such file or directory' }),
      id,
    );
    expect(f.output).toBe('exit 2: gtar: os: Cannot stat: No such file or directory');
  });
});

describe('usbkey-unmount', () => {
  const id = 'usbkey-data/unmount';
  it('prepare: unmounted by this conversion is done, without looking; else not', async () => {
    expect(await prepared(new FakeDc(), id, { journaled: { endedOk: [id] } })).toEqual({
      done: true,
      why: 'unmounted by this conversion',
    });
    expect(await prepared(new FakeDc(), id)).toEqual({ done: false });
  });
  it('execute: sdc-usbkey unmount; busy fails', async () => {
    expect(await executed(new FakeDc().expectRun(['sdc-usbkey', 'unmount']), id)).toBe('USB key unmounted');
    const f = await failed(
      new FakeDc().expectRun(['sdc-usbkey', 'unmount'], { code: 1, stderr: 'umount: /mnt/usbkey: busy' }),
      id,
    );
    expect(f.output).toBe('exit 1: umount: /mnt/usbkey: busy');
  });
});

describe('write-netfile', () => {
  const id = 'usbkey-data/networking';
  const FILE = `${PREP}/${T.uuid}.networking.json`;
  const hnNetfile = ['zlogin', 'dhcpd0-uuid', '/opt/smartdc/booter/bin/hn-netfile', T.uuid];
  const NET = { nictags: [{ name: 'admin', mac: '00:0c:29:aa:bb:cc' }], admin: { ip: T.adminIp } };
  it('prepare: written by this conversion and there is done; not journaled is not', async () => {
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE]), id, { journaled: { endedOk: [id] } })).toEqual({
      done: true,
      why: `${FILE} was written by this conversion`,
    });
    expect(await prepared(new FakeDc(), id)).toEqual({ done: false });
  });
  it('execute: hn-netfile output, checked and pretty-printed, through tee to .tmp, then moved', async () => {
    const content = JSON.stringify(NET, null, 2) + '\n';
    const dc = new FakeDc()
      .expectRun(hnNetfile, { stdout: JSON.stringify(NET) })
      .expectRun(['tee', `${FILE}.tmp`], {}, content)
      .expectRun(['mv', `${FILE}.tmp`, FILE]);
    expect(await executed(dc, id)).toBe(`wrote ${FILE} (${content.length} bytes)`);
  });
  it('execute: output that is not JSON, or has no admin nictag, fails before writing', async () => {
    const f = await failed(new FakeDc().expectRun(hnNetfile, { stdout: 'zlogin: zone dhcpd0-uuid not running' }), id);
    expect([f.host, f.output]).toEqual([
      'headnode0',
      'hn-netfile did not print JSON: zlogin: zone dhcpd0-uuid not running',
    ]);
    const g = await failed(
      new FakeDc().expectRun(hnNetfile, { stdout: JSON.stringify({ nictags: [{ name: 'external', mac: 'x' }] }) }),
      id,
    );
    expect(g.output).toBe('hn-netfile output has no admin nictag: no admin nictag');
  });
});

describe('write-config', () => {
  const id = 'usbkey-data/config';
  const FILE = `${PREP}/${T.uuid}.config`;
  const SOURCE =
    'hostname=headnode0\nadmin_nic=00:50:56:00:00:01\nadmin_ip=10.99.99.7\nexternal_nic=00:50:56:00:00:02\nroot_shadow=$6$secret\n';
  it('prepare: written by this conversion and there is done; gone since is not', async () => {
    const o = { journaled: { endedOk: [id] } };
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE]), id, o)).toEqual({
      done: true,
      why: `${FILE} was written by this conversion`,
    });
    expect(await prepared(new FakeDc().expectRun(['test', '-f', FILE], NO_FILE), id, o)).toEqual({ done: false });
  });
  it("execute: this headnode's config with the target's hostname and NICs (CNAPI sysinfo); the hashes stay out of the transcript", async () => {
    const content = `# written by triton-recover convert for cn0, from the running headnode's /usbkey/config\nhostname=cn0\nadmin_nic=00:0c:29:aa:bb:cc\nadmin_ip=${T.adminIp}\nexternal_nic=00:0c:29:dd:ee:ff\nroot_shadow=$6$secret\n`;
    const dc = new FakeDc()
      .expectRun(['cat', '/usbkey/config'], { stdout: SOURCE })
      .expectHttp('GET', `${CNAPI}/servers/${T.uuid}`, {
        body: cnapiServer(false, sysinfo({ headnode: false, bootMs: PREPARED_AT })),
      })
      .expectRun(['tee', `${FILE}.tmp`], { stdout: content }, content)
      .expectRun(['mv', `${FILE}.tmp`, FILE]);
    const output: string[] = [];
    expect(await executed(dc, id, {}, output)).toBe(`wrote ${FILE} (${content.length} bytes)`);
    expect(output.join('\n')).not.toContain('$6$secret');
  });
  it('execute: CNAPI names no admin NIC for the target: fails before writing', async () => {
    const dc = new FakeDc()
      .expectRun(['cat', '/usbkey/config'], { stdout: SOURCE })
      .expectHttp('GET', `${CNAPI}/servers/${T.uuid}`, {
        body: cnapiServer(false, sysinfo({ headnode: false, bootMs: PREPARED_AT, admin: false })),
      });
    const f = await failed(dc, id);
    expect([f.host, f.output]).toEqual(['headnode1', 'CNAPI sysinfo of cn0 names no admin NIC or admin IP']);
  });
});
