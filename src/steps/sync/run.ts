// `triton-recover sync`: pull restore-data (design section 6) from the
// headnodes that run each core instance into this headnode's restore-data.
// Refuses while a restore holds the lock, and stops between services if one
// takes it meanwhile. Every file is written under a temporary name and
// renamed; each service's synced.json goes last, dc/synced.json last of all.
// The run's order lives here; the parts live beside it (dc-facts, service,
// images, recovery, dc-status, report).
import { resolve } from 'node:path';
import type { Dc } from '../../remote/dc.js';
import { privateDir } from '../../remote/private-files.js';
import { writeJsonAtomic } from '../../remote/restore-data-files.js';
import { getSysinfo } from '../../remote/triton/sysinfo.js';
import { paths } from '../../state/restore-data-layout.js';
import { DEFAULT_CHAIN_POLICY, type ChainPolicy } from '../../state/sync-chain.js';
import type { ServiceSyncResult, SyncReport } from '../../state/sync-report.js';
import { gatherDcFacts, sapiCandidates, type DcFacts } from './dc-facts.js';
import { recordDcFailure, writeDcStatus } from './dc-status.js';
import { DiskGuard, freeBytes, usedBytes } from './disk.js';
import { SyncStepError, asStepError } from './errors.js';
import { ImageStore } from './images.js';
import { acquireSyncLock, describeHolder, releaseSyncLock, restoreHolder } from './locks.js';
import { recoveryIps, type RecoveryResult } from './recovery.js';
import { finishedReport, frozenReport, reportMaker, runTotals, type ReportMaker } from './report.js';
import { syncService, type SyncContext } from './service.js';
import { servicesToSync } from './services-to-sync.js';
import { removeTemporaries } from './temporaries.js';
import { DEFAULT_MIN_FREE_MB, DEFAULT_SYNC_TIMING, type SyncTiming } from './timing.js';

export interface SyncEvents {
  phase?(text: string): void;
  /** Before a service (after the restore-lock check passed). */
  serviceStart?(service: string, index: number, total: number): void;
  serviceEnd?(result: ServiceSyncResult): void;
}

export interface SyncOptions {
  dc: Dc;
  /** Where a restore on this headnode keeps its lock (journal dir). */
  journalDir: string;
  /** Default: the DC's restore-data dir. */
  restoreDataDir?: string;
  /** Reserve free admin IPs in NAPI when fewer recovery IPs are reserved than a restore needs. */
  reserveIps?: boolean;
  /** Refuse writes that would leave less free space than this. */
  minFreeMb?: number;
  /** Where SAPI is, when neither earlier restore-data nor local core zones can say. */
  sapiUrl?: string;
  chain?: Partial<ChainPolicy>;
  timing?: Partial<SyncTiming>;
  command: string;
  events?: SyncEvents;
  now?: () => Date;
}

export async function runSync(o: SyncOptions): Promise<SyncReport> {
  const root = resolve(o.restoreDataDir ?? o.dc.restoreDataDir);
  const now = o.now ?? ((): Date => new Date());
  const timing: SyncTiming = { ...DEFAULT_SYNC_TIMING, ...o.timing };
  const report = reportMaker(root, o.dc.local.name, now);

  const held = await restoreHolder(o.journalDir, o.dc, timing.commandTimeoutMs);
  if (held) {
    return report.refuse(
      `a restore holds the lock: ${describeHolder(held)}; nothing was synced`,
      'sync resumes by itself on its next run once the restore is over; do not remove the lock while it runs',
    );
  }
  // Root only: restore-data holds usbkey_config and UFDS passwords (raw, the restore needs them).
  await privateDir(root);
  const lock = acquireSyncLock(root, o.command);
  if (!lock.ok) {
    const h = lock.holder;
    return report.refuse(
      `another sync of ${root} is running: pid ${h.pid} on ${h.host} since ${h.since}`,
      'let it finish (a sync of unchanged data takes seconds to minutes); if that process is gone, its lock is taken over on the next run',
    );
  }
  try {
    return await locked(
      { o, root, timing, now, report },
      lock.tookOver ? `took over a stale sync lock of pid ${lock.tookOver.pid} (${lock.tookOver.since})` : undefined,
    );
  } finally {
    releaseSyncLock(root);
  }
}

/** What every phase of one run shares. */
interface Run {
  o: SyncOptions;
  root: string;
  timing: SyncTiming;
  now: () => Date;
  report: ReportMaker;
}

