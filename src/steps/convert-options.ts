// What a conversion run is given (the DC, the journal's place, the operator's
// answers, event hooks) and what it ends with: the contract between
// runConvert (convert-run.ts), its step loop (convert-steps.ts) and the callers.
import type { Dc } from '../remote/dc.js';
import type { ConvertProblem } from '../state/convert-checks.js';
import type { ConvertAction } from '../state/convert-action.js';
import type { ConvertPlan, ConvertStepPlan } from '../state/convert-plan.js';
import type { EXIT } from '../state/exit-codes.js';
import type { ConvertTiming } from './convert/index.js';
import type { ActionFailed } from './procedure/action-failed.js';
import type { ConvertCheck } from './convert.js';

export type ConvertAnswer = 'go' | 'stop';

export interface ConvertEvents {
  checked?(c: ConvertCheck, resumed: boolean): void;
  /** The plan that runs (new or journaled), and the indexes of steps already done. */
  planned?(plan: ConvertPlan, done: number[]): void;
  stepStart?(s: ConvertStepPlan, index: number, total: number): void;
  actionStart?(a: ConvertAction): void;
  actionEnd?(a: ConvertAction, r: { ok: boolean; skipped: boolean; detail: string; ms: number }): void;
  output?(a: ConvertAction, text: string): void;
  stepEnd?(s: ConvertStepPlan, index: number, status: 'done' | 'failed', detail: string): void;
}

export interface ConvertOptions {
  dc: Dc;
  journalDir: string;
  server: string;
  command: string;
  /** Asked before each step; absent (--yes): every step runs. */
  confirm?: (s: ConvertStepPlan, index: number, total: number) => Promise<ConvertAnswer>;
  events?: ConvertEvents;
  timing?: Partial<ConvertTiming>;
  probeTimeoutMs?: number;
  signal?: AbortSignal;
  /** binder has no quorum: may the per-headnode lock stand in (recovery-lock.ts)? Absent = no. */
  confirmNoQuorum?: (atRisk: string) => Promise<boolean>;
}

export interface ConvertOutcome {
  exitCode: typeof EXIT.ok | typeof EXIT.blocked | typeof EXIT.failed;
  message: string;
  next?: string;
  problems: ConvertProblem[];
  check?: ConvertCheck;
  plan?: ConvertPlan;
  failure?: ActionFailed;
}
