// A restore's engine events as console events: what runRestore reports (the
// plan, each zone and action, their output) becomes the run screen's state,
// and its outcome becomes 'failed' (a question) or 'finished' (the summary).
import type { Event, RunService } from '../../state/console/index.js';
import { describeAction } from '../../state/plan.js';
import type { RestoreEvents, RestoreOutcome } from '../../steps/restore.js';

type Dispatch = (e: Event) => void;

/** "sapi/sapi0": how the journal, the skip list and the run screen name a zone. */
const serviceKey = (s: { service: string; alias: string }): string => `${s.service}/${s.alias}`;

/** `failedKey`: told which zone failed, so a later "skip" names it. */
export function restoreEvents(dispatch: Dispatch, failedKey: (key: string) => void): RestoreEvents {
  const now = (): number => Date.now();
  return {
    phase: (text) => dispatch({ t: 'phase', text }),
    primaryReturned: (problem) => dispatch({ t: 'primaryReturned', problem }),
    plan: (plan, _resumed, finished) => {
      const services: RunService[] = plan.steps.map((s) => {
        const key = serviceKey(s);
        const f = finished.get(key)?.status;
        return {
          key,
          service: s.service,
          alias: s.alias,
          status: f === 'done' ? 'done' : f === 'skipped' ? 'skipped' : 'pending',
        };
      });
      dispatch({ t: 'runStarted', services, now: now() });
    },
    serviceStart: (s) => dispatch({ t: 'serviceStart', key: serviceKey(s), now: now() }),
    actionStart: (a) =>
      dispatch({
        t: 'actionStart',
        alias: a.id.split('/')[1] ?? '',
        summary: a.summary,
        command: `${a.host}$ ${describeAction(a)}`,
        now: now(),
      }),
    actionEnd: (a, r) =>
      dispatch({
        t: 'log',
        lines: [
          // "ahead:" first: at 80 columns the end of a long summary is cut.
          `${r.ok ? (r.skipped ? 'skip' : 'ok  ') : 'FAIL'} ${r.ranAhead ? 'ahead: ' : ''}${a.summary}${r.skipped ? ` (already done: ${r.detail})` : ''} ${(r.ms / 1000).toFixed(1)}s`,
        ],
        level: r.ok ? 'detail' : 'error',
      }),
    output: (_a, stdout, stderr) => {
      const lines = `${stdout}${stderr}`
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-5)
        .map((l) => `  | ${l}`);
      if (lines.length > 0) dispatch({ t: 'log', lines });
    },
    serviceEnd: (s, status, detail) => {
      if (status === 'failed') failedKey(serviceKey(s));
      dispatch({ t: 'serviceEnd', key: serviceKey(s), status });
      dispatch({
        t: 'log',
        lines: [`${status.toUpperCase().padEnd(7)} ${s.alias} ${s.uuid}${detail ? `: ${detail}` : ''}`],
        level: status === 'failed' ? 'error' : 'result',
      });
    },
  };
}

/** A failure asks retry/skip/stop; anything else ends the run on the summary. */
export function restoreOutcomeEvent(out: RestoreOutcome, bundle?: { path: string; status: string[] }): Event {
  if (out.failure) {
    const f = out.failure;
    return {
      t: 'failed',
      failure: { what: out.message, host: f.host, command: f.command, output: f.output, hint: f.hint },
    };
  }
  const problems = out.problems.map((p) => `${p.code}: ${p.message}`);
  return {
    t: 'finished',
    outcome: {
      exitCode: out.exitCode,
      message: [out.message, ...problems].join('\n'),
      ...(out.next ? { next: out.next } : {}),
      ...(out.report ? { report: out.report.md } : {}),
      ...(bundle ? { bundle } : {}),
    },
  };
}
