// The two refusals the console asks before a restore: why the dead primary's
// hostname must be typed, and how many problems block the run. Both come from
// the restore's own gate (state/restore-gate.ts), so the console and the CLI
// refuse for the same reasons.
import { blockingProblems, fencingNeed } from '../restore-gate.js';
import type { ConsoleState } from './state.js';

/**
 * The dead primary's hostname is typed before any run: reuse takes over its
 * identities, weak evidence needs a person's word, and every restore ends by
 * releasing its records in NAPI and CNAPI.
 */
export function fencingReason(s: ConsoleState): string {
  return fencingNeed(s.check?.primary ?? undefined, s.strategy).why;
}

/** What blocks a restore here: the console always asks for the fence before it runs, so what fencing answers does not count. */
export function criticalCount(s: ConsoleState): number {
  return blockingProblems(s.check?.problems ?? [], { fenced: true }).length;
}
