// What every restore action runs with: the DC, the clocks (poll, health
// deadline, command deadline), the stop signal and where output goes. Apart
// from actions.ts so the health wait (wait-healthy.ts) shares it without a cycle.
import type { Dc } from '../remote/dc.js';
import type { PlanAction } from '../state/plan-action.js';

export interface Timing {
  /** Between health polls. */
  pollMs: number;
  /** How long a zone gets to become healthy after its first boot starts. */
  healthTimeoutMs: number;
  /** Deadline of one command or HTTP call. */
  commandTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = { pollMs: 1_000, healthTimeoutMs: 10 * 60_000, commandTimeoutMs: 10 * 60_000 };

export interface ActionContext {
  dc: Dc;
  timing: Timing;
  signal?: AbortSignal;
  /** Command output, for the journal transcript and the log pane. */
  onOutput?: (a: PlanAction, stdout: string, stderr: string) => void;
}
