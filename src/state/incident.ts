// What an incident bundle says about a run, from its journal alone: the timings
// per zone (or conversion step) and in total against RFD 67's one-hour goal,
// the transcript of every confirmation, and the three-line status an operator
// pastes into a status page. Pure: the journal's entries in, text out.
import { z } from 'zod';
import { EXIT } from './exit-codes.js';
import type { JournalEntry } from './journal.js';

/** RFD 67: a dead primary's core zones back within an hour. */
export const GOAL_SECONDS = 3600;

type Of<T extends JournalEntry['t']> = Extract<JournalEntry, { t: T }>;

export interface StepTiming {
  /** The zone's service (restore) or the conversion step's id. */
  service: string;
  label: string;
  /** A zone (or conversion step) of the plan; false: other actions (the reconcile). */
  inPlan: boolean;
  status: 'done' | 'failed' | 'skipped' | 'pending';
  /** Time spent in its actions, every run summed. */
  actionSeconds: number;
  /** From its first action's start to its outcome (null: no outcome yet). */
  wallSeconds: number | null;
}

export interface IncidentSummary {
  job: 'restore' | 'convert';
  dc: string | null;
  /** restore: the dead primary; convert: the compute node turned headnode. */
  subject: string | null;
  /** restore: where the zones are re-created. */
  where: string | null;
  startedAt: string | null;
  lastAt: string | null;
  /** From the first run's start to the journal's last line, pauses included (the outage's clock). */
  totalSeconds: number;
  runs: number;
  outcome: 'done' | 'failed' | 'stopped' | 'under way' | 'not started';
  lastReason: string | null;
  steps: StepTiming[];
  /** A simulated drill at --sim-speed N: every time above is already multiplied by N (the journal's clock ran N times fast). */
  timeScale: number;
  /** A rehearsal in the simulator (`drill`), not an outage: its status says so. */
  drill: boolean;
}

/** Only what the summary reads of a journaled plan: a restore's or a conversion's. */
const RestorePlanView = z.object({
  dead: z.object({ hostname: z.string() }),
  local: z.object({ hostname: z.string() }),
  steps: z.array(z.object({ service: z.string(), alias: z.string(), actions: z.array(z.object({ id: z.string() })) })),
});
const ConvertPlanView = z.object({
  target: z.object({ hostname: z.string() }),
  steps: z.array(z.object({ id: z.string(), title: z.string(), actions: z.array(z.object({ id: z.string() })) })),
});

const rawSeconds = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

export function summarizeIncident(entries: readonly JournalEntry[]): IncidentSummary {
  const of = <T extends JournalEntry['t']>(t: T): Of<T>[] => entries.filter((e): e is Of<T> => e.t === t);
  const runs = of('run');
  const job = runs[0]?.job ?? 'restore';
  const scale = runs[0]?.timeScale ?? 1;
  const seconds = (from: string, to: string): number => rawSeconds(from, to) * scale;
  const journaledPlan = of('plan')[0]?.plan;
  const rp = RestorePlanView.safeParse(journaledPlan);
  const cp = ConvertPlanView.safeParse(journaledPlan);
  // The journal keys a restore zone's outcome as service/alias (steps/restore.ts), a
  // conversion step's by its id; an action's start by its id, which the plan's step lists.
  const order: { service: string; label: string; inPlan: boolean; ids: Set<string> | null }[] = rp.success
    ? rp.data.steps.map((s) => ({
        service: `${s.service}/${s.alias}`,
        label: s.alias,
        inPlan: true,
        ids: new Set(s.actions.map((a) => a.id)),
      }))
    : cp.success
      ? cp.data.steps.map((s) => ({
          service: s.id,
          label: s.title,
          inPlan: true,
          ids: new Set(s.actions.map((a) => a.id)),
        }))
      : [];
  const starts = of('start');
  const planned = new Set(order.flatMap((o) => [...(o.ids ?? [])]));
  for (const s of starts)
    if (!planned.has(s.id) && !order.some((o) => o.service === s.service))
      order.push({ service: s.service, label: s.service, inPlan: false, ids: null });
  const ends = new Map(of('end').map((e) => [e.id, e]));
  const outcomes = new Map(of('service').map((s) => [s.service, s]));
  const steps: StepTiming[] = order.map(({ service, label, inPlan, ids }) => {
    const mine = starts.filter((s) => (ids ? ids.has(s.id) : s.service === service && !planned.has(s.id)));
    const actionMs = mine.reduce((n, s) => n + (ends.get(s.id)?.durationMs ?? 0), 0);
    const out = outcomes.get(service);
    // Actions outside the plan's steps have no outcome line: done when every one ended well.
    const allOk = mine.length > 0 && mine.every((s) => ends.get(s.id)?.ok === true);
    const lastEnd = mine
      .map((s) => ends.get(s.id)?.ts)
      .filter((x): x is string => x !== undefined)
      .sort()
      .at(-1);
    const endTs = out?.ts ?? (allOk ? lastEnd : undefined);
    return {
      service,
      label,
      inPlan,
      status: out?.status ?? (allOk ? 'done' : 'pending'),
      actionSeconds: Math.round((actionMs * scale) / 100) / 10,
      wallSeconds: endTs && mine[0] ? Math.round(seconds(mine[0].ts, endTs)) : null,
    };
  });
  const first = entries[0]?.ts ?? null;
  const last = entries.at(-1)?.ts ?? null;
  const closed = of('close').at(-1);
  const stop = of('stop').at(-1);
  const tail = entries.at(-1);
  const outcome: IncidentSummary['outcome'] = !tail
    ? 'not started'
    : tail.t === 'close'
      ? 'done'
      : tail.t === 'stop'
        ? tail.exitCode === EXIT.ok
          ? 'done'
          : tail.exitCode === EXIT.failed
            ? 'failed'
            : 'stopped'
        : 'under way';
  return {
    job,
    dc: runs.find((r) => r.identity)?.identity?.dc.name ?? null,
    subject: rp.success
      ? rp.data.dead.hostname
      : cp.success
        ? cp.data.target.hostname
        : (runs[0]?.identity?.dead.hostname ?? null),
    where: rp.success ? rp.data.local.hostname : (runs[0]?.host ?? null),
    startedAt: first,
    lastAt: last,
    totalSeconds: first && last ? Math.round(seconds(first, last)) : 0,
    runs: runs.length,
    outcome,
    lastReason: closed?.reason ?? stop?.reason ?? null,
    steps,
    timeScale: scale,
    drill: runs[0]?.timeScale !== undefined,
  };
}

