// The two refusals the console asks before a restore: why the dead primary's
// hostname must be typed, and how many problems block the run. Small and
// apart so the gate they come from can change without touching a reducer.
import { blocksRestore } from '../problem.js';
import { fencingWhy } from '../strategies.js';
import type { ConsoleState } from './state.js';

/**
 * The dead primary's hostname is typed before any run: reuse takes over its
 * identities, weak evidence needs a person's word, and every restore ends by
 * releasing its records in NAPI and CNAPI.
 */
export function fencingReason(s: ConsoleState): string {
  return fencingWhy(s.check?.primary?.hostname ?? 'the dead primary', s.strategy, s.check?.primary?.state === 'uncertain');
}

export function criticalCount(s: ConsoleState): number {
  return (s.check?.problems ?? []).filter((p) => blocksRestore(p) && !(p.code === 'PRIMARY_UNCERTAIN')).length;
}
