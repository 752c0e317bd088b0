// What the terminal can do, decided once before ink starts (design §9,
// tui-notes §4). A serial console at 3 a.m. is the case that must work: plain
// ASCII, no colour, no animation, and a size even when the tty reports none.

export interface TerminalFlags {
  /** --serial: ASCII, no colour, no animation. */
  serial?: boolean;
  /** --ascii: ASCII glyphs only. */
  ascii?: boolean;
  /** --no-color. */
  noColor?: boolean;
}

export interface TerminalStdout {
  isTTY?: boolean;
  rows?: number;
  columns?: number;
}

export interface TerminalInfo {
  /** Serial-like: no animation, redraw as little as possible. Implies ascii and no colour. */
  serial: boolean;
  ascii: boolean;
  color: boolean;
  /** Never by default: a VT100 ignores it and on xterm the record is lost at exit. */
  altScreen: false;
  rows: number;
  cols: number;
  /** The tty reported no size, so the UI should show `stty rows R cols C`. */
  sizeGuessed: boolean;
}

type Env = Record<string, string | undefined>;

// Terminals with no colour, no Unicode font, or no cursor hiding (vt100).
const BASIC_TERM = /^(vt1|vt2|dumb|ansi|linux)/i;
const DEFAULT_ROWS = 24;
const DEFAULT_COLS = 80;

/** Unset, empty, "unknown" or a basic terminal type. */
export function isBasicTerm(term: string | undefined): boolean {
  return !term || term === 'unknown' || BASIC_TERM.test(term);
}

/** The first non-empty of LC_ALL, LC_CTYPE, LANG names UTF-8. */
export function isUtf8Locale(env: Env): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

function positive(n: number | string | undefined): number | undefined {
  const v = typeof n === 'string' ? Number.parseInt(n, 10) : n;
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

export function detectTerminal(flags: TerminalFlags, env: Env, stdout: TerminalStdout): TerminalInfo {
  const ttyRows = positive(stdout.rows);
  const ttyCols = positive(stdout.columns);
  // A tty that reports 0 rows is one nobody ran stty on: almost always a serial line.
  const unsizedTty = stdout.isTTY === true && (ttyRows === undefined || ttyCols === undefined);
  const serial = flags.serial === true || isBasicTerm(env.TERM) || unsizedTty;
  const ascii = serial || flags.ascii === true || !isUtf8Locale(env);
  // chalk ignores NO_COLOR, so the theme must (no-color.org: present and non-empty).
  const color = !serial && flags.noColor !== true && !env.NO_COLOR && stdout.isTTY === true;
  return {
    serial,
    ascii,
    color,
    altScreen: false,
    rows: ttyRows ?? positive(env.LINES) ?? DEFAULT_ROWS,
    cols: ttyCols ?? positive(env.COLUMNS) ?? DEFAULT_COLS,
    sizeGuessed: ttyRows === undefined || ttyCols === undefined,
  };
}

/**
 * Gives stdout a size when the tty reports 0 (or none): ink 6.8 treats
 * rows = 0 as full screen and clears and repaints on every frame. Call before
 * render(). Returns whether anything was set.
 */
export function applyTerminalSize(stdout: { rows?: number; columns?: number }, rows: number, cols: number): boolean {
  let changed = false;
  if (!positive(stdout.rows)) {
    stdout.rows = rows;
    changed = true;
  }
  if (!positive(stdout.columns)) {
    stdout.columns = cols;
    changed = true;
  }
  return changed;
}

/** The hint shown when the size was guessed. */
export const sttyHint = (info: Pick<TerminalInfo, 'rows' | 'cols'>) => `stty rows ${info.rows} cols ${info.cols}`;
