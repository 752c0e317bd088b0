// A conversion's engine events as console events: its check as the text the
// CLI prints, each step's question, each step and action as it runs, and the
// outcome with what failed.
import { describeConvertAction } from '../../state/convert-describe.js';
import type { Event, Prompt } from '../../state/console/index.js';
import { problemLines } from '../../state/problem.js';
import type { ConvertStepPlan } from '../../state/convert-plan.js';
import { formatConvertText, type ConvertCheck } from '../../steps/convert.js';
import {
  convertJournalDir,
  convertUnderWay,
  type ConvertEvents,
  type ConvertOutcome,
} from '../../steps/convert-run.js';

type Dispatch = (e: Event) => void;

/** The check's text, or, for a journaled conversion, how Enter resumes it; runnable when Enter may start. */
export function convertCheckedEvent(c: ConvertCheck, journalDir: string): Event {
  const target = c.facts.target;
  const underWay = target ? convertUnderWay(journalDir, target.uuid) : false;
  const text =
    target && underWay
      ? [
          `A conversion of ${target.hostname} is under way (journal ${convertJournalDir(journalDir, target.uuid)}).`,
          'Enter resumes it: finished steps are not repeated, the rest is checked before it runs.',
        ]
      : formatConvertText(c).trimEnd().split('\n');
  const runnable = underWay || (c.plan !== undefined && !c.problems.some((p) => p.severity === 'critical'));
  return { t: 'convertChecked', text, runnable };
}

/** Before a step: go or stop, with its notes and commands. */
export function convertStepPrompt(step: ConvertStepPlan, index: number, total: number): Prompt {
  return {
    kind: 'convert-step',
    title: step.title,
    index,
    total,
    choice: 0,
    commands: [...step.notes.map((n) => `note: ${n}`), ...step.actions.map((a) => describeConvertAction(a))],
  };
}

export function convertEvents(dispatch: Dispatch): ConvertEvents {
  return {
    stepStart: (_s, i) => dispatch({ t: 'convertStep', index: i, status: 'running' }),
    actionStart: (a) => dispatch({ t: 'convertAction', summary: `${a.summary}   ${describeConvertAction(a)}` }),
    actionEnd: (a, r) => {
      dispatch({ t: 'convertAction', summary: undefined });
      dispatch({
        t: 'convertLog',
        lines: [
          `${r.ok ? (r.skipped ? 'skip' : 'ok  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : r.ok ? `: ${r.detail}` : ''} ${(r.ms / 1000).toFixed(1)}s`,
        ],
        level: r.ok ? 'detail' : 'error',
      });
    },
    stepEnd: (s, i, status) => {
      dispatch({ t: 'convertStep', index: i, status });
      dispatch({
        t: 'convertLog',
        lines: [`${status.toUpperCase().padEnd(7)} ${s.title}`],
        level: status === 'failed' ? 'error' : 'result',
      });
    },
    planned: (plan, done) => dispatch({ t: 'convertStarted', steps: plan.steps.map((x) => x.title), done }),
  };
}

/** What failed (host, command, its output), the problems, then the end. */
export function convertOutcomeEvents(out: ConvertOutcome): Event[] {
  const events: Event[] = [];
  if (out.failure)
    events.push({
      t: 'convertLog',
      lines: [
        `FAILED on ${out.failure.host}: ${out.failure.command}`,
        ...out.failure.output
          .split('\n')
          .slice(0, 5)
          .map((l) => `  | ${l}`),
      ],
      level: 'error',
    });
  for (const p of out.problems) events.push({ t: 'convertLog', lines: [problemLines(p).line], level: 'error' });
  events.push({
    t: 'convertFinished',
    exitCode: out.exitCode,
    message: out.message,
    ...(out.next ? { next: out.next } : {}),
  });
  return events;
}
