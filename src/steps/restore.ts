// The restore: lock, check, plan (or the journaled plan on a rerun), then each
// lost zone in order as prepare -> confirm -> execute, journaled before and
// after every action; then reconcile and the report.
import { randomUUID } from 'node:crypto';
import type { Problem } from '../state/problem.js';
import { restoreGate } from '../state/restore-gate.js';
import { onlyUsage, unknownServices } from '../state/only-services.js';
import type { RunIdentity } from '../state/run-identity.js';
import { DEFAULT_TIMING, type Timing } from './actions.js';
import { CATALOGUE } from '../catalogue.js';
import { runCheck } from './check.js';
import { Journal } from './journal.js';
import { openRestoreJournal } from './restore-journal.js';
import { StopRequest, stopWhy, unlessStopped } from './stop-request.js';
import type { Place } from './dc-lock.js';
import { bindersOf, takeRecoveryLock, withLockLoss } from './recovery-lock.js';
import { acquireLock, lockHeldByOther, releaseLock, type LockInfo } from './lock.js';
import { syncLockDir } from './sync/locks.js';
import { buildPlan } from './plan.js';
import { EXIT } from '../state/exit-codes.js';
import { JobJournal, operatorName } from './procedure/job-journal.js';
import { writeCheckRecord } from './report.js';
import { shareRestoredFrom, writeRestoredFrom } from './restored-from.js';
import { fenceText, primaryReturnedProblem } from '../state/fence.js';
import type { Signal } from '../state/detection.js';
import { probeServer } from './detect.js';

/** The primary watch's deeper look (SSH, CNAPI, binder, manatee) runs once per this many pings' pace. */
const DEEPER_EVERY_POLLS = 10;
import { execPlan } from './restore-exec.js';
import type { RestoreOptions, RestoreOutcome } from './restore-options.js';

export type { Answer, RestoreEvents, RestoreOptions, RestoreOutcome } from './restore-options.js';

export async function runRestore(o: RestoreOptions): Promise<RestoreOutcome> {
  const lock = acquireLock(o.journalDir, o.command);
  if (!lock.ok) {
    const h = lock.holder;
    return {
      exitCode: EXIT.blocked,
      message: `another recovery holds the lock: ${h.who} on ${h.host} (pid ${h.pid}) since ${h.since}, running "${h.command}"`,
      next: `talk to ${h.who} first; if that run is really gone, remove ${o.journalDir}/lock.json on ${h.host}`,
      problems: [],
    };
  }
  try {
    return await locked(
      o,
      lock.info,
      lock.tookOver ? `took over a stale lock of pid ${lock.tookOver.pid} (${lock.tookOver.since})` : undefined,
    );
  } finally {
    releaseLock(o.journalDir);
  }
}

