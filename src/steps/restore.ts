// The restore: lock, check, plan (or the journaled plan on a rerun), then each
// lost zone in order as prepare -> confirm -> execute, journaled before and
// after every action; then reconcile and the report.
import { randomUUID } from 'node:crypto';
import type { Dc } from '../remote/dc.js';
import { blocksRestore, type Problem } from '../state/problem.js';
import { primaryAliveRefusal } from '../state/headnode-problems.js';
import { describeAction, type Plan, type PlanAction, type PlanStep, type Strategy } from '../state/plan.js';
import { redactText } from '../state/redact.js';
import { onlyUsage, unknownServices } from '../state/only-services.js';
import type { RunIdentity } from '../state/run-identity.js';
import { vmadmGet } from '../remote/triton/vmadm.js';
import { ActionFailed, DEFAULT_TIMING, execute, prepare, type ActionContext, type Timing } from './actions.js';
import { CATALOGUE } from '../catalogue.js';
import { runCheck } from './check.js';
import { ImageStager } from './image-stager.js';
import { Journal } from './journal.js';
import { openRestoreJournal } from './restore-journal.js';
import { Interrupted, StopRequest, stopWhy, unlessStopped } from './stop-request.js';
import type { Place } from './dc-lock.js';
import { bindersOf, takeRecoveryLock, withLockLoss } from './recovery-lock.js';
import { acquireLock, lockHeldByOther, releaseLock, type LockInfo } from './lock.js';
import { syncLockDir } from './sync/locks.js';
import { buildPlan } from './plan.js';
import { PrimaryWatch } from './primary-watch.js';
import { writeCheckRecord, writeReport, type RestoreReport, type ServiceOutcome } from './report.js';
import { EXIT, type RunExit } from '../state/exit-codes.js';
import { fencingWhy } from '../state/strategies.js';
import { runJournaledAction, type ActionHandler } from './procedure/run-action.js';
import { ZonePreparer, type PreparationSink } from './zone-preparer.js';
import { JobJournal, operatorName } from './procedure/job-journal.js';

export type Answer = 'go' | 'skip' | 'all' | 'pause';

export interface RestoreEvents {
  phase?(text: string): void;
  /** Something about the journal the operator must know (set aside, damaged lines). */
  notice?(text: string): void;
  /** `finished`: services ("sapi/sapi0") an earlier run completed or skipped, with how. */
  plan?(plan: Plan, resumed: boolean, finished: ReadonlyMap<string, { status: string }>): void;
  serviceStart?(step: PlanStep, index: number, total: number): void;
  actionStart?(a: PlanAction): void;
  actionEnd?(a: PlanAction, r: { ok: boolean; skipped: boolean; detail: string; ms: number }): void;
  output?(a: PlanAction, stdout: string, stderr: string): void;
  serviceEnd?(step: PlanStep, status: ServiceOutcome['status'], detail: string): void;
}

export interface RestoreOptions {
  dc: Dc;
  journalDir: string;
  strategy: Strategy;
  only?: string[];
  /** The dead primary's hostname, typed by the operator. */
  fenced?: string;
  /** Ask before each service; without it (or with 'all') the run goes on by itself. */
  confirm?: (step: PlanStep, index: number, total: number) => Promise<Answer>;
  /** A reason for a skip, asked when the operator skips. */
  skipReason?: (step: PlanStep) => Promise<string>;
  events?: RestoreEvents;
  timing?: Partial<Timing>;
  /** Detection probe deadline. */
  probeTimeoutMs?: number;
  maxAgeMinutes?: number;
  command: string;
  /** Services ("sapi/sapi0") the operator chose to skip after they failed, with why. */
  skip?: { key: string; reason: string }[];
  /**
   * A stop from outside (a signal, the console's quit): waits and checks are cut
   * short, a command that changes something is let finish, nothing new starts.
   * Aborted with a StopRequest, the outcome's exit code is the signal's.
   */
  signal?: AbortSignal;
  /**
   * binder has no quorum: may the per-headnode lock stand in for the DC-wide
   * one? Asked with what is at risk; absent = no (the run refuses).
   */
  confirmNoQuorum?: (atRisk: string) => Promise<boolean>;
}

