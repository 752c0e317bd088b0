// The console's link to the engine: it runs the effects the reducer asks for
// (check, plan, restore, convert), and answers the engine's questions with
// what the operator chose. Engine events become console events in
// restore-events.ts and convert-events.ts. The screens never call remote/.
import type { FenceMethod } from '../../state/fence.js';
import { strategyProblems } from '../../state/strategy-gate.js';
import type { Dc } from '../../remote/dc.js';
import { blocksRestore } from '../../state/problem.js';
import type { Effect, Event } from '../../state/console/index.js';
import type { Strategy } from '../../state/plan.js';
import { primaryReturnedNow, runCheck, type CheckResult } from '../../steps/check.js';
import { buildPlan } from '../../steps/plan.js';
import { NO_QUORUM_WORD } from '../../steps/recovery-lock.js';
import { runRestore, type Answer, type RestoreOptions } from '../../steps/restore.js';
import type { ConvertTiming } from '../../steps/convert/index.js';
import { checkConvert } from '../../steps/convert.js';
import { convertJournalDir, runConvert, type ConvertAnswer } from '../../steps/convert-run.js';
import { bundleAfterRun } from '../../steps/incident/bundle.js';
import { EXIT } from '../../state/exit-codes.js';
import { acceptChange } from '../../steps/changes-in-effect.js';
import { acceptCommand } from '../../state/changes-in-effect.js';
import { operatorName } from '../../steps/procedure/job-journal.js';
import { convertCheckedEvent, convertEvents, convertOutcomeEvents, convertStepPrompt } from './convert-events.js';
import { restoreEvents, restoreOutcomeEvent } from './restore-events.js';

export interface SessionOptions {
  journalDir: string;
  timing: RestoreOptions['timing'];
  probeTimeoutMs: number;
  maxAgeMinutes?: number;
  maxVerifiedAgeHours?: number;
  /** How a rerun is typed by hand, for "resume with ...". */
  resumeCommand: string;
  /** After a restore, how often the fenced primary is looked at again for as long as the console is open (default 60 s). */
  afterRestoreWatchMs?: number;
  convertTiming?: Partial<ConvertTiming>;
  /** A simulated DC's --sim-speed: the run is a drill, its times scaled back (and its status says DRILL). */
  timeScale?: number;
}

export class ConsoleSession {
  private chk: CheckResult | undefined;
  private strategy: Strategy = 'reuse';
  private fenced: string | undefined;
  private fenceMethod: FenceMethod | undefined;
  private pending: ((a: Answer) => void) | undefined;
  private pendingNoQuorum: ((yes: boolean) => void) | undefined;
  private skipReason = 'skipped by the operator';
  private readonly skips: { key: string; reason: string }[] = [];
  private failedKey: string | undefined;
  /** The operator answered "all": reruns (after a retry) do not ask again. */
  private all = false;
  private exitResolve: (() => void) | undefined;
  private convertServer = '';
  private convertPending: ((a: ConvertAnswer) => void) | undefined;
  /** The look at the fenced primary after a restore, repeated until the console ends. */
  private afterWatch: ReturnType<typeof setTimeout> | undefined;
  private returnedSaid = false;
  private ended = false;
  readonly exited: Promise<void>;

  constructor(
    private readonly dc: Dc,
    private readonly o: SessionOptions,
    private readonly dispatch: (e: Event) => void,
  ) {
    this.exited = new Promise((r) => (this.exitResolve = r));
  }