export function minutes(s: number): string {
  return s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** The three lines for a status page: what happened, where it stands (with numbers), what is next. */
export function statusText(s: IncidentSummary): [string, string, string] {
  const dc = s.dc ? `Datacenter ${s.dc}` : 'The datacenter';
  const since = s.startedAt ? ` since ${s.startedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  const planned = s.steps.filter((x) => x.inPlan);
  const count = (st: StepTiming['status']): number => planned.filter((x) => x.status === st).length;
  const [done, failed, skipped, pending] = [count('done'), count('failed'), count('skipped'), count('pending')];
  const clock = `${minutes(s.totalSeconds)} elapsed of the 1 h goal${s.totalSeconds > GOAL_SECONDS ? ` (over by ${minutes(s.totalSeconds - GOAL_SECONDS)})` : ''}`;
  if (s.job === 'convert') {
    return [
      `${dc}: compute node ${s.subject ?? '?'} is being turned into a secondary headnode${since}.`,
      `Conversion ${s.outcome.toUpperCase()}: ${done} of ${planned.length} steps done, ${failed} failed, ${pending + skipped} not done; ${clock}.`,
      nextLine(
        s,
        'rerun the same triton-recover convert to resume',
        'check that it boots as a headnode (sdcadm server list)',
      ),
    ];
  }
  // A drill's status must never be mistaken for an outage's if pasted somewhere.
  const drill = s.drill ? 'DRILL in the simulator, not an outage: ' : '';
  return [
    `${drill}${dc}: primary headnode ${s.subject ?? '?'} is dead; its core zones are being restored on ${s.where ?? '?'}${since}.`,
    `Restore ${s.outcome.toUpperCase()}: ${done} of ${planned.length} zones restored, ${failed} failed, ${skipped} skipped, ${pending} pending; ${clock}.`,
    nextLine(
      s,
      'rerun the same triton-recover restore to resume',
      "verify the services (sdcadm health) and work through the report's follow-ups",
    ),
  ];
}

function nextLine(s: IncidentSummary, resume: string, after: string): string {
  if (s.outcome === 'done') return `Next: ${after}.`;
  if (s.outcome === 'failed')
    return `Next: fix what failed (${oneLine(s.lastReason ?? 'see the report')}), then ${resume}.`;
  if (s.outcome === 'stopped') return `Next: ${resume} (stopped: ${oneLine(s.lastReason ?? 'by the operator')}).`;
  return `Next: the ${s.job} is still running; a new status follows when it ends.`;
}

const oneLine = (t: string): string => {
  const l = t.replace(/\s+/g, ' ').trim();
  return l.length > 160 ? `${l.slice(0, 157)}...` : l;
};

/** Per step and in total, against the goal: a table for people. */
export function timingsText(s: IncidentSummary): string {
  const w = Math.max(8, ...s.steps.map((x) => x.label.length));
  const rows = s.steps.map(
    (x) =>
      `${x.label.padEnd(w)}  ${x.status.padEnd(7)}  ${`${x.actionSeconds}`.padStart(8)} s  ${x.wallSeconds === null ? '       -' : `${x.wallSeconds}`.padStart(8)} s`,
  );
  const spent = s.steps.reduce((n, x) => n + x.actionSeconds, 0);
  return [
    `${'step'.padEnd(w)}  status   in actions    start->end`,
    ...rows,
    '',
    `total: ${minutes(s.totalSeconds)} from the first run's start to the journal's last line (${s.runs} run(s)); ${minutes(spent)} in actions`,
    ...(s.drill
      ? [
          `a drill in the simulator at --sim-speed ${s.timeScale}: every time here is scaled back (x${s.timeScale}) to the scenario's latencies`,
        ]
      : []),
    `goal: 1 h (RFD 67): ${s.totalSeconds <= GOAL_SECONDS ? `within it, ${minutes(GOAL_SECONDS - s.totalSeconds)} to spare` : `over by ${minutes(s.totalSeconds - GOAL_SECONDS)}`}`,
    '',
  ].join('\n');
}

/** Every run's start and every decision (the operator's answers, skips and why), in order. */
export function confirmationsText(entries: readonly JournalEntry[]): string {
  const lines: string[] = [];
  for (const e of entries) {
    if (e.t === 'run') lines.push(`${e.ts}  RUN ${e.command}  (by ${e.who} on ${e.host}, pid ${e.pid})`);
    if (e.t === 'decision')
      lines.push(`${e.ts}  ${e.service ? `${e.service}: ` : ''}${e.decision}: ${oneLine(e.detail)}`);
    if (e.t === 'stop' || e.t === 'close') lines.push(`${e.ts}  ${e.t.toUpperCase()} ${oneLine(e.reason)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : 'no run journaled\n';
}
