// The GZ tool clients against a fake Host: exact argv and stdin, which exit
// codes are answers, and what the errors say.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/remote/errors.js';
import { CommandFailedError, runChecked } from '../../src/remote/triton/command.js';
import { imgadmGet, imgadmInstall, imgadmList } from '../../src/remote/triton/imgadm.js';
import { getSysinfo } from '../../src/remote/triton/sysinfo.js';
import { svcsXz } from '../../src/remote/triton/svcs.js';
import { fileExists, usbkeyPlatforms } from '../../src/remote/triton/usbkey.js';
import {
  VMADM_CREATED_RE,
  VMADM_NO_SUCH_ZONE,
  vmadmCreate,
  vmadmGet,
  vmadmLookup,
  vmadmStart,
  vmadmStop,
} from '../../src/remote/triton/vmadm.js';
import { zfsList, zfsListSnapshots, zfsRecv } from '../../src/remote/triton/zfs.js';
import { parseZkStat, zkRuok, zkStat } from '../../src/remote/triton/zookeeper.js';
import { FakeHost } from '../support/fake-host.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const samplesDir = path.resolve(repoRoot, 'test', 'fixtures', 'samples');
const sample = (name: string): string => readFileSync(path.join(samplesDir, name), 'utf8');

const VM = '7d20d279-3741-4966-a04e-f6f51f4afaf4';
const IMG = 'cd2d08a0-83f1-11e5-8684-f383641a9854';

function vmJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: VM,
    alias: 'sapi0',
    brand: 'joyent-minimal',
    state: 'running',
    zone_state: 'running',
    image_uuid: IMG,
    server_uuid: '564d555a-328d-c8c4-4166-fc96982fa89f',
    owner_uuid: '930896af-bf8c-48d4-885c-6573a94b1853',
    nics: [
      {
        interface: 'net0',
        mac: '92:88:1a:79:75:71',
        nic_tag: 'admin',
        ip: '10.99.99.26',
        ips: ['10.99.99.26/24'],
        netmask: '255.255.255.0',
        primary: true,
      },
    ],
    tags: { smartdc_role: 'sapi', smartdc_type: 'core' },
    datasets: [`zones/${VM}/data`],
    customer_metadata: { 'sapi-url': 'http://10.99.99.26' },
    zonepath: `/zones/${VM}`,
    autoboot: true,
    max_physical_memory: 1024,
    quota: 25,
    ...extra,
  };
}

describe('runChecked / CommandFailedError', () => {
  it('returns the result on exit 0 and throws with host, command and first stderr line otherwise', async () => {
    const ok = new FakeHost({ stdout: 'x' });
    expect((await runChecked(ok, ['true'], { timeoutMs: 1000 })).stdout).toBe('x');
    const bad = new FakeHost({ code: 2, stderr: '\nzfs: cannot do it\nsecond line\n' });
    const err = await runChecked(bad, ['zfs', 'list', 'a b'], { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    const cf = err as CommandFailedError;
    expect(cf.message).toBe("headnode2: zfs list 'a b' exited 2: zfs: cannot do it");
    expect(cf).toMatchObject({ host: 'headnode2', code: 2, stderr: '\nzfs: cannot do it\nsecond line\n' });
    expect(cf.argv).toEqual(['zfs', 'list', 'a b']);
  });

  it('says so when there was no stderr', async () => {
    const bad = new FakeHost({ code: 1 });
    await expect(runChecked(bad, ['sysinfo'], { timeoutMs: 1000 })).rejects.toThrow(
      'headnode2: sysinfo exited 1: (no error output)',
    );
  });
});

describe('sysinfo', () => {
  it('runs `sysinfo` with the 30 s default and parses it', async () => {
    const host = new FakeHost({ stdout: sample('sysinfo-headnode.json') });
    const s = await getSysinfo(host);
    expect(host.argv).toEqual(['sysinfo']);
    expect(host.calls[0]!.opts.timeoutMs).toBe(30_000);
    expect(s.Hostname).toBe('headnode');
  });

  it('passes the signal and a custom timeout through', async () => {
    const host = new FakeHost({ stdout: sample('sysinfo-headnode.json') });
    const ac = new AbortController();
    await getSysinfo(host, { timeoutMs: 1234, signal: ac.signal });
    expect(host.calls[0]!.opts).toMatchObject({ timeoutMs: 1234, signal: ac.signal });
  });

  it('a missing UUID is a ParseError naming the field', async () => {
    const obj = JSON.parse(sample('sysinfo-headnode.json')) as Record<string, unknown>;
    delete obj.UUID;
    const host = new FakeHost({ stdout: JSON.stringify(obj) });
    const err = await getSysinfo(host).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).tool).toBe('sysinfo');
    expect((err as ParseError).field).toBe('UUID');
  });
});