  /** What the reducer asked for. Errors become events, never crashes. */
  handle(e: Effect): void {
    const run = (p: Promise<void>): void => {
      p.catch((err: unknown) =>
        this.dispatch({ t: 'log', lines: [`internal error: ${(err as Error).message}`], level: 'error' }),
      );
    };
    switch (e.t) {
      case 'check':
        return run(this.check());
      case 'plan':
        this.strategy = e.strategy;
        return run(this.plan());
      case 'startRun':
        this.fenced = e.fenced;
        this.fenceMethod = e.fenceMethod;
        return run(this.restore());
      case 'answer': {
        if (e.reason) this.skipReason = e.reason;
        if (e.answer === 'all') this.all = true;
        const p = this.pending;
        this.pending = undefined;
        p?.(e.answer);
        return;
      }
      case 'noQuorumAnswer': {
        const p = this.pendingNoQuorum;
        this.pendingNoQuorum = undefined;
        p?.(e.yes);
        return;
      }
      case 'failureChoice':
        if (e.choice === 'stop') {
          const bundle = this.bundle(this.o.journalDir);
          this.dispatch({
            t: 'finished',
            outcome: {
              exitCode: EXIT.failed,
              message: 'stopped after a failure',
              next: `resume later: ${this.o.resumeCommand} (or reopen the console)`,
              ...(bundle ? { bundle } : {}),
            },
          });
          return;
        }
        if (e.choice === 'skip' && this.failedKey)
          this.skips.push({ key: this.failedKey, reason: e.reason ?? 'skipped after a failure' });
        return run(this.restore());
      case 'convertCheck':
        this.convertServer = e.server;
        return run(this.convertCheck(e.server));
      case 'startConvert':
        // Whatever goes wrong, the screen must leave "running".
        return run(
          this.convert().catch((err: unknown) =>
            this.dispatch({
              t: 'convertFinished',
              exitCode: EXIT.internal,
              message: `internal error: ${(err as Error).message}`,
              next: 'rerun: the journal keeps what was done',
            }),
          ),
        );
      case 'convertAnswer': {
        const p = this.convertPending;
        this.convertPending = undefined;
        p?.(e.answer);
        return;
      }
      case 'acceptChange':
        return run(this.accept(e.word));
      case 'exit':
        this.ended = true;
        if (this.afterWatch) clearTimeout(this.afterWatch);
        this.afterWatch = undefined;
        this.exitResolve?.();
        return;
    }
  }

  /**
   * The change whose word was typed is accepted in its journal; home is checked
   * again. What went wrong is said on home too (a notice), never only in a log.
   */
  private async accept(word: string): Promise<void> {
    const c = this.chk?.report.changesInEffect?.find((x) => x.word === word);
    if (!c) {
      this.dispatch({
        t: 'notice',
        text: `nothing was accepted: no change still in effect is called "${word}" now (finished or accepted since the list was read); the list below is read again`,
      });
      return this.check();
    }
    try {
      const where = acceptChange(this.o.journalDir, c, operatorName());
      this.dispatch({ t: 'notice', text: `accepted as it is: ${c.what} (on ${c.host}); journaled in ${where}` });
    } catch (err) {
      this.dispatch({
        t: 'notice',
        text: `nothing was accepted: could not write the acceptance of "${word}" to ${c.journal ?? this.o.journalDir}: ${err instanceof Error ? err.message : String(err)}; check that file (its directory, disk space, permissions), then accept it again: ${acceptCommand(c)}`,
      });
    }
    await this.check();
  }

  private async convertCheck(server: string): Promise<void> {
    try {
      this.dispatch(convertCheckedEvent(await checkConvert(this.dc, server, this.o.probeTimeoutMs), this.o.journalDir));
    } catch (err) {
      this.dispatch({
        t: 'convertChecked',
        text: [`cannot check ${server}: ${(err as Error).message}`],
        runnable: false,
      });
    }
  }

  private async convert(): Promise<void> {
    const out = await runConvert({
      dc: this.dc,
      journalDir: this.o.journalDir,
      server: this.convertServer,
      command: `triton-recover convert ${this.convertServer}`,
      ...(this.o.convertTiming ? { timing: this.o.convertTiming } : {}),
      probeTimeoutMs: this.o.probeTimeoutMs,
      confirm: (step, index, total) =>
        new Promise<ConvertAnswer>((resolve) => {
          this.convertPending = resolve;
          this.dispatch({ t: 'convertStep', index, status: 'pending' });
          this.dispatch({ t: 'ask', prompt: convertStepPrompt(step, index, total) });
        }),
      events: convertEvents(this.dispatch),
    });
    for (const e of convertOutcomeEvents(out)) this.dispatch(e);
    const target = out.plan?.target.uuid ?? out.check?.facts.target?.uuid;
    const b = target ? this.bundle(convertJournalDir(this.o.journalDir, target), out.check) : undefined;
    if (b)
      this.dispatch({
        t: 'convertLog',
        lines: [`incident bundle: ${b.path}`, ...b.status.map((l) => `  ${l}`)],
        level: 'result',
      });
  }

  async check(): Promise<void> {
    this.dispatch({ t: 'loading', what: 'detecting the primary and checking readiness' });
    try {
      this.chk = await runCheck(this.dc, {
        strategy: this.strategy,
        journalDir: this.o.journalDir,
        timeoutMs: this.o.probeTimeoutMs,
        ...(this.o.maxAgeMinutes ? { maxAgeMinutes: this.o.maxAgeMinutes } : {}),
        ...(this.o.maxVerifiedAgeHours ? { maxVerifiedAgeHours: this.o.maxVerifiedAgeHours } : {}),
      });
      this.dispatch({ t: 'checked', report: this.chk.report });
    } catch (err) {
      this.dispatch({ t: 'checkFailed', error: (err as Error).message });
    }
  }

