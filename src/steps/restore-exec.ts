// Executing the plan: each lost zone in order as prepare -> confirm ->
// execute through the shared journaled runner, later zones prepared ahead
// (zone-preparer.ts), the dead primary watched throughout; then reconcile and
// the report. Over 300 lines on purpose: one closure over the run's state
// (journal, outcomes, stager, preparer, watch), read top to bottom.
import type { Plan, PlanAction, PlanStep } from '../state/plan.js';
import { describeAction } from '../state/plan.js';
import { argvOf, httpOf } from '../state/plan-action.js';
import { redactText } from '../state/redact.js';
import { vmadmGet } from '../remote/triton/vmadm.js';
import { execute, prepare, type ActionContext, type Timing } from './actions.js';
import { ActionFailed } from './procedure/action-failed.js';
import { ImageStager } from './image-stager.js';
import { Interrupted, StopRequest, stopWhy, unlessStopped } from './stop-request.js';
import { PrimaryWatch, type PrimaryWatchOptions } from './primary-watch.js';
import { writeReport, type RestoreReport, type ServiceOutcome } from './report.js';
import { EXIT } from '../state/exit-codes.js';
import { runJournaledAction, type ActionHandler } from './procedure/run-action.js';
import { ZonePreparer, type PreparationSink } from './zone-preparer.js';
import type { JobJournal } from './procedure/job-journal.js';
import type { Answer, RestoreOptions, RestoreOutcome } from './restore-options.js';

/** Reconcile actions that give up the dead server's identity in NAPI/CNAPI. */
const DESTRUCTIVE: ReadonlySet<string> = new Set(['release-nic', 'delete-server']);

