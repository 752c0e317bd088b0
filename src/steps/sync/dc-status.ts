// The DC-wide status of restore-data (dc/synced.json) and the layout marker:
// other headnodes judge this copy by them alone, so a sync writes them last,
// and a failed one keeps the time of the last good run.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../remote/restore-data-files.js';
import { parseJson } from '../../remote/triton/parse.js';
import { LAYOUT_VERSION, Synced, paths } from '../../state/restore-data-layout.js';
import { lastGoodOf } from './service.js';

/** The SAPI/CNAPI failure goes on record, when there is restore-data to record it in. */
export async function recordDcFailure(root: string, at: Date, error: string): Promise<void> {
  if (!(await exists(join(root, paths.layout)))) return;
  const lastGood = lastGoodOf(await readSynced(root, paths.dcSynced));
  await writeJsonAtomic(root, paths.dcSynced, {
    time: at.toISOString(),
    ok: false,
    error,
    ...(lastGood ? { lastGood } : {}),
  });
}

/** The end of a whole run: the layout marker (once), then dc/synced.json, ok or naming every problem. */
export async function writeDcStatus(root: string, startedAt: () => string, problems: readonly string[]): Promise<void> {
  if (!(await exists(join(root, paths.layout)))) await writeFileAtomic(root, paths.layout, `${LAYOUT_VERSION}\n`);
  const prev = await readSynced(root, paths.dcSynced);
  const lastGood = lastGoodOf(prev);
  const time = startedAt();
  await writeJsonAtomic(
    root,
    paths.dcSynced,
    problems.length === 0
      ? { time, ok: true }
      : { time, ok: false, error: problems.join('; '), ...(lastGood ? { lastGood } : {}) },
  );
}

async function readSynced(root: string, rel: string): Promise<Synced | undefined> {
  try {
    return parseJson(rel, Synced, await readFile(join(root, rel), 'utf8'));
  } catch {
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}
