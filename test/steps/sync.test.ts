// sync against the simulated DC, in-process: real files in a temp dir.
import { existsSync, mkdirSync, readFileSync, readdirSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSimStream } from '../../src/remote/sim/zfs-stream.js';
import { paths } from '../../src/state/restore-data-layout.js';
import { readRestoreData } from '../../src/steps/restore-data.js';
import { runSync } from '../../src/steps/sync/run.js';
import { DiskGuard, freeBytes } from '../../src/steps/sync/disk.js';
import { DiskFloorError } from '../../src/steps/sync/errors.js';
import { healthy, inst, openHealthy, picture, readJsonFile, syncOpts, TIMING } from '../support/sync-dc.js';
import { openTestSim } from '../support/sim-dc.js';
import { SimHost } from '../../src/remote/sim/sim-host.js';
import { REF } from '../support/reference.js';

const SURVIVORS = ['manatee', 'moray', 'binder', 'dhcpd'];
const sourceSnaps = (t: Awaited<ReturnType<typeof openHealthy>>, alias: string): string[] =>
  (t.sim.world.state.instances.find((i) => i.alias === alias)?.snapshots ?? []).map((s) => s.name);

function lockInfo(pid: number, command = 'triton-recover restore --yes') {
  return JSON.stringify({ who: 'operator', host: hostname(), pid, since: '2026-09-01T10:00:00.000Z', command }) + '\n';
}

