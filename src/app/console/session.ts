// The console's link to the engine: it runs check, plan and restore for the
// screens, turns engine events into console events, and answers the engine's
// questions with what the operator chose. The screens never call remote/.
import { strategyProblems } from '../../state/strategy-gate.js';
import type { Dc } from '../../remote/dc.js';
import { blocksRestore } from '../../state/problem.js';
import type { Effect, Event, RunService } from '../../state/console.js';
import { describeAction, type Strategy } from '../../state/plan.js';
import { runCheck, type CheckResult } from '../../steps/check.js';
import { buildPlan } from '../../steps/plan.js';
import { NO_QUORUM_WORD } from '../../steps/recovery-lock.js';
import { runRestore, type Answer, type RestoreOptions } from '../../steps/restore.js';
import { describeConvertAction } from '../../state/convert-describe.js';
import type { ConvertTiming } from '../../steps/convert/index.js';
import { checkConvert, formatConvertText } from '../../steps/convert.js';
import { convertJournalDir, convertUnderWay, runConvert, type ConvertAnswer } from '../../steps/convert-run.js';
import { EXIT } from '../../state/exit-codes.js';
import { problemLines } from '../../state/problem.js';

export interface SessionOptions {
  journalDir: string;
  timing: RestoreOptions['timing'];
  probeTimeoutMs: number;
  maxAgeMinutes?: number;
  /** How a rerun is typed by hand, for "resume with ...". */
  resumeCommand: string;
  convertTiming?: Partial<ConvertTiming>;
}

