// Changes still in effect: what a restore or a conversion changed on the DC
// and did not finish, because it was killed, crashed or stopped. Derived from
// the journals (and the locks left on headnodes), so a kill -9 at any moment
// leaves a list an operator sees on the next start. Each change stays listed
// until its run finished it, it was undone (the zone is gone), or an operator
// accepted it by typing its word (journaled as a decision). Pure.
import { z } from 'zod';
import type { JournalEntry, Parsed } from './journal.js';
import type { Problem } from './problem.js';

export const CHANGE_KINDS = ['zone', 'napi-release', 'cnapi-delete', 'reconcile', 'conversion', 'lock'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeInEffect {
  /** Stable across starts: what an acceptance names ("zone:assets/assets0"). */
  id: string;
  kind: ChangeKind;
  /** The host it is on (a Triton hostname). */
  host: string;
  /** What is in effect, in words. */
  what: string;
  zone?: { service: string; alias: string; uuid: string };
  /** The journal's action id of the last step begun on it. */
  action?: string;
  /** When it was last acted on (ISO-8601). */
  since: string;
  /** The run that made it (its journal's run id), or the lock holder's pid. */
  run?: string;
  /** The journal it was read from, where its acceptance is appended. */
  journal?: string;
  /** How to finish it: the exact command. */
  finish: string;
  /** How to undo it, when there is a way. */
  undo?: string;
  /** What the operator types to accept it as it is. */
  word: string;
}

/** A journal file and its lines, oldest journal first. */
export interface JournalSource {
  path: string;
  parsed: Parsed;
}

/** A recovery lock whose process is gone, still lying on a headnode. */
export interface LeftLock {
  /** The headnode it lies on. */
  on: string;
  /** This headnode (its sync ignores a lock of a gone process of its own). */
  local: boolean;
  where: string;
  holder: { who: string; host: string; pid: number; since: string; command: string };
}

export interface ChangeFacts {
  restore: JournalSource[];
  convert: JournalSource[];
  leftLocks: LeftLock[];
  /** The process holding the journal directory's lock now: its run is under way, not left. */
  live?: { host: string; pid: number } | undefined;
  /** What each zone's host says of it, by UUID; a zone not here could not be asked. */
  zones?: ReadonlyMap<string, 'present' | 'absent'>;
}

/** The decision an acceptance is journaled as: a kind older readers already parse. */
export const ACCEPT_DECISION = 'accept-change';

/** Kinds that change a zone (image installs and health polls change nothing of it). */
const ZONE_KINDS: ReadonlySet<string> = new Set(['create-vm', 'receive-dataset', 'start-vm', 'sapi-instance']);

// Lenient views of the journaled plans: only the names this list shows.
const RestorePlanView = z.object({
  steps: z.array(z.object({ service: z.string(), alias: z.string(), uuid: z.string() })),
  reconcile: z.array(z.object({ id: z.string(), summary: z.string() })),
});
const ConvertPlanView = z.object({
  target: z.object({ hostname: z.string(), uuid: z.string() }),
  steps: z.array(z.object({ id: z.string(), title: z.string() })),
});

type Of<T extends JournalEntry['t']> = Extract<JournalEntry, { t: T }>;
type Started = Of<'start'> & { path: string };

/** Acceptances of every journal, by change id: the latest time each was accepted. */
function acceptances(sources: readonly JournalSource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources)
    for (const e of s.parsed.entries)
      if (e.t === 'decision' && e.decision === ACCEPT_DECISION && e.service) {
        const prev = out.get(e.service);
        if (!prev || e.ts > prev) out.set(e.service, e.ts);
      }
  return out;
}

/** Accepted after the last thing done to it: a later action makes it a new change. */
const acceptedSince = (accepted: Map<string, string>, id: string, since: string): boolean =>
  (accepted.get(id) ?? '') >= since;

export function changesInEffect(f: ChangeFacts): ChangeInEffect[] {
  const accepted = acceptances([...f.restore, ...f.convert]);
  const g = {
    ...f,
    restore: f.restore.map((s) => notLive(s, f.live)),
    convert: f.convert.map((s) => notLive(s, f.live)),
  };
  return uniqueWords([...restoreChanges(g, accepted), ...convertChanges(g, accepted), ...lockChanges(g, accepted)]);
}

/**
 * One word names one change: a later one with a word already taken (the same
 * alias in a set-aside journal, say) gets "-2", "-3", ... The order is the
 * journals', so the words stay the same from one start to the next.
 */
