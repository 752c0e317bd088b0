// The console's reducer: reduce(state, event) -> {state, effects}, pure, so
// every screen rule (which key does what, what a confirmation needs) is
// unit-tested without a terminal. It routes each event to the reducer of its
// concern: navigation, prompts, the restore's run, the conversion's job.
import { onConvertScreen, reduceConvert } from './convert-job.js';
import { only, type Event, type Input, type Result } from './events.js';
import { back, busyHere, onHome, scroll } from './navigation.js';
import { onPrompt } from './prompts.js';
import { onRestoreScreen, reduceRestore } from './restore-run.js';
import type { ConsoleState } from './state.js';

export * from './state.js';
export type { ConvertEvent, Effect, Event, Input, RestoreEvent, Result } from './events.js';
export { criticalCount, fencingReason } from './gates.js';
export { ACCEPT_KEY, HOME_ITEMS } from './navigation.js';

export function reduce(s: ConsoleState, e: Event): Result {
  switch (e.t) {
    case 'tick':
      return only({ ...s, now: e.now });
    case 'viewport':
      return e.maxScroll === s.maxScroll
        ? only(s)
        : only({ ...s, maxScroll: e.maxScroll, scroll: Math.min(s.scroll, e.maxScroll) });
    case 'loading':
      return only({ ...s, loading: e.what });
    case 'notice':
      return only({ ...s, notice: e.text });
    case 'ask':
      return only({ ...s, prompt: e.prompt });
    case 'primaryReturned':
      // Kept until the console ends: a primary back is never "over" on its own (only powering it off is).
      return only({ ...s, returned: e.problem });
    case 'input':
      return onInput(s, e.input);
    case 'convertChecked':
    case 'convertStarted':
    case 'convertStep':
    case 'convertAction':
    case 'convertLog':
    case 'convertFinished':
      return reduceConvert(s, e);
    default:
      return reduceRestore(s, e);
  }
}

/** Help closes on any key; an open question takes every key; then the screen's own keys. */
function onInput(s: ConsoleState, i: Input): Result {
  if (s.help) return only({ ...s, help: false });
  if (s.prompt) return onPrompt(s, s.prompt, i);
  if (i.t === 'help') return only({ ...s, help: true });
  if (i.t === 'quit') {
    if (busyHere(s)) return only({ ...s, prompt: { kind: 'quit', running: true, choice: 0 } });
    if (s.screen === 'home') return only(s, { t: 'exit' });
    return only(back(s));
  }
  if (i.t === 'back') return only(busyHere(s) ? s : back(s));
  switch (s.screen) {
    case 'home':
      return onHome(s, i);
    case 'inspect':
      return scroll(s, i);
    case 'convert':
      return onConvertScreen(s, i);
    default:
      return onRestoreScreen(s, i);
  }
}