export interface RestoreOutcome {
  /** 64: a usage error (--only); 129/130/143: stopped by SIGHUP/SIGINT/SIGTERM. */
  exitCode: RunExit;
  message: string;
  /** What to do next, when the run did not finish. */
  next?: string;
  problems: Problem[];
  plan?: Plan;
  report?: { md: string; json: string };
  failure?: ActionFailed;
}

/** Reconcile actions that give up the dead server's identity in NAPI/CNAPI. */
const DESTRUCTIVE: ReadonlySet<string> = new Set(['release-nic', 'delete-server']);

/** Problems a fenced confirmation answers; everything else critical blocks. */
const ANSWERED_BY_FENCING = new Set(['PRIMARY_UNCERTAIN']);

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
    return await locked(o, lock.info, lock.tookOver ? `took over a stale lock of pid ${lock.tookOver.pid} (${lock.tookOver.since})` : undefined);
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
    return { exitCode: EXIT.blocked, message: `a sync is still writing restore-data: pid ${syncing.pid} on ${syncing.host} since ${syncing.since} ("${syncing.command}"); nothing was changed`, next: `wait for it, or stop it (kill ${syncing.pid}), then run again`, problems: [] };
  }
  ev.phase?.('detecting the primary and checking readiness');
  const chk = await runCheck(o.dc, {
    strategy: o.strategy,
    journalDir: o.journalDir,
    ...(o.maxAgeMinutes ? { maxAgeMinutes: o.maxAgeMinutes } : {}),
    ...(o.probeTimeoutMs ? { timeoutMs: o.probeTimeoutMs } : {}),
  });
  const det = chk.detection;
  const primary = det.primary;
  const problems = chk.report.problems;
  if (o.signal?.aborted) return stoppedBeforeStart(o.signal, problems);
  if (o.only) {
    // Known: the catalogue, and whatever services this DC's SAPI has.
    const known = [...CATALOGUE.map((s) => s.name), ...(chk.restoreData.dc.services ?? []).map((s) => s.name), ...chk.inventory.instances.map((i) => i.service)];
    const unknown = o.only.length === 0 ? [''] : unknownServices(o.only, known);
    if (unknown.length > 0) return { exitCode: EXIT.usage, message: `${onlyUsage(unknown, known)}; nothing was changed`, next: `${o.command.replace(/--only[ =]\S*/, '').trim()} --only <services from the list>`, problems: [] };
  }
  if (!primary) return { exitCode: EXIT.blocked, message: 'no primary headnode could be identified (no restore-data, no CNAPI)', problems };
  if (primary.state === 'alive') {
    return {
      exitCode: EXIT.blocked,
      message: `the primary ${primary.hostname} is ALIVE: nothing was changed`,
      next: 'a restore is only for a dead primary; see `triton-recover check` for the evidence',
      problems: [primaryAliveRefusal(primary.hostname), ...problems.filter((p) => p.code !== 'PRIMARY_ALIVE')],
    };
  }
  if (primary.local) return { exitCode: EXIT.blocked, message: 'this is the primary headnode itself: run the restore on a surviving secondary', problems };
  const fencedOk = o.fenced === primary.hostname;
  if (o.fenced !== undefined && !fencedOk) {
    return { exitCode: EXIT.blocked, message: `--fenced ${o.fenced} does not name the dead primary (${primary.hostname}): nothing was changed`, problems };
  }
  if ((o.strategy === 'reuse' || primary.state === 'uncertain') && !fencedOk) {
    return {
      exitCode: EXIT.blocked,
      message: `${fencingWhy(primary.hostname, o.strategy, primary.state === 'uncertain')}. Nothing was changed: confirm the fence with --fenced ${primary.hostname}`,
      next: `${o.command} --fenced ${primary.hostname}`,
      problems,
    };
  }
  const scoped = new Set(o.only ?? []);
  const blocking = problems.filter(
    (p) => blocksRestore(p) && !(fencedOk && ANSWERED_BY_FENCING.has(p.code)) && (!p.service || scoped.size === 0 || scoped.has(p.service)),
  );
  if (blocking.length > 0) {
    return { exitCode: EXIT.blocked, message: `not ready to restore (${blocking.length} critical problem(s)); nothing was changed`, next: 'fix the problems listed, then run again', problems: blocking };
  }

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
    ...(o.confirmNoQuorum ? { confirmNoQuorum: (risk: string) => unlessStopped(o.confirmNoQuorum!(risk), o.signal).catch(() => false) } : {}),
  });
  if (!dcLock.ok) return { exitCode: EXIT.blocked, message: dcLock.message, ...(dcLock.next ? { next: dcLock.next } : {}), problems: [...dcLock.problems, ...problems] };
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
    plan = await buildPlan(o.dc, { rd: chk.restoreData, inv: chk.inventory, det, strategy: o.strategy, ipCandidates: chk.ipCandidates ?? [], blocked: [], ...(o.only ? { only: o.only } : {}) });
    if (o.only && plan.steps.length === 0) {
      return { exitCode: EXIT.blocked, message: `nothing to restore for --only ${o.only.join(',')}: none of them lost its only instance with ${primary.hostname}; nothing was changed`, next: 'see `triton-recover plan` for what a restore would re-create', problems };
    }
  }
  const journal = new Journal(o.journalDir, randomUUID());
  const jj = new JobJournal(journal);
  const who = operatorName();
  jj.started({ command: o.command, who, job: 'restore', strategy: o.strategy, identity });
  if (tookOver) jj.decided('lock-takeover', tookOver);
  for (const n of lockNotes) jj.decided('lock', n);
  for (const n of notices) jj.decided('journal', n);
  try {
    if (!resumed) jj.planned(plan);
    if (fencedOk) jj.decided('fenced', `${who} confirmed ${primary.hostname} is fenced`);
    if (state.open.length > 0) {
      jj.decided('recheck', `${state.open.length} action(s) started without an end: re-checked by prepare, not repeated: ${state.open.map((x) => x.id).join(', ')}`);
    }
    const finished = new Map<string, { status: string; detail: string }>(state.finished);
    for (const sk of o.skip ?? []) {
      if (finished.has(sk.key)) continue;
      jj.decided('skip', sk.reason, sk.key);
      jj.stepEnded(sk.key, 'skipped', sk.reason);
      finished.set(sk.key, { status: 'skipped', detail: sk.reason });
    }
    ev.plan?.(plan, resumed, finished);
    return await execPlan(o, plan, jj, finished, timing, started, fencedOk ? who : null, primary.adminIp, notices);
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
  return { exitCode: r instanceof StopRequest ? r.exitCode : 2, message: `${stopWhy(signal)} before the restore began: nothing was changed`, problems };
}

