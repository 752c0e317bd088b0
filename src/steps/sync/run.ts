// `triton-recover sync`: pull restore-data (design section 6) from the
// headnodes that run each core instance into this headnode's restore-data.
// Refuses while a restore holds the lock, and stops between services if one
// takes it meanwhile. Every file is written under a temporary name and
// renamed; each service's synced.json goes last, dc/synced.json last of all.
import { readFile, readdir, unlink, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dc } from '../../remote/dc.js';
import { privateDir } from '../../remote/private-files.js';
import { writeFileAtomic, writeJsonAtomic } from '../../remote/restore-data-files.js';
import { parseJson } from '../../remote/triton/parse.js';
import { getSysinfo } from '../../remote/triton/sysinfo.js';
import { ServiceName } from '../../values/schemas.js';
import { LAYOUT_VERSION, Synced, paths } from '../../state/restore-data-layout.js';
import { DEFAULT_CHAIN_POLICY, type ChainPolicy } from '../../state/sync-chain.js';
import type { ServiceSyncResult, SyncReport } from '../../state/sync-report.js';
import { restoreRank } from '../../catalogue.js';
import { gatherDcFacts, sapiCandidates, type DcFacts } from './dc-facts.js';
import { DiskGuard, freeBytes, usedBytes } from './disk.js';
import { SyncStepError, asStepError } from './errors.js';
import { ImageStore } from './images.js';
import { acquireSyncLock, describeHolder, releaseSyncLock, restoreHolder } from './locks.js';
import { recoveryIps, type RecoveryResult } from './recovery.js';
import { lastGoodOf, syncService, type SyncContext } from './service.js';
import { DEFAULT_SYNC_TIMING, type SyncTiming } from './timing.js';
import { EXIT } from '../../state/exit-codes.js';

export const DEFAULT_MIN_FREE_MB = 2048;

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
  const started = now();
  const base = (): Omit<SyncReport, 'outcome' | 'exitCode' | 'message'> => ({
    dir: root,
    host: o.dc.local.name,
    startedAt: started.toISOString(),
    endedAt: now().toISOString(),
    wallSeconds: (now().getTime() - started.getTime()) / 1000,
    dc: { ok: false, warnings: [] },
    services: [],
    images: { fetched: [], held: 0, pruned: [] },
    bytes: { full: 0, incremental: 0, images: 0, total: 0 },
  });
  const refuse = (message: string, next: string, extra: Partial<SyncReport> = {}): SyncReport => ({ ...base(), ...extra, outcome: 'refused', exitCode: EXIT.blocked, message, next });

  const held = await restoreHolder(o.journalDir, o.dc, timing.commandTimeoutMs);
  if (held) {
    return refuse(`a restore holds the lock: ${describeHolder(held)}; nothing was synced`, 'sync resumes by itself on its next run once the restore is over; do not remove the lock while it runs');
  }
  // Root only: restore-data holds usbkey_config and UFDS passwords (raw, the restore needs them).
  await privateDir(root);
  const lock = acquireSyncLock(root, o.command);
  if (!lock.ok) {
    const h = lock.holder;
    return refuse(`another sync of ${root} is running: pid ${h.pid} on ${h.host} since ${h.since}`, 'let it finish (a sync of unchanged data takes seconds to minutes); if that process is gone, its lock is taken over on the next run');
  }
  try {
    return await locked(o, root, timing, now, base, refuse, lock.tookOver ? `took over a stale sync lock of pid ${lock.tookOver.pid} (${lock.tookOver.since})` : undefined);
  } finally {
    releaseSyncLock(root);
  }
}

type Base = () => Omit<SyncReport, 'outcome' | 'exitCode' | 'message'>;
type Refuse = (message: string, next: string, extra?: Partial<SyncReport>) => SyncReport;

