// One service: its SAPI instance records, then for each instance, from the
// headnode (or server) that runs it, the `vmadm get`, its image, and its
// delegated dataset. synced.json is written last; a service with a failure
// keeps its earlier files for what failed and says so there (with when it was
// last good). Stale files of instances that are gone are removed only after a
// fully successful pass.
import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dc } from '../../remote/dc.js';
import type { Host } from '../../remote/host.js';
import { writeFileAtomic, writeJsonAtomic } from '../../remote/restore-data-files.js';
import { parseJson } from '../../remote/triton/parse.js';
import type { SapiInstance, SapiService } from '../../remote/triton/sapi.js';
import { adminIpOf } from '../../remote/triton/sysinfo.js';
import { parseVmadmGet } from '../../remote/triton/vmadm.js';
import { CommandFailedError, checkArg, lastLine } from '../../remote/triton/command.js';
import { Uuid } from '../../values/schemas.js';
import { Synced, paths } from '../../state/restore-data-layout.js';
import type { ChainPolicy } from '../../state/sync-chain.js';
import type { DatasetSyncResult, ServiceSyncResult } from '../../state/sync-report.js';
import { delegatedDatasetName, hasDelegatedDataset, isRestored } from '../../catalogue.js';
import { syncDataset } from './dataset.js';
import { verifyService } from './verify.js';
import type { DcFacts } from './dc-facts.js';
import type { DiskGuard } from './disk.js';
import { SyncStepError, asStepError, errorText } from './errors.js';
import type { ImageStore } from './images.js';
import type { SyncTiming } from './timing.js';

export interface SyncContext {
  dc: Dc;
  root: string;
  facts: DcFacts;
  localUuid: string;
  guard: DiskGuard;
  timing: SyncTiming;
  policy: ChainPolicy;
  now: () => Date;
  images: ImageStore;
  /** Hosts that did not answer at all in this run: their other work fails at once, untried. */
  down: Map<string, SyncStepError>;
  /** Admin IPs of the zones seen (vm dumps), for the recovery-IP arithmetic. */
  zoneIps: Set<string>;
}

/** Where an instance runs: VMAPI's word, else SAPI's params.server_uuid. */
export function serverOf(facts: DcFacts, inst: SapiInstance): string | undefined {
  return facts.vmServers.get(inst.uuid) ?? inst.params?.server_uuid;
}

/** The instance's server is not in CNAPI (deleted after a restore): nothing to pull from. */
class ServerGone extends Error {}

function hostFor(ctx: SyncContext, serverUuid: string): Host {
  if (serverUuid === ctx.localUuid) return ctx.dc.local;
  const srv = ctx.facts.servers.find((s) => s.uuid === serverUuid);
  const here = ctx.dc.local.name;
  if (!srv) throw new ServerGone(serverUuid);
  const ip = srv.sysinfo ? adminIpOf(srv.sysinfo) : undefined;
  if (!ip)
    throw new SyncStepError(
      here,
      `server ${srv.hostname}`,
      'CNAPI has no admin IP for it (sysinfo)',
      `check ${srv.hostname} in CNAPI (sdc-cnapi /servers/${srv.uuid})`,
    );
  const down = ctx.down.get(srv.hostname);
  if (down)
    throw new SyncStepError(
      srv.hostname,
      down.command,
      `not tried: ${srv.hostname} did not answer earlier in this run (${down.detail})`,
      down.next,
      true,
    );
  return ctx.dc.peer(srv.hostname, ip);
}

function serverStatus(ctx: SyncContext, serverUuid: string | undefined): string | undefined {
  return ctx.facts.servers.find((x) => x.uuid === serverUuid)?.status;
}

