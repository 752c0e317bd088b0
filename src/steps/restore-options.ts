// What a restore is given and what it answers: its options, the events the
// console and the CLI follow it by, the operator's answers, and its outcome.
import type { Dc } from '../remote/dc.js';
import type { Problem } from '../state/problem.js';
import type { Plan, PlanAction, PlanStep, Strategy } from '../state/plan.js';
import type { RunExit } from '../state/exit-codes.js';
import type { Timing } from './actions.js';
import type { ActionFailed } from './procedure/action-failed.js';
import type { ActionResult } from './procedure/run-action.js';
import type { ServiceOutcome } from './report.js';
import type { FenceMethod } from '../state/fence.js';

export type Answer = 'go' | 'skip' | 'all' | 'pause';

export interface RestoreEvents {
  phase?(text: string): void;
  /** Something about the journal the operator must know (set aside, damaged lines). */
  notice?(text: string): void;
  /** `finished`: services ("sapi/sapi0") an earlier run completed or skipped, with how. */
  plan?(plan: Plan, resumed: boolean, finished: ReadonlyMap<string, { status: string }>): void;
  serviceStart?(step: PlanStep, index: number, total: number): void;
  actionStart?(a: PlanAction): void;
  actionEnd?(a: PlanAction, r: ActionResult): void;
  output?(a: PlanAction, stdout: string, stderr: string): void;
  serviceEnd?(step: PlanStep, status: ServiceOutcome['status'], detail: string): void;
  /** The fenced primary was seen alive again during the run (PRIMARY_RETURNED: what, and what to do). */
  primaryReturned?(problem: Problem): void;
}

export interface RestoreOptions {
  dc: Dc;
  journalDir: string;
  strategy: Strategy;
  only?: string[];
  /** The dead primary's hostname, typed by the operator. */
  fenced?: string;
  /** How the operator says it was fenced (journaled, in the report); absent: not stated. */
  fenceMethod?: FenceMethod;
  /** Ask before each service; without it (or with 'all') the run goes on by itself. */
  confirm?: (step: PlanStep, index: number, total: number) => Promise<Answer>;
  /** A reason for a skip, asked when the operator skips. */
  skipReason?: (step: PlanStep) => Promise<string>;
  events?: RestoreEvents;
  timing?: Partial<Timing>;
  /** Detection probe deadline. */
  probeTimeoutMs?: number;
  maxAgeMinutes?: number;
  /** --max-verified-age (hours): RESTORE_DATA_UNVERIFIED beyond it, in the restore's own check. */
  maxVerifiedAgeHours?: number;
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
  /** A drill in the simulator at --sim-speed N: journaled, and the report and bundle read times N times longer. */
  timeScale?: number;
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
