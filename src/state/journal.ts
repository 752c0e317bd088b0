// The restore journal: append-only JSON lines, one per event. Folding it back
// into "where are we" is pure, so resume logic is tested without any I/O.
import { z } from 'zod';

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
  }),
  z.object({ ...Base, t: z.literal('plan'), plan: z.unknown() }),
  z.object({ ...Base, t: z.literal('decision'), service: z.string().optional(), decision: z.string(), detail: z.string() }),
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
  z.object({ ...Base, t: z.literal('end'), id: z.string(), ok: z.boolean(), skipped: z.boolean().optional(), detail: z.string(), durationMs: z.number() }),
  z.object({ ...Base, t: z.literal('service'), service: z.string(), status: z.enum(['done', 'failed', 'skipped']), detail: z.string() }),
  z.object({ ...Base, t: z.literal('output'), id: z.string(), stdout: z.string(), stderr: z.string() }),
  z.object({ ...Base, t: z.literal('stop'), reason: z.string(), exitCode: z.number() }),
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
  /** Lines that did not parse (a torn last line after a crash, at most). */
  badLines: number;
}

export function parseJournal(text: string): JournalEntry[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        const r = JournalEntry.safeParse(JSON.parse(l));
        return r.success ? [r.data] : [];
      } catch {
        return [];
      }
    });
}

export function foldJournal(entries: readonly JournalEntry[], badLines = 0): JournalState {
  const st: JournalState = { plan: undefined, runs: [], finished: new Map(), open: [], ends: new Map(), decisions: [], lastStop: undefined, badLines };
  const started = new Map<string, Of<'start'>>();
  for (const e of entries) {
    switch (e.t) {
      case 'run':
        st.runs.push(e);
        break;
      case 'plan':
        st.plan ??= e.plan;
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
