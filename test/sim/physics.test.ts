import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError, RemoteError } from '../../src/remote/errors.js';
import { openSim } from '../../src/remote/sim/index.js';
import { createCnapi } from '../../src/remote/triton/cnapi.js';
import { isSetUp, parseSysinfo } from '../../src/remote/triton/sysinfo.js';
import { createVmapi } from '../../src/remote/triton/vmapi.js';
import { makeSimStream } from '../../src/remote/sim/zfs-stream.js';
import { PREPARE_MARKER } from '../../src/remote/sim/headnode-prepare.js';
import { paths } from '../../src/state/restore-data-layout.js';
import { openTestSim, scenario, sleep, until } from '../support/sim-dc.js';
import { corePayload, REF } from '../support/reference.js';

const ORIGIN = REF.origin.uuid;
/** sapi0's own uuid: a sapi zone re-created with it finds its record (reuse); a new uuid has none. */
const NEW_SAPI = REF.sapi0.uuid;
const NEW_REDIS = '11111111-2222-4333-8444-555555555502';
const payload = corePayload;

async function sapiServiceUuid(t: Awaited<ReturnType<typeof openTestSim>>, ip: string, name: string): Promise<string> {
  const r = await t.http('GET', `http://${ip}/services?name=${name}`);
  return (r.json as { uuid: string }[])[0]!.uuid;
}

