// The secondary-headnode conversion: the server asked, its check, the run;
// the keys on its screen and the engine's events.
import { runPhase } from '../exit-codes.js';
import { only, type ConvertEvent, type Input, type Result } from './events.js';
import { home, scroll } from './navigation.js';
import { appendLog, CONVERT_IDLE, type ConsoleState } from './state.js';

export function reduceConvert(s: ConsoleState, e: ConvertEvent): Result {
  switch (e.t) {
    case 'convertChecked':
      return only({ ...s, convert: { ...s.convert, phase: 'checked', text: e.text, runnable: e.runnable } });
    case 'convertStarted':
      return only({
        ...s,
        convert: {
          ...s.convert,
          phase: 'running',
          steps: e.steps.map((title, i) => ({ title, status: e.done.includes(i) ? 'done' : 'pending' })),
        },
      });
    case 'convertStep':
      return only({
        ...s,
        convert: {
          ...s.convert,
          steps: s.convert.steps.map((x, i) => (i === e.index ? { ...x, status: e.status } : x)),
        },
      });
    case 'convertAction': {
      const { current: _c, ...rest } = s.convert;
      return only({ ...s, convert: e.summary === undefined ? rest : { ...s.convert, current: e.summary } });
    }
    case 'convertLog':
      return only({ ...s, convert: { ...s.convert, log: appendLog(s.convert.log, e.lines, e.level) } });
    case 'convertFinished': {
      const { current: _c, ...rest } = s.convert;
      // The step question dies with the run; a quit question stays.
      const prompt = s.prompt?.kind === 'convert-step' ? undefined : s.prompt;
      return only({
        ...s,
        prompt,
        convert: { ...rest, phase: runPhase(e.exitCode), message: e.message, ...(e.next ? { next: e.next } : {}) },
      });
    }
  }
}

/** Keys on the conversion's screen, once no prompt or help has taken them. */
export function onConvertScreen(s: ConsoleState, i: Input): Result {
  const c = s.convert;
  if (i.t === 'enter' && c.phase === 'checked' && c.runnable)
    return only({ ...s, scroll: 0, convert: { ...c, phase: 'running', steps: [] } }, { t: 'startConvert' });
  if (i.t === 'enter' && (c.phase === 'done' || c.phase === 'failed' || c.phase === 'stopped'))
    return only(home(s), { t: 'check' });
  if (i.t === 'char' && i.c === 'n' && c.phase !== 'running' && c.phase !== 'checking')
    return only({ ...s, scroll: 0, convert: CONVERT_IDLE, prompt: { kind: 'server', typed: '' } });
  return scroll(s, i);
}
