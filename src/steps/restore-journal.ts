// Which journal a restore run continues: the one in the journal directory only
// when it is for this same, unfinished restore (its identity says so) and its
// plan parses. Anything else is set aside (kept) or, when starting afresh could
// create zones twice, refused. Damaged lines are reported, never dropped silently.
import { join } from 'node:path';
import { foldJournal, type JournalState } from '../state/journal.js';
import type { Plan } from '../state/plan.js';
import { planIssues, PlanSchema } from '../state/plan-schema.js';
import { describeIdentity, judgeJournal, type RunIdentity } from '../state/run-identity.js';
import { readJournal, setJournalAside } from './journal.js';

export type JournalOpening =
  | { ok: true; state: JournalState; plan: Plan | undefined; notices: string[] }
  | { ok: false; message: string; next: string };

export function openRestoreJournal(dir: string, identity: RunIdentity): JournalOpening {
  const path = join(dir, 'journal.jsonl');
  const state = readJournal(dir);
  const v = judgeJournal(
    {
      empty: state.lines === 0,
      identity: state.identity,
      closed: state.closed ? { ts: state.closed.ts, reason: state.closed.reason } : undefined,
      acted: state.open.length > 0 || state.ends.size > 0,
    },
    identity,
  );
  if (v.t === 'refuse') {
    const resume = state.runs.at(-1)?.command ?? 'the command it was started with';
    return {
      ok: false,
      message: `the journal ${path} holds an unfinished restore of this same dead server that differs from this one (${v.why}); starting afresh could create its zones twice, so nothing was changed`,
      next: `finish it: ${resume}   (it was: ${describeIdentity(v.was)}); or, to abandon it for good, move ${path} aside yourself and run again`,
    };
  }
  if (v.t === 'set-aside') {
    const to = setJournalAside(dir);
    return {
      ok: true,
      state: foldJournal(),
      plan: undefined,
      notices: [
        `the journal ${path} was set aside as ${to}: ${v.why}; this restore starts afresh (what exists is found by each step's check, not repeated)`,
      ],
    };
  }
  const notices: string[] = [];
  if (state.badLines.length > 0) {
    const shown = state.badLines
      .slice(0, 3)
      .map((b) => `line ${b.line}: ${b.why}`)
      .join('; ');
    notices.push(
      `the journal ${path} has ${state.badLines.length} unreadable line(s), ignored (what they said is re-checked on the DC): ${shown}${state.badLines.length > 3 ? '; ...' : ''}`,
    );
  }
  if (state.plan === undefined) return { ok: true, state, plan: undefined, notices };
  const parsed = PlanSchema.safeParse(state.plan);
  const at = `${path} line ${state.planLine ?? '?'}`;
  const damaged = (what: string): JournalOpening => ({
    ok: false,
    message: `the journaled plan (${at}) ${what}; a rerun executes that plan, so nothing was changed rather than guess`,
    next: `look at that line; to start afresh instead, move the journal aside (mv ${path} ${join(dir, 'journal-damaged.jsonl')}) and run again`,
  });
  if (!parsed.success) return damaged(`does not parse: ${planIssues(parsed.error).join('; ')}`);
  const plan = parsed.data;
  if (plan.dead.uuid !== identity.dead.uuid || plan.strategy !== identity.strategy) {
    return damaged(
      `is for dead server ${plan.dead.hostname} (${plan.dead.uuid}) with the ${plan.strategy} strategy, but its run entry says ${describeIdentity(identity)}`,
    );
  }
  return { ok: true, state, plan, notices };
}