/** The run under the sync lock: room on disk, the DC's facts, the DC-wide dumps, each service, the DC-wide status. */
async function locked(run: Run, tookOver: string | undefined): Promise<SyncReport> {
  const { o, root, timing, now, report } = run;
  const ev = o.events ?? {};
  const floorBytes = Math.max(0, o.minFreeMb ?? DEFAULT_MIN_FREE_MB) * 1024 * 1024;
  const guard = new DiskGuard(root, floorBytes);
  await removeTemporaries(root);
  const disk = async (): Promise<NonNullable<SyncReport['disk']>> => ({
    usedBytes: await usedBytes(root),
    freeBytes: await freeBytes(root),
    floorBytes,
  });

  const free = await freeBytes(root);
  if (free < floorBytes) {
    return report.refuse(
      `only ${Math.floor(free / 1048576)} MiB free where restore-data lives, below the floor of ${o.minFreeMb ?? DEFAULT_MIN_FREE_MB} MiB: nothing was synced`,
      'free space on that filesystem (old streams of removed zones, crash dumps), or lower --min-free-mb',
      { disk: await disk() },
    );
  }

  ev.phase?.('finding the core APIs');
  const found = await findDc(run);
  if ('refused' in found) return found.refused;
  const { localUuid, facts } = found;

  const dcWarnings = [...facts.warnings, ...(tookOver ? [tookOver] : [])];
  const recovery: RecoveryResult = await recoveryIps(facts, o.dc.http, o.reserveIps === true, timing, o.dc.local.name);
  ev.phase?.('writing the DC-wide dumps');
  await writeDcDumps(root, facts, recovery);
  const { ips: _ips, ...recoveryReport } = recovery;

  const images = new ImageStore(root, facts.imgapiUrls, o.dc.http, guard, timing, o.dc.local.name, now);
  const ctx: SyncContext = {
    dc: o.dc,
    root,
    facts,
    localUuid,
    guard,
    timing,
    policy: { ...DEFAULT_CHAIN_POLICY, ...o.chain },
    now,
    images,
    down: new Map(),
    zoneIps: new Set(),
  };
  const work = servicesToSync(facts, dcWarnings);
  const results: ServiceSyncResult[] = [];
  let frozen: string | undefined;
  for (const [i, w] of work.entries()) {
    // A restore that started meanwhile freezes sync: nothing more is written.
    const h = await restoreHolder(o.journalDir, o.dc, timing.commandTimeoutMs);
    if (h) {
      frozen = `a restore took the lock (${describeHolder(h)}): sync stopped before ${w.service.name}`;
      break;
    }
    ev.serviceStart?.(w.service.name, i, work.length);
    const r = await syncService(ctx, w.service, w.instances);
    results.push(r);
    ev.serviceEnd?.(r);
  }

  const failed = results.filter((r) => !r.ok);
  // Every service synced, so every image a zone runs (with origins) was ensured in this run.
  const pruned = !frozen && failed.length === 0 ? await images.prune(images.known) : [];
  await images.saveVerified(new Set(pruned));
  const totals = runTotals(results, { fetched: images.fetched, held: images.heldBefore, pruned }, recoveryReport);
  if (frozen) return frozenReport(report.base(), totals, dcWarnings, await disk(), frozen);

  // The DC-wide status covers the whole run: other headnodes judge this copy by it alone.
  const dcErrors = [...facts.errors, ...(recovery.error && o.reserveIps ? [recovery.error] : [])];
  const problems = [
    ...dcErrors,
    ...(failed.length > 0
      ? [`${failed.length} of ${results.length} service(s) failed: ${failed.map((f) => f.service).join(', ')}`]
      : []),
  ];
  await writeDcStatus(root, () => report.base().startedAt, problems);
  return finishedReport(
    report.base(),
    totals,
    { errors: dcErrors, warnings: dcWarnings },
    await disk(),
    problems,
    recovery.short,
  );
}

/** This server's uuid and the DC's facts from SAPI and CNAPI; a refusal (on record in dc/synced.json) when they cannot be had. */
async function findDc({
  o,
  root,
  timing,
  now,
  report,
}: Run): Promise<{ localUuid: string; facts: DcFacts } | { refused: SyncReport }> {
  let localUuid: string;
  try {
    localUuid = (await getSysinfo(o.dc.local, { timeoutMs: timing.commandTimeoutMs })).UUID;
  } catch (e) {
    const se = asStepError(e, o.dc.local.name, ['sysinfo']);
    return {
      refused: report.refuse(
        `cannot read this server's sysinfo: ${se.message}`,
        'run sync in the global zone of a Triton headnode',
      ),
    };
  }
  try {
    const cands = await sapiCandidates(o.dc, root, o.sapiUrl, timing);
    if (cands.urls.length === 0) {
      throw new SyncStepError(
        o.dc.local.name,
        'find SAPI',
        `no SAPI address known (looked at: ${cands.tried.join('; ')})`,
        'give it once with --sapi-url http://<SAPI admin IP>; later syncs remember it',
      );
    }
    return { localUuid, facts: await gatherDcFacts(o.dc, cands.urls, timing) };
  } catch (e) {
    const se = asStepError(e, o.dc.local.name, 'SAPI/CNAPI');
    await recordDcFailure(root, now(), `${se.message} (next: ${se.next})`);
    return { refused: report.refuse(`the core APIs did not answer: ${se.message}; nothing was synced`, se.next) };
  }
}

/** The DC-wide dumps a restore reads first: sdc application, services, servers, admin network and IPs, recovery IPs. */
async function writeDcDumps(root: string, facts: DcFacts, recovery: RecoveryResult): Promise<void> {
  await writeJsonAtomic(root, paths.sdcApplication, facts.application);
  await writeJsonAtomic(root, paths.services, facts.services);
  await writeJsonAtomic(root, paths.servers, facts.servers);
  if (facts.network && facts.ips) {
    await writeJsonAtomic(root, paths.adminNetwork, facts.network);
    await writeJsonAtomic(root, paths.adminIps, facts.ips);
  }
  if (recovery.ips)
    await writeJsonAtomic(
      root,
      paths.recoveryIps,
      recovery.ips.map((ip) => ({ ip, service: null })),
    );
}
