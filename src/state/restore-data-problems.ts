// What restore-data lacks for a restore: missing or corrupt files, stale copies,
// missing dataset streams (RESTORE_DATA_MISSING, RESTORE_DATA_STALE,
// DATASET_MISSING). Pure: judges a RestoreData that was already read.
import type { ServiceData, RestoreData, FileProblem } from './restore-data.js';
import { delegatedDatasetName, isRestored, spec } from '../catalogue.js';
import type { AtRisk } from './at-risk.js';
import type { Problem } from './problem.js';
import type { InvInstance } from './inventory.js';
import { paths, type Synced } from './restore-data-layout.js';
import { ageSeconds, formatAge, formatUtc, isStale } from './restore-age.js';
import type { Strategy } from './admin-ips.js';

export interface RestoreDataContext {
  rd: RestoreData;
  atRisk: AtRisk;
  /** This headnode's hostname: restore-data is read here. */
  here: string;
  now: number;
  maxAgeMinutes: number;
  strategy: Strategy;
  /** Hostnames by server uuid, for messages. */
  hostnameOf: (serverUuid: string | undefined) => string;
}

export const syncFix = (host: string): string =>
  `run \`triton-recover sync\` on ${host} and make sure it succeeds (it should run every 5 minutes, from cron or SMF)`;

/** DC-wide files only `new` needs (recovery pool and NAPI records). */
const NEW_ONLY = new Set<string>([paths.adminNetwork, paths.adminIps, paths.recoveryIps]);

/** The service directory that holds an instance's vm dump. */
export function serviceDataOf(rd: RestoreData, inst: Pick<InvInstance, 'service' | 'uuid'>): ServiceData | undefined {
  const direct = rd.services.get(inst.service);
  if (direct?.vms.some((v) => v.uuid === inst.uuid)) return direct;
  return [...rd.services.values()].find((s) => s.vms.some((v) => v.uuid === inst.uuid)) ?? direct;
}

const isStream = (file: string): boolean => file.endsWith('.zfs');
const isVmDump = (file: string): boolean => /\/vm-[0-9a-f-]{36}\.json$/.test(file);

