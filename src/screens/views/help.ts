// The key help (`?`): the keys every screen knows, then the choices of the
// run's questions, printed from the tables the reducer picks by.
import type { ConsoleState } from '../../state/console/index.js';
import { FAILURE_CHOICES, STEP_CHOICES, choiceHints } from '../../state/choices.js';
import { blank, L, type Line, type ViewCtx } from './line.js';

export const HELP: [string, string][] = [
  ['Up/Down, k/j', 'move; scroll long views'],
  ['1-9', 'pick a menu item or a choice'],
  ['Enter', 'select, confirm, go on'],
  ['Esc, q', 'back; q on the home screen quits'],
  ['space, b', 'page down, page up'],
  ['g, G', 'top, bottom'],
  ['?', 'this help (any key closes it)'],
  ['Ctrl-C', 'quit (asks while a restore runs)'],
  ['', ''],
  ['During a restore', choiceHints(STEP_CHOICES, ', ')],
  ['After a failure', choiceHints(FAILURE_CHOICES, ', ')],
  ['', ''],
  ['Quitting is safe', 'the journal keeps every step; reopen to resume'],
];

export function helpView(_s: ConsoleState, _c: ViewCtx): Line[] {
  return [L('Keys', 'plain'), blank, ...HELP.map(([k, v]) => L(k ? `  ${k.padEnd(18)} ${v}` : ''))];
}