describe('sync (in-process simulator)', () => {
  it('a first sync of a healthy DC writes the whole layout, and it reads back without problems', async () => {
    const t = await openHealthy();
    const r = await runSync(syncOpts(t));
    expect(r.message).toBe('25 service(s) synced');
    expect(r.exitCode).toBe(0);
    const dir = t.sim.restoreDataDir;
    expect(readFileSync(join(dir, 'LAYOUT'), 'utf8')).toBe('1\n');
    for (const f of [
      paths.dcSynced,
      paths.sdcApplication,
      paths.services,
      paths.servers,
      paths.adminNetwork,
      paths.adminIps,
      paths.recoveryIps,
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const rd = await readRestoreData(dir);
    expect(rd.present).toBe(true);
    expect(rd.dcProblems).toEqual([]);
    expect([...rd.services.values()].flatMap((s) => s.problems.map((p) => `${s.name}: ${p.file} ${p.detail}`))).toEqual(
      [],
    );
    expect(rd.services.size).toBe(25);
    expect(rd.dc.recoveryIps).toHaveLength(30);
    expect(readJsonFile(join(dir, paths.dcSynced))).toMatchObject({ ok: true });

    const s = healthy();
    for (const i of s.instances) {
      const sd = rd.services.get(i.service)!;
      expect(sd.synced?.ok, i.service).toBe(true);
      expect(
        sd.vms.some((v) => v.uuid === i.uuid),
        i.alias,
      ).toBe(true);
      const ds = sd.datasets.find((d) => d.instanceUuid === i.uuid);
      if (!i.delegatedDataset || SURVIVORS.includes(i.service)) {
        expect(ds?.streamPath, i.alias).toBeUndefined();
        continue;
      }
      // A full stream of the snapshot the source now holds, and nothing else on the chain.
      expect(ds?.chain).toEqual([]);
      expect(ds?.meta?.base?.snapshot).toBe(ds?.meta?.snapshot);
      const check = parseSimStream(readFileSync(ds!.streamPath!));
      expect(check).toMatchObject({ ok: true, snapshot: ds!.meta!.snapshot });
      expect(sourceSnaps(t, i.alias)).toEqual([ds!.meta!.snapshot.split('@')[1]]);
    }
    // Every image a zone runs, with its origin, manifest and file.
    for (const img of new Set(s.instances.map((i) => i.image))) {
      const held = rd.images.get(img);
      expect(held?.manifest?.uuid, img).toBe(img);
      expect(held?.filePath).toBeTruthy();
      if (held?.manifest?.origin) expect(rd.images.get(held.manifest.origin)?.filePath).toBeTruthy();
    }
    expect(r.bytes.full).toBeGreaterThan(0);
    expect(r.bytes.incremental).toBe(0);
    expect(r.images.fetched.length).toBe(rd.images.size);
    expect(r.disk?.usedBytes).toBeGreaterThan(r.bytes.full);
  });

  it('a second sync sends only incrementals, and the source keeps only the newest of our snapshots', async () => {
    const t = await openHealthy();
    const first = await runSync(syncOpts(t));
    const sapi = inst('sapi0');
    // An operator's own snapshot is never touched.
    expect((await t.run('headnode0', ['zfs', 'snapshot', `zones/${sapi.uuid}/data@operator-manual`])).code).toBe(0);
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(0);
    expect(r.bytes.full).toBe(0);
    expect(r.images.fetched).toEqual([]);
    const sent = r.services.flatMap((x) => x.datasets);
    expect(sent.length).toBe(11);
    for (const d of sent) {
      expect(d.kind, d.alias).toBe('incremental');
      const full = first.services.flatMap((x) => x.datasets).find((x) => x.uuid === d.uuid)!;
      expect(d.bytes).toBeLessThan(full.bytes);
      expect(d.destroyed).toEqual([full.snapshot]);
    }
    const rd = await readRestoreData(t.sim.restoreDataDir);
    expect([...rd.services.values()].flatMap((x) => x.problems)).toEqual([]);
    const ds = rd.services.get('sapi')!.datasets[0]!;
    expect(ds.chain.map((c) => c.file)).toEqual([`svc-sapi/dataset-${sapi.uuid}.i1.zfs`]);
    expect(ds.meta!.bytes).toBe(ds.meta!.base!.bytes + ds.chain[0]!.bytes);
    expect(parseSimStream(readFileSync(ds.chain[0]!.path))).toMatchObject({
      ok: true,
      from: ds.meta!.base!.snapshot,
      snapshot: ds.meta!.snapshot,
    });
    expect(sourceSnaps(t, 'sapi0')).toEqual(['operator-manual', ds.meta!.snapshot.split('@')[1]]);
  });

  it('every headnode syncs the same sources: each keeps its own base snapshot, so both stay incremental', async () => {
    const t = await openHealthy();
    // headnode2's console: the same DC, its own GZ and restore-data.
    const b = {
      ...t.sim,
      local: new SimHost(t.sim.world, 'headnode2', true),
      restoreDataDir: join(t.dir, 'rd-headnode2'),
    };
    const bOpts = { ...syncOpts(t), dc: b, journalDir: join(t.dir, 'journal-headnode2') };
    await runSync(syncOpts(t));
    await runSync(bOpts);
    const a2 = await runSync(syncOpts(t));
    const b2 = await runSync(bOpts);
    for (const r of [a2, b2]) {
      expect(r.exitCode).toBe(0);
      expect(
        r.services
          .flatMap((x) => x.datasets)
          .map((d) => `${d.alias}:${d.kind}`)
          .filter((x) => !x.endsWith(':incremental')),
      ).toEqual([]);
    }
    // One base per headnode on the source, named after its server.
    const snaps = sourceSnaps(t, 'sapi0');
    expect(snaps).toHaveLength(2);
    expect(snaps.filter((n) => n.includes(REF.headnode1.uuid))).toHaveLength(1);
    expect(snaps.filter((n) => n.includes(REF.headnode2.uuid))).toHaveLength(1);
  });

  it.each(['hang', 'disconnect'] as const)(
    "a %s on one source's zfs send fails that service only; its data stays byte-identical",
    async (effect) => {
      const t = await openHealthy();
      const first = await runSync(syncOpts(t));
      const imgapi = inst('imgapi0');
      const svcDir = join(t.sim.restoreDataDir, 'svc-imgapi');
      const before = picture(svcDir);
      const good = readJsonFile<{ time: string }>(join(svcDir, 'synced.json')).time;
      t.sim.world.state.faults.push({ command: 'zfs send', match: imgapi.uuid, effect });
      const timing = { ...TIMING, commandTimeoutMs: 1_000 };
      const r = await runSync(syncOpts(t, { timing }));
      expect(r.exitCode).toBe(1);
      expect(r.outcome).toBe('partial');
      const failed = r.services.filter((s) => !s.ok);
      expect(failed.map((s) => s.service)).toEqual(['imgapi']);
      expect(failed[0]!.error).toMatch(/^headnode0: zfs send .*zones\/[0-9a-f-]{36}\/data@triton-recover-/);
      expect(failed[0]!.error).toMatch(effect === 'hang' ? /no answer within 1000 ms/ : /SSH connection dropped/);
      expect(failed[0]!.next).toBeTruthy();
      expect(r.services.filter((s) => s.ok)).toHaveLength(24);
      const after = picture(svcDir);
      before.delete('synced.json');
      expect(after.get('synced.json')).toBeDefined();
      after.delete('synced.json');
      expect(after).toEqual(before);
      const synced = readJsonFile(join(svcDir, 'synced.json'));
      expect(synced).toMatchObject({
        ok: false,
        lastGood: good,
        error: expect.stringContaining('headnode0: zfs send'),
      });
      expect(readJsonFile(join(t.sim.restoreDataDir, paths.dcSynced))).toMatchObject({
        ok: false,
        lastGood: first.startedAt,
        error: expect.stringContaining('imgapi'),
      });
      expect((await readRestoreData(t.sim.restoreDataDir)).services.get('imgapi')!.problems).toEqual([]);

      // The base is still on the source: once it answers again, the next sync goes on incrementally.
      t.sim.world.state.faults = [];
      const again = await runSync(syncOpts(t));
      expect(again.exitCode).toBe(0);
      const d = again.services.find((s) => s.service === 'imgapi')!.datasets[0]!;
      expect(d.kind).toBe('incremental');
      expect(sourceSnaps(t, 'imgapi0')).toEqual([d.snapshot.split('@')[1]]);
    },
  );

  it('refuses while a restore holds the lock (here or DC-wide), and writes nothing', async () => {
    const t = await openHealthy();
    const o = syncOpts(t);
    mkdirSync(o.journalDir, { recursive: true });
    writeFileSync(join(o.journalDir, 'lock.json'), lockInfo(process.ppid));
    const r = await runSync(o);
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(
      new RegExp(`a restore holds the lock: operator on ${hostname()} \\(pid ${process.ppid}\\)`),
    );
    expect(picture(t.sim.restoreDataDir).size).toBe(0);

    // The DC-wide lock a console on another headnode placed here.
    unlinkSync(join(o.journalDir, 'lock.json'));
    await t.run('headnode1', ['mkdir', '/var/sdcadm/triton-recover.lock']);
    await t.run(
      'headnode1',
      ['tee', '/var/sdcadm/triton-recover.lock/holder.json'],
      JSON.stringify({
        who: 'ops',
        host: 'headnode2',
        pid: 4242,
        since: '2026-09-01T10:00:00.000Z',
        command: 'restore',
      }),
    );
    const r2 = await runSync(o);
    expect(r2.exitCode).toBe(2);
    expect(r2.message).toContain('ops on headnode2 (pid 4242)');
    expect(picture(t.sim.restoreDataDir).size).toBe(0);
  });

  it('a restore that takes the lock mid-way freezes the sync before the next service', async () => {
    const t = await openHealthy();
    const o = syncOpts(t);
    const r = await runSync({
      ...o,
      events: {
        serviceStart: (_svc, i) => {
          if (i !== 2) return;
          mkdirSync(o.journalDir, { recursive: true });
          writeFileSync(join(o.journalDir, 'lock.json'), lockInfo(process.ppid));
        },
      },
    });
    expect(r.outcome).toBe('frozen');
    expect(r.exitCode).toBe(2);
    expect(r.services.map((s) => s.service)).toEqual(['assets', 'sapi', 'amonredis']);
    expect(r.message).toContain('sync stopped before ufds');
    // Not a complete copy, so it does not claim to be one.
    expect(existsSync(join(t.sim.restoreDataDir, paths.dcSynced))).toBe(false);
    expect(existsSync(join(t.sim.restoreDataDir, paths.layout))).toBe(false);
    expect(existsSync(join(t.sim.restoreDataDir, 'svc-ufds'))).toBe(false);
  });

  it('two syncs never overlap; a stale sync lock (its process gone) is taken over', async () => {
    const t = await openHealthy();
    const lockDir = join(t.sim.restoreDataDir, '.sync-lock');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'lock.json'), lockInfo(process.ppid, 'triton-recover sync'));
    const busy = await runSync(syncOpts(t));
    expect(busy.exitCode).toBe(2);
    expect(busy.message).toContain(`another sync of ${t.sim.restoreDataDir} is running: pid ${process.ppid}`);
    writeFileSync(join(lockDir, 'lock.json'), lockInfo(2 ** 31 - 2, 'triton-recover sync'));
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(0);
    expect(r.dc.warnings.join()).toContain(`took over a stale sync lock of pid ${2 ** 31 - 2}`);
    expect(existsSync(join(lockDir, 'lock.json'))).toBe(false);
  });

  it('refuses to fill the disk below the floor', async () => {
    const t = await openHealthy();
    const r = await runSync(syncOpts(t, { minFreeMb: 1e12 }));
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(
      /MiB free where restore-data lives, below the floor of 1000000000000 MiB: nothing was synced/,
    );
    expect(r.disk?.floorBytes).toBe(1e12 * 1048576);
    expect(picture(t.sim.restoreDataDir).size).toBe(0);
    // The check before each stream: a write that would cross the floor is refused.
    const free = await freeBytes(t.dir);
    const guard = new DiskGuard(t.dir, free - 64 * 1048576);
    await expect(guard.ensure(0, 'nothing')).resolves.toBeUndefined();
    await expect(guard.ensure(1024 * 1048576, 'the full stream of zones/x/data')).rejects.toBeInstanceOf(
      DiskFloorError,
    );
  });

  it('counts recovery IPs, and with --reserve-ips reserves what is missing in NAPI', async () => {
    const t = await openHealthy((s) => (s.recoveryIps = []));
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(0);
    expect(r.recoveryIps).toMatchObject({ held: 0, needed: 21, worst: 'headnode0', short: 21, reserved: [] });
    expect(r.message).toContain('recovery IPs short by 21');
    expect(t.sim.world.state.sim.napiReservedIps).toEqual([]);
    expect(readJsonFile(join(t.sim.restoreDataDir, paths.recoveryIps))).toEqual([]);

    const r2 = await runSync(syncOpts(t, { reserveIps: true }));
    expect(r2.recoveryIps).toMatchObject({ held: 21, needed: 21, short: 0 });
    expect(r2.recoveryIps!.reserved[0]).toBe('10.99.99.250');
    expect(r2.recoveryIps!.reserved.at(-1)).toBe('10.99.99.230');
    expect([...t.sim.world.state.sim.napiReservedIps].sort()).toEqual([...r2.recoveryIps!.reserved].sort());
    const rec = readJsonFile<{ ip: string; service: null }[]>(join(t.sim.restoreDataDir, paths.recoveryIps));
    expect(rec.map((x) => x.ip).sort()).toEqual([...r2.recoveryIps!.reserved].sort());
    // They are in the admin-ips dump too, and a third sync reserves nothing more.
    expect(
      readJsonFile<{ ip: string; reserved: boolean }[]>(join(t.sim.restoreDataDir, paths.adminIps)).filter(
        (x) => x.reserved && x.ip >= '10.99.99.230',
      ).length,
    ).toBe(21);
    const r3 = await runSync(syncOpts(t, { reserveIps: true }));
    expect(r3.recoveryIps).toMatchObject({ held: 21, reserved: [], short: 0 });
  });

  it('consolidates a long chain with a full send, and removes the old chain only after', async () => {
    const t = await openHealthy();
    const o = syncOpts(t, { chain: { maxLinks: 2 } });
    for (let i = 0; i < 3; i++) expect((await runSync(o)).exitCode).toBe(0);
    const dir = join(t.sim.restoreDataDir, 'svc-sapi');
    const uuid = inst('sapi0').uuid;
    expect(readdirSync(dir).filter((f) => f.includes('.i'))).toEqual([
      `dataset-${uuid}.i1.zfs`,
      `dataset-${uuid}.i2.zfs`,
    ]);
    const r = await runSync(o);
    const d = r.services.find((s) => s.service === 'sapi')!.datasets[0]!;
    expect(d).toMatchObject({ kind: 'full', why: 'consolidating: the chain has 2 incrementals' });
    expect(readdirSync(dir).filter((f) => f.includes('.i'))).toEqual([]);
    const meta = readJsonFile(join(t.sim.restoreDataDir, paths.datasetMeta('sapi', uuid)));
    expect(meta).toMatchObject({
      snapshot: d.snapshot,
      incrementals: [],
      base: { snapshot: d.snapshot, bytes: d.bytes },
    });
    expect((await readRestoreData(t.sim.restoreDataDir)).services.get('sapi')!.problems).toEqual([]);
  });

  it('a base snapshot destroyed on the source means a full send', async () => {
    const t = await openHealthy();
    const first = await runSync(syncOpts(t));
    const base = first.services.find((s) => s.service === 'ufds')!.datasets[0]!.snapshot;
    expect((await t.run('headnode0', ['zfs', 'destroy', base])).code).toBe(0);
    const r = await runSync(syncOpts(t));
    const d = r.services.find((s) => s.service === 'ufds')!.datasets[0]!;
    expect(d.kind).toBe('full');
    expect(d.why).toContain(`the base snapshot ${base} is gone from the source`);
  });

  it('a missing or truncated chain file makes the dataset unusable; the next sync repairs it with a full send', async () => {
    const t = await openHealthy();
    await runSync(syncOpts(t));
    await runSync(syncOpts(t));
    const uuid = inst('sapi0').uuid;
    const inc = join(t.sim.restoreDataDir, paths.datasetIncrement('sapi', uuid, 1));
    const keep = readFileSync(inc);
    truncateSync(inc, keep.length - 10);
    let sd = (await readRestoreData(t.sim.restoreDataDir)).services.get('sapi')!;
    expect(sd.problems).toEqual([
      {
        file: paths.datasetStream('sapi', uuid),
        kind: 'corrupt',
        detail: expect.stringMatching(
          /incremental svc-sapi\/dataset-\S+\.i1\.zfs is \d+ bytes, .* says \d+ \(truncated\?\)/,
        ),
      },
    ]);
    unlinkSync(inc);
    sd = (await readRestoreData(t.sim.restoreDataDir)).services.get('sapi')!;
    expect(sd.problems[0]?.detail).toMatch(/i1\.zfs is missing: the chain is broken/);
    const r = await runSync(syncOpts(t));
    expect(r.services.find((s) => s.service === 'sapi')!.datasets[0]).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('incomplete'),
    });
    expect((await readRestoreData(t.sim.restoreDataDir)).services.get('sapi')!.problems).toEqual([]);
  });

  it('with no SAPI address at all it refuses (exit 2) and says how to give one', async () => {
    // No core zone on this headnode to ask, no earlier sync: nothing says where SAPI is.
    const t = await openTestSim(
      healthy((s) => s.instances.forEach((i) => i.server === 'headnode1' && (i.server = 'headnode2'))),
    );
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(2);
    expect(r.message).toMatch(/no SAPI address known/);
    expect(r.next).toContain('--sapi-url');
    const r2 = await runSync(syncOpts(t, { sapiUrl: `http://${REF.sapi0.adminIp}` }));
    expect(r2.exitCode).toBe(0);
  });
  it('APIs replaced with new IPs (the setup-time <svc>_admin_ips stale) are reached where they run now', async () => {
    // sdc-init.js copies /usbkey/config into the sdc metadata once; a re-provisioned API keeps its old entry there.
    const stale = {
      vmapi_admin_ips: '10.99.99.251',
      cnapi_admin_ips: '10.99.99.252',
      napi_admin_ips: '10.99.99.253',
      imgapi_admin_ips: '10.99.99.254',
    };
    const t = await openHealthy((s) => {
      s.localServer = 'headnode0'; // runs vmapi0: vmadm here gives VMAPI's admin NIC, VMAPI the others'
    });
    t.sim.world.state.sim.sapiMetadata = stale;
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(0);
    expect(readJsonFile(join(t.sim.restoreDataDir, paths.dcSynced))).toMatchObject({ ok: true });
    expect(JSON.stringify(r.dc?.warnings ?? [])).not.toMatch(/_admin_ips/);
  });

  it('with no admin NIC known for an API it falls back to <svc>_admin_ips, and says so', async () => {
    const t = await openHealthy((s) => {
      s.localServer = 'headnode1'; // runs no vmapi: only the metadata says where VMAPI is
    });
    const vmapi = healthy().instances.find((i) => i.service === 'vmapi')!;
    expect(vmapi.server).not.toBe('headnode1');
    const r = await runSync(syncOpts(t));
    expect(r.exitCode).toBe(0);
    expect((r.dc?.warnings ?? []).join('\n')).toMatch(/setup-time vmapi_admin_ips/);
  });
  it("sends compressed (zfs send -c) where the source's zfs has it, plain where it does not", async () => {
    const streamBytes = async (t: Awaited<ReturnType<typeof openHealthy>>): Promise<number | false> => {
      const rd = await readRestoreData(t.sim.restoreDataDir);
      const ds = rd.services.get('sapi')!.datasets.find((d) => d.instanceUuid === inst('sapi0').uuid)!;
      const p = parseSimStream(readFileSync(ds.streamPath!));
      return p.ok && p.bytes;
    };
    const now = await openHealthy();
    expect((await runSync(syncOpts(now))).exitCode).toBe(0);
    expect(await streamBytes(now)).toBe(1024 * 1024); // 2 MiB of data, 2:1 compressed
    expect(inst('sapi0').server).toBe('headnode0');
    const old = await openHealthy(
      (s) => (s.servers.find((x) => x.hostname === 'headnode0')!.platform = '20161201T000000Z'),
    );
    const r = await runSync(syncOpts(old));
    expect(r.services.filter((x) => !x.ok)).toEqual([]);
    expect(await streamBytes(old)).toBe(2 * 1024 * 1024);
  });
});
