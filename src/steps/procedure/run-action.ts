// The one journaled-action runner of the restore and the conversion: the code
// that makes "kill -9 anywhere, nothing lost or done twice" true, in one place.
// For each action: look first (prepare: already done? unsafe?), and only when
// it is not done, journal its start, do it once (execute), journal its end.
// A rerun after a crash meets every action through prepare again; an action
// whose end is missing is never repeated blindly.
import type { Journal } from '../journal.js';
import { Interrupted } from '../stop-request.js';

export type Prepared = { done: true; why: string } | { done: false };

/** What the journal's start line keeps of an action. */
export interface JournaledAction {
  id: string;
  kind: string;
  host: string;
  argv?: readonly string[];
  http?: { method: string; url: string; body?: unknown };
}

export interface ActionResult {
  ok: boolean;
  /** Found already done by prepare: nothing ran. */
  skipped: boolean;
  detail: string;
  ms: number;
  /** It began ahead of its zone's turn (zone-preparer.ts); shown when the restore reaches the zone. */
  ranAhead?: boolean;
}

/** One job's way with its actions (sdcadm's prepare/summarize/execute, typed). */
export interface ActionHandler<A extends JournaledAction> {
  /** Look at the world: is it already done? Throws when it is unsafe to go on. */
  prepare(a: A): Promise<Prepared>;
  /** Do it, once. Resolves with a short result for the journal. */
  execute(a: A): Promise<string>;
  /** Any error, said as the job's failure (what, where, the command, what next). */
  failure(a: A, when: string, err: unknown): Error;
  /** The end line's detail for a failure, and the one the operator's log shows. */
  failureDetail(err: unknown): { journal: string; shown: string };
  /** A wait that changes nothing (a health wait): a stop may cut it short, and it is then left open. */
  isWait?(a: A): boolean;
  /** The command or call the start line keeps, when the action derives it (default: its own argv and http). */
  journaled?(a: A): Pick<JournaledAction, 'argv' | 'http'>;
}

export interface RunActionOptions<A> {
  journal: Journal;
  /** The step it belongs to, as the journal names it (a service, a conversion step). */
  step: string;
  /** The caller already knows it is not done (skip prepare). */
  knownNotDone?: boolean;
  /** Set when a stop was asked for: the run unwinds before its next action. */
  interrupted?: () => Interrupted | undefined;
  onStart?: (a: A) => void;
  onEnd?: (a: A, r: ActionResult) => void;
}

/** Runs one action; true when it executed, false when prepare found it done. */
export async function runJournaledAction<A extends JournaledAction>(
  handler: ActionHandler<A>,
  a: A,
  o: RunActionOptions<A>,
): Promise<boolean> {
  const t0 = Date.now();
  const ms = (): number => Date.now() - t0;
  const stop = (): Interrupted | undefined => o.interrupted?.();
  const before = stop();
  if (before) throw before;
  o.onStart?.(a);
  const p: Prepared = o.knownNotDone
    ? { done: false }
    : await handler.prepare(a).catch((err: unknown) => {
        throw stop() ?? handler.failure(a, 'checking what already exists', err);
      });
  if (p.done) {
    o.journal.append({
      t: 'end',
      id: a.id,
      ok: true,
      skipped: true,
      detail: `already done: ${p.why}`,
      durationMs: ms(),
    });
    o.onEnd?.(a, { ok: true, skipped: true, detail: p.why, ms: ms() });
    return false;
  }
  const call = handler.journaled?.(a) ?? a;
  o.journal.append({
    t: 'start',
    id: a.id,
    service: o.step,
    kind: a.kind,
    host: a.host,
    ...(call.argv ? { argv: [...call.argv] } : {}),
    ...(call.http ? { http: call.http } : {}),
  });
  try {
    const detail = await handler.execute(a).catch((err: unknown) => {
      // A wait cut short proves nothing: the rerun checks again.
      const s = stop();
      if (s && handler.isWait?.(a)) {
        o.onEnd?.(a, { ok: false, skipped: false, detail: s.why, ms: ms() });
        throw s;
      }
      throw handler.failure(a, 'running it', err);
    });
    o.journal.append({ t: 'end', id: a.id, ok: true, detail, durationMs: ms() });
    o.onEnd?.(a, { ok: true, skipped: false, detail, ms: ms() });
    return true;
  } catch (err) {
    // A cut-short wait is journaled as not ok (its prepare always looks again); its end was already shown.
    if (err instanceof Interrupted) {
      o.journal.append({ t: 'end', id: a.id, ok: false, detail: err.message, durationMs: ms() });
      throw err;
    }
    const d = handler.failureDetail(err);
    o.journal.append({ t: 'end', id: a.id, ok: false, detail: d.journal, durationMs: ms() });
    o.onEnd?.(a, { ok: false, skipped: false, detail: d.shown, ms: ms() });
    throw err;
  }
}
