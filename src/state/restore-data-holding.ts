// Does each headnode hold restore-data of its own, and how fresh is it? Seen
// from here: this headnode's copy is read directly; another headnode's is
// looked at over SSH (LAYOUT and dc/synced.json only). In readiness mode every
// headnode needs one, or losing another headnode leaves it unable to restore
// (RESTORE_DATA_MISSING / RESTORE_DATA_STALE, warnings). Pure.
import type { Problem } from './problem.js';
import { ageSeconds, formatAge, formatUtc, isStale } from './restore-age.js';
import { DEFAULT_RESTORE_DATA_DIR, paths, type Synced } from './restore-data-layout.js';
import { lastGoodText, syncFix } from './restore-data-problems.js';

/** What one headnode holds. `layout` undefined: could not tell (`why` says why). */
export interface RestoreDataHolding {
  hostname: string;
  uuid: string;
  local: boolean;
  /** Where it was looked for. */
  dir: string;
  layout: boolean | undefined;
  /** dc/synced.json, when readable. */
  synced: Synced | undefined;
  /** Why synced.json is not readable, or why nothing could be told. */
  why?: string;
}

export const REMOTE_LAYOUT = `${DEFAULT_RESTORE_DATA_DIR}/${paths.layout}`;
export const REMOTE_SYNCED = `${DEFAULT_RESTORE_DATA_DIR}/${paths.dcSynced}`;

/** A copy another headnode could restore from: LAYOUT there and a readable synced.json. */
export const usable = (h: RestoreDataHolding): h is RestoreDataHolding & { synced: Synced } =>
  h.layout === true && h.synced !== undefined;

const either = (names: readonly string[]): string =>
  names.length <= 1
    ? (names[0] ?? 'another headnode')
    : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

/**
 * One warning per other headnode whose copy is missing, unreadable or stale.
 * This headnode's own copy is judged by restoreDataProblems (critical there:
 * the restore runs from it).
 */
export function holdingProblems(
  holdings: readonly RestoreDataHolding[],
  now: number,
  maxAgeMinutes: number,
): Problem[] {
  const out: Problem[] = [];
  const names = holdings.map((h) => h.hostname);
  for (const h of holdings) {
    if (h.local) continue;
    const others = either(names.filter((n) => n !== h.hostname));
    const warn = (message: string, fix = syncFix(h.hostname)): Problem => ({
      severity: 'warning',
      code: 'RESTORE_DATA_MISSING',
      message,
      fix,
    });
    if (h.layout === undefined) {
      out.push(
        warn(
          `could not tell whether ${h.hostname} holds restore-data (${h.why ?? 'no answer'}): if ${others} died, ${h.hostname} might not be able to restore it`,
          `check by hand on ${h.hostname}: cat ${REMOTE_SYNCED}; then ${syncFix(h.hostname)}`,
        ),
      );
      continue;
    }
    if (!h.layout) {
      out.push(
        warn(
          `no restore-data on ${h.hostname} (${h.dir}/${paths.layout} is missing there): if ${others} died, ${h.hostname} could not restore it`,
        ),
      );
      continue;
    }
    if (!h.synced) {
      out.push(
        warn(
          `restore-data on ${h.hostname} has no readable ${paths.dcSynced} (${h.why ?? 'unreadable'}): its last sync never finished, so if ${others} died, ${h.hostname} could not restore it`,
        ),
      );
      continue;
    }
    const age = ageSeconds(h.synced.time, now);
    const at = formatUtc(h.synced.time, now);
    const stale = { severity: 'warning' as const, code: 'RESTORE_DATA_STALE' as const, fix: syncFix(h.hostname) };
    if (!h.synced.ok) {
      out.push({
        ...stale,
        message: `the last sync of restore-data on ${h.hostname} failed (${h.dir}/${paths.dcSynced}: ${h.synced.error ?? 'no error text'}, ${formatAge(age)} ago at ${at})${lastGoodText(h.synced, now)}: if ${others} died, a restore from ${h.hostname} would lose what changed since its last good copy`,
      });
    } else if (isStale(age, maxAgeMinutes)) {
      out.push({
        ...stale,
        message: `restore-data on ${h.hostname} is ${formatAge(age)} old (synced ${at}, more than the ${maxAgeMinutes} min allowed): if ${others} died, a restore from ${h.hostname} would lose what changed after ${at}`,
      });
    }
  }
  return out;
}
