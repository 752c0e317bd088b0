// The restore's record of whose zones it re-created (state/fence.ts RestoredFrom),
// kept in the journal directory: `check` reads it to know a restore happened
// and to watch that server for a return (PRIMARY_RETURNED).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    return parsed.success ? { record: parsed.data } : { damaged: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  } catch (err) {
    return { damaged: (err as Error).message };
  }
}
