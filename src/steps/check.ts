// `check`: detection, then readiness (every problem code of the contract).
import type { Dc } from '../remote/dc.js';
import type { Strategy } from '../state/admin-ips.js';
import { verdictOf, type CheckReport } from '../state/check-report.js';
import type { Inventory } from '../state/inventory.js';
import { DEFAULT_MAX_AGE_MINUTES } from '../state/restore-age.js';
import { detect, probeServer, type DetectOptions } from './detect.js';
import { primaryReturnedProblem } from '../state/fence.js';
import type { Problem } from '../state/problem.js';
import { readRestoredFrom } from './restored-from.js';
import type { DetectionReport, Signal } from '../state/detection.js';
import { assessReadiness, DEFAULT_PROBE_TIMEOUT_MS, sortProblems } from './readiness.js';
import { inventoryFromRestoreData, readRestoreData } from './restore-data.js';
import type { RestoreData } from '../state/restore-data.js';
import { changesProblems } from '../state/changes-in-effect.js';
import { readChanges } from './changes-in-effect.js';

export interface CheckOptions extends DetectOptions {
  /** Restore-data older than this is stale (default 30). */
  maxAgeMinutes?: number;
  /** A verification of restore-data older than this is RESTORE_DATA_UNVERIFIED (default 26). */
  maxVerifiedAgeHours?: number;
  /** Identity strategy the check judges for (default reuse). */
  strategy?: Strategy;
  /** Where the run lock lives; without it the lock is not checked. */
  journalDir?: string;
}

export interface CheckResult {
  report: CheckReport;
  detection: DetectionReport;
  restoreData: RestoreData;
  inventory: Inventory;
  /** Admin IPs the `new` strategy would hand out, in order (reserved recovery IPs first). */
  ipCandidates: string[];
}

export async function runCheck(dc: Dc, opts: CheckOptions = {}): Promise<CheckResult> {
  const rd = await readRestoreData(dc.restoreDataDir);
  const inv = inventoryFromRestoreData(rd);
  const det = await detect(dc, inv, opts);
  const r = await assessReadiness(dc, {
    rd,
    inv,
    det,
    strategy: opts.strategy ?? 'reuse',
    maxAgeMinutes: opts.maxAgeMinutes ?? DEFAULT_MAX_AGE_MINUTES,
    ...(opts.maxVerifiedAgeHours !== undefined ? { maxVerifiedAgeHours: opts.maxVerifiedAgeHours } : {}),
    journalDir: opts.journalDir,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const changes = opts.journalDir
    ? await readChanges(dc, {
        journalDir: opts.journalDir,
        headnodes: det.headnodes.filter((h) => h.state === 'alive'),
        timeoutMs: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
      })
    : [];
  const problems = sortProblems([
    ...(await returnedPrimary(dc, inv, det, opts)),
    ...r.problems,
    ...changesProblems(changes),
  ]);
  const p = det.primary;
  const report: CheckReport = {
    mode: det.mode,
    verdict: verdictOf(problems),
    primary: p ? { hostname: p.hostname, uuid: p.uuid, state: p.state, evidence: p.evidence } : null,
    headnodes: det.headnodes.map((h) => ({
      hostname: h.hostname,
      uuid: h.uuid,
      adminIp: h.adminIp ?? null,
      state: h.state,
      local: h.local,
      primary: h.primary,
      evidence: h.evidence,
    })),
    services: r.services,
    adminIps: { needed: r.adminIps.needed, available: r.adminIps.available },
    problems,
    readiness: r.readiness,
    computeNodes: r.computeNodes.map((c) => ({ hostname: c.hostname, uuid: c.uuid, boots: c.boots, why: c.why })),
    changesInEffect: changes,
  };
  return { report, detection: det, restoreData: rd, inventory: inv, ipCandidates: r.adminIps.candidates };
}

/**
 * PRIMARY_RETURNED: a restore from this journal directory re-created the zones
 * of a dead primary (its restored-from record); any sign of life from that
 * server now means two of each of those zones. Detection's own probes of it
 * are reused when it is still one of the headnodes restore-data lists.
 */
async function returnedPrimary(dc: Dc, inv: Inventory, det: DetectionReport, opts: CheckOptions): Promise<Problem[]> {
  if (!opts.journalDir) return [];
  const seen = (uuid: string): DetectionReport['headnodes'][number] | undefined =>
    det.headnodes.find((h) => h.uuid === uuid && !h.local);
  return primaryReturnedNow(dc, inv, det.local.uuid, opts.journalDir, opts, (uuid) => seen(uuid)?.evidence);
}

/**
 * The same question asked afresh (the console after a restore, and every
 * minute after): the restored-from record's server probed now as detection
 * probes a headnode (ping, SSH, CNAPI heartbeat, binder, manatee).
 */
export async function primaryReturnedNow(
  dc: Dc,
  inv: Inventory,
  localUuid: string,
  journalDir: string,
  opts: DetectOptions = {},
  known: (uuid: string) => Signal[] | undefined = () => undefined,
): Promise<Problem[]> {
  const { record } = readRestoredFrom(journalDir);
  if (!record || record.uuid === localUuid) return [];
  const evidence =
    known(record.uuid) ??
    (await probeServer(
      dc,
      inv,
      { uuid: record.uuid, hostname: record.hostname, headnode: true, adminIp: record.adminIp ?? undefined },
      localUuid,
      opts,
    ));
  return primaryReturnedProblem(record, evidence);
}