async function locked(o: RestoreOptions, lockInfo: LockInfo, tookOver: string | undefined): Promise<RestoreOutcome> {
  const started = Date.now();
  const ev = o.events ?? {};
  const timing: Timing = { ...DEFAULT_TIMING, ...o.timing };
  // The lock is ours, so a sync stops at its next service: wait for it to let
  // go of restore-data before reading it (a restore freezes sync).
  const syncing = await syncGone(o.dc.restoreDataDir, Math.min(timing.commandTimeoutMs, 120_000), timing.pollMs);
  if (syncing) {
    return {
      exitCode: EXIT.blocked,
      message: `a sync is still writing restore-data: pid ${syncing.pid} on ${syncing.host} since ${syncing.since} ("${syncing.command}"); nothing was changed`,
      next: `wait for it, or stop it (kill ${syncing.pid}), then run again`,
      problems: [],
    };
  }
  ev.phase?.('detecting the primary and checking readiness');
  const chk = await runCheck(o.dc, {
    strategy: o.strategy,
    journalDir: o.journalDir,
    ...(o.maxAgeMinutes ? { maxAgeMinutes: o.maxAgeMinutes } : {}),
    ...(o.maxVerifiedAgeHours ? { maxVerifiedAgeHours: o.maxVerifiedAgeHours } : {}),
    ...(o.probeTimeoutMs ? { timeoutMs: o.probeTimeoutMs } : {}),
  });
  const det = chk.detection;
  const primary = det.primary;
  const problems = chk.report.problems;
  if (o.signal?.aborted) return stoppedBeforeStart(o.signal, problems);
  if (o.only) {
    // Known: the catalogue, and whatever services this DC's SAPI has.
    const known = [
      ...CATALOGUE.map((s) => s.name),
      ...(chk.restoreData.dc.services ?? []).map((s) => s.name),
      ...chk.inventory.instances.map((i) => i.service),
    ];
    const unknown = o.only.length === 0 ? [''] : unknownServices(o.only, known);
    if (unknown.length > 0)
      return {
        exitCode: EXIT.usage,
        message: `${onlyUsage(unknown, known)}; nothing was changed`,
        next: `${o.command.replace(/--only[ =]\S*/, '').trim()} --only <services from the list>`,
        problems: [],
      };
  }
  // The refusals before anything changes: one pure gate (state/restore-gate.ts), shared with the console.
  const gate = restoreGate(
    { primary, problems },
    {
      strategy: o.strategy,
      command: o.command,
      ...(o.fenced !== undefined ? { fenced: o.fenced } : {}),
      ...(o.only ? { only: o.only } : {}),
    },
  );
  if (!gate.ok)
    return {
      exitCode: gate.exitCode,
      message: gate.message,
      ...(gate.next !== undefined ? { next: gate.next } : {}),
      problems: gate.problems,
    };

  // The DC-wide lock in binder: a console on any headnode sees it, and one on
  // the minority side of a partition cannot take it.
  const places: Place[] = det.headnodes
    .filter((h) => h.state === 'alive')
    .map((h) => ({ hostname: h.hostname, host: h.local ? o.dc.local : o.dc.peer(h.hostname, h.adminIp ?? '') }));
  const dcLock = await takeRecoveryLock({
    dc: o.dc,
    binders: bindersOf(chk.inventory),
    info: lockInfo,
    places,
    command: o.command,
    // A stop while the question is open is a "no": nothing was changed.
    ...(o.confirmNoQuorum
      ? { confirmNoQuorum: (risk: string) => unlessStopped(o.confirmNoQuorum!(risk), o.signal).catch(() => false) }
      : {}),
  });
  if (!dcLock.ok)
    return {
      exitCode: EXIT.blocked,
      message: dcLock.message,
      ...(dcLock.next ? { next: dcLock.next } : {}),
      problems: [...dcLock.problems, ...problems],
    };
  try {
    // Losing binder's session stops the run before its next action, like a signal.
    const signal = withLockLoss(o.signal, dcLock.lost);
    if (signal?.aborted) return stoppedBeforeStart(signal, problems);
    return await journaled({ ...o, ...(signal ? { signal } : {}) }, chk, tookOver, timing, started, dcLock.notes);
  } finally {
    await dcLock.release();
  }
}

