// The restore journal: append-only JSON lines, one per event. Folding it back
// into "where are we" is pure, so resume logic is tested without any I/O.
import { z } from 'zod';
import { RunIdentity } from './run-identity.js';

const Base = { ts: z.string(), run: z.string() };
const HttpCall = z.object({ method: z.string(), url: z.string(), body: z.unknown().optional() });

export const JournalEntry = z.discriminatedUnion('t', [
  z.object({
    ...Base,
    t: z.literal('run'),
    command: z.string(),
    who: z.string(),
    host: z.string(),
    pid: z.number(),
    /** A restore's strategy; a conversion has none. */
    strategy: z.enum(['reuse', 'new']).optional(),
    job: z.enum(['restore', 'convert']).optional(),
    /** What the restore is for: a later run resumes only the same one. */
    identity: RunIdentity.optional(),
    /**
     * A drill in the simulator at --sim-speed N (1 included): its clock ran N
     * times fast, so timings are multiplied by N to read against the 1 h goal.
     * Absent: a real restore.
     */
    timeScale: z.number().positive().optional(),
  }),
  z.object({ ...Base, t: z.literal('plan'), plan: z.unknown() }),
  z.object({
    ...Base,
    t: z.literal('decision'),
    service: z.string().optional(),
    decision: z.string(),
    detail: z.string(),
  }),
  z.object({
    ...Base,
    t: z.literal('start'),
    id: z.string(),
    service: z.string(),
    kind: z.string(),
    host: z.string(),
    argv: z.array(z.string()).optional(),
    http: HttpCall.optional(),
  }),
  z.object({
    ...Base,
    t: z.literal('end'),
    id: z.string(),
    ok: z.boolean(),
    skipped: z.boolean().optional(),
    detail: z.string(),
    durationMs: z.number(),
  }),
  z.object({
    ...Base,
    t: z.literal('service'),
    service: z.string(),
    status: z.enum(['done', 'failed', 'skipped']),
    detail: z.string(),
  }),
  z.object({ ...Base, t: z.literal('output'), id: z.string(), stdout: z.string(), stderr: z.string() }),
  z.object({ ...Base, t: z.literal('stop'), reason: z.string(), exitCode: z.number() }),
  /** The run finished everything: this journal is history, the next run starts afresh. */
  z.object({ ...Base, t: z.literal('close'), reason: z.string() }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;
type Of<T extends JournalEntry['t']> = Extract<JournalEntry, { t: T }>;

export interface JournalState {
  /** The first plan recorded: its UUIDs and IPs are the ones used, run after run. */
  plan: unknown | undefined;
  runs: Of<'run'>[];
  /** Services done in any run. A skip decides for its run only: a rerun asks again. */
  finished: Map<string, Of<'service'>>;
  /** Actions that started and have no end: they may or may not have happened. */
  open: Of<'start'>[];
  /** Last end of each action id. */
  ends: Map<string, Of<'end'>>;
  decisions: Of<'decision'>[];
  lastStop: Of<'stop'> | undefined;
  /** The identity of the run that began the journal (later runs resume only the same). */
  identity: RunIdentity | undefined;
  closed: Of<'close'> | undefined;
  /** The line the plan is on (1-based), for errors about it. */
  planLine: number | undefined;
  /** Lines that did not parse: a torn last line after a crash, or damage. */
  badLines: BadLine[];
  /** Lines of any kind, readable or not. */
  lines: number;
}

export interface BadLine {
  line: number;
  why: string;
}

export interface Parsed {
  entries: JournalEntry[];
  /** 1-based line number of each entry. */
  lineOf: number[];
  bad: BadLine[];
  lines: number;
}

export function parseJournal(text: string): Parsed {
  const out: Parsed = { entries: [], lineOf: [], bad: [], lines: 0 };
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    out.lines++;
    let json: unknown;
    try {
      json = JSON.parse(l);
    } catch {
      out.bad.push({
        line: i + 1,
        why: `not JSON (${l.length > 40 ? `${l.slice(0, 40)}...` : l}): a write cut short by a crash, or damage`,
      });
      return;
    }
    const r = JournalEntry.safeParse(json);
    if (r.success) {
      out.entries.push(r.data);
      out.lineOf.push(i + 1);
    } else {
      const issue = r.error.issues[0];
      out.bad.push({
        line: i + 1,
        why: `not a journal entry (${issue ? `${issue.path.map(String).join('.') || 'entry'}: ${issue.message}` : 'unknown'})`,
      });
    }
  });
  return out;
}

export function foldJournal(p: Parsed = { entries: [], lineOf: [], bad: [], lines: 0 }): JournalState {
  const st: JournalState = {
    plan: undefined,
    runs: [],
    finished: new Map(),
    open: [],
    ends: new Map(),
    decisions: [],
    lastStop: undefined,
    identity: undefined,
    closed: undefined,
    planLine: undefined,
    badLines: p.bad,
    lines: p.lines,
  };
  const started = new Map<string, Of<'start'>>();
  for (const [i, e] of p.entries.entries()) {
    switch (e.t) {
      case 'run':
        st.runs.push(e);
        st.identity ??= e.identity;
        break;
      case 'plan':
        if (st.plan === undefined) {
          st.plan = e.plan;
          st.planLine = p.lineOf[i];
        }
        break;
      case 'close':
        st.closed = e;
        break;
      case 'decision':
        st.decisions.push(e);
        break;
      case 'start':
        started.set(e.id, e);
        break;
      case 'end':
        started.delete(e.id);
        st.ends.set(e.id, e);
        break;
      case 'service':
        if (e.status === 'done') st.finished.set(e.service, e);
        else st.finished.delete(e.service);
        break;
      case 'stop':
        st.lastStop = e;
        break;
      case 'output':
        break;
    }
  }
  st.open = [...started.values()];
  return st;
}