describe('vmadm', () => {
  it('lookup: exact argv with filters, full objects back', async () => {
    const host = new FakeHost({ stdout: JSON.stringify([vmJson()]) });
    const vms = await vmadmLookup(host, { 'tags.smartdc_role': 'sapi' });
    expect(host.argv).toEqual(['vmadm', 'lookup', '-j', 'tags.smartdc_role=sapi']);
    expect(vms).toHaveLength(1);
    expect(vms[0]!.nics[0]!.ip).toBe('10.99.99.26');
    expect(vms[0]!.datasets).toEqual([`zones/${VM}/data`]);
    const two = new FakeHost({ stdout: '[]\n' });
    expect(await vmadmLookup(two, { owner_uuid: '930896af-bf8c-48d4-885c-6573a94b1853', state: 'running' })).toEqual(
      [],
    );
    expect(two.argv).toEqual([
      'vmadm',
      'lookup',
      '-j',
      'owner_uuid=930896af-bf8c-48d4-885c-6573a94b1853',
      'state=running',
    ]);
  });

  it('lookup: a filter key that could be an option is refused before running', async () => {
    const host = new FakeHost({});
    await expect(vmadmLookup(host, { '-1': 'x' })).rejects.toThrow(/refusing vmadm lookup filter key/);
    expect(host.calls).toHaveLength(0);
  });

  it('lookup: one bad VM in the array names its index and field', async () => {
    const bad = vmJson();
    (bad.nics as Record<string, unknown>[])[0]!.mac = 'not-a-mac';
    const host = new FakeHost({ stdout: JSON.stringify([vmJson(), bad]) });
    const err = await vmadmLookup(host, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).tool).toBe('vmadm lookup');
    expect((err as ParseError).field).toBe('1.nics.0.mac');
  });

  it('get: the VM, or null for "No such zone configured" (exit 1)', async () => {
    const host = new FakeHost({ stdout: JSON.stringify(vmJson()) });
    expect((await vmadmGet(host, VM))?.alias).toBe('sapi0');
    expect(host.argv).toEqual(['vmadm', 'get', VM]);
    const gone = new FakeHost({ code: 1, stderr: `zoneadm: ${VM}: ${VMADM_NO_SUCH_ZONE}\n` });
    expect(await vmadmGet(gone, VM)).toBeNull();
  });

  it('get: any other failure is a CommandFailedError', async () => {
    const host = new FakeHost({ code: 1, stderr: 'Unable to load VM: EIO\n' });
    await expect(vmadmGet(host, VM)).rejects.toThrow(`headnode2: vmadm get ${VM} exited 1: Unable to load VM: EIO`);
    // The not-found text with another exit code is not an answer either.
    const other = new FakeHost({ code: 2, stderr: VMADM_NO_SUCH_ZONE });
    await expect(vmadmGet(other, VM)).rejects.toThrow(CommandFailedError);
  });

  it('get: refuses a non-uuid before running anything', async () => {
    const host = new FakeHost({});
    await expect(vmadmGet(host, 'sapi0; rm -rf /')).rejects.toThrow(/refusing VM uuid/);
    expect(host.calls).toHaveLength(0);
  });

  it('create: payload on stdin, uuid from stderr, long default timeout', async () => {
    const host = new FakeHost({ stderr: `Successfully created VM ${VM}\n` });
    const payload = { uuid: VM, alias: 'sapi0', brand: 'joyent-minimal', image_uuid: IMG };
    expect(await vmadmCreate(host, payload)).toBe(VM);
    expect(host.argv).toEqual(['vmadm', 'create']);
    expect(JSON.parse(host.calls[0]!.opts.stdin as string)).toEqual(payload);
    expect(host.calls[0]!.opts.timeoutMs).toBe(600_000);
    expect(VMADM_CREATED_RE.exec(`some log\nSuccessfully created VM ${VM}\n`)?.[1]).toBe(VM);
  });

  it('create: exit 0 without the success line is a ParseError, exit 1 a CommandFailedError', async () => {
    const silent = new FakeHost({ stderr: 'hmm\n' });
    const err = await vmadmCreate(silent, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).tool).toBe('vmadm create');
    expect((err as ParseError).field).toBe('stderr');
    const fail = new FakeHost({ code: 1, stderr: 'Invalid value(s) for: image_uuid\n' });
    await expect(vmadmCreate(fail, {})).rejects.toThrow(
      'headnode2: vmadm create exited 1: Invalid value(s) for: image_uuid',
    );
  });

  it('start and stop (with -F)', async () => {
    const host = new FakeHost({ stderr: 'Successfully started VM\n' });
    await vmadmStart(host, VM);
    await vmadmStop(host, VM);
    await vmadmStop(host, VM, { force: true, timeoutMs: 9000 });
    expect(host.calls.map((c) => c.argv)).toEqual([
      ['vmadm', 'start', VM],
      ['vmadm', 'stop', VM],
      ['vmadm', 'stop', VM, '-F'],
    ]);
    expect(host.calls[2]!.opts.timeoutMs).toBe(9000);
    const fail = new FakeHost({ code: 1, stderr: `Unable to start VM ${VM}: zone is not installed\n` });
    await expect(vmadmStart(fail, VM)).rejects.toThrow(CommandFailedError);
  });
});