  private async plan(): Promise<void> {
    if (!this.chk || this.chk.report.headnodes.length === 0) await this.check();
    const c = this.chk!;
    const plan = await buildPlan(this.dc, {
      rd: c.restoreData,
      inv: c.inventory,
      det: c.detection,
      strategy: this.strategy,
      ipCandidates: c.ipCandidates,
      // The check ran with the strategy chosen then; the one chosen now has its own gate.
      blocked: [
        ...c.report.problems.filter((p) => blocksRestore(p) && p.code !== 'STRATEGY_UNAVAILABLE'),
        ...strategyProblems(this.strategy),
      ],
    });
    this.dispatch({ t: 'planned', plan });
  }

  private async restore(): Promise<void> {
    const out = await runRestore({
      dc: this.dc,
      journalDir: this.o.journalDir,
      strategy: this.strategy,
      ...(this.fenced ? { fenced: this.fenced } : {}),
      ...(this.fenceMethod ? { fenceMethod: this.fenceMethod } : {}),
      ...(this.o.timing ? { timing: this.o.timing } : {}),
      probeTimeoutMs: this.o.probeTimeoutMs,
      ...(this.o.maxAgeMinutes ? { maxAgeMinutes: this.o.maxAgeMinutes } : {}),
      ...(this.o.maxVerifiedAgeHours ? { maxVerifiedAgeHours: this.o.maxVerifiedAgeHours } : {}),
      command: this.o.resumeCommand,
      ...(this.o.timeScale !== undefined ? { timeScale: this.o.timeScale } : {}),
      skip: this.skips,
      confirm: this.all
        ? undefined
        : (step, index, total) =>
            new Promise<Answer>((resolve) => {
              this.pending = resolve;
              this.dispatch({
                t: 'ask',
                prompt: { kind: 'step', alias: step.alias, service: step.service, index, total, choice: 0 },
              });
            }),
      skipReason: async () => this.skipReason,
      // binder has no quorum: the operator types the word after reading what is at risk.
      confirmNoQuorum: (risk) =>
        new Promise<boolean>((resolve) => {
          this.pendingNoQuorum = resolve;
          this.dispatch({ t: 'ask', prompt: { kind: 'no-quorum', risk, word: NO_QUORUM_WORD, typed: '' } });
        }),
      events: restoreEvents(this.dispatch, (key) => (this.failedKey = key)),
    });
    this.dispatch(restoreOutcomeEvent(out, out.failure ? undefined : this.bundle(this.o.journalDir)));
    // Also after a failure: the zones started before it are on the network, and so would be the primary's.
    this.watchAfterRestore();
  }

  /**
   * After the restore ends, the fenced primary is looked at again at once and
   * then every afterRestoreWatchMs while the console is open: a primary that
   * comes back after the last zone raises the banner here too, not only in the
   * next check from cron.
   */
  private watchAfterRestore(): void {
    if (this.afterWatch || this.returnedSaid || !this.chk) return;
    const c = this.chk;
    const look = async (): Promise<void> => {
      this.afterWatch = undefined;
      const found = await primaryReturnedNow(this.dc, c.inventory, c.detection.local.uuid, this.o.journalDir, {
        timeoutMs: this.o.probeTimeoutMs,
      }).catch(() => []);
      if (this.ended) return;
      const p = found[0];
      if (p) {
        // Said once: the banner stays until the console ends.
        this.returnedSaid = true;
        this.dispatch({ t: 'primaryReturned', problem: p });
        return;
      }
      this.afterWatch = setTimeout(() => void look(), this.o.afterRestoreWatchMs ?? 60_000);
      this.afterWatch.unref?.();
    };
    void look();
  }

  /** The incident bundle at a run's end; a failure to make it is logged, never fatal. */
  private bundle(dir: string, check?: unknown): { path: string; status: string[] } | undefined {
    try {
      const b = bundleAfterRun(dir, check);
      return b ? { path: b.path, status: b.status } : undefined;
    } catch (err) {
      this.dispatch({
        t: 'log',
        lines: [
          `could not write the incident bundle in ${dir}: ${err instanceof Error ? err.message : String(err)}; make it later: triton-recover bundle`,
        ],
        level: 'error',
      });
      return undefined;
    }
  }
}
