// The keys table: every letter the help names is read by toInput as what the
// table says, and nothing the help does not name is a command letter.
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { KEYS, toInput } from '../../src/screens/keys.js';
import { HELP } from '../../src/screens/views/help.js';

const plain: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('keys', () => {
  it('each letter of the table means what the table says, outside a question only', () => {
    for (const k of KEYS) {
      for (const [letter, input] of Object.entries(k.letters ?? {})) {
        expect(toInput(letter, plain, false)).toEqual(input);
        expect(HELP.some(([keys]) => keys === k.keys)).toBe(true);
      }
    }
    expect(toInput('q', plain, true)).toEqual({ t: 'char', c: 'q' });
  });

  it('the command letters: k/j move, g/G top/bottom, space/b page, ? help, q quit', () => {
    const read = (c: string) => toInput(c, plain, false);
    expect(['k', 'j', 'g', 'G', ' ', 'b', '?', 'q'].map(read)).toEqual([
      { t: 'up' },
      { t: 'down' },
      { t: 'top' },
      { t: 'bottom' },
      { t: 'pageDown' },
      { t: 'pageUp' },
      { t: 'help' },
      { t: 'quit' },
    ]);
  });

  it('other letters are characters and digits pick by number', () => {
    expect(toInput('x', plain, false)).toEqual({ t: 'char', c: 'x' });
    expect(toInput('3', plain, false)).toEqual({ t: 'digit', n: 3 });
  });

  it('the help screen lists the keys, then the choices of the questions', () => {
    expect(HELP.slice(0, 9).map(([k]) => k)).toEqual([
      'Up/Down, k/j',
      '1-9',
      'Enter',
      'Esc, q',
      'space, b',
      'g, G',
      'a',
      '?',
      'Ctrl-C',
    ]);
    expect(HELP).toContainEqual(['During a restore', 'g go, s skip (asks why), a all the rest, p pause']);
  });
});