export class ConsoleSession {
  private chk: CheckResult | undefined;
  private strategy: Strategy = 'reuse';
  private fenced: string | undefined;
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
      p.catch((err: unknown) => this.dispatch({ t: 'log', lines: [`internal error: ${(err as Error).message}`], level: 'error' }));
    };
    switch (e.t) {
      case 'check':
        return run(this.check());
      case 'plan':
        this.strategy = e.strategy;
        return run(this.plan());
      case 'startRun':
        this.fenced = e.fenced;
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
          this.dispatch({ t: 'finished', outcome: { exitCode: EXIT.failed, message: 'stopped after a failure', next: `resume later: ${this.o.resumeCommand} (or reopen the console)` } });
          return;
        }
        if (e.choice === 'skip' && this.failedKey) this.skips.push({ key: this.failedKey, reason: e.reason ?? 'skipped after a failure' });
        return run(this.restore());
      case 'convertCheck':
        this.convertServer = e.server;
        return run(this.convertCheck(e.server));
      case 'startConvert':
        // Whatever goes wrong, the screen must leave "running".
        return run(this.convert().catch((err: unknown) => this.dispatch({ t: 'convertFinished', exitCode: EXIT.internal, message: `internal error: ${(err as Error).message}`, next: 'rerun: the journal keeps what was done' })));
      case 'convertAnswer': {
        const p = this.convertPending;
        this.convertPending = undefined;
        p?.(e.answer);
        return;
      }
      case 'exit':
        this.exitResolve?.();
        return;
    }
  }

  private async convertCheck(server: string): Promise<void> {
    try {
      const c = await checkConvert(this.dc, server, this.o.probeTimeoutMs);
      const t = c.facts.target;
      const underWay = t ? convertUnderWay(this.o.journalDir, t.uuid) : false;
      const text = underWay
        ? [`A conversion of ${t!.hostname} is under way (journal ${convertJournalDir(this.o.journalDir, t!.uuid)}).`, 'Enter resumes it: finished steps are not repeated, the rest is checked before it runs.']
        : formatConvertText(c).trimEnd().split('\n');
      const runnable = underWay || (c.plan !== undefined && !c.problems.some((p) => p.severity === 'critical'));
      this.dispatch({ t: 'convertChecked', text, runnable });
    } catch (err) {
      this.dispatch({ t: 'convertChecked', text: [`cannot check ${server}: ${(err as Error).message}`], runnable: false });
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
          this.dispatch({ t: 'ask', prompt: { kind: 'convert-step', title: step.title, index, total, choice: 0, commands: [...step.notes.map((n) => `note: ${n}`), ...step.actions.map((a) => describeConvertAction(a))] } });
        }),
      events: {
        stepStart: (_s, i) => this.dispatch({ t: 'convertStep', index: i, status: 'running' }),
        actionStart: (a) => this.dispatch({ t: 'convertAction', summary: `${a.summary}   ${describeConvertAction(a)}` }),
        actionEnd: (a, r) => {
          this.dispatch({ t: 'convertAction', summary: undefined });
          this.dispatch({ t: 'convertLog', lines: [`${r.ok ? (r.skipped ? 'skip' : 'ok  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : r.ok ? `: ${r.detail}` : ''} ${(r.ms / 1000).toFixed(1)}s`], level: r.ok ? 'detail' : 'error' });
        },
        stepEnd: (s, i, status) => {
          this.dispatch({ t: 'convertStep', index: i, status });
          this.dispatch({ t: 'convertLog', lines: [`${status.toUpperCase().padEnd(7)} ${s.title}`], level: status === 'failed' ? 'error' : 'result' });
        },
        planned: (plan, done) => {
          this.dispatch({ t: 'convertStarted', steps: plan.steps.map((x) => x.title), done });
        },
      },
    });
    if (out.failure) this.dispatch({ t: 'convertLog', lines: [`FAILED on ${out.failure.host}: ${out.failure.command}`, ...out.failure.output.split('\n').slice(0, 5).map((l) => `  | ${l}`)], level: 'error' });
    for (const p of out.problems) this.dispatch({ t: 'convertLog', lines: [problemLines(p).line], level: 'error' });
    this.dispatch({ t: 'convertFinished', exitCode: out.exitCode, message: out.message, ...(out.next ? { next: out.next } : {}) });
  }

  async check(): Promise<void> {
    this.dispatch({ t: 'loading', what: 'detecting the primary and checking readiness' });
    try {
      this.chk = await runCheck(this.dc, {
        strategy: this.strategy,
        journalDir: this.o.journalDir,
        timeoutMs: this.o.probeTimeoutMs,
        ...(this.o.maxAgeMinutes ? { maxAgeMinutes: this.o.maxAgeMinutes } : {}),
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
      blocked: [...c.report.problems.filter((p) => blocksRestore(p) && p.code !== 'STRATEGY_UNAVAILABLE'), ...strategyProblems(this.strategy)],
    });
    this.dispatch({ t: 'planned', plan });
  }

  private async restore(): Promise<void> {
    const now = (): number => Date.now();
    const out = await runRestore({
      dc: this.dc,
      journalDir: this.o.journalDir,
      strategy: this.strategy,
      ...(this.fenced ? { fenced: this.fenced } : {}),
      ...(this.o.timing ? { timing: this.o.timing } : {}),
      probeTimeoutMs: this.o.probeTimeoutMs,
      ...(this.o.maxAgeMinutes ? { maxAgeMinutes: this.o.maxAgeMinutes } : {}),
      command: this.o.resumeCommand,
      skip: this.skips,
      confirm: this.all ? undefined : (step, index, total) =>
        new Promise<Answer>((resolve) => {
          this.pending = resolve;
          this.dispatch({ t: 'ask', prompt: { kind: 'step', alias: step.alias, service: step.service, index, total, choice: 0 } });
        }),
      skipReason: async () => this.skipReason,
      // binder has no quorum: the operator types the word after reading what is at risk.
      confirmNoQuorum: (risk) =>
        new Promise<boolean>((resolve) => {
          this.pendingNoQuorum = resolve;
          this.dispatch({ t: 'ask', prompt: { kind: 'no-quorum', risk, word: NO_QUORUM_WORD, typed: '' } });
        }),
      events: {
        phase: (text) => this.dispatch({ t: 'phase', text }),
        plan: (plan, _resumed, finished) => {
          const services: RunService[] = plan.steps.map((s) => {
            const key = `${s.service}/${s.alias}`;
            const f = finished.get(key)?.status;
            return { key, service: s.service, alias: s.alias, status: f === 'done' ? 'done' : f === 'skipped' ? 'skipped' : 'pending' };
          });
          this.dispatch({ t: 'runStarted', services, now: now() });
        },
        serviceStart: (s) => this.dispatch({ t: 'serviceStart', key: `${s.service}/${s.alias}`, now: now() }),
        actionStart: (a) => this.dispatch({ t: 'actionStart', alias: a.id.split('/')[1] ?? '', summary: a.summary, command: `${a.host}$ ${describeAction(a)}`, now: now() }),
        actionEnd: (a, r) =>
          this.dispatch({
            t: 'log',
            lines: [`${r.ok ? (r.skipped ? 'skip' : 'ok  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : ''} ${(r.ms / 1000).toFixed(1)}s`],
            level: r.ok ? 'detail' : 'error',
          }),
        output: (_a, stdout, stderr) => {
          const lines = `${stdout}${stderr}`.split('\n').filter((l) => l.trim() !== '').slice(-5).map((l) => `  | ${l}`);
          if (lines.length > 0) this.dispatch({ t: 'log', lines });
        },
        serviceEnd: (s, status, detail) => {
          if (status === 'failed') this.failedKey = `${s.service}/${s.alias}`;
          this.dispatch({ t: 'serviceEnd', key: `${s.service}/${s.alias}`, status });
          this.dispatch({ t: 'log', lines: [`${status.toUpperCase().padEnd(7)} ${s.alias} ${s.uuid}${detail ? `: ${detail}` : ''}`], level: status === 'failed' ? 'error' : 'result' });
        },
      },
    });
    if (out.failure) {
      const f = out.failure;
      this.dispatch({ t: 'failed', failure: { what: out.message, host: f.host, command: f.command, output: f.output, hint: f.hint } });
      return;
    }
    const problems = out.problems.map((p) => `${p.code}: ${p.message}`);
    this.dispatch({
      t: 'finished',
      outcome: {
        exitCode: out.exitCode,
        message: [out.message, ...problems].join('\n'),
        ...(out.next ? { next: out.next } : {}),
        ...(out.report ? { report: out.report.md } : {}),
      },
    });
  }
}
