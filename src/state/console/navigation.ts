// Moving between screens: forward and back, the home menu, scrolling a long
// view. The other reducers move with these, so this file imports none of them.
import { only, type Input, type Result } from './events.js';
import { CONVERT_IDLE, type ConsoleState, type Screen } from './state.js';

export const HOME_ITEMS = [
  'Restore after a dead primary',
  'Secondary-headnode conversion',
  'Restore-readiness inspection',
  'Quit',
] as const;

/** The home key that accepts a change still in effect (listed on home when there is one). */
export const ACCEPT_KEY = 'a';

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

export function go(s: ConsoleState, screen: Screen): ConsoleState {
  return { ...s, history: [...s.history, s.screen], screen, cursor: 0, scroll: 0 };
}

export function back(s: ConsoleState): ConsoleState {
  const prev = s.history.at(-1);
  if (!prev) return s;
  return { ...s, screen: prev, history: s.history.slice(0, -1), cursor: 0, scroll: 0 };
}

/** Back to home with a fresh history (after a summary or a finished conversion). */
export function home(s: ConsoleState): ConsoleState {
  return { ...s, screen: 'home', history: [], cursor: 0 };
}

/** A job runs on the screen shown: Esc does nothing and q asks first. */
export function busyHere(s: ConsoleState): boolean {
  return (s.screen === 'run' && s.run.phase === 'running') || (s.screen === 'convert' && s.convert.phase === 'running');
}

export function onHome(s: ConsoleState, i: Input): Result {
  const n = HOME_ITEMS.length;
  if (i.t === 'up') return only({ ...s, cursor: (s.cursor + n - 1) % n });
  if (i.t === 'down') return only({ ...s, cursor: (s.cursor + 1) % n });
  // a: accept a change still in effect, typing the word shown beside it.
  const changes = s.check?.changesInEffect ?? [];
  if (i.t === 'char' && i.c === ACCEPT_KEY && changes.length > 0)
    return only({ ...s, prompt: { kind: 'accept-change', words: changes.map((c) => c.word), typed: '' } });
  const pick = i.t === 'digit' ? i.n - 1 : i.t === 'enter' ? s.cursor : -1;
  if (pick < 0 || pick >= n) return only(s);
  switch (HOME_ITEMS[pick]) {
    case 'Restore after a dead primary':
      if (s.run.phase === 'running' || s.run.phase === 'failed')
        return only({ ...s, screen: 'run', history: ['home'] });
      return only({ ...go(s, 'detect'), cursor: pick });
    case 'Restore-readiness inspection':
      return only(go(s, 'inspect'));
    case 'Secondary-headnode conversion':
      // A conversion under way is shown again; otherwise: which server?
      if (s.convert.phase === 'running') return only({ ...go(s, 'convert'), cursor: 0 });
      return only({ ...go(s, 'convert'), convert: CONVERT_IDLE, prompt: { kind: 'server', typed: '' } });
    default:
      return only(s, { t: 'exit' });
  }
}

/**
 * Scrolling within what the screen measured (maxScroll); the run's log is
 * drawn by its view from the bottom, so it scrolls within the log's length.
 */
export function scroll(s: ConsoleState, i: Input): Result {
  const page = 10;
  const max = s.screen === 'run' ? s.run.log.length : s.maxScroll;
  const to = (n: number): Result => only({ ...s, scroll: clamp(n, 0, Math.max(0, max)) });
  switch (i.t) {
    case 'up':
      return to(s.scroll - 1);
    case 'down':
      return to(s.scroll + 1);
    case 'pageUp':
      return to(s.scroll - page);
    case 'pageDown':
      return to(s.scroll + page);
    case 'top':
      return to(0);
    case 'bottom':
      return to(max);
    default:
      return only(s);
  }
}