function uniqueWords(changes: ChangeInEffect[]): ChangeInEffect[] {
  const taken = new Set(changes.map((c) => c.word));
  const seen = new Set<string>();
  return changes.map((c) => {
    if (!seen.has(c.word)) {
      seen.add(c.word);
      return c;
    }
    let n = 2;
    while (taken.has(`${c.word}-${n}`)) n++;
    const word = `${c.word}-${n}`;
    taken.add(word);
    return { ...c, word };
  });
}

/** A journal without the actions of the run under way now (it is not left half-done: it is doing it). */
function notLive(s: JournalSource, live: ChangeFacts['live']): JournalSource {
  if (!live) return s;
  const runs = new Set(
    s.parsed.entries.filter((e) => e.t === 'run' && e.host === live.host && e.pid === live.pid).map((e) => e.run),
  );
  if (runs.size === 0) return s;
  const entries = s.parsed.entries.filter((e) => !(runs.has(e.run) && (e.t === 'start' || e.t === 'end')));
  return { ...s, parsed: { ...s.parsed, entries } };
}

/** A zone's UUID in a journaled action: its argv (vmadm, zfs recv) or the SAPI record's body. */
const HttpBodyUuid = z.object({ body: z.object({ uuid: z.string() }) });
function uuidIn(e: Of<'start'>): string | undefined {
  const body = HttpBodyUuid.safeParse(e.http);
  return (
    e.argv?.find((a) => /^[0-9a-f-]{36}$/.test(a)) ??
    e.argv?.at(-1)?.match(/[0-9a-f-]{36}/)?.[0] ??
    (body.success ? body.data.body.uuid : undefined)
  );
}

/** "service/alias" of an action id ("assets/assets0/create-vm"). */
const keyOf = (id: string): string => id.split('/').slice(0, 2).join('/');

/** The last zone-changing action begun on one zone, and the journal that names it. */
interface ZoneLast {
  start: Started;
  key: string;
  uuid: string;
}