async function locked(o: SyncOptions, root: string, timing: SyncTiming, now: () => Date, base: Base, refuse: Refuse, tookOver: string | undefined): Promise<SyncReport> {
  const ev = o.events ?? {};
  const floorBytes = Math.max(0, o.minFreeMb ?? DEFAULT_MIN_FREE_MB) * 1024 * 1024;
  const guard = new DiskGuard(root, floorBytes);
  await removeTemporaries(root);
  const disk = async (): Promise<NonNullable<SyncReport['disk']>> => ({ usedBytes: await usedBytes(root), freeBytes: await freeBytes(root), floorBytes });

  const free = await freeBytes(root);
  if (free < floorBytes) {
    return refuse(`only ${Math.floor(free / 1048576)} MiB free where restore-data lives, below the floor of ${o.minFreeMb ?? DEFAULT_MIN_FREE_MB} MiB: nothing was synced`,
      'free space on that filesystem (old streams of removed zones, crash dumps), or lower --min-free-mb', { disk: await disk() });
  }

  ev.phase?.('finding the core APIs');
  let localUuid: string;
  try {
    localUuid = (await getSysinfo(o.dc.local, { timeoutMs: timing.commandTimeoutMs })).UUID;
  } catch (e) {
    const se = asStepError(e, o.dc.local.name, ['sysinfo']);
    return refuse(`cannot read this server's sysinfo: ${se.message}`, 'run sync in the global zone of a Triton headnode');
  }
  let facts: DcFacts;
  try {
    const cands = await sapiCandidates(o.dc, root, o.sapiUrl, timing);
    if (cands.urls.length === 0) {
      throw new SyncStepError(o.dc.local.name, 'find SAPI', `no SAPI address known (looked at: ${cands.tried.join('; ')})`, 'give it once with --sapi-url http://<SAPI admin IP>; later syncs remember it');
    }
    facts = await gatherDcFacts(o.dc, cands.urls, timing);
  } catch (e) {
    const se = asStepError(e, o.dc.local.name, 'SAPI/CNAPI');
    await recordDcFailure(root, now(), `${se.message} (next: ${se.next})`);
    return refuse(`the core APIs did not answer: ${se.message}; nothing was synced`, se.next);
  }

  const dcWarnings = [...facts.warnings, ...(tookOver ? [tookOver] : [])];
  const recovery: RecoveryResult = await recoveryIps(facts, o.dc.http, o.reserveIps === true, timing, o.dc.local.name);
  ev.phase?.('writing the DC-wide dumps');
  await writeJsonAtomic(root, paths.sdcApplication, facts.application);
  await writeJsonAtomic(root, paths.services, facts.services);
  await writeJsonAtomic(root, paths.servers, facts.servers);
  if (facts.network && facts.ips) {
    await writeJsonAtomic(root, paths.adminNetwork, facts.network);
    await writeJsonAtomic(root, paths.adminIps, facts.ips);
  }
  if (recovery.ips) await writeJsonAtomic(root, paths.recoveryIps, recovery.ips.map((ip) => ({ ip, service: null })));
  const { ips: _ips, ...recoveryReport } = recovery;

  const images = new ImageStore(root, facts.imgapiUrls, o.dc.http, guard, timing, o.dc.local.name);
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
  const fullBytes = sum(results.flatMap((r) => r.datasets.filter((d) => d.kind === 'full').map((d) => d.bytes)));
  const incBytes = sum(results.flatMap((r) => r.datasets.filter((d) => d.kind === 'incremental').map((d) => d.bytes)));
  const imgBytes = sum(images.fetched.map((f) => f.bytes));
  const common = {
    services: results,
    images: { fetched: images.fetched, held: images.heldBefore, pruned },
    recoveryIps: recoveryReport,
    bytes: { full: fullBytes, incremental: incBytes, images: imgBytes, total: fullBytes + incBytes + imgBytes },
  };
  if (frozen) {
    return { ...base(), ...common, dc: { ok: false, warnings: dcWarnings }, disk: await disk(), outcome: 'frozen', exitCode: EXIT.blocked, message: frozen, next: 'nothing to do: sync runs again once the restore has released its lock' };
  }

  // The DC-wide status covers the whole run: other headnodes judge this copy by it alone.
  const dcErrors = [...facts.errors, ...(recovery.error && o.reserveIps ? [recovery.error] : [])];
  const problems = [...dcErrors, ...(failed.length > 0 ? [`${failed.length} of ${results.length} service(s) failed: ${failed.map((f) => f.service).join(', ')}`] : [])];
  if (!(await exists(join(root, paths.layout)))) await writeFileAtomic(root, paths.layout, `${LAYOUT_VERSION}\n`);
  const prev = await readSynced(root, paths.dcSynced);
  const lastGood = lastGoodOf(prev);
  const startedAt = base().startedAt;
  await writeJsonAtomic(root, paths.dcSynced, problems.length === 0
    ? { time: startedAt, ok: true }
    : { time: startedAt, ok: false, error: problems.join('; '), ...(lastGood ? { lastGood } : {}) });
  const ok = problems.length === 0;
  const shortNote = recovery.short > 0 ? `; recovery IPs short by ${recovery.short} (--reserve-ips reserves them)` : '';
  return {
    ...base(),
    ...common,
    dc: { ok: dcErrors.length === 0, ...(dcErrors.length > 0 ? { error: dcErrors.join('; ') } : {}), warnings: dcWarnings },
    disk: await disk(),
    outcome: ok ? 'ok' : 'partial',
    exitCode: ok ? EXIT.ok : EXIT.warnings,
    message: ok
      ? `${results.length} service(s) synced${shortNote}`
      : `${results.length - failed.length} of ${results.length} service(s) synced${dcErrors.length > 0 ? '; the DC-wide part is incomplete' : ''}${shortNote}`,
    ...(ok ? {} : { next: failed[0]?.next ?? 'see the errors above; the next sync tries again (what failed keeps its last good copy)' }),
  };
}

/** SAPI's vm services of the sdc application with their instances, in restore order. */
function servicesToSync(facts: DcFacts, warnings: string[]): { service: DcFacts['services'][number]; instances: DcFacts['instances'] }[] {
  const out: ReturnType<typeof servicesToSync> = [];
  for (const s of facts.services) {
    if ((s.type ?? 'vm') !== 'vm') continue;
    if (!ServiceName.safeParse(s.name).success) {
      warnings.push(`SAPI service "${s.name}" has a name restore-data cannot hold: skipped`);
      continue;
    }
    const instances = facts.instances.filter((i) => i.service_uuid === s.uuid && (i.type ?? 'vm') === 'vm');
    if (instances.length > 0) out.push({ service: s, instances });
  }
  return out.sort((a, b) => restoreRank(a.service.name) - restoreRank(b.service.name) || a.service.name.localeCompare(b.service.name));
}

/** The SAPI/CNAPI failure goes on record, when there is restore-data to record it in. */
async function recordDcFailure(root: string, at: Date, error: string): Promise<void> {
  if (!(await exists(join(root, paths.layout)))) return;
  const lastGood = lastGoodOf(await readSynced(root, paths.dcSynced));
  await writeJsonAtomic(root, paths.dcSynced, { time: at.toISOString(), ok: false, error, ...(lastGood ? { lastGood } : {}) });
}

async function readSynced(root: string, rel: string): Promise<Synced | undefined> {
  try {
    return parseJson(rel, Synced, await readFile(join(root, rel), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Temporary files a killed sync left behind (never a complete file: those were renamed). */
async function removeTemporaries(root: string): Promise<void> {
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.tmp-\d+-\d+$/.test(e.name)) await unlink(p).catch(() => undefined);
    }
  };
  await walk(root);
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);
