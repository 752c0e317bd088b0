// What a restore run is for. The journal directory is the same every time, so
// a journal left there may be an earlier incident's, another DC's, or a run
// with another --only: only a journal for this same restore is resumed. Pure.
import { z } from 'zod';

export const RunIdentity = z.strictObject({
  /** From restore-data (SAPI's sdc application) or CNAPI's sysinfo; null when neither says. */
  dc: z.strictObject({ name: z.string().nullable(), uuid: z.string().nullable() }),
  dead: z.strictObject({ hostname: z.string(), uuid: z.string() }),
  strategy: z.enum(['reuse', 'new']),
  /** The --only set, sorted; null: every lost service. */
  only: z.array(z.string()).nullable(),
  restoreData: z.string(),
});
export type RunIdentity = z.infer<typeof RunIdentity>;

export function describeIdentity(i: RunIdentity): string {
  return `${i.dc.name ?? i.dc.uuid ?? 'unknown DC'}, dead ${i.dead.hostname} (${i.dead.uuid}), ${i.strategy}, ${i.only ? `--only ${i.only.join(',')}` : 'all services'}, restore-data ${i.restoreData}`;
}

function sameDc(a: RunIdentity['dc'], b: RunIdentity['dc']): boolean {
  if (a.uuid && b.uuid) return a.uuid === b.uuid;
  return a.name === b.name;
}

/** How the journaled run differs from this one, in words; empty: the same run. */
export function identityDiff(was: RunIdentity, now: RunIdentity): string[] {
  const d: string[] = [];
  if (!sameDc(was.dc, now.dc))
    d.push(`datacenter ${was.dc.name ?? was.dc.uuid ?? '?'}, now ${now.dc.name ?? now.dc.uuid ?? '?'}`);
  if (was.dead.uuid !== now.dead.uuid)
    d.push(`dead server ${was.dead.hostname} (${was.dead.uuid}), now ${now.dead.hostname} (${now.dead.uuid})`);
  if (was.strategy !== now.strategy) d.push(`strategy ${was.strategy}, now ${now.strategy}`);
  const only = (o: string[] | null): string => (o ? `--only ${o.join(',')}` : 'all services');
  if (only(was.only) !== only(now.only)) d.push(`${only(was.only)}, now ${only(now.only)}`);
  if (was.restoreData !== now.restoreData) d.push(`restore-data ${was.restoreData}, now ${now.restoreData}`);
  return d;
}

export type JournalVerdict =
  | { t: 'fresh' }
  | { t: 'resume' }
  /** Kept beside the new journal; this run starts afresh. */
  | { t: 'set-aside'; why: string }
  /** Starting afresh could double zones: the operator decides. */
  | { t: 'refuse'; why: string; was: RunIdentity };

export interface JournalFacts {
  /** Any line at all, readable or not. */
  empty: boolean;
  identity: RunIdentity | undefined;
  closed: { ts: string; reason: string } | undefined;
  /** Some action of it ran (a start or an end is journaled). */
  acted: boolean;
}

/**
 * Resume only the same, unfinished run. Another run's journal is set aside,
 * except one for this same dead server that changed zones and cannot be
 * re-planned to the same result: a switch of strategy half-way, or a `new`
 * run (its fresh UUIDs and IPs are only in that journal).
 */
export function judgeJournal(j: JournalFacts, now: RunIdentity): JournalVerdict {
  if (j.empty) return { t: 'fresh' };
  if (j.closed) return { t: 'set-aside', why: `its run finished (${j.closed.ts}: ${j.closed.reason})` };
  if (!j.identity)
    return {
      t: 'set-aside',
      why: 'it does not say which restore it belongs to (an older version, or cut short before its first entry)',
    };
  const diff = identityDiff(j.identity, now);
  if (diff.length === 0) return { t: 'resume' };
  const sameIncident = sameDc(j.identity.dc, now.dc) && j.identity.dead.uuid === now.dead.uuid;
  if (sameIncident && j.acted && (j.identity.strategy !== now.strategy || j.identity.strategy === 'new')) {
    return { t: 'refuse', why: diff.join('; '), was: j.identity };
  }
  return { t: 'set-aside', why: `it is for another run (${diff.join('; ')})` };
}
