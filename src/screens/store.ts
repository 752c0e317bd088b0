// Holds the console state outside React: events go through the pure reducer,
// the effects it asks for go to the session. Screens subscribe and render.
//
// On a serial line a key must show at once, while the engine's stream of
// events may not fill the line: with `engineFrameMs`, what the engine changes
// is shown at most that often (coalesced), and a key's change (with whatever
// the engine changed before it) is shown immediately.
import { reduce, type ConsoleState, type Effect, type Event } from '../state/console/index.js';

export interface Store {
  get(): ConsoleState;
  dispatch(e: Event): void;
  subscribe(fn: () => void): () => void;
}

export interface StoreOptions {
  /** Coalesce non-key changes into at most one screen update per this many ms (0: none). */
  engineFrameMs?: number;
}

export function createStore(initial: ConsoleState, onEffect: (e: Effect) => void, o: StoreOptions = {}): Store {
  let state = initial;
  const subs = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let lastShown = 0;
  const notify = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    lastShown = Date.now();
    for (const fn of subs) fn();
  };
  const later = (): void => {
    const wait = lastShown + (o.engineFrameMs ?? 0) - Date.now();
    if (wait <= 0) notify();
    else timer ??= setTimeout(notify, wait);
  };
  return {
    get: () => state,
    dispatch(e) {
      const r = reduce(state, e);
      if (r.state !== state) {
        state = r.state;
        if (e.t === 'input' || !o.engineFrameMs) notify();
        else later();
      }
      for (const eff of r.effects) onEffect(eff);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