function restoreChanges(f: ChangeFacts, accepted: Map<string, string>): ChangeInEffect[] {
  const starts: Started[] = [];
  // By journal: an action id or a close of one journal says nothing of another's.
  const ends = new Map<string, Of<'end'>>();
  const closes = new Map<string, string[]>();
  const summaries = new Map<string, string>();
  // A zone is its UUID, taken from the same journal's plan or actions: a `new` run set
  // aside and run again gives the same alias another UUID, and the first zone stays.
  const lastOf = new Map<string, ZoneLast>();
  const steps = new Map<string, Of<'service'>>();
  let command = 'triton-recover restore';
  const at = (path: string, id: string): string => `${path}\0${id}`;
  for (const s of f.restore) {
    const names = new Map<string, string>();
    for (const e of s.parsed.entries)
      if (e.t === 'plan') {
        const p = RestorePlanView.safeParse(e.plan);
        if (p.success) {
          for (const st of p.data.steps) names.set(`${st.service}/${st.alias}`, st.uuid);
          for (const a of p.data.reconcile) summaries.set(at(s.path, a.id), a.summary);
        }
      }
    for (const e of s.parsed.entries) {
      if (e.t !== 'start' || !ZONE_KINDS.has(e.kind)) continue;
      const key = keyOf(e.id);
      const uuid = uuidIn(e);
      if (!names.has(key) && uuid) names.set(key, uuid);
    }
    const zoneOf = (key: string): string => names.get(key) ?? `${s.path}#${key}`;
    for (const e of s.parsed.entries) {
      if (e.t === 'start') {
        const st = { ...e, path: s.path };
        starts.push(st);
        if (ZONE_KINDS.has(e.kind)) {
          const key = keyOf(e.id);
          lastOf.set(zoneOf(key), { start: st, key, uuid: names.get(key) ?? '' });
        }
      } else if (e.t === 'end') ends.set(at(s.path, e.id), e);
      else if (e.t === 'service') steps.set(zoneOf(e.service), e);
      else if (e.t === 'close') closes.set(s.path, [...(closes.get(s.path) ?? []), e.ts]);
      else if (e.t === 'run') command = e.command;
    }
  }
  const closedAfter = (e: Started): boolean => (closes.get(e.path) ?? []).some((c) => c >= e.ts);
  const endOf = (e: Started): Of<'end'> | undefined => ends.get(at(e.path, e.id));
  const out: ChangeInEffect[] = [];

  for (const [zk, { start: last, key, uuid }] of lastOf) {
    const step = steps.get(zk);
    // Finished by its run: the zone was seen healthy after the last thing done to it.
    if (step && step.status === 'done' && step.ts >= last.ts) continue;
    const id = `zone:${key}${uuid ? `:${uuid}` : ''}`;
    if (acceptedSince(accepted, id, last.ts)) continue;
    const alias = key.split('/')[1] ?? key;
    const absent = uuid !== '' && f.zones?.get(uuid) === 'absent';
    const sapi = last.kind === 'sapi-instance';
    // Undone: its host says it is not there (deleted by hand, or never created),
    // unless the last thing done was its SAPI record, which stays without the zone.
    if (absent && !sapi) continue;
    const end = endOf(last);
    const ended = end && end.ts >= last.ts ? end : undefined;
    const state = zoneState(last.kind, ended, step && step.ts >= last.ts ? step : undefined);
    out.push({
      id,
      kind: 'zone',
      host: last.host,
      what: `${alias}${uuid ? ` (${uuid})` : ''} ${state}${absent ? ` (vmadm get on ${last.host}: no such zone)` : ''}`,
      zone: { service: key.split('/')[0] ?? key, alias, uuid },
      action: last.id,
      since: ended?.ts ?? last.ts,
      run: last.run,
      journal: last.path,
      finish: `${command}   (resumes: what is done is not repeated)`,
      ...zoneUndo(last, uuid, absent),
      word: alias,
    });
  }

  // Reconcile: each release of a record, and the rest as one; in effect until its own run closes.
  const rest: Started[] = [];
  for (const e of starts) {
    if (!e.id.startsWith('reconcile/') || closedAfter(e)) continue;
    if (e.kind !== 'release-nic' && e.kind !== 'delete-server') {
      rest.push(e);
      continue;
    }
    const id = `reconcile:${e.id}`;
    if (acceptedSince(accepted, id, e.ts) || out.some((c) => c.id === id)) continue;
    const end = endOf(e);
    const done = end && end.ts >= e.ts ? (end.ok ? 'done' : `failed: ${end.detail}`) : 'begun, its end not journaled';
    const summary = summaries.get(at(e.path, e.id)) ?? e.id;
    const nic = e.kind === 'release-nic';
    out.push({
      id,
      kind: nic ? 'napi-release' : 'cnapi-delete',
      host: e.host,
      what: `${summary} (${done}); the restore stopped before it finished reconciling`,
      action: e.id,
      since: end?.ts ?? e.ts,
      run: e.run,
      journal: e.path,
      finish: `${command}   (reconciles the rest)`,
      word: nic ? `release-${e.id.split('/').at(-1) ?? ''}` : `delete-${e.id.split('/')[1] ?? ''}`,
    });
  }
  const last = rest.at(-1);
  if (last && !acceptedSince(accepted, 'reconcile', last.ts)) {
    const done = new Set(rest.filter((e) => endOf(e)?.ok).map((e) => e.id)).size;
    out.push({
      id: 'reconcile',
      kind: 'reconcile',
      host: last.host,
      what: `reconcile of SAPI/NAPI/CNAPI records begun, not finished: ${done} update(s) done, the last begun ${last.id}`,
      action: last.id,
      since: last.ts,
      run: last.run,
      journal: last.path,
      finish: `${command}   (reconciles the rest)`,
      word: 'reconcile',
    });
  }
  return out;
}

const HttpUrl = z.object({ url: z.string() });

/**
 * How to undo a zone's change. A SAPI instance record is removed with a DELETE
 * of it (in full mode SAPI deletes its zone too: TritonDataCenter/sdc-sapi
 * docs/index.md, DeleteInstance); the zone alone with vmadm delete.
 */
function zoneUndo(last: Started, uuid: string, absent: boolean): { undo?: string } {
  if (!uuid) return {};
  const vmadm = `on ${last.host}: vmadm delete ${uuid}`;
  if (last.kind !== 'sapi-instance') return { undo: vmadm };
  const u = HttpUrl.safeParse(last.http);
  const record = u.success
    ? `on ${last.host}: curl -sS -X DELETE ${u.data.url}/${uuid}`
    : `on ${last.host}: sdc-sapi /instances/${uuid} -X DELETE`;
  return {
    undo: absent ? `delete its SAPI instance record: ${record}` : `${vmadm}, then its SAPI instance record: ${record}`,
  };
}

