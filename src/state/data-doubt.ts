// Why a service's copy here would restore, but not as it was: stale (changes
// since are lost), failed its last verification, or never (or not lately)
// verified. These do not block a restore (most are warnings), but a service so
// doubted is not "ready": the check report's services[].ready and the
// readiness rows both ask here, from the problems the check already judged
// (one home: the judging is in restore-data-problems.ts and verify-problems.ts). Pure.
import type { Problem, ProblemCode } from './problem.js';

const DOUBTS: Readonly<Partial<Record<ProblemCode, string>>> = {
  RESTORE_DATA_STALE: 'stale copy',
  RESTORE_DATA_CORRUPT: 'its copy failed verification',
  RESTORE_DATA_UNVERIFIED: 'its copy is not verified',
};

/** What doubts the service's copy here ("stale copy (RESTORE_DATA_STALE)"), in the problems' order. */
export function dataDoubts(problems: readonly Problem[], service: string): string[] {
  return problems
    .filter((p) => p.service === service && DOUBTS[p.code] !== undefined)
    .map((p) => `${DOUBTS[p.code]!} (${p.code})`);
}