describe('imgadm', () => {
  const manifest = {
    v: 2,
    uuid: IMG,
    name: 'sdc-sapi',
    version: 'master-20151126',
    type: 'zone-dataset',
    os: 'smartos',
    origin: 'fd2cc906-8938-11e3-beab-4359c665ac99',
  };

  it('get: the image, or null on exit 3 (ImageNotInstalled)', async () => {
    const host = new FakeHost({
      stdout: JSON.stringify({ manifest, zpool: 'zones', source: 'https://updates.tritondatacenter.com' }),
    });
    const img = await imgadmGet(host, IMG);
    expect(host.argv).toEqual(['imgadm', 'get', IMG]);
    expect(img).toMatchObject({ zpool: 'zones', source: 'https://updates.tritondatacenter.com' });
    expect(img?.manifest.origin).toBe('fd2cc906-8938-11e3-beab-4359c665ac99');
    const missing = new FakeHost({
      code: 3,
      stderr: `imgadm get: error (ImageNotInstalled): image "${IMG}" was not found on zpool "zones"\n`,
    });
    expect(await imgadmGet(missing, IMG)).toBeNull();
    const broken = new FakeHost({ code: 1, stderr: 'imgadm get: error (InternalError): zfs is broken\n' });
    await expect(imgadmGet(broken, IMG)).rejects.toThrow(
      `headnode2: imgadm get ${IMG} exited 1: imgadm get: error (InternalError): zfs is broken`,
    );
  });

  it('get: a manifest without a version is a ParseError at manifest.version', async () => {
    const { version: _drop, ...noVersion } = manifest;
    const host = new FakeHost({ stdout: JSON.stringify({ manifest: noVersion, zpool: 'zones' }) });
    const err = await imgadmGet(host, IMG).catch((e: unknown) => e);
    expect((err as ParseError).field).toBe('manifest.version');
    expect((err as ParseError).tool).toBe('imgadm get');
  });

  it('install: -m/-f from local files, 30 min default', async () => {
    const host = new FakeHost({ stdout: `Installed image ${IMG}\n` });
    await imgadmInstall(host, {
      manifestPath: '/usbkey/images/sapi.imgmanifest',
      filePath: '/usbkey/images/sapi.zfs.gz',
    });
    expect(host.argv).toEqual([
      'imgadm',
      'install',
      '-m',
      '/usbkey/images/sapi.imgmanifest',
      '-f',
      '/usbkey/images/sapi.zfs.gz',
    ]);
    expect(host.calls[0]!.opts.timeoutMs).toBe(1_800_000);
    await expect(imgadmInstall(host, { manifestPath: 'relative.json', filePath: '/x' })).rejects.toThrow(
      /refusing image manifest path/,
    );
  });

  it('list -j', async () => {
    const host = new FakeHost({ stdout: JSON.stringify([{ manifest, zpool: 'zones', cloneNames: [], clones: 2 }]) });
    const list = await imgadmList(host);
    expect(host.argv).toEqual(['imgadm', 'list', '-j']);
    expect(list[0]).toMatchObject({ zpool: 'zones', clones: 2 });
    expect(list[0]!.manifest.name).toBe('sdc-sapi');
  });
});