export function restoreDataProblems(ctx: RestoreDataContext): Problem[] {
  const { rd, here } = ctx;
  const out: Problem[] = [];
  if (!rd.present) {
    const why = rd.dcProblems[0]?.detail ?? 'no LAYOUT file';
    out.push({
      severity: 'critical',
      code: 'RESTORE_DATA_MISSING',
      message: `no restore-data on ${here} at ${rd.dir} (${why}): nothing can be restored from here`,
      fix: syncFix(here),
    });
    return out;
  }
  for (const p of rd.dcProblems) {
    const critical = !NEW_ONLY.has(p.file) || ctx.strategy === 'new';
    out.push({
      severity: critical ? 'critical' : 'warning',
      code: 'RESTORE_DATA_MISSING',
      message: `${fileText(rd, p)}${critical ? '' : ' (only the `new` strategy needs it)'}`,
      fix: syncFix(here),
    });
  }
  const dcStale = staleProblem(
    ctx,
    rd.dc.synced,
    'the DC-wide restore-data (servers, SAPI, NAPI records)',
    'changes to servers, SAPI and NAPI',
    paths.dcSynced,
  );
  if (dcStale) out.push(dcStale);

  const riskServices = new Set(ctx.atRisk.instances.map((i) => i.service));
  const lostServers = new Set(
    ctx.atRisk.mode === 'disaster' ? ctx.atRisk.dead : ctx.atRisk.byHeadnode.map((h) => h.uuid),
  );

  // What a restore must cover: every service SAPI lists, and every service
  // directory sync left. One without usable data is named here, never dropped.
  const covered = new Set([...(rd.dc.services ?? []).map((s) => s.name), ...rd.services.keys()]);
  const noData = new Set<string>();
  for (const svc of [...covered].sort()) {
    if (spec(svc)?.role === 'skip') continue;
    const sd = rd.services.get(svc);
    const why = sd ? unusableWhy(sd) : `no ${rd.dir}/svc-${svc}/, yet SAPI lists the service`;
    if (why === undefined) continue;
    noData.add(svc);
    const critical = isRestored(svc);
    out.push({
      severity: critical ? 'critical' : 'warning',
      code: 'RESTORE_DATA_MISSING',
      service: svc,
      message: critical
        ? `restore-data on ${here} has nothing${sd ? ' usable' : ''} for ${svc} (${why}): where ${svc} ran cannot be told, and a lost ${svc} zone cannot be re-created from here`
        : `restore-data on ${here} has nothing${sd ? ' usable' : ''} for ${svc} (${why}): the ${svc} members cannot be checked`,
      fix: `${syncFix(here)}${sd ? `; if svc-${svc} in ${rd.dir} is not a directory, move it aside first` : ''}`,
    });
  }

  for (const sd of [...rd.services.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (noData.has(sd.name)) continue;
    const unreadableVm = sd.problems.some((p) => isVmDump(p.file));
    const orphans = isRestored(sd.name) ? vmlessInstances(sd, lostServers) : [];
    if (!riskServices.has(sd.name) && !(isRestored(sd.name) && (unreadableVm || orphans.length > 0))) continue;
    for (const p of sd.problems) {
      if (isStream(p.file)) continue; // DATASET_MISSING below
      out.push({
        severity: 'critical',
        code: 'RESTORE_DATA_MISSING',
        service: sd.name,
        message: `${fileText(rd, p)}: ${sd.name} cannot be restored from it${p.file.endsWith('synced.json') && p.kind === 'missing' ? ' (sync writes synced.json last: the copy may be incomplete)' : ''}`,
        fix: syncFix(here),
      });
    }
    for (const o of orphans) {
      out.push({
        severity: 'critical',
        code: 'RESTORE_DATA_MISSING',
        service: sd.name,
        message: `no vm dump for ${o.alias} (${o.uuid}) of ${sd.name}, which ran on ${ctx.hostnameOf(o.server)}: ${paths.vm(sd.name, o.uuid)} is missing in ${rd.dir}, so it cannot be re-created`,
        fix: syncFix(here),
      });
    }
    if (riskServices.has(sd.name)) {
      const stale = staleProblem(
        ctx,
        sd.synced,
        `restore-data of ${sd.name}`,
        `changes to ${sd.name}'s data`,
        paths.svcSynced(sd.name),
        sd.name,
      );
      if (stale) out.push(stale);
    }
  }

  for (const inst of ctx.atRisk.instances) {
    if (!inst.delegatedDataset) {
      // Older zones of a service that gained its dataset later (sdcadm update-other) have
      // none until they are reprovisioned: their data lives in the zone root, which no
      // stream carries. The dump decides what is re-created; the operator must know.
      if (spec(inst.service)?.dataset === 'delegated' && isRestored(inst.service)) {
        const dead = ctx.atRisk.mode === 'disaster';
        out.push({
          severity: 'warning',
          code: 'DATASET_NOT_DELEGATED',
          service: inst.service,
          message: `${inst.alias} (${inst.uuid}) has no delegated dataset (${delegatedDatasetName(inst.uuid)}), though ${inst.service} keeps its data on one: what it stored lived in its zone root${dead ? ', which died with its headnode; it is re-created without one, as it was, and starts without that data' : ', which no sync stream carries: a restore would bring it back without that data'}`,
          fix: dead
            ? `after the restore, check what ${inst.service} needs restored by hand (its service docs), then reprovision it so it gets its dataset`
            : `reprovision ${inst.alias} (sdcadm update-other set the flag; the dataset appears at its next reprovision), then let sync send its stream`,
        });
      }
      continue;
    }
    const sd = serviceDataOf(rd, inst);
    const svc = sd?.name ?? inst.service;
    const ds = sd?.datasets.find((d) => d.instanceUuid === inst.uuid);
    const file = paths.datasetStream(svc, inst.uuid);
    const bad = sd?.problems.find((p) => p.file === file && p.kind !== 'missing');
    if (ds?.streamPath && !bad) continue;
    out.push({
      severity: 'critical',
      code: 'DATASET_MISSING',
      service: inst.service,
      message: `${bad ? `the stream ${file} in ${rd.dir} is unusable (${bad.detail})` : `no zfs send stream of ${delegatedDatasetName(inst.uuid)} in ${rd.dir} (${file})`}: restoring ${inst.alias} now would bring it back without its data`,
      fix:
        ctx.atRisk.mode === 'disaster'
          ? `copy ${file} from another headnode's restore-data (same path under /var/sdcadm/restore-data) into ${rd.dir}; if no copy exists, ${inst.alias}'s data is lost and restoring it empty is an operator's decision`
          : `${syncFix(here)}; it must be able to zfs send ${delegatedDatasetName(inst.uuid)} from ${ctx.hostnameOf(inst.serverUuid)}`,
    });
  }
  return out;
}

/**
 * Why a service directory gives nothing to restore from: not a readable
 * directory, empty, only temp files, or neither SAPI's instance list nor any
 * vm dump readable in it (then where the service ran is unknown).
 */
function unusableWhy(sd: ServiceData): string | undefined {
  if (sd.unusable) return sd.unusable;
  if (sd.vms.length > 0 || sd.sapiInstances !== undefined) return undefined;
  const files = sd.problems.filter((p) => !isStream(p.file)).map((p) => `${p.file} is ${p.kind}: ${p.detail}`);
  return `neither sapi-instances.json nor any vm dump in svc-${sd.name}/ can be read${files.length > 0 ? `: ${files.join('; ')}` : ''}`;
}

function fileText(rd: RestoreData, p: FileProblem): string {
  return `restore-data file ${p.file} in ${rd.dir} is ${p.kind}: ${p.detail}`;
}

/** Instances SAPI lists on a lost server with no (readable) vm dump. */
function vmlessInstances(
  sd: ServiceData,
  lostServers: ReadonlySet<string>,
): { uuid: string; alias: string; server: string | undefined }[] {
  const have = new Set(sd.vms.map((v) => v.uuid));
  return (sd.sapiInstances ?? [])
    .filter((i) => !have.has(i.uuid) && i.params?.server_uuid !== undefined && lostServers.has(i.params.server_uuid))
    .map((i) => ({ uuid: i.uuid, alias: i.params?.alias ?? i.uuid.slice(0, 8), server: i.params?.server_uuid }));
}

/** ", the copy held is from <when> (<age> old)" for a failed sync that kept an older good copy. */
export function lastGoodText(synced: Synced, now: number): string {
  return synced.lastGood
    ? `; the copy held is from ${formatUtc(synced.lastGood, now)} (${formatAge(ageSeconds(synced.lastGood, now))} old)`
    : '';
}

function staleProblem(
  ctx: RestoreDataContext,
  synced: Synced | undefined,
  what: string,
  lost: string,
  file: string,
  service?: string,
): Problem | undefined {
  if (!synced) return undefined; // a missing synced.json is RESTORE_DATA_MISSING already
  const age = ageSeconds(synced.time, ctx.now);
  const at = formatUtc(synced.time, ctx.now);
  const base = { severity: 'warning' as const, code: 'RESTORE_DATA_STALE' as const, ...(service ? { service } : {}) };
  if (!synced.ok) {
    return {
      ...base,
      message: `the last sync of ${what} on ${ctx.here} failed (${file}: ${synced.error ?? 'no error text'}, ${formatAge(age)} ago at ${at})${lastGoodText(synced, ctx.now)}: ${lost} since the last good copy ${
        ctx.atRisk.mode === 'disaster' ? 'are lost' : 'would be lost if its headnode died now'
      }`,
      fix: syncFix(ctx.here),
    };
  }
  if (!isStale(age, ctx.maxAgeMinutes)) return undefined;
  return {
    ...base,
    message: `${what} on ${ctx.here} is ${formatAge(age)} old (synced ${at}, more than the ${ctx.maxAgeMinutes} min allowed): ${lost} after ${at} ${
      ctx.atRisk.mode === 'disaster' ? 'are lost' : 'would be lost if its headnode died now'
    }`,
    fix: syncFix(ctx.here),
  };
}
