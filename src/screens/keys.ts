// Keys -> what they mean. Arrows and j/k, Enter, Esc/q back, ? help, digits
// for menu items (some serial terminals mangle arrows), g/G top/bottom. The
// letters and the help's words for them are one table (KEYS), so the help
// screen cannot promise a key this file does not read.
import type { Key } from 'ink';
import type { Input } from '../state/console/index.js';

export interface KeyHelp {
  /** As the help screen names them: "Up/Down, k/j". */
  keys: string;
  does: string;
  /** The letters among them, outside a question, and what each means. */
  letters?: Record<string, Input>;
}

/** Every key outside a question, in the help screen's order. */
export const KEYS: readonly KeyHelp[] = [
  { keys: 'Up/Down, k/j', does: 'move; scroll long views', letters: { k: { t: 'up' }, j: { t: 'down' } } },
  { keys: '1-9', does: 'pick a menu item or a choice' },
  { keys: 'Enter', does: 'select, confirm, go on' },
  { keys: 'Esc, q', does: 'back; q on the home screen quits', letters: { q: { t: 'quit' } } },
  { keys: 'space, b', does: 'page down, page up', letters: { ' ': { t: 'pageDown' }, b: { t: 'pageUp' } } },
  { keys: 'g, G', does: 'top, bottom', letters: { g: { t: 'top' }, G: { t: 'bottom' } } },
  { keys: 'a', does: 'on home: accept a change still in effect as it is (type its word)' },
  { keys: '?', does: 'this help (any key closes it)', letters: { '?': { t: 'help' } } },
  { keys: 'Ctrl-C', does: 'quit (asks while a restore runs)' },
];

const LETTERS: ReadonlyMap<string, Input> = new Map(KEYS.flatMap((k) => Object.entries(k.letters ?? {})));

/**
 * One chunk of input as single keys. Pasted text, a fast typist or a serial
 * line deliver several characters at once: each counts, Enter included.
 */
export function splitChunk(input: string, key: Key): { input: string; key: Key }[] {
  const special =
    key.upArrow ||
    key.downArrow ||
    key.pageUp ||
    key.pageDown ||
    key.escape ||
    key.backspace ||
    key.delete ||
    key.ctrl ||
    key.meta;
  if (special || [...input].length <= 1) return [{ input, key }];
  return [...input].map((ch) => ({
    input: ch === '\r' || ch === '\n' || ch === '\x7f' || ch === '\b' ? '' : ch,
    key: { ...key, return: ch === '\r' || ch === '\n', backspace: ch === '\x7f' || ch === '\b' },
  }));
}

/** `typing`: a text field has the focus, so letters are text, not commands. */
export function toInput(input: string, key: Key, typing: boolean): Input | undefined {
  if (key.upArrow) return { t: 'up' };
  if (key.downArrow) return { t: 'down' };
  if (key.pageUp) return { t: 'pageUp' };
  if (key.pageDown) return { t: 'pageDown' };
  if (key.return) return { t: 'enter' };
  if (key.escape) return { t: 'back' };
  if (key.backspace || key.delete) return { t: 'backspace' };
  if (key.ctrl && input === 'c') return { t: 'quit' };
  if (key.ctrl || key.meta || input.length !== 1) return undefined;
  if (typing) return /[0-9]/.test(input) ? { t: 'digit', n: Number(input) } : { t: 'char', c: input };
  const letter = LETTERS.get(input);
  if (letter) return letter;
  if (/[0-9]/.test(input)) return { t: 'digit', n: Number(input) };
  return { t: 'char', c: input };
}