async function execPlan(
  o: RestoreOptions,
  plan: Plan,
  jj: JobJournal,
  finished: ReadonlyMap<string, { status: string; detail: string }>,
  timing: Timing,
  started: number,
  fencedBy: string | null,
  primaryIp: string | undefined,
  journalNotes: string[],
): Promise<RestoreOutcome> {
  const ev = o.events ?? {};
  const ctx: ActionContext = {
    dc: o.dc,
    timing,
    onOutput: (a, rawOut, rawErr) => {
      // SAPI answers with the sdc application's metadata (ufds_ldap_root_pw...): not for the log pane.
      const [stdout, stderr] = [redactText(rawOut), redactText(rawErr)];
      if (stdout || stderr) jj.output(a.id, stdout, stderr);
      ev.output?.(a, stdout, stderr);
    },
  };
  const only = new Set(o.only ?? []);
  const steps = plan.steps.filter((s) => only.size === 0 || only.has(s.service));
  const key = (s: PlanStep): string => `${s.service}/${s.alias}`;
  // A stop cuts short what only looks (prepare, the health wait); a command
  // that changes something is let finish, so no zone is left half-created.
  const looking: ActionContext = o.signal ? { ...ctx, signal: o.signal } : ctx;
  const interrupted = (): Interrupted | undefined => (o.signal?.aborted ? new Interrupted(stopWhy(o.signal)) : undefined);

  const handler: ActionHandler<PlanAction> = {
    prepare: (a) => prepare(looking, a),
    execute: (a) => execute(a.kind === 'wait-healthy' ? looking : ctx, a),
    failure: (a, when, err) => asFailure(a, o.dc.local.name, when, err),
    failureDetail: (err) => {
      const d = err instanceof ActionFailed ? `${err.command}: ${err.output}` : (err as Error).message;
      return { journal: d, shown: d };
    },
    isWait: (a) => a.kind === 'wait-healthy',
  };
  const shown: PreparationSink = { ...(ev.actionStart ? { start: ev.actionStart } : {}), ...(ev.actionEnd ? { end: ev.actionEnd } : {}) };
  /** One action, through the shared runner (procedure/run-action.ts). Returns true when it executed. */
  const runAction = (a: PlanAction, service: string, knownNotDone = false, sink: PreparationSink = shown): Promise<boolean> =>
    runJournaledAction(handler, a, {
      journal: jj.journal,
      step: service,
      knownNotDone,
      interrupted,
      ...(sink.start ? { onStart: sink.start } : {}),
      ...(sink.end ? { onEnd: sink.end } : {}),
    });

  // Steps the journal calls done are looked at again, so their images are staged too (installed: a quick check).
  const pendingSteps = steps.filter((s) => finished.get(key(s))?.status !== 'skipped');
  const images = pendingSteps.flatMap((s) => s.actions.filter((a) => a.kind === 'install-image'));
  const stager = new ImageStager(images, async (a) => void (await runAction(a, 'images')));
  // The dead primary coming back mid-restore would put two of each zone on the network.
  const watch = primaryIp ? new PrimaryWatch(o.dc.local, primaryIp, timing.pollMs) : undefined;
  const preparer = new ZonePreparer(steps, {
    run: (a, step, known, sink) => runAction(a, step.service, known, sink),
    imageReady: (image) => stager.ready(image),
    mayGoOn: () => !o.signal?.aborted && !watch?.returned(),
  });

  const outcomes: ServiceOutcome[] = steps.map((s) => {
    const f = finished.get(key(s));
    return { service: s.service, alias: s.alias, uuid: s.uuid, adminIp: s.adminIp, status: f ? (f.status as ServiceOutcome['status']) : 'pending', detail: f?.detail ?? '', seconds: null };
  });
  const finish = (outcome: RestoreReport['outcome'], message: string, reconcile: RestoreReport['reconcile'] = []): { md: string; json: string } =>
    writeReport(o.journalDir, {
      dc: o.dc.label,
      strategy: plan.strategy,
      dead: plan.dead,
      local: plan.local,
      fencedBy,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
      wallSeconds: (Date.now() - started) / 1000,
      outcome,
      message,
      services: outcomes,
      reconcile,
      notRestored: plan.notRestored,
      notes: [...plan.notes, ...plan.steps.flatMap((s) => s.notes.map((n) => `${s.alias}: ${n}`))],
      journal: jj.journal.path,
      journalNotes,
    });
  const stop = async (exitCode: RestoreOutcome['exitCode'], message: string, next: string, failure?: ActionFailed): Promise<RestoreOutcome> => {
    // Images still being installed, and zones being prepared ahead, journal their end before the stop.
    preparer.halt();
    await Promise.all([stager.settled(), preparer.settled()]);
    jj.stopped(message, exitCode);
    const report = finish(exitCode === EXIT.failed ? 'failed' : 'stopped', message);
    return { exitCode, message, next, problems: [], plan, report, ...(failure ? { failure } : {}) };
  };
  /** Stopped from outside: journaled as such, resumable, the report written. */
  const stopped = (where: string): Promise<RestoreOutcome> => {
    const why = o.signal ? stopWhy(o.signal) : 'stop asked for';
    const r: unknown = o.signal?.reason;
    jj.decided('stop', `${why}: stopped ${where}`);
    return stop(r instanceof StopRequest ? r.exitCode : 2, `${why}: stopped ${where}; what finished is journaled`, `${o.command}   (resumes where it stopped: nothing finished is repeated)`);
  };

  try {
    return await runSteps();
  } finally {
    preparer.halt();
    await preparer.settled();
    await watch?.stop();
  }

  async function runSteps(): Promise<RestoreOutcome> {
    let goAll = o.confirm === undefined;
    // Ahead of its turn, a zone is prepared only once the operator can no longer
    // skip it: with "all" (or --yes), every pending zone; when asked zone by zone,
    // each only after its "go". A stopped zone is not visible on the network, but
    // vm-agent reports it to VMAPI, which would then hold the instance on this
    // server, and removing it again on a skip would have VMAPI mark it destroyed:
    // a skip must change nothing, so nothing is created before the answer.
    const pending = (i: number): boolean => outcomes[i]!.status === 'pending';
    const prepareAhead = (from: number): void => preparer.through(goAll ? steps.length - 1 : from, pending);
    if (goAll) prepareAhead(0);
    const returned = (before: string): Promise<RestoreOutcome> | undefined => {
      const at = watch?.returned();
      if (!at) return undefined;
      return stop(3, `the dead primary ${plan.dead.hostname} (${primaryIp ?? ''}) ANSWERS AGAIN since ${at.toISOString()}: restore stopped before ${before}`,
        `power ${plan.dead.hostname} off (IPMI) or pull its admin link NOW: its old zones share UUIDs/IPs with the restored ones; then rerun to continue`);
    };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const out = outcomes[i]!;
      if (o.signal?.aborted) return stopped(`before ${step.alias}`);
      // "done" in the journal is a hint, the DC is the truth: the zone is looked
      // up, and its step's checks run again (all "already done" when it is there).
      let verifying = false;
      if (out.status === 'done') {
        const seen = await zoneSeen(step).catch((err: unknown) => (interrupted() ? 'stopped' : `not looked up: ${(err as Error).message}`));
        if (seen === 'stopped') return stopped(`before ${step.alias}`);
        if (seen === 'running') verifying = true;
        else {
          const why = `the journal says ${step.alias} is done, but on ${o.dc.local.name} vmadm get ${step.uuid}: ${seen}: it is restored again`;
          jj.decided('redo', why, key(step));
          ev.notice?.(why);
          journalNotes.push(why);
          out.status = 'pending';
        }
      }
      if (out.status !== 'pending' && !verifying) continue;
      const back = returned(step.alias);
      if (back) return back;
      if (!goAll && !verifying) {
        let ans: Answer;
        try {
          ans = await unlessStopped(o.confirm!(step, i, steps.length), o.signal);
        } catch (err) {
          if (err instanceof Interrupted) return stopped(`before ${step.alias}`);
          throw err;
        }
        jj.decided(ans, `before ${step.alias}`, step.service);
        if (ans === 'pause') return stop(2, `paused before ${step.alias}`, `${o.command} to continue where it stopped`);
        if (ans === 'skip') {
          const why = (await o.skipReason?.(step)) ?? 'skipped by the operator';
          jj.stepEnded(key(step), 'skipped', why);
          out.status = 'skipped';
          out.detail = why;
          ev.serviceEnd?.(step, 'skipped', why);
          continue;
        }
        if (ans === 'all') goAll = true;
      }
      if (!verifying) prepareAhead(i);
      const t0 = Date.now();
      ev.serviceStart?.(step, i, steps.length);
      try {
        // After an action ran in this run, what follows in the step is known not done yet.
        let known = false;
        let from = 0;
        // Its preparation (image, stopped zone, dataset) may have run ahead: shown now, in order.
        const prep = verifying ? undefined : preparer.of(i);
        if (prep) ({ executed: known, count: from } = await prep.attach(shown));
        for (const a of step.actions.slice(from)) {
          if (a.kind === 'install-image') {
            await stager.ready(a.image!);
            continue;
          }
          if (a.kind !== 'wait-healthy' && watch?.returned()) return returned(`${step.alias}: ${a.summary}`)!;
          known = (await runAction(a, step.service, known)) || known;
        }
      } catch (err) {
        if (err instanceof Interrupted) return stopped(`during ${step.alias}`);
        if (!(err instanceof ActionFailed)) throw err;
        out.status = 'failed';
        out.detail = `${err.command}: ${err.output.split('\n')[0] ?? ''}`;
        out.seconds = Math.round((Date.now() - t0) / 1000);
        jj.stepEnded(key(step), 'failed', out.detail);
        ev.serviceEnd?.(step, 'failed', out.detail);
        return stop(3, `${step.alias} (${step.service}) failed on ${err.host}: ${err.action.summary}`, err.hint, err);
      }
      out.status = 'done';
      out.seconds = Math.round((Date.now() - t0) / 1000);
      out.detail = verifying ? 'healthy (done in an earlier run, checked again now)' : 'healthy';
      if (!verifying) jj.stepEnded(key(step), 'done', `healthy after ${out.seconds} s`);
      ev.serviceEnd?.(step, 'done', out.detail);
    }
    return reconcileAndReport();
  }

  /** The step's zone as this headnode has it: 'running', or what is wrong. */
  async function zoneSeen(step: PlanStep): Promise<string> {
    const vm = await vmadmGet(o.dc.local, step.uuid, { timeoutMs: timing.commandTimeoutMs, ...(o.signal ? { signal: o.signal } : {}) });
    if (!vm) return 'no such VM';
    return vm.state === 'running' ? 'running' : `state ${vm.state}`;
  }

  async function reconcileAndReport(): Promise<RestoreOutcome> {
    ev.phase?.('reconciling NAPI and SAPI');
    const rec: RestoreReport['reconcile'] = [];
    for (const a of only.size === 0 ? plan.reconcile : []) {
      // Releasing the dead server's records is destructive: only with its hostname typed.
      if (DESTRUCTIVE.has(a.kind) && !fencedBy) {
        rec.push({ summary: a.summary, status: `NOT DONE: needs the dead primary's hostname typed (${o.command} --fenced ${plan.dead.hostname})` });
        continue;
      }
      try {
        await runAction(a, 'reconcile');
        rec.push({ summary: a.summary, status: 'done' });
      } catch (err) {
        if (err instanceof Interrupted) return stopped(`while reconciling, before ${a.summary}`);
        // Reconcile is bookkeeping: a failure is reported, the restored zones stand.
        rec.push({ summary: a.summary, status: `FAILED: ${(err as Error).message}` });
      }
    }
    const count = (prefix: string): number => rec.filter((r) => r.status.startsWith(prefix)).length;
    const skipped = outcomes.filter((x) => x.status === 'skipped').length;
    const message = [
      `${outcomes.filter((x) => x.status === 'done').length} of ${outcomes.length} zone(s) restored and healthy`,
      skipped ? `, ${skipped} skipped` : '',
      count('FAILED') ? `; ${count('FAILED')} reconcile step(s) failed` : '',
      count('NOT DONE') ? `; ${count('NOT DONE')} reconcile step(s) left for --fenced ${plan.dead.hostname}` : '',
    ].join('');
    // Everything finished: the journal is closed, a later run starts afresh.
    jj.closed(message);
    const report = finish('done', message, rec);
    return { exitCode: EXIT.ok, message, problems: [], plan, report };
  }
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

/** Any error of an action, said as an ActionFailed (what, where, the command, what next). */
function asFailure(a: PlanAction, host: string, when: string, err: unknown): ActionFailed {
  if (err instanceof ActionFailed) return err;
  const cmd = describeAction(a);
  return new ActionFailed(a, host, cmd, `${when}: ${(err as Error).message}`, 'check the host and API named above, then rerun: what finished is not repeated');
}
