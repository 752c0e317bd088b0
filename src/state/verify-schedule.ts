// When sync verifies a dataset's whole held stream chain end to end: after
// every full send (a new base), when the last verification failed or is
// missing, and otherwise once a day (VERIFY_EVERY_MS) even when only
// incrementals went, since a file can rot on disk after it was written. Every
// run also verifies the stream it just wrote. Image files: the same, a fetch
// being the full send (its sha1 is checked as it is written). Pure.
export const VERIFY_EVERY_MS = 24 * 3600 * 1000;

/** prev: the last verification of the dataset's chain or of the image file. */
export function verifyDue(prev: { time: string; ok: boolean } | undefined, sentFull: boolean, now: Date): boolean {
  if (sentFull || !prev || !prev.ok) return true;
  return now.getTime() - Date.parse(prev.time) >= VERIFY_EVERY_MS;
}