describe('simulated DC physics', () => {
  it('a dead server answers nothing: SSH and its zones time out, ping says no answer', async () => {
    const t = await openTestSim();
    const err = await t.run('headnode0', ['sysinfo'], undefined, 200).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe('unreachable');
    expect((err as RemoteError).mayHaveRun).toBe(false);
    const ping = await t.run('headnode1', ['ping', REF.headnode0.adminIp, '2']);
    expect(ping.code).toBe(1);
    expect(ping.stderr).toContain(`no answer from ${REF.headnode0.adminIp}`);
    const api = await t.http('GET', `http://${REF.sapi0.adminIp}/ping`, undefined, 200).catch((e: unknown) => e);
    expect(api).toBeInstanceOf(HttpError);
    expect((api as HttpError).kind).toBe('timeout');
    const alive = await t.run('headnode1', ['ping', REF.headnode2.adminIp, '2']);
    expect(alive.stdout).toBe(`${REF.headnode2.adminIp} is alive\n`);
  });

  it('manatee takes over with 3 peers: the sync becomes primary, the lost primary is deposed', async () => {
    const t = await openTestSim();
    expect(t.sim.world.state.manatee).toMatchObject({
      primary: 'manatee1',
      sync: 'manatee2',
      async: [],
      deposed: ['manatee0'],
    });
    expect(t.sim.world.manateeWritable()).toBe(true);
    const show = await t.run('headnode1', ['zlogin', REF.manatee1.uuid, 'source ~/.bashrc; manatee-adm show']);
    expect(show.stdout).toMatch(/^primary\s+95719f01 ok\s+sync/m);
    expect(show.stdout).toMatch(/^deposed\s+94dbf717 fail/m);
    expect(show.stdout).toContain('warning: cluster has a deposed peer');
  });

  it('with only 2 manatee peers, losing the primary leaves no writes, so moray is down', async () => {
    const s = scenario((x) => {
      x.manatee = { primary: 'manatee0', sync: 'manatee1', async: [] };
      x.instances = x.instances.filter((i) => i.alias !== 'manatee2');
    });
    const t = await openTestSim(s);
    expect(t.sim.world.manateeWritable()).toBe(false);
    expect(t.sim.world.serviceUp('moray')).toBe(false);
  });

  it('a sync that does not replicate as sync blocks writes, and manatee-adm show says so in its own words', async () => {
    const SHOW = 'source ~/.bashrc; manatee-adm show';
    const allAlive = (syncReplication: 'async' | 'none') =>
      scenario((x) => {
        x.servers.find((s) => s.hostname === 'headnode0')!.alive = true;
        x.manatee = { primary: 'manatee0', sync: 'manatee1', async: ['manatee2'], syncReplication };
      });
    const asAsync = await openTestSim(allAlive('async'));
    expect(asAsync.sim.world.manateeWritable()).toBe(false);
    expect(asAsync.sim.world.serviceUp('moray')).toBe(false);
    const a = (await asAsync.run('headnode1', ['zlogin', REF.manatee1.uuid, SHOW])).stdout;
    expect(a).toMatch(/^primary\s+94dbf717 ok\s+async/m);
    expect(a).toContain('\nerror: peer "94dbf717": expected downstream replication to be "sync", but found "async"\n');
    const notConnected = await openTestSim(allAlive('none'));
    expect(notConnected.sim.world.manateeWritable()).toBe(false);
    const n = (await notConnected.run('headnode1', ['zlogin', REF.manatee1.uuid, SHOW])).stdout;
    expect(n).toMatch(/^primary\s+94dbf717 ok\s+-/m);
    expect(n).toContain('\nerror: peer "94dbf717": downstream replication peer not connected\n');
    // pg-status: the table on stdout, the issues on stderr.
    const pg = await notConnected.run('headnode1', [
      'zlogin',
      REF.manatee1.uuid,
      'source ~/.bashrc; manatee-adm pg-status',
    ]);
    expect(pg.stdout).not.toContain('error:');
    expect(pg.stderr).toBe('\nerror: peer "94dbf717": downstream replication peer not connected\n');
    // A takeover is a new generation: the new sync connects afresh.
    const t = await openTestSim(
      scenario(
        (x) => (x.manatee = { primary: 'manatee0', sync: 'manatee1', async: ['manatee2'], syncReplication: 'none' }),
      ),
    );
    expect(t.sim.world.manateeWritable()).toBe(true);
  });

  it('losing the sync with no async to replace it: the sync stays assigned and writes wait', async () => {
    const t = await openTestSim(
      scenario((x) => {
        x.servers.find((s) => s.hostname === 'headnode0')!.alive = true;
        x.manatee = { primary: 'manatee0', sync: 'manatee1', async: [] };
        x.instances = x.instances.filter((i) => i.alias !== 'manatee2');
      }),
    );
    t.sim.world.killServer('headnode1');
    expect(t.sim.world.state.manatee).toMatchObject({ primary: 'manatee0', sync: 'manatee1', async: [] });
    expect(t.sim.world.manateeWritable()).toBe(false);
    const show = (await t.run('headnode0', ['zlogin', REF.manatee0.uuid, 'source ~/.bashrc; manatee-adm show'])).stdout;
    expect(show).toMatch(/^sync\s+95719f01 fail/m);
    expect(show.split('\n').filter((l) => /^(error|warning):/.test(l))).toEqual([
      'error: cannot query postgres on sync',
      'warning: cluster has no async peers',
    ]);
  });

  it('VMAPI answers null for what only vmadm knows while a VM is still provisioning', async () => {
    const t = await openTestSim(
      scenario((x) => {
        x.servers.find((s) => s.hostname === 'headnode0')!.alive = true;
        x.instances.find((i) => i.alias === 'sapi0')!.state = 'provisioning';
      }),
    );
    const sapi0 = t.sim.world.state.instances.find((i) => i.alias === 'sapi0')!;
    const vmapiIp = t.sim.world.state.instances.find((i) => i.service === 'vmapi')!.adminIp;
    const vm = (await t.http('GET', `http://${vmapiIp}/vms/${sapi0.uuid}`)).json as Record<string, unknown>;
    expect(vm).toMatchObject({
      state: 'provisioning',
      zone_state: null,
      last_modified: null,
      zfs_filesystem: null,
      platform_buildstamp: null,
      nics: [],
    });
    expect(vm['server_uuid']).toBe(t.sim.world.server('headnode0')!.uuid);
    // The list answers the same object.
    const list = (await t.http('GET', `http://${vmapiIp}/vms?tag.smartdc_role=sapi`)).json as Record<string, unknown>[];
    expect(list.find((v) => v['uuid'] === sapi0.uuid)).toMatchObject({ zone_state: null, last_modified: null });
    // The console's VMAPI client reads it.
    const vmapi = createVmapi({ transport: t.sim.http, baseUrl: `http://${vmapiIp}` });
    expect(await vmapi.getVm(sapi0.uuid)).toMatchObject({ state: 'provisioning', zone_state: null, nics: [] });
    expect((await vmapi.listVms({ state: 'active' })).some((v) => v.uuid === sapi0.uuid)).toBe(true);
  });

  it('a server on a platform from before 2013-01-18 has no "Setup" in its sysinfo; CNAPI\'s setup field still says', async () => {
    const t = await openTestSim(
      scenario((x) => {
        x.servers.find((s) => s.hostname === 'headnode0')!.alive = true; // CNAPI runs there
        Object.assign(x.servers[3]!, { platform: '20121213T203456Z', setup: true });
      }),
    );
    const cn = t.sim.world.state.servers[3]!;
    const gz = JSON.parse((await t.run(cn.hostname, ['sysinfo'])).stdout) as Record<string, unknown>;
    expect(gz['Live Image']).toBe('20121213T203456Z');
    expect(gz).not.toHaveProperty('Setup');
    const cnapiIp = t.sim.world.state.instances.find((i) => i.service === 'cnapi')!.adminIp;
    const servers = (await t.http('GET', `http://${cnapiIp}/servers?extras=sysinfo`)).json as Record<string, unknown>[];
    const rec = servers.find((s) => s['uuid'] === cn.uuid);
    expect(rec).toMatchObject({ setup: true, current_platform: '20121213T203456Z' });
    expect(rec?.['sysinfo']).not.toHaveProperty('Setup');
    // The console's CNAPI client and sysinfo parser read it; set-up comes from CNAPI's field.
    const listed = await createCnapi({ transport: t.sim.http, baseUrl: `http://${cnapiIp}` }).listServers({
      extras: ['sysinfo'],
    });
    const old = listed.find((s) => s.uuid === cn.uuid)!;
    expect(old.setup).toBe(true);
    expect(old.sysinfo && isSetUp(old.sysinfo)).toBeUndefined();
    expect(isSetUp(parseSysinfo(JSON.stringify(gz)))).toBeUndefined();
    // A 2013 platform has it.
    const newer = await openTestSim(scenario((x) => Object.assign(x.servers[3]!, { platform: '20130118T000000Z' })));
    const gz2 = JSON.parse((await newer.run(cn.hostname, ['sysinfo'])).stdout) as Record<string, unknown>;
    expect(gz2['Setup']).toBe('true');
  });

  it('binder quorum: 2 of 3 members answer stat as leader/follower; ruok from a dead one fails', async () => {
    const t = await openTestSim();
    const stat = await t.run('headnode1', ['nc', '-w', '5', REF.binder1.adminIp, '2181'], 'stat');
    expect(stat.stdout).toMatch(/^Mode: (leader|follower)$/m);
    const dead = await t.run('headnode1', ['nc', '-w', '5', REF.binder0.adminIp, '2181'], 'ruok');
    expect(dead.code).not.toBe(0);
    await t.run('headnode2', ['vmadm', 'stop', REF.binder2.uuid]);
    const lost = await t.run('headnode1', ['nc', '-w', '5', REF.binder1.adminIp, '2181'], 'stat');
    expect(lost.stdout).toContain('not currently serving requests');
  });

  it('an API answers only while its zone runs on a live server and its dependencies are up', async () => {
    const t = await openTestSim();
    // sapi0 re-created on headnode1 (it needs no other SAPI for its own first boot).
    expect(
      (await t.run('headnode1', ['vmadm', 'create'], payload(NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60'))).code,
    ).toBe(0);
    const refused = await t.http('GET', 'http://10.99.99.60/ping').catch((e: unknown) => e);
    expect((refused as HttpError).kind).toBe('unreachable');
    await t.run('headnode1', ['vmadm', 'start', NEW_SAPI]);
    await until('sapi1 set up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', NEW_SAPI)!));
    expect((await t.http('GET', 'http://10.99.99.60/ping')).status).toBe(200);
    // Without moray, SAPI's ping fails (it still serves configs from its local copy).
    await t.run('headnode1', ['vmadm', 'stop', REF.moray1.uuid]);
    await t.run('headnode2', ['vmadm', 'stop', REF.moray2.uuid]);
    expect((await t.http('GET', 'http://10.99.99.60/ping')).status).toBe(500);
  });

  it('vmadm create fails when the image is not installed; imgadm install needs the origin first', async () => {
    const t = await openTestSim(scenario((x) => (x.servers.find((s) => s.hostname === 'headnode1')!.images = [])));
    const create = await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60'),
    );
    expect(create.code).toBe(1);
    expect(create.stderr).toContain(`image ${REF.sapi0.image} does not exist`);
    const rd = t.sim.restoreDataDir;
    const inst = (u: string): string[] => [
      'imgadm',
      'install',
      '-m',
      join(rd, paths.imageManifest(u)),
      '-f',
      join(rd, paths.imageFile(u)),
    ];
    const noOrigin = await t.run('headnode1', inst(REF.sapi0.image));
    expect(noOrigin.code).toBe(1);
    expect(noOrigin.stderr).toContain(`OriginNotInstalled): origin image "${ORIGIN}"`);
    expect((await t.run('headnode1', ['imgadm', 'get', REF.sapi0.image])).code).toBe(3);
    expect((await t.run('headnode1', inst(ORIGIN))).code).toBe(0);
    expect((await t.run('headnode1', inst(REF.sapi0.image))).code).toBe(0);
    expect((await t.run('headnode1', ['imgadm', 'get', REF.sapi0.image])).code).toBe(0);
    expect(
      (await t.run('headnode1', ['vmadm', 'create'], payload(NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60'))).code,
    ).toBe(0);
  });

  it('a first boot without a SAPI record ends setup_failed with SMF maintenance', async () => {
    const t = await openTestSim();
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(NEW_REDIS, 'amonredis1', REF.amonredis0.image, '10.99.99.61'),
    );
    await t.run('headnode1', ['vmadm', 'start', NEW_REDIS]);
    // Once the user-script runs, SMF shows it starting.
    await until('user-script running', async () =>
      (await t.run('headnode1', ['svcs', '-xz', NEW_REDIS])).stdout.includes('offline* transitioning to online'),
    );
    await until(
      'setup_failed',
      () => (t.sim.world.settle(), t.sim.world.instanceOn('headnode1', NEW_REDIS)!.state === 'setup_failed'),
    );
    const svcs = await t.run('headnode1', ['svcs', '-xz', NEW_REDIS]);
    expect(svcs.stdout).toMatch(/State: maintenance since/);
    expect(JSON.parse(readFileSync(t.statePath, 'utf8')).instances.at(-1).state).toBe('setup_failed');
  });

  it('a first boot succeeds once SAPI answers and knows the uuid within the window', async () => {
    const t = await openTestSim();
    // In proto mode SAPI records an instance without asking VMAPI (dead here with headnode0).
    t.sim.world.state.sim.sapiMode = 'proto';
    // SAPI first (it boots on its own), then the instance record, then the zone.
    await t.run('headnode1', ['vmadm', 'create'], payload(NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60'));
    await t.run('headnode1', ['vmadm', 'start', NEW_SAPI]);
    await until('sapi up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', NEW_SAPI)!));
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(NEW_REDIS, 'amonredis1', REF.amonredis0.image, '10.99.99.61'),
    );
    await t.run('headnode1', ['vmadm', 'start', NEW_REDIS]);
    // The record arrives while the zone is already asking: still inside the window.
    await sleep(15);
    const svc = await sapiServiceUuid(t, '10.99.99.60', 'amonredis');
    const created = await t.http('POST', 'http://10.99.99.60/instances', {
      service_uuid: svc,
      uuid: NEW_REDIS,
      params: { alias: 'amonredis1', server_uuid: REF.headnode1.uuid },
    });
    expect(created.status).toBe(200);
    await until('amonredis1 set up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', NEW_REDIS)!));
    expect((await t.run('headnode1', ['svcs', '-xz', NEW_REDIS])).stdout).toBe('');
  });

  it('setup_complete is written only when a first boot ends well; svcs looks clean before setup starts', async () => {
    // Slower than the default: the early window must be long enough to observe.
    const t = await openTestSim(scenario(), 100);
    const marker = (u: string, f = 'setup_complete'): Promise<number> =>
      t.run('headnode1', ['test', '-f', `/zones/${u}/root/var/svc/${f}`]).then((r) => r.code);
    // A zone that was there before the simulation set itself up long ago (binder1).
    expect(await marker(REF.binder1.uuid)).toBe(0);
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(NEW_REDIS, 'amonredis1', REF.amonredis0.image, '10.99.99.61'),
    );
    expect(await marker(NEW_REDIS)).toBe(1);
    await t.run('headnode1', ['vmadm', 'start', NEW_REDIS]);
    // Early in the first boot SMF has nothing to report, yet setup has not even begun.
    expect((await t.run('headnode1', ['svcs', '-xz', NEW_REDIS])).stdout).toBe('');
    expect(await marker(NEW_REDIS)).toBe(1);
    // No SAPI record: setup fails, and leaves no marker of either kind (nothing writes setup_failed).
    await until(
      'setup_failed',
      () => (t.sim.world.settle(), t.sim.world.instanceOn('headnode1', NEW_REDIS)!.state === 'setup_failed'),
    );
    expect(await marker(NEW_REDIS)).toBe(1);
    expect(await marker(NEW_REDIS, 'setup_failed')).toBe(1);
    // A first boot that ends well writes setup_complete (sapi needs no SAPI).
    await t.run('headnode1', ['vmadm', 'create'], payload(NEW_SAPI, 'sapi1', REF.sapi0.image, '10.99.99.60'));
    await t.run('headnode1', ['vmadm', 'start', NEW_SAPI]);
    await until('sapi1 set up', () => t.sim.world.isUp(t.sim.world.instanceOn('headnode1', NEW_SAPI)!));
    expect(await marker(NEW_SAPI)).toBe(0);
  });

  it('cloudapi serves HTTPS on 443 only, with a self-signed certificate that fails verification', async () => {
    const t = await openTestSim(scenario((x) => (x.servers.find((s) => s.hostname === 'headnode0')!.alive = true)));
    const get = (url: string, tls?: 'accept-self-signed'): Promise<unknown> =>
      t.sim.http({ method: 'GET', url, timeoutMs: 5_000, ...(tls ? { tls } : {}) }).catch((e: unknown) => e);
    const verified = await get(`https://${REF.cloudapi0.adminIp}/--ping`);
    expect(verified).toBeInstanceOf(HttpError);
    expect((verified as HttpError).kind).toBe('unreachable');
    expect((verified as HttpError).message).toContain('self-signed certificate');
    expect(((verified as HttpError).cause as Error & { cause: { code: string } }).cause.code).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
    expect(await get(`https://${REF.cloudapi0.adminIp}/--ping`, 'accept-self-signed')).toMatchObject({ status: 200 });
    const plain = await get(`http://${REF.cloudapi0.adminIp}/--ping`);
    expect((plain as HttpError).message).toContain(`ECONNREFUSED ${REF.cloudapi0.adminIp}:80`);
    // The other APIs stay plain HTTP.
    expect((await t.http('GET', `http://${REF.sapi0.adminIp}/ping`)).status).toBe(200);
  });

  it('delegated data is lost if the zone boots before the stream is received', async () => {
    const t = await openTestSim();
    const lost = '11111111-2222-4333-8444-555555555503';
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(lost, 'amonredis1', REF.amonredis0.image, '10.99.99.62', { delegate_dataset: true, autoboot: true }),
    );
    const i1 = t.sim.world.instanceOn('headnode1', lost)!;
    expect(i1.bootedWithoutData).toBe(true);
    expect(i1.data).toBe('empty');

    const kept = '11111111-2222-4333-8444-555555555504';
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(kept, 'amonredis2', REF.amonredis0.image, '10.99.99.63', { delegate_dataset: true }),
    );
    const stream = makeSimStream(`zones/${kept}/data`, `zones/${kept}/data@s1`, 1000);
    const noF = await t.run('headnode1', ['zfs', 'recv', `zones/${kept}/data`], stream);
    expect(noF.stderr).toContain('must specify -F');
    const bad = await t.run('headnode1', ['zfs', 'recv', '-F', `zones/${kept}/data`], stream.subarray(0, 500));
    expect(bad.stderr).toContain('invalid stream');
    expect((await t.run('headnode1', ['zfs', 'recv', '-F', `zones/${kept}/data`], stream)).code).toBe(0);
    await t.run('headnode1', ['vmadm', 'start', kept]);
    const i2 = t.sim.world.instanceOn('headnode1', kept)!;
    expect(i2.data).toBe('received');
    expect(i2.bootedWithoutData).toBeUndefined();
    const busy = await t.run('headnode1', ['zfs', 'recv', '-F', `zones/${kept}/data`], stream);
    expect(busy.stderr).toContain('is busy');
  });

  it("an admin IP held by another VM's NIC record makes the new zone's NIC registration fail", async () => {
    const t = await openTestSim();
    // sapi0's old IP is still held in NAPI by sapi0's NIC (on the dead headnode).
    const other = '11111111-2222-4333-8444-555555555505';
    await t.run('headnode1', ['vmadm', 'create'], payload(other, 'sapi1', REF.sapi0.image, REF.sapi0.adminIp));
    expect(t.sim.world.instanceOn('headnode1', other)!.nicRegistration).toBe('failed');
    expect(t.sim.world.state.sim.events.at(-2)?.what).toContain(`IP ${REF.sapi0.adminIp} is in use by zone 67be4635`);
    // Released first, the IP registers.
    const nics = t.sim.world.state.sim.napiNics.filter((n) => n.ip === REF.mahi0.adminIp);
    expect(nics).toHaveLength(1);
    const napi = t.sim.world.liveInstances().find((i) => i.service === 'napi');
    expect(napi).toBeUndefined(); // NAPI itself died with the primary: nothing to release it through
    const w = t.sim.world;
    w.state.sim.napiNics = w.state.sim.napiNics.filter((n) => n.ip !== REF.mahi0.adminIp);
    const fresh = '11111111-2222-4333-8444-555555555506';
    await t.run('headnode1', ['vmadm', 'create'], payload(fresh, 'mahi1', REF.mahi0.image, REF.mahi0.adminIp));
    expect(w.instanceOn('headnode1', fresh)!.nicRegistration).toBe('ok');
    expect(w.state.sim.napiNics.find((n) => n.ip === REF.mahi0.adminIp)?.belongs_to_uuid).toBe(fresh);
  });

  it('a service whose new instance never came up healthy stays down for the services after it', async () => {
    const t = await openTestSim();
    await t.run(
      'headnode1',
      ['vmadm', 'create'],
      payload(NEW_REDIS, 'amonredis1', REF.amonredis0.image, '10.99.99.61'),
    );
    await t.run('headnode1', ['vmadm', 'start', NEW_REDIS]);
    await until(
      'setup_failed',
      () => (t.sim.world.settle(), t.sim.world.instanceOn('headnode1', NEW_REDIS)!.state === 'setup_failed'),
    );
    expect(t.sim.world.serviceUp('amonredis')).toBe(false);
    expect(t.sim.world.serviceUp('amon')).toBe(false);
  });

  it('persists every change atomically and resumes from the state file', async () => {
    const t = await openTestSim();
    const FRESH_UUID = '11111111-2222-4333-8444-555555555501';
    await t.run('headnode1', ['vmadm', 'create'], payload(FRESH_UUID, 'sapi1', REF.sapi0.image, '10.99.99.60'));
    const saved = JSON.parse(readFileSync(t.statePath, 'utf8'));
    expect(saved.instances.find((i: { uuid: string }) => i.uuid === FRESH_UUID)).toMatchObject({
      alias: 'sapi1',
      state: 'stopped',
      server: 'headnode1',
    });
    const again = await openSim({ statePath: t.statePath, speed: 1000 });
    expect(again.world.instanceOn('headnode1', FRESH_UUID)?.alias).toBe('sapi1');
    expect(again.world.state.manatee?.primary).toBe('manatee1');
    const dup = await again.peer('headnode1', '').run(['vmadm', 'create'], {
      stdin: payload(FRESH_UUID, 'sapi1', REF.sapi0.image, '10.99.99.60'),
      timeoutMs: 1000,
    });
    expect(dup.stderr).toContain(`VM with UUID ${FRESH_UUID} already exists`);
  });

  it('--sim-speed divides latencies', async () => {
    const slow = await openTestSim(
      scenario((x) => (x.latencyMs = { default: 200 })),
      1,
    );
    const fast = await openTestSim(
      scenario((x) => (x.latencyMs = { default: 200 })),
      20,
    );
    // A peer: the first command pays the SSH connect, later ones reuse the connection.
    const a = await slow.run('headnode2', ['hostname']);
    const a2 = await slow.run('headnode2', ['hostname']);
    const local = await slow.run('headnode1', ['hostname']);
    const b = await fast.run('headnode2', ['hostname']);
    expect(a.durationMs).toBeGreaterThanOrEqual(390); // ssh connect + command, 200 ms each
    expect(a2.durationMs).toBeGreaterThanOrEqual(190);
    expect(a2.durationMs).toBeLessThan(390);
    expect(local.durationMs).toBeLessThan(390); // the local GZ is not reached over SSH
    expect(b.durationMs).toBeLessThan(100);
  });
});

