// Holds the console state outside React: events go through the pure reducer,
// the effects it asks for go to the session. Screens subscribe and render.
import { reduce, type ConsoleState, type Effect, type Event } from '../state/console/index.js';

export interface Store {
  get(): ConsoleState;
  dispatch(e: Event): void;
  subscribe(fn: () => void): () => void;
}

export function createStore(initial: ConsoleState, onEffect: (e: Effect) => void): Store {
  let state = initial;
  const subs = new Set<() => void>();
  return {
    get: () => state,
    dispatch(e) {
      const r = reduce(state, e);
      if (r.state !== state) {
        state = r.state;
        for (const fn of subs) fn();
      }
      for (const eff of r.effects) onEffect(eff);
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}
