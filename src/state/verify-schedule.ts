// When sync verifies a dataset's whole held stream chain end to end: after
// every full send (a new base), when the last verification failed or is
// missing, and otherwise once a day (VERIFY_EVERY_MS) even when only
// incrementals went, since a file can rot on disk after it was written. Every
// run also verifies the stream it just wrote. Pure.
import type { VerifiedDataset } from './restore-data-layout.js';

export const VERIFY_EVERY_MS = 24 * 3600 * 1000;

export function verifyDue(prev: VerifiedDataset | undefined, sentFull: boolean, now: Date): boolean {
  if (sentFull || !prev || !prev.ok) return true;
  return now.getTime() - Date.parse(prev.time) >= VERIFY_EVERY_MS;
}
