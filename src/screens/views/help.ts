// The key help (`?`): the keys every screen knows, then the choices of the
// run's questions, printed from the tables keys.ts and the reducer read.
import type { ConsoleState } from '../../state/console/index.js';
import { FAILURE_CHOICES, STEP_CHOICES, choiceHints } from '../../state/choices.js';
import { KEYS } from '../keys.js';
import { blank, L, type Line, type ViewCtx } from './line.js';

export const HELP: [string, string][] = [
  ...KEYS.map((k): [string, string] => [k.keys, k.does]),
  ['', ''],
  ['During a restore', choiceHints(STEP_CHOICES, ', ')],
  ['After a failure', choiceHints(FAILURE_CHOICES, ', ')],
  ['', ''],
  ['Quitting is safe', 'the journal keeps every step; reopen to resume'],
];

export function helpView(_s: ConsoleState, _c: ViewCtx): Line[] {
  return [L('Keys', 'plain'), blank, ...HELP.map(([k, v]) => L(k ? `  ${k.padEnd(18)} ${v}` : ''))];
}
