// Keys -> what they mean. Arrows and j/k, Enter, Esc/q back, ? help, digits
// for menu items (some serial terminals mangle arrows), g/G top/bottom.
import type { Key } from 'ink';
import type { Input } from '../state/console/index.js';

/**
 * One chunk of input as single keys. Pasted text, a fast typist or a serial
 * line deliver several characters at once: each counts, Enter included.
 */
export function splitChunk(input: string, key: Key): { input: string; key: Key }[] {
  const special = key.upArrow || key.downArrow || key.pageUp || key.pageDown || key.escape || key.backspace || key.delete || key.ctrl || key.meta;
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
  switch (input) {
    case 'k':
      return { t: 'up' };
    case 'j':
      return { t: 'down' };
    case 'g':
      return { t: 'top' };
    case 'G':
      return { t: 'bottom' };
    case '?':
      return { t: 'help' };
    case 'q':
      return { t: 'quit' };
    case ' ':
      return { t: 'pageDown' };
    case 'b':
      return { t: 'pageUp' };
  }
  if (/[0-9]/.test(input)) return { t: 'digit', n: Number(input) };
  return { t: 'char', c: input };
}