// dhcpd lofs-mounts a headnode's /usbkey/os on /tftpboot/os and assets serves
// its /usbkey/extra (sdc-headnode config/sapi/services/dhcpd/service.json,
// zones/assets/create.json): what compute nodes can boot and set up from.
describe('the USB key: /usbkey/os and /usbkey/extra', () => {
  const CN0 = REF.cn0.uuid;
  const OLD = '20240307T000552Z';
  const lines = (s: string): string[] => s.split('\n').filter(Boolean);

  it('ls /usbkey/os lists every platform a server boots, plus the latest link', async () => {
    const t = await openTestSim(scenario((s) => (s.servers.find((x) => x.hostname === 'cn1')!.platform = OLD)));
    const r = await t.run('headnode1', ['ls', '-1', '/usbkey/os']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([OLD, '20260901T101010Z', 'latest']);
    expect((await t.run('headnode1', ['test', '-d', `/usbkey/os/${OLD}`])).code).toBe(0);
  });

  it("a headnode's usbkeyPlatforms say what its /usbkey/os holds; no /usbkey, no listing", async () => {
    const t = await openTestSim(
      scenario((s) => {
        s.servers.find((x) => x.hostname === 'cn0')!.platform = OLD;
        s.servers.find((x) => x.hostname === 'headnode0')!.usbkeyPlatforms = [OLD, '20260901T101010Z'];
        s.servers.find((x) => x.hostname === 'headnode1')!.usbkeyPlatforms = ['20260901T101010Z'];
        s.servers.find((x) => x.hostname === 'headnode2')!.usbkey = false;
      }),
    );
    expect(lines((await t.run('headnode1', ['ls', '-1', '/usbkey/os'])).stdout)).toEqual([
      '20260901T101010Z',
      'latest',
    ]);
    expect((await t.run('headnode1', ['test', '-d', `/usbkey/os/${OLD}`])).code).toBe(1);
    const none = await t.run('headnode2', ['ls', '-1', '/usbkey/os']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No such file or directory');
  });

  it('/usbkey/extra holds joysetup and agents/latest on a headnode headnode.sh set up', async () => {
    const t = await openTestSim();
    for (const f of [
      'joysetup/node.config',
      'joysetup/joysetup.sh',
      'joysetup/agentsetup.sh',
      'joysetup/cn_tools.tar.gz',
      'agents/latest',
    ]) {
      expect((await t.run('headnode1', ['test', '-f', `/usbkey/extra/${f}`])).code, f).toBe(0);
    }
    expect((await t.run('headnode1', ['test', '-d', '/usbkey/extra/agents'])).code).toBe(0);
    expect(lines((await t.run('headnode1', ['ls', '/usbkey/extra'])).stdout)).toEqual(['agents', 'joysetup']);
    expect((await t.run('cn0', ['test', '-f', '/usbkey/extra/agents/latest'])).code).toBe(1);
  });

  it('a compute node that booted as a headnode has no /usbkey/extra/agents (RFD 67 M0)', async () => {
    const t = await openTestSim(
      scenario((s) => {
        Object.assign(
          s.servers.find((x) => x.hostname === 'cn0')!,
          { headnodeKey: true, downUntil: Date.now() - 1_000 },
        );
      }),
    );
    expect(JSON.parse((await t.run('cn0', ['sysinfo'])).stdout)['Boot Parameters'].headnode).toBe('true');
    expect((await t.run('cn0', ['test', '-d', '/usbkey/os'])).code).toBe(0);
    expect((await t.run('cn0', ['test', '-f', '/usbkey/extra/joysetup/node.config'])).code).toBe(0);
    expect((await t.run('cn0', ['test', '-d', '/usbkey/extra/agents'])).code).toBe(1);
    expect((await t.run('cn0', ['test', '-f', '/usbkey/extra/agents/latest'])).code).toBe(1);
  });

  it("the headnode preparation puts the serving headnode's /usbkey/os on the compute node's key", async () => {
    const dir = '/usbkey/extra/headnode-prepare';
    const t = await openTestSim(
      scenario((s) => {
        const hn0 = s.servers.find((x) => x.hostname === 'headnode0')!;
        hn0.alive = true;
        hn0.usbkeyPlatforms = [OLD];
        hn0.files = {
          [`${dir}/`]: '',
          [`${dir}/usbkey-base.tgz`]: 'tgz',
          [`${dir}/${CN0}.config`]: 'hostname=cn0\n',
          [`${dir}/${CN0}.networking.json`]: '{}',
        };
      }),
    );
    const r = await t.run('cn0', ['bash', '-s', '--', REF.assets0.adminIp, CN0], `${PREPARE_MARKER}\n`);
    expect(r.code, r.stdout).toBe(0);
    expect(t.sim.world.server('cn0')!.usbkeyPlatforms).toEqual([OLD]);
  });

  it("CNAPI's boot params hand booter each server's own platform", async () => {
    const t = await openTestSim(
      scenario((s) => {
        s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
        s.servers.find((x) => x.hostname === 'cn0')!.platform = OLD;
      }),
    );
    const boot = await t.http('GET', `http://${REF.cnapi0.adminIp}/boot/${CN0}`);
    expect((boot.json as { platform: string }).platform).toBe(OLD);
    const server = await t.http('GET', `http://${REF.cnapi0.adminIp}/servers/${CN0}`);
    expect(server.json).toMatchObject({ boot_platform: OLD, current_platform: OLD });
  });
});
