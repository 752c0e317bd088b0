// Verification of the stream chains sync holds, apart from their freshness: a
// copy never checked is not a backup. After a service's datasets are synced,
// each dataset's chain (full stream, then each incremental) goes through
// zstreamdump on this headnode when due (state/verify-schedule.ts), otherwise
// only the stream written this run does; the result is kept in
// svc-<service>/verified.json. A failed chain makes the next sync send a full
// stream (dataset.ts), and check reports RESTORE_DATA_CORRUPT meanwhile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../remote/host.js';
import { parseJson } from '../../remote/triton/parse.js';
import { zstreamdumpFile } from '../../remote/triton/zstreamdump.js';
import { writeJsonAtomic } from '../../remote/restore-data-files.js';
import { DatasetMeta, Verified, paths, type VerifiedDataset } from '../../state/restore-data-layout.js';
import type { DatasetSyncResult } from '../../state/sync-report.js';
import { verifyDue } from '../../state/verify-schedule.js';

export async function readVerified(root: string, svc: string): Promise<Verified | undefined> {
  try {
    return parseJson('verified.json', Verified, await readFile(join(root, paths.svcVerified(svc)), 'utf8'));
  } catch {
    return undefined;
  }
}

async function readMeta(root: string, svc: string, uuid: string): Promise<DatasetMeta | undefined> {
  try {
    return parseJson('dataset metadata', DatasetMeta, await readFile(join(root, paths.datasetMeta(svc, uuid)), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The chain's files, in apply order (relative to root). */
function chainFiles(svc: string, uuid: string, meta: DatasetMeta): string[] {
  return [
    paths.datasetStream(svc, uuid),
    ...(meta.incrementals ?? []).map((_, i) => paths.datasetIncrement(svc, uuid, i + 1)),
  ];
}

export interface VerifyJob {
  root: string;
  service: string;
  /** Datasets held for the service (instances with a stream), and what this run sent of each. */
  datasets: { uuid: string; sent?: DatasetSyncResult }[];
  /** This headnode, where the files are. */
  local: Host;
  timeoutMs: number;
  now: () => Date;
}

/** Verifies what is due, writes verified.json, returns the datasets that failed (with why). */
export async function verifyService(j: VerifyJob): Promise<VerifiedDataset[]> {
  const prev = await readVerified(j.root, j.service);
  const out: VerifiedDataset[] = [];
  for (const d of j.datasets) {
    const meta = await readMeta(j.root, j.service, d.uuid);
    const before = prev?.datasets.find((v) => v.uuid === d.uuid);
    if (!meta) {
      if (before) out.push(before);
      continue;
    }
    const now = j.now();
    const whole = verifyDue(before, d.sent?.kind === 'full', now);
    const files = chainFiles(j.service, d.uuid, meta);
    const toCheck = whole ? files : d.sent ? files.slice(-1) : [];
    let error: string | undefined;
    for (const rel of toCheck) {
      const v = await zstreamdumpFile(j.local, join(j.root, rel), j.timeoutMs).catch((e: unknown) => ({
        ok: false as const,
        why: e instanceof Error ? e.message : String(e),
      }));
      if (!v.ok) {
        error = `zstreamdump < ${join(j.root, rel)} on ${j.local.name}: ${v.why}; the next sync sends a new full stream of it (run triton-recover sync to do it now)`;
        break;
      }
    }
    if (error !== undefined)
      out.push({
        uuid: d.uuid,
        time: now.toISOString(),
        ok: false,
        snapshot: meta.snapshot,
        streams: files.length,
        error,
      });
    else if (whole)
      out.push({ uuid: d.uuid, time: now.toISOString(), ok: true, snapshot: meta.snapshot, streams: files.length });
    else if (before) out.push(before);
  }
  await writeJsonAtomic(j.root, paths.svcVerified(j.service), { datasets: out });
  return out.filter((v) => !v.ok);
}
