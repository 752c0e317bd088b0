// Why a service's copy here would restore, but not as it was: stale (changes
// since are lost), failed its last verification, or never (or not lately)
// verified. These do not block a restore, so the service stays "ready" (design
// section 7: nothing blocks it; in a disaster every copy goes stale within
// minutes, as the sync from the dead headnode fails). The readiness screen
// marks it `yes*` and says why; the rows note it. Read from the problems the
// check already judged (the judging is in restore-data-problems.ts and
// verify-problems.ts). Pure.
import type { Problem, ProblemCode } from './problem.js';

const DOUBTS: Readonly<Partial<Record<ProblemCode, string>>> = {
  RESTORE_DATA_STALE: 'stale copy',
  RESTORE_DATA_CORRUPT: 'its copy failed verification',
  RESTORE_DATA_UNVERIFIED: 'its copy is not verified',
};

/** What doubts the service's copy here ("stale copy (RESTORE_DATA_STALE)"), in the problems' order. */
export function dataDoubts(
  problems: readonly Problem[],
  service: string,
  except: readonly ProblemCode[] = [],
): string[] {
  return problems
    .filter((p) => p.service === service && DOUBTS[p.code] !== undefined && !except.includes(p.code))
    .map((p) => `${DOUBTS[p.code]!} (${p.code})`);
}