describe('zfs', () => {
  const ds = `zones/${VM}/data`;

  it('list -Hp: argv, numbers, dashes as null', async () => {
    const out = [
      `${ds}\t69681152\t107374182400\t31744\t/zones/${VM}/data`,
      `${ds}/manatee\t69649408\t107374182400\t44040192\t/manatee/pg`,
      `${ds}@backup\t0\t-\t31744\t-`,
    ].join('\n');
    const host = new FakeHost({ stdout: `${out}\n` });
    const rows = await zfsList(host, ds, { recursive: true, types: ['filesystem', 'snapshot'] });
    expect(host.argv).toEqual([
      'zfs',
      'list',
      '-Hp',
      '-o',
      'name,used,avail,refer,mountpoint',
      '-r',
      '-t',
      'filesystem,snapshot',
      ds,
    ]);
    expect(rows).toEqual([
      { name: ds, used: 69681152, avail: 107374182400, refer: 31744, mountpoint: `/zones/${VM}/data` },
      { name: `${ds}/manatee`, used: 69649408, avail: 107374182400, refer: 44040192, mountpoint: '/manatee/pg' },
      { name: `${ds}@backup`, used: 0, avail: null, refer: 31744, mountpoint: null },
    ]);
    const plain = new FakeHost({ stdout: '' });
    await zfsList(plain, ds);
    expect(plain.argv).toEqual(['zfs', 'list', '-Hp', '-o', 'name,used,avail,refer,mountpoint', ds]);
  });

  it('list: a dataset that does not exist is null; other failures throw', async () => {
    const gone = new FakeHost({ code: 1, stderr: `cannot open '${ds}': dataset does not exist\n` });
    expect(await zfsList(gone, ds)).toBeNull();
    const perm = new FakeHost({ code: 1, stderr: `cannot open '${ds}': permission denied\n` });
    await expect(zfsList(perm, ds)).rejects.toThrow(CommandFailedError);
  });

  it('list: human sizes are a ParseError at the row and column', async () => {
    const host = new FakeHost({ stdout: `${ds}\t66.5M\t0\t31K\t/zones/${VM}/data\n` });
    const err = await zfsList(host, ds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).field).toBe('0.used');
  });

  it('snapshots of the dataset itself, oldest first', async () => {
    const host = new FakeHost({ stdout: `${ds}@a\n${ds}@b\n` });
    expect(await zfsListSnapshots(host, ds)).toEqual([`${ds}@a`, `${ds}@b`]);
    expect(host.argv).toEqual(['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', '-s', 'createtxg', '-d', '1', ds]);
    const gone = new FakeHost({ code: 1, stderr: `cannot open '${ds}': dataset does not exist\n` });
    expect(await zfsListSnapshots(gone, ds)).toBeNull();
  });

  it('recv: the stream is stdin, hours of default timeout', async () => {
    const host = new FakeHost({});
    const stream = Readable.from([Buffer.from('zfs-stream')]);
    await zfsRecv(host, ds, stream);
    expect(host.argv).toEqual(['zfs', 'recv', ds]);
    expect(host.calls[0]!.opts.stdin).toBe(stream);
    expect(host.calls[0]!.opts.timeoutMs).toBe(4 * 60 * 60_000);
    const busy = new FakeHost({
      code: 1,
      stderr: `cannot receive new filesystem stream: destination '${ds}' exists\n`,
    });
    await expect(zfsRecv(busy, ds, Readable.from([]))).rejects.toThrow(
      `headnode2: zfs recv ${ds} exited 1: cannot receive new filesystem stream`,
    );
    await expect(zfsRecv(host, '-F', stream)).rejects.toThrow(/refusing dataset/);
  });
});