async function journaled(
  o: RestoreOptions,
  chk: Awaited<ReturnType<typeof runCheck>>,
  tookOver: string | undefined,
  timing: Timing,
  started: number,
  lockNotes: string[],
): Promise<RestoreOutcome> {
  const ev = o.events ?? {};
  const det = chk.detection;
  const primary = det.primary!;
  const problems = chk.report.problems;
  const fencedOk = o.fenced === primary.hostname;
  const identity = runIdentity(o, chk);
  const opened = openRestoreJournal(o.journalDir, identity);
  if (!opened.ok) return { exitCode: EXIT.blocked, message: opened.message, next: opened.next, problems };
  const { state, notices } = opened;
  for (const n of notices) ev.notice?.(n);
  writeCheckRecord(o.journalDir, chk.report);
  let plan = opened.plan;
  const resumed = plan !== undefined;
  if (!plan) {
    ev.phase?.('building the plan');
    plan = await buildPlan(o.dc, {
      rd: chk.restoreData,
      inv: chk.inventory,
      det,
      strategy: o.strategy,
      ipCandidates: chk.ipCandidates ?? [],
      blocked: [],
      ...(o.only ? { only: o.only } : {}),
    });
    if (o.only && plan.steps.length === 0) {
      return {
        exitCode: EXIT.blocked,
        message: `nothing to restore for --only ${o.only.join(',')}: none of them lost its only instance with ${primary.hostname}; nothing was changed`,
        next: 'see `triton-recover plan` for what a restore would re-create',
        problems,
      };
    }
  }
  const journal = new Journal(o.journalDir, randomUUID());
  const jj = new JobJournal(journal);
  const who = operatorName();
  jj.started({
    command: o.command,
    who,
    job: 'restore',
    strategy: o.strategy,
    identity,
    ...(o.timeScale ? { timeScale: o.timeScale } : {}),
  });
  if (tookOver) jj.decided('lock-takeover', tookOver);
  for (const n of lockNotes) jj.decided('lock', n);
  for (const n of notices) jj.decided('journal', n);
  try {
    if (!resumed) jj.planned(plan);
    if (fencedOk) jj.decided('fenced', `${who} confirmed ${fenceText(primary.hostname, o.fenceMethod ?? null)}`);
    // Before the first change: check watches this server for a return from now on (PRIMARY_RETURNED).
    const record = {
      hostname: primary.hostname,
      uuid: primary.uuid,
      adminIp: primary.adminIp ?? null,
      fenceMethod: fencedOk ? (o.fenceMethod ?? null) : null,
      fencedBy: fencedOk ? who : null,
      restoredOn: det.local.hostname,
      at: new Date().toISOString(),
    };
    writeRestoredFrom(o.journalDir, record);
    const peers = det.headnodes
      .filter((h) => h.state === 'alive' && !h.local && h.adminIp)
      .map((h) => ({ hostname: h.hostname, host: o.dc.peer(h.hostname, h.adminIp!) }));
    for (const n of await shareRestoredFrom(peers, o.journalDir, record)) {
      jj.decided('restored-from', n);
      ev.notice?.(n);
    }
    if (state.open.length > 0) {
      jj.decided(
        'recheck',
        `${state.open.length} action(s) started without an end: re-checked by prepare, not repeated: ${state.open.map((x) => x.id).join(', ')}`,
      );
    }
    const finished = new Map<string, { status: string; detail: string }>(state.finished);
    for (const sk of o.skip ?? []) {
      if (finished.has(sk.key)) continue;
      jj.decided('skip', sk.reason, sk.key);
      jj.stepEnded(sk.key, 'skipped', sk.reason);
      finished.set(sk.key, { status: 'skipped', detail: sk.reason });
    }
    ev.plan?.(plan, resumed, finished);
    // The watch's deeper look asks what detection asked of it (SSH, CNAPI heartbeat, binder, manatee).
    const server = { uuid: primary.uuid, hostname: primary.hostname, headnode: true, adminIp: primary.adminIp };
    const deeper = async (): Promise<Signal | undefined> => {
      const seen = await probeServer(o.dc, chk.inventory, server, det.local.uuid, {
        ...(o.probeTimeoutMs !== undefined ? { timeoutMs: o.probeTimeoutMs } : {}),
      });
      return seen.find((x) => x.says === 'alive' && x.signal !== 'ping');
    };
    return await execPlan(o, plan, jj, finished, timing, started, fencedOk ? who : null, primary.adminIp, notices, {
      deeper: { probe: deeper, everyMs: Math.max(timing.pollMs * DEEPER_EVERY_POLLS, 1) },
      onReturned: (seen, at) => {
        jj.decided(
          'primary-returned',
          `${primary.hostname} seen alive again at ${at.toISOString()}: ${seen.signal}: ${seen.detail}`,
        );
        for (const p of primaryReturnedProblem(record, [seen])) ev.primaryReturned?.(p);
      },
    });
  } finally {
    journal.close();
  }
}

/** What this run is for: a journal is resumed only by the same. */
function runIdentity(o: RestoreOptions, chk: Awaited<ReturnType<typeof runCheck>>): RunIdentity {
  const rd = chk.restoreData.dc;
  const primary = chk.detection.primary!;
  const meta = rd.application?.metadata ?? {};
  const named = meta['datacenter_name'];
  const fromSysinfo = rd.servers?.map((s) => s.sysinfo?.['Datacenter Name']).find((n) => typeof n === 'string');
  return {
    dc: { name: typeof named === 'string' ? named : (fromSysinfo ?? null), uuid: rd.application?.uuid ?? null },
    dead: { hostname: primary.hostname, uuid: primary.uuid },
    strategy: o.strategy,
    only: o.only ? [...o.only].sort() : null,
    restoreData: o.dc.restoreDataDir,
  };
}

/** A stop asked for before anything was journaled or changed. */
function stoppedBeforeStart(signal: AbortSignal, problems: Problem[]): RestoreOutcome {
  const r: unknown = signal.reason;
  return {
    exitCode: r instanceof StopRequest ? r.exitCode : 2,
    message: `${stopWhy(signal)} before the restore began: nothing was changed`,
    problems,
  };
}

/** Waits for a running sync to release restore-data; the holder if it does not within `ms`. */
async function syncGone(restoreDataDir: string, ms: number, pollMs: number): Promise<LockInfo | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const h = lockHeldByOther(syncLockDir(restoreDataDir));
    if (!h || Date.now() >= until) return h;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
