// The restore, screen by screen: detection, pre-flight, strategy, plan, the
// run and its summary; the keys on those screens and the engine's events.
import { EXIT } from '../exit-codes.js';
import { only, type Input, type RestoreEvent, type Result } from './events.js';
import { criticalCount, fencingReason } from './gates.js';
import { go, home, scroll } from './navigation.js';
import { appendLog, type ConsoleState, type RunState } from './state.js';

export function reduceRestore(s: ConsoleState, e: RestoreEvent): Result {
  switch (e.t) {
    case 'checked':
      return only({ ...s, check: e.report, checkError: undefined, loading: undefined });
    case 'checkFailed':
      return only({ ...s, checkError: e.error, loading: undefined });
    case 'planned':
      return only({ ...s, plan: e.plan, loading: undefined });
    case 'runStarted':
      return only({
        ...s,
        screen: 'run',
        history: ['home'],
        prompt: undefined,
        run: {
          phase: 'running',
          services: e.services,
          log: s.run.log,
          startedAt: s.run.startedAt ?? e.now,
          ...(s.run.fence ? { fence: s.run.fence } : {}),
        },
      });
    case 'phase':
      return only({ ...s, run: { ...s.run, phaseText: e.text } });
    case 'serviceStart':
      return only({
        ...s,
        now: Math.max(s.now, e.now),
        run: { ...s.run, services: s.run.services.map((x) => (x.key === e.key ? { ...x, status: 'running' } : x)) },
      });
    case 'actionStart':
      return only({
        ...s,
        now: Math.max(s.now, e.now),
        run: { ...s.run, current: { alias: e.alias, summary: e.summary, command: e.command, startedAt: e.now } },
      });
    case 'log':
      return only({ ...s, run: { ...s.run, log: appendLog(s.run.log, e.lines, e.level) } });
    case 'serviceEnd': {
      // The zone is finished: nothing of it is "now" any more.
      const { current: _done, ...run } = s.run;
      return only({
        ...s,
        run: {
          ...run,
          services: s.run.services.map((x) =>
            x.key === e.key
              ? { ...x, status: e.status, ...(e.seconds !== undefined ? { seconds: e.seconds } : {}) }
              : x,
          ),
        },
      });
    }
    case 'failed':
      return only({
        ...s,
        run: { ...s.run, phase: 'failed', failure: e.failure },
        prompt: { kind: 'failure', choice: 0 },
      });
    case 'finished': {
      const phase = e.outcome.exitCode === EXIT.ok ? 'done' : 'stopped';
      // Nothing runs any more: no current action.
      const run: RunState = {
        phase,
        services: s.run.services,
        log: s.run.log,
        outcome: e.outcome,
        ...(s.run.startedAt !== undefined ? { startedAt: s.run.startedAt } : {}),
      };
      return only({ ...s, prompt: undefined, screen: 'summary', history: ['home'], run });
    }
  }
}

/** Keys on the restore's screens, once no prompt or help has taken them. */
export function onRestoreScreen(s: ConsoleState, i: Input): Result {
  switch (s.screen) {
    case 'detect':
      return i.t === 'enter' ? only(go(s, 'preflight')) : scroll(s, i);
    case 'preflight':
      if (i.t === 'enter') return criticalCount(s) > 0 ? only(s) : only(go(s, 'strategy'));
      return scroll(s, i);
    case 'strategy':
      if (i.t === 'up' || i.t === 'down') return only({ ...s, strategy: s.strategy === 'reuse' ? 'new' : 'reuse' });
      if (i.t === 'digit' && (i.n === 1 || i.n === 2)) return only({ ...s, strategy: i.n === 1 ? 'reuse' : 'new' });
      if (i.t === 'enter')
        return only(
          { ...go(s, 'plan'), plan: undefined, loading: 'building the plan' },
          { t: 'plan', strategy: s.strategy },
        );
      return only(s);
    case 'plan':
      if (i.t === 'enter' && s.plan) {
        if (s.plan.steps.length === 0) return only(s);
        return only({
          ...s,
          prompt: { kind: 'hostname', expected: s.check?.primary?.hostname ?? '', typed: '', why: fencingReason(s) },
        });
      }
      return scroll(s, i);
    case 'summary':
      // Home is checked again: what the run finished (or left in effect) is said there as it is now.
      return i.t === 'enter' ? only(home(s), { t: 'check' }) : scroll(s, i);
    default:
      // The run: its log scrolls.
      return scroll(s, i);
  }
}
