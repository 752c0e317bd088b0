// The choices of the console's questions, each once: its answer, the letters
// that pick it, and the words that explain it. The reducer picks by these
// letters, the prompt line and the help screen print them, so a key and its
// label cannot drift apart (lazygit's Binding{Key, Handler, Description}).

import type { FenceMethod } from './fence.js';

export interface Choice<Id extends string = string> {
  id: Id;
  /** Letters that pick it, the first one shown. */
  keys: string;
  /** What it does, after the letter: "skip (asks why)". */
  hint: string;
}

export const STEP_CHOICES = [
  { id: 'go', keys: 'g', hint: 'go' },
  { id: 'skip', keys: 's', hint: 'skip (asks why)' },
  { id: 'all', keys: 'a', hint: 'all the rest' },
  { id: 'pause', keys: 'p', hint: 'pause' },
] as const satisfies readonly Choice[];

export const FAILURE_CHOICES = [
  { id: 'retry', keys: 'r', hint: 'retry' },
  { id: 'skip', keys: 's', hint: 'skip' },
  // t for "stop" too: s is taken by skip.
  { id: 'stop', keys: 'xt', hint: 'stop' },
] as const satisfies readonly Choice[];

export const CONVERT_CHOICES = [
  { id: 'go', keys: 'g', hint: 'go' },
  { id: 'stop', keys: 's', hint: 'stop (resume later: finished steps are not repeated)' },
] as const satisfies readonly Choice[];

/** How the dead primary was fenced (state/fence.ts); the letters are the methods' first letters. */
export const FENCE_CHOICES = [
  { id: 'bmc-off', keys: 'b', hint: 'powered off through its BMC' },
  { id: 'cables', keys: 'c', hint: 'its network cables pulled' },
  { id: 'no-pool-import', keys: 'i', hint: 'booted without importing its zones pool' },
] as const satisfies readonly Choice<FenceMethod>[];

/** Shown in this order: "no" first, the safe default. */
export const YES_NO = [
  { id: 'no', keys: 'n', hint: 'no' },
  { id: 'yes', keys: 'y', hint: 'yes' },
] as const satisfies readonly Choice[];

/** The choice a letter picks, or -1. */
export function choiceByKey(list: readonly Choice[], letter: string): number {
  const c = letter.toLowerCase();
  return list.findIndex((x) => x.keys.includes(c));
}

/** "g go  s skip (asks why)  a all the rest  p pause" */
export function choiceHints(list: readonly Choice[], sep = '  '): string {
  return list.map((x) => `${x.keys[0]} ${x.hint}`).join(sep);
}
