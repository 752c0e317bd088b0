// The restore's record of whose zones it re-created (state/fence.ts RestoredFrom),
// kept in the journal directory: `check` reads it to know a restore happened
// and to watch that server for a return (PRIMARY_RETURNED). A copy goes to the
// same directory on every other live headnode, so `check` there says it too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../remote/host.js';
import { writePrivateFileSync } from '../remote/private-files.js';
import { RESTORED_FROM_FILE, RestoredFrom } from '../state/fence.js';

/** Written before the restore's first change; a resumed run rewrites it with the same server. */
export function writeRestoredFrom(journalDir: string, r: RestoredFrom): void {
  writePrivateFileSync(join(journalDir, RESTORED_FROM_FILE), JSON.stringify(r, null, 2) + '\n');
}

/** The record, if a restore ran from this journal directory; a damaged file says so instead of crashing. */
export function readRestoredFrom(journalDir: string): { record?: RestoredFrom; damaged?: string } {
  let text: string;
  try {
    text = readFileSync(join(journalDir, RESTORED_FROM_FILE), 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = RestoredFrom.safeParse(JSON.parse(text));
    return parsed.success
      ? { record: parsed.data }
      : { damaged: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  } catch (err) {
    return { damaged: (err as Error).message };
  }
}

/** How long copying the record to one headnode may take. */
const SHARE_TIMEOUT_MS = 15_000;

/**
 * Copy the record into the same journal directory on each other live headnode
 * (mkdir -p, then tee). A headnode that cannot take it is a note, never a stop:
 * the restore matters more, and the copy here is enough for `check` here.
 */
export async function shareRestoredFrom(
  peers: readonly { hostname: string; host: Host }[],
  journalDir: string,
  r: RestoredFrom,
): Promise<string[]> {
  const file = join(journalDir, RESTORED_FROM_FILE);
  const text = JSON.stringify(r, null, 2) + '\n';
  const notes = await Promise.all(
    peers.map(async ({ hostname, host }): Promise<string | undefined> => {
      try {
        for (const [argv, stdin] of [
          [['mkdir', '-p', journalDir], undefined],
          [['tee', file], text],
        ] as const) {
          const res = await host.run(argv, { timeoutMs: SHARE_TIMEOUT_MS, ...(stdin ? { stdin } : {}) });
          if (res.code !== 0) return `${hostname}: ${argv.join(' ')} exited ${res.code}: ${res.stderr.trim()}`;
        }
        return undefined;
      } catch (err) {
        return `${hostname}: ${(err as Error).message}`;
      }
    }),
  );
  return notes
    .filter((n): n is string => n !== undefined)
    .map(
      (n) =>
        `the restored-from record was not copied to ${n}; check there will not say PRIMARY_RETURNED (copy ${file} there by hand)`,
    );
}
