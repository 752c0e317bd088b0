// How state looks: words first (OK, FAIL, ...), colour only as an extra that
// --serial, --no-color and NO_COLOR switch off. ASCII unless the terminal can do better.

export interface Theme {
  color: boolean;
  ascii: boolean;
  serial: boolean;
  /** Clock refresh (ms): 1 s normally, 5 s over a serial line. */
  tickMs: number;
}

export type Tone = 'ok' | 'warn' | 'fail' | 'busy' | 'dim' | 'plain';

const COLORS: Record<Tone, string | undefined> = {
  ok: 'green',
  warn: 'yellow',
  fail: 'red',
  busy: 'cyan',
  dim: 'gray',
  plain: undefined,
};

/** Props for ink's <Text>: a colour only when colour is on. */
export function tone(t: Theme, k: Tone): { color?: string; dimColor?: boolean } {
  if (!t.color) return {};
  const c = COLORS[k];
  return c ? (k === 'dim' ? { dimColor: true } : { color: c }) : {};
}

export const STATUS_WORD = { pending: ' -- ', running: 'RUN ', done: ' OK ', failed: 'FAIL', skipped: 'SKIP' } as const;
export const STATUS_TONE: Record<keyof typeof STATUS_WORD, Tone> = {
  pending: 'dim',
  running: 'busy',
  done: 'ok',
  failed: 'fail',
  skipped: 'warn',
};

/** "> " marks the selected line as well as inverse video (never inverse alone). */
export function pointer(selected: boolean): string {
  return selected ? '> ' : '  ';
}

export function clock(ms: number, withSeconds = true): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  // Without seconds (a serial line's header) "00:00" would read as minutes and seconds, a clock that stopped: say 0h00m.
  return withSeconds ? `${hh}:${mm}:${ss}` : `${Number(hh)}h${mm}m`;
}

export function fit(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}~`;
}