describe('svcs -xz', () => {
  it('empty output with exit 0 is healthy', async () => {
    const host = new FakeHost({ stdout: '' });
    expect(await svcsXz(host, VM)).toEqual({ healthy: true, problems: [] });
    expect(host.argv).toEqual(['svcs', '-xz', VM]);
  });

  it('parses several blocks with Zone lines', async () => {
    const out = [
      'svc:/smartdc/application/config-agent:default (config-agent)',
      ` Zone: ${VM}`,
      ' State: maintenance since Tue Nov 21 19:02:11 2023',
      'Reason: Start method exited with $SMF_EXIT_ERR_FATAL.',
      '   See: http://illumos.org/msg/SMF-8000-KS',
      `   See: /zones/${VM}/root/var/svc/log/smartdc-application-config-agent:default.log`,
      'Impact: This service is not running.',
      '',
      'svc:/smartdc/site/sapi:default (Services and Configuration API)',
      ` Zone: ${VM}`,
      ' State: offline since Tue Nov 21 19:02:12 2023',
      'Reason: Dependency svc:/smartdc/application/config-agent:default is absent.',
      '   See: http://illumos.org/msg/SMF-8000-E2',
      'Impact: This service is not running.',
      '',
    ].join('\n');
    const host = new FakeHost({ stdout: out });
    const res = await svcsXz(host, VM);
    expect(res.healthy).toBe(false);
    expect(res.problems).toHaveLength(2);
    expect(res.problems[0]).toEqual({
      fmri: 'svc:/smartdc/application/config-agent:default',
      description: 'config-agent',
      zone: VM,
      state: 'maintenance',
      since: 'Tue Nov 21 19:02:11 2023',
      reason: 'Start method exited with $SMF_EXIT_ERR_FATAL.',
      see: [
        'http://illumos.org/msg/SMF-8000-KS',
        `/zones/${VM}/root/var/svc/log/smartdc-application-config-agent:default.log`,
      ],
      impact: 'This service is not running.',
    });
    expect(res.problems[1]).toMatchObject({ fmri: 'svc:/smartdc/site/sapi:default', state: 'offline' });
  });

  it('a block without a State line is a ParseError; an unknown zone a CommandFailedError', async () => {
    const host = new FakeHost({ stdout: 'svc:/a/b:default (x)\nReason: ?\n' });
    const err = await svcsXz(host, VM).catch((e: unknown) => e);
    expect((err as ParseError).field).toBe('0.state');
    const unknown = new FakeHost({ code: 1, stderr: `svcs: zone '${VM}' unknown\n` });
    await expect(svcsXz(unknown, VM)).rejects.toThrow(`headnode2: svcs -xz ${VM} exited 1: svcs: zone '${VM}' unknown`);
  });
});