export async function execPlan(
  o: RestoreOptions,
  plan: Plan,
  jj: JobJournal,
  finished: ReadonlyMap<string, { status: string; detail: string }>,
  timing: Timing,
  started: number,
  fencedBy: string | null,
  primaryIp: string | undefined,
  journalNotes: string[],
  /** The watch's deeper look and who hears of a return (the console's banner). */
  watchOptions: PrimaryWatchOptions = {},
): Promise<RestoreOutcome> {
  const ev = o.events ?? {};
  // Output of an action running ahead of its zone's turn is shown with that zone, not amid another's.
  const aheadOutput = new Map<string, NonNullable<PreparationSink['output']>>();
  const ctx: ActionContext = {
    dc: o.dc,
    timing,
    onOutput: (a, rawOut, rawErr) => {
      // SAPI answers with the sdc application's metadata (ufds_ldap_root_pw...): not for the log pane.
      const [stdout, stderr] = [redactText(rawOut), redactText(rawErr)];
      if (stdout || stderr) jj.output(a.id, stdout, stderr);
      (aheadOutput.get(a.id) ?? ev.output)?.(a, stdout, stderr);
    },
  };
  const only = new Set(o.only ?? []);
  const steps = plan.steps.filter((s) => only.size === 0 || only.has(s.service));
  const key = (s: PlanStep): string => `${s.service}/${s.alias}`;
  // A stop cuts short what only looks (prepare, the health wait); a command
  // that changes something is let finish, so no zone is left half-created.
  const looking: ActionContext = o.signal ? { ...ctx, signal: o.signal } : ctx;
  const interrupted = (): Interrupted | undefined =>
    o.signal?.aborted ? new Interrupted(stopWhy(o.signal)) : undefined;

  const handler: ActionHandler<PlanAction> = {
    prepare: (a) => prepare(looking, a),
    execute: (a) => execute(a.kind === 'wait-healthy' ? looking : ctx, a),
    failure: (a, when, err) => asFailure(a, o.dc.local.name, when, err),
    failureDetail: (err) => {
      const d = err instanceof ActionFailed ? `${err.command}: ${err.output}` : (err as Error).message;
      return { journal: d, shown: d };
    },
    isWait: (a) => a.kind === 'wait-healthy',
    journaled: (a) => ({ argv: argvOf(a), http: httpOf(a) }),
  };
  const shown: PreparationSink = {
    ...(ev.actionStart ? { start: ev.actionStart } : {}),
    ...(ev.actionEnd ? { end: ev.actionEnd } : {}),
    ...(ev.output ? { output: ev.output } : {}),
  };
  /** One action, through the shared runner (procedure/run-action.ts). Returns true when it executed. */
  const runAction = async (
    a: PlanAction,
    service: string,
    knownNotDone = false,
    sink: PreparationSink = shown,
  ): Promise<boolean> => {
    if (sink !== shown && sink.output) aheadOutput.set(a.id, sink.output);
    try {
      return await runJournaledAction(handler, a, {
        journal: jj.journal,
        step: service,
        knownNotDone,
        interrupted,
        ...(sink.start ? { onStart: sink.start } : {}),
        ...(sink.end ? { onEnd: sink.end } : {}),
      });
    } finally {
      aheadOutput.delete(a.id);
    }
  };

  // Steps the journal calls done are looked at again, so their images are staged too (installed: a quick check).
  const pendingSteps = steps.filter((s) => finished.get(key(s))?.status !== 'skipped');
  const images = pendingSteps.flatMap((s) => s.actions.filter((a) => a.kind === 'install-image'));
  const stager = new ImageStager(images, async (a) => void (await runAction(a, 'images')));
  // The dead primary coming back mid-restore would put two of each zone on the network: probed
  // continuously (a probe begins at most every poll); each zone's start waits for a look begun at most two periods before it asks.
  const watch = primaryIp ? new PrimaryWatch(o.dc.local, primaryIp, timing.pollMs, watchOptions) : undefined;
  const preparer = new ZonePreparer(steps, {
    run: (a, step, known, sink) => runAction(a, step.service, known, sink),
    imageReady: (image) => stager.ready(image),
    mayGoOn: () => !o.signal?.aborted && !watch?.returned() && !watch?.blind(),
    fresh: () => watch?.probed() ?? Promise.resolve(),
  });

  const outcomes: ServiceOutcome[] = steps.map((s) => {
    const f = finished.get(key(s));
    return {
      service: s.service,
      alias: s.alias,
      uuid: s.uuid,
      adminIp: s.adminIp,
      status: f ? (f.status as ServiceOutcome['status']) : 'pending',
      detail: f?.detail ?? '',
      seconds: null,
    };
  });
  const finish = (
    outcome: RestoreReport['outcome'],
    message: string,
    reconcile: RestoreReport['reconcile'] = [],
  ): { md: string; json: string } =>
    writeReport(o.journalDir, {
      dc: o.dc.label,
      strategy: plan.strategy,
      dead: plan.dead,
      local: plan.local,
      fencedBy,
      fenceMethod: fencedBy ? (o.fenceMethod ?? null) : null,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date().toISOString(),
      wallSeconds: (Date.now() - started) / 1000,
      ...(o.timeScale ? { timeScale: o.timeScale } : {}),
      outcome,
      message,
      services: outcomes,
      reconcile,
      notRestored: plan.notRestored,
      notes: [...plan.notes, ...plan.steps.flatMap((s) => s.notes.map((n) => `${s.alias}: ${n}`))],
      journal: jj.journal.path,
      journalNotes,
    });
  const stop = async (
    exitCode: RestoreOutcome['exitCode'],
    message: string,
    next: string,
    failure?: ActionFailed,
  ): Promise<RestoreOutcome> => {
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
    return stop(
      r instanceof StopRequest ? r.exitCode : 2,
      `${why}: stopped ${where}; what finished is journaled`,
      `${o.command}   (resumes where it stopped: nothing finished is repeated)`,
    );
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
      return stop(
        3,
        `the dead primary ${plan.dead.hostname} (${primaryIp ?? ''}) ANSWERS AGAIN since ${at.toISOString()} (${watch?.what() ?? 'seen alive'}): restore stopped before ${before}`,
        `power ${plan.dead.hostname} off (IPMI) or pull its admin link NOW: its old zones share UUIDs/IPs with the restored ones; then rerun to continue`,
      );
    };
    // A watch that cannot ping stops the restore before the next start: a primary back would go unseen.
    const blind = (before: string): Promise<RestoreOutcome> | undefined => {
      const why = watch?.blind();
      if (!why) return undefined;
      return stop(
        3,
        `cannot watch the dead primary ${plan.dead.hostname} (${primaryIp ?? ''}) from ${o.dc.local.name}: ${why}: restore stopped before ${before}`,
        `check that ping runs in this global zone (ping ${primaryIp ?? '<ip>'} 1; prstat for load); then rerun to continue: nothing finished is repeated`,
      );
    };
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      const out = outcomes[i]!;
      if (o.signal?.aborted) return stopped(`before ${step.alias}`);
      // "done" in the journal is a hint, the DC is the truth: the zone is looked
      // up, and its step's checks run again (all "already done" when it is there).
      let verifying = false;
      if (out.status === 'done') {
        const seen = await zoneSeen(step).catch((err: unknown) =>
          interrupted() ? 'stopped' : `not looked up: ${(err as Error).message}`,
        );
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
            await stager.ready(a.image);
            continue;
          }
          // A zone's start is its first change others can see: only after a recent look at the dead primary.
          if (a.kind === 'start-vm') await watch?.recent();
          if (a.kind !== 'wait-healthy' && watch?.returned()) return returned(`${step.alias}: ${a.summary}`)!;
          if (a.kind !== 'wait-healthy' && watch?.blind()) return blind(`${step.alias}: ${a.summary}`)!;
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
    const vm = await vmadmGet(o.dc.local, step.uuid, {
      timeoutMs: timing.commandTimeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (!vm) return 'no such VM';
    return vm.state === 'running' ? 'running' : `state ${vm.state}`;
  }

  async function reconcileAndReport(): Promise<RestoreOutcome> {
    ev.phase?.('reconciling NAPI and SAPI');
    const rec: RestoreReport['reconcile'] = [];
    for (const a of only.size === 0 ? plan.reconcile : []) {
      // Releasing the dead server's records is destructive: only with its hostname typed.
      if (DESTRUCTIVE.has(a.kind) && !fencedBy) {
        rec.push({
          summary: a.summary,
          status: `NOT DONE: needs the dead primary's hostname typed (${o.command} --fenced ${plan.dead.hostname})`,
        });
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

/** Any error of an action, said as an ActionFailed (what, where, the command, what next). */
function asFailure(a: PlanAction, host: string, when: string, err: unknown): ActionFailed {
  if (err instanceof ActionFailed) return err;
  const cmd = describeAction(a);
  return new ActionFailed(
    a,
    host,
    cmd,
    `${when}: ${(err as Error).message}`,
    'check the host and API named above, then rerun: what finished is not repeated',
  );
}