async function previousSynced(root: string, svc: string): Promise<Synced | undefined> {
  try {
    return parseJson('synced.json', Synced, await readFile(join(root, paths.svcSynced(svc)), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The time of the last good sync, carried over failed ones. */
export function lastGoodOf(prev: Synced | undefined): string | undefined {
  return prev ? (prev.ok ? prev.time : prev.lastGood) : undefined;
}

export async function syncService(
  ctx: SyncContext,
  svc: SapiService,
  insts: readonly SapiInstance[],
): Promise<ServiceSyncResult> {
  const t0 = Date.now();
  const started = ctx.now().toISOString();
  const name = svc.name;
  const warnings: string[] = [];
  const datasets: ServiceSyncResult['datasets'] = [];
  const failures: SyncStepError[] = [];
  /** Instances whose dataset has a stream chain here to verify, and what this run sent. */
  const held: { uuid: string; sent?: DatasetSyncResult }[] = [];
  /** Image files of its zones that failed their check (once each). */
  const imageFailures = new Map<string, string>();
  // HA members are never re-created from a stream (see the catalogue): no dataset sends for them.
  const sendStreams = isRestored(name);

  await writeJsonAtomic(ctx.root, paths.sapiInstances(name), insts);
  for (const inst of insts) {
    const alias = inst.params?.alias ?? inst.uuid.slice(0, 8);
    try {
      const uuid = checkArg(Uuid, inst.uuid, 'instance uuid');
      const server = serverOf(ctx.facts, inst);
      if (!server)
        throw new SyncStepError(
          ctx.dc.local.name,
          `instance ${alias}`,
          'neither VMAPI nor SAPI say which server it runs on',
          `look it up: sdc-vmapi /vms/${uuid}`,
        );
      // A server CNAPI has lost touch with (a dead headnode kept listed after a
      // restore), while another instance of the service runs on a live one:
      // skip it with a word; the service is whole without it.
      if (
        serverStatus(ctx, server) === 'unknown' &&
        insts.some((o) => o.uuid !== inst.uuid && serverStatus(ctx, serverOf(ctx.facts, o)) === 'running')
      ) {
        const srv = ctx.facts.servers.find((x) => x.uuid === server);
        warnings.push(
          `${alias} (${uuid}) is on ${srv?.hostname ?? server}, which CNAPI shows as unknown (no heartbeat): not synced, its files here are kept; the other ${name} instance(s) were`,
        );
        continue;
      }
      const host = hostFor(ctx, server);
      const argv = ['vmadm', 'get', uuid];
      let stdout: string;
      try {
        const r = await host.run(argv, { timeoutMs: ctx.timing.commandTimeoutMs });
        if (r.code !== 0) throw new CommandFailedError(host.name, argv, r.code, r.stderr);
        stdout = r.stdout;
      } catch (e) {
        const se = asStepError(e, host.name, argv);
        if (se.hostDown) ctx.down.set(host.name, se);
        if (e instanceof CommandFailedError && lastLine(e.stderr).includes('No such zone')) {
          throw new SyncStepError(
            host.name,
            se.command,
            `${alias} is not there, though ${ctx.facts.vmServers.has(uuid) ? 'VMAPI' : 'SAPI'} says it runs on ${host.name}`,
            'check where it runs (sdc-vmapi /vms/' + uuid + '); the data held here is unchanged',
          );
        }
        throw se;
      }
      const vm = (() => {
        try {
          return parseVmadmGet(stdout);
        } catch (e) {
          throw asStepError(e, host.name, argv);
        }
      })();
      await writeFileAtomic(ctx.root, paths.vm(name, uuid), stdout.endsWith('\n') ? stdout : `${stdout}\n`);
      for (const n of vm.nics) if (n.ip) ctx.zoneIps.add(n.ip);
      // The dataset and the image fail independently: one missing must not stop the other.
      if (sendStreams && hasDelegatedDataset(vm)) {
        try {
          const d = await syncDataset({
            root: ctx.root,
            service: name,
            uuid,
            alias,
            host,
            guard: ctx.guard,
            timing: ctx.timing,
            policy: ctx.policy,
            now: ctx.now,
            owner: ctx.localUuid,
          });
          datasets.push(d.result);
          held.push({ uuid, sent: d.result });
          warnings.push(...d.warnings);
        } catch (e) {
          held.push({ uuid });
          const se = asStepError(e, host.name, `zfs send ${delegatedDatasetName(uuid)}`);
          if (se.hostDown) ctx.down.set(host.name, se);
          failures.push(se);
        }
      }
      if (vm.image_uuid) {
        await ctx.images.ensure(vm.image_uuid);
        for (const f of ctx.images.failures(vm.image_uuid))
          imageFailures.set(f.uuid, f.error ?? 'its file does not match its manifest');
      }
    } catch (e) {
      if (e instanceof ServerGone) {
        // Typically the old zone of a restored service, its server removed from CNAPI at reconcile.
        warnings.push(
          `${alias} (${inst.uuid}) is on server ${e.message}, which CNAPI no longer lists: not synced, its files here are kept; if it is gone for good, delete its SAPI record (sdc-sapi /instances/${inst.uuid} -X DELETE)`,
        );
        continue;
      }
      failures.push(asStepError(e, ctx.dc.local.name, `instance ${alias}`));
    }
  }

  if (failures.length === 0) await pruneGone(ctx.root, name, insts);
  // Fresh is not verified: the chains held go through zstreamdump here (verify.ts).
  if (sendStreams) {
    const bad = await verifyService({
      root: ctx.root,
      service: name,
      datasets: held,
      local: ctx.dc.local,
      timeoutMs: ctx.timing.sendTimeoutMs,
      now: ctx.now,
    });
    for (const b of bad)
      warnings.push(`VERIFY FAILED for ${name} dataset ${b.uuid}: ${b.error ?? 'a stream failed zstreamdump'}`);
  }
  for (const [uuid, why] of imageFailures) warnings.push(`VERIFY FAILED for ${name} image ${uuid}: ${why}`);
  const prev = await previousSynced(ctx.root, name);
  const first = failures[0];
  const error = failures.map(errorText).join('; ');
  const lastGood = lastGoodOf(prev);
  await writeJsonAtomic(
    ctx.root,
    paths.svcSynced(name),
    first ? { time: started, ok: false, error, ...(lastGood ? { lastGood } : {}) } : { time: started, ok: true },
  );
  return {
    service: name,
    ok: !first,
    instances: insts.length,
    datasets,
    ...(first ? { error: failures.map((f) => f.message).join('; '), next: first.next } : {}),
    warnings,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** vm dumps and dataset files of instances SAPI no longer lists. */
async function pruneGone(root: string, svc: string, insts: readonly SapiInstance[]): Promise<void> {
  const keep = new Set(insts.map((i) => i.uuid));
  const dir = join(root, paths.svcDir(svc));
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    const m = /^(?:vm|dataset)-([0-9a-f-]{36})(?:\.i[1-9][0-9]*)?\.(?:json|zfs)$/.exec(f);
    if (m && !keep.has(m[1]!)) await unlink(join(dir, f)).catch(() => undefined);
  }
}