describe('zookeeper probes', () => {
  const statReply = [
    'Zookeeper version: 3.4.3-1240972, built on 02/06/2012 10:48 GMT',
    'Clients:',
    ' /10.99.99.11:41234[0](queued=0,recved=1,sent=0)',
    '',
    'Latency min/avg/max: 0/0/6',
    'Received: 2451',
    'Sent: 2450',
    'Connections: 3',
    'Outstanding: 0',
    'Zxid: 0x100000a4e',
    'Mode: follower',
    'Node count: 187',
    '',
  ].join('\n');

  it('ruok: imok -> true, stdin is the word, nc -w bounds a dead member', async () => {
    const host = new FakeHost({ stdout: 'imok' });
    expect(await zkRuok(host, '10.99.99.11')).toBe(true);
    expect(host.argv).toEqual(['nc', '-w', '5', '10.99.99.11', '2181']);
    expect(host.calls[0]!.opts.stdin).toBe('ruok');
    expect(await zkRuok(new FakeHost({ stdout: '' }), '10.99.99.11')).toBe(false);
  });

  it('no connection (nc exits non-zero) is null from both probes', async () => {
    const dead = new FakeHost({ code: 1, stderr: 'nc: connect to 10.99.99.11 port 2181 (tcp) timed out\n' });
    expect(await zkRuok(dead, '10.99.99.11')).toBeNull();
    expect(await zkStat(dead, '10.99.99.11')).toBeNull();
  });

  it('stat: the Mode line', async () => {
    const host = new FakeHost({ stdout: statReply });
    expect(await zkStat(host, '10.99.99.12')).toEqual({ mode: 'follower', raw: statReply });
    expect(host.calls[0]!.opts.stdin).toBe('stat');
    expect(parseZkStat(statReply.replace('follower', 'leader')).mode).toBe('leader');
    expect(parseZkStat('Mode: standalone\n').mode).toBe('standalone');
  });

  it('stat: a member without quorum says so; no Mode line is a ParseError', async () => {
    expect(parseZkStat('This ZooKeeper instance is not currently serving requests\n').mode).toBe('not-serving');
    expect(() => parseZkStat('Zookeeper version: 3.4.3\n')).toThrow(ParseError);
    expect(() => parseZkStat('Mode: observer\n')).toThrow(/unknown mode "observer"/);
    await expect(zkRuok(new FakeHost({}), '10.99.99.1; reboot')).rejects.toThrow(/refusing ZooKeeper IP/);
  });
});

describe('/usbkey (usbkeyPlatforms, fileExists)', () => {
  it('ls -1 /usbkey/os: platforms without the latest link; absent /usbkey/os is null; junk is a ParseError', async () => {
    const host = new FakeHost({ stdout: '20240307T000552Z\n20260901T101010Z\nlatest\n' });
    expect(await usbkeyPlatforms(host)).toEqual({ platforms: ['20240307T000552Z', '20260901T101010Z'], latest: true });
    expect(host.calls[0]!.argv).toEqual(['ls', '-1', '/usbkey/os']);
    expect(
      await usbkeyPlatforms(new FakeHost({ code: 2, stderr: '/usbkey/os: No such file or directory\n' })),
    ).toBeNull();
    await expect(usbkeyPlatforms(new FakeHost({ stdout: 'a b\n' }))).rejects.toBeInstanceOf(ParseError);
    await expect(usbkeyPlatforms(new FakeHost({ code: 2, stderr: 'ls: Permission denied\n' }))).rejects.toBeInstanceOf(
      CommandFailedError,
    );
  });

  it('test -f: 0 and 1 are answers; paths outside /usbkey are refused', async () => {
    expect(await fileExists(new FakeHost({ code: 1 }), '/usbkey/extra/agents/latest')).toBe(false);
    expect(await fileExists(new FakeHost({ code: 0 }), '/usbkey/extra/agents/latest')).toBe(true);
    await expect(fileExists(new FakeHost({ code: 0 }), '/usbkey/../etc/shadow')).rejects.toThrow(
      /refusing path under \/usbkey/,
    );
  });
});
