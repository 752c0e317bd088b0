import { describe, expect, it } from 'vitest';
import { applyTerminalSize, detectTerminal, isBasicTerm, isUtf8Locale, sttyHint } from '../../src/screens/terminal.js';

const xterm = { TERM: 'xterm-256color', LANG: 'en_US.UTF-8' };
const tty = { isTTY: true, rows: 40, columns: 120 };

describe('detectTerminal', () => {
  it('gives a UTF-8 xterm with a size the full treatment', () => {
    expect(detectTerminal({}, xterm, tty)).toEqual({
      serial: false,
      ascii: false,
      color: true,
      altScreen: false,
      rows: 40,
      cols: 120,
      sizeGuessed: false,
    });
  });

  it('--serial means ASCII, no colour, and serial (no animation)', () => {
    const t = detectTerminal({ serial: true }, xterm, tty);
    expect(t).toMatchObject({ serial: true, ascii: true, color: false, altScreen: false });
  });

  it.each(['vt100', 'vt220', 'VT102', 'linux', 'dumb', 'ansi', 'unknown', '', undefined])(
    'TERM=%s is serial-like',
    (term) => {
      const t = detectTerminal({}, { ...xterm, TERM: term }, tty);
      expect(t).toMatchObject({ serial: true, ascii: true, color: false });
    },
  );

  it.each(['xterm', 'screen-256color', 'tmux-256color', 'rxvt-unicode', 'xterm-color'])('TERM=%s is not', (term) => {
    expect(detectTerminal({}, { ...xterm, TERM: term }, tty).serial).toBe(false);
  });

  it('honours NO_COLOR when non-empty only, and --no-color', () => {
    expect(detectTerminal({}, { ...xterm, NO_COLOR: '1' }, tty).color).toBe(false);
    expect(detectTerminal({}, { ...xterm, NO_COLOR: '' }, tty).color).toBe(true);
    const t = detectTerminal({ noColor: true }, xterm, tty);
    expect(t).toMatchObject({ color: false, ascii: false, serial: false });
  });

  it('uses ASCII unless the first non-empty locale variable says UTF-8', () => {
    expect(detectTerminal({}, { TERM: 'xterm', LANG: 'C' }, tty).ascii).toBe(true);
    expect(detectTerminal({}, { TERM: 'xterm' }, tty).ascii).toBe(true);
    expect(detectTerminal({}, { TERM: 'xterm', LC_ALL: 'C', LANG: 'en_US.UTF-8' }, tty).ascii).toBe(true);
    expect(detectTerminal({}, { TERM: 'xterm', LC_ALL: '', LC_CTYPE: 'C.utf8', LANG: 'C' }, tty).ascii).toBe(false);
    expect(detectTerminal({ ascii: true }, xterm, tty)).toMatchObject({ ascii: true, color: true, serial: false });
  });

  it('has no colour when stdout is not a terminal', () => {
    expect(detectTerminal({}, xterm, { isTTY: false }).color).toBe(false);
  });

  it('falls back to LINES/COLUMNS, then 24x80, when the tty reports 0', () => {
    const fromEnv = detectTerminal({}, { ...xterm, LINES: '50', COLUMNS: '132' }, { isTTY: true, rows: 0, columns: 0 });
    expect(fromEnv).toMatchObject({ rows: 50, cols: 132, sizeGuessed: true });
    const guessed = detectTerminal({}, { ...xterm, LINES: 'x', COLUMNS: '0' }, { isTTY: true, rows: 0, columns: 0 });
    expect(guessed).toMatchObject({ rows: 24, cols: 80, sizeGuessed: true });
    expect(detectTerminal({}, xterm, { isTTY: false })).toMatchObject({ rows: 24, cols: 80, sizeGuessed: true });
  });

  it('treats an unsized tty as a serial line', () => {
    const t = detectTerminal({}, xterm, { isTTY: true, rows: 0, columns: 80 });
    expect(t).toMatchObject({ serial: true, ascii: true, color: false, rows: 24, cols: 80, sizeGuessed: true });
  });

  it('keeps a size the tty reports over LINES/COLUMNS', () => {
    expect(detectTerminal({}, { ...xterm, LINES: '50' }, tty)).toMatchObject({ rows: 40, sizeGuessed: false });
  });
});

describe('applyTerminalSize', () => {
  it('sets rows and columns only where they are 0 or missing', () => {
    const out: { rows?: number; columns?: number } = { rows: 0 };
    expect(applyTerminalSize(out, 24, 80)).toBe(true);
    expect(out).toEqual({ rows: 24, columns: 80 });
    const sized = { rows: 30, columns: 100 };
    expect(applyTerminalSize(sized, 24, 80)).toBe(false);
    expect(sized).toEqual({ rows: 30, columns: 100 });
  });
});

describe('helpers', () => {
  it('isBasicTerm / isUtf8Locale / sttyHint', () => {
    expect(isBasicTerm('vt100')).toBe(true);
    expect(isBasicTerm('xterm')).toBe(false);
    expect(isUtf8Locale({ LANG: 'de_DE.utf8' })).toBe(true);
    expect(isUtf8Locale({ LANG: 'POSIX' })).toBe(false);
    expect(sttyHint({ rows: 24, cols: 80 })).toBe('stty rows 24 cols 80');
  });
});