function zoneState(kind: string, end: Of<'end'> | undefined, step: Of<'service'> | undefined): string {
  if (step?.status === 'failed') return `failed and left as it is: ${step.detail}`;
  if (step?.status === 'skipped') return `skipped after it was changed, left as it is: ${step.detail}`;
  const failed = end && !end.ok ? `; it failed: ${end.detail}` : '';
  switch (kind) {
    case 'create-vm':
      return end
        ? `created (stopped), not started${failed}`
        : 'being created when the run stopped: it may exist, stopped, not started';
    case 'receive-dataset':
      return end
        ? `created, its data received, not started${failed}`
        : 'created, its data being received (zfs recv) when the run stopped; not started';
    case 'start-vm':
      return `started, not yet seen healthy${failed}`;
    default:
      return `its SAPI instance record created, the zone not yet${failed}`;
  }
}

function convertChanges(f: ChangeFacts, accepted: Map<string, string>): ChangeInEffect[] {
  const out: ChangeInEffect[] = [];
  for (const s of f.convert) {
    let plan: z.infer<typeof ConvertPlanView> | undefined;
    let command: string | undefined;
    let last: Of<'start'> | undefined;
    let closed = false;
    const finished = new Set<string>();
    for (const e of s.parsed.entries) {
      if (e.t === 'plan' && !plan) {
        const p = ConvertPlanView.safeParse(e.plan);
        if (p.success) plan = p.data;
      } else if (e.t === 'run') command = e.command;
      else if (e.t === 'start') last = e;
      else if (e.t === 'service' && e.status === 'done') finished.add(e.service);
      else if (e.t === 'close') closed = true;
    }
    // Nothing acted, or every step finished: nothing left half-done.
    if (!plan || !last || closed || plan.steps.every((x) => finished.has(x.id))) continue;
    const id = `conversion:${plan.target.uuid}`;
    if (acceptedSince(accepted, id, last.ts)) continue;
    const next = plan.steps.find((x) => !finished.has(x.id));
    out.push({
      id,
      kind: 'conversion',
      host: plan.target.hostname,
      what: `conversion of ${plan.target.hostname} into a headnode begun, not finished: ${finished.size} of ${plan.steps.length} step(s) done${next ? `, next: ${next.title}` : ''}; the last action begun ${last.id}`,
      action: last.id,
      since: last.ts,
      run: last.run,
      journal: s.path,
      finish: command ?? `triton-recover convert ${plan.target.hostname}`,
      word: `convert-${plan.target.hostname}`,
    });
  }
  return out;
}

function lockChanges(f: ChangeFacts, accepted: Map<string, string>): ChangeInEffect[] {
  const newest = (f.restore.at(-1) ?? f.convert.at(-1))?.path;
  return f.leftLocks.flatMap((l): ChangeInEffect[] => {
    const h = l.holder;
    const id = `lock:${l.on}:${h.since}`;
    if (acceptedSince(accepted, id, h.since)) return [];
    // On another headnode its sync (and a console there) cannot tell the process is gone.
    const effect = l.local
      ? 'the next restore or conversion here takes it over'
      : `the 5-minute sync on ${l.on} is paused, and a console there refuses to start, until it is removed`;
    return [
      {
        id,
        kind: 'lock',
        host: l.on,
        what: `recovery lock ${l.where} left by ${h.who}'s "${h.command}" (pid ${h.pid} on ${h.host}, gone): ${effect}`,
        since: h.since,
        run: `pid ${h.pid}`,
        // Accepted in the newest journal: a journal of one decision alone would be set aside by the next restore.
        ...(newest ? { journal: newest } : {}),
        finish: 'rerun the restore or conversion it belongs to: it takes the lock over and removes it when done',
        undo: `on ${l.on}: rm -rf ${l.where}`,
        word: `lock-${l.on}`,
      },
    ];
  });
}

/** The command that accepts a change as it is (the word typed is the confirmation). */
export const acceptCommand = (c: Pick<ChangeInEffect, 'word'>): string => `triton-recover accept ${c.word}`;

/** CHANGES_IN_EFFECT: one warning per change, with how to finish, undo or accept it. */
export function changesProblems(changes: readonly ChangeInEffect[]): Problem[] {
  return changes.map((c) => ({
    severity: 'warning',
    code: 'CHANGES_IN_EFFECT',
    ...(c.zone ? { service: c.zone.service } : {}),
    message: `still in effect on ${c.host} since ${c.since}, not finished: ${c.what}`,
    fix: `finish it: ${c.finish}${c.undo ? `; or undo it: ${c.undo}` : ''}; or accept it as it is: ${acceptCommand(c)}`,
  }));
}
