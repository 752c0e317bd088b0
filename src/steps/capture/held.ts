// What capture reads of restore-data here (as a restore would find it) and of a
// peer's SSH connection (its cost, apart from the command's).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../remote/host.js';
import { dataTimeOf, paths, RecoveryIps, Synced } from '../../state/restore-data-layout.js';
import type { CapturedRestoreData, CapturedZone, LatencySample } from '../../state/capture.js';

async function readJsonFile(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** This headnode's restore-data, as a restore would find it. */
export async function localRestoreData(
  root: string,
  zones: CapturedZone[],
): Promise<Omit<CapturedRestoreData, 'on'> & { recoveryIps: string[]; held: boolean }> {
  const services: CapturedRestoreData['services'] = {};
  if (!existsSync(join(root, paths.layout))) return { services, recoveryIps: [], held: false };
  const synced = async (rel: string): Promise<number | undefined> => {
    try {
      return Date.parse(dataTimeOf(Synced.parse(await readJsonFile(join(root, rel)))));
    } catch {
      return undefined;
    }
  };
  for (const svc of [...new Set(zones.map((z) => z.service))]) {
    const at = await synced(paths.svcSynced(svc));
    if (at === undefined) {
      services[svc] = { missing: true };
      continue;
    }
    const mine = zones.filter((z) => z.service === svc);
    services[svc] = {
      syncedAt: at,
      ...(mine.some((z) => z.delegatedDataset && !existsSync(join(root, paths.datasetStream(svc, z.uuid))))
        ? { missingDataset: true as const }
        : {}),
      ...(mine.some((z) => !existsSync(join(root, paths.imageManifest(z.image))))
        ? { missingImage: true as const }
        : {}),
    };
  }
  let recoveryIps: string[] = [];
  try {
    recoveryIps = RecoveryIps.parse(await readJsonFile(join(root, paths.recoveryIps))).map((r) => r.ip);
  } catch {
    // No list from the last sync: the scenario reserves none.
  }
  const dcAt = await synced(paths.dcSynced);
  return { services, recoveryIps, held: true, ...(dcAt !== undefined ? { dcSyncedAt: dcAt } : {}) };
}

/** `hostname` twice: the first pays for the SSH connection, the second does not. */
export async function probe(host: Host, timeoutMs: number, samples: LatencySample[]): Promise<boolean> {
  try {
    const t0 = performance.now();
    const a = await host.run(['hostname'], { timeoutMs });
    const t1 = performance.now();
    const b = await host.run(['hostname'], { timeoutMs });
    const t2 = performance.now();
    if (a.code !== 0 || b.code !== 0) return false;
    samples.push({ kind: 'ssh connect', ms: Math.max(0, t1 - t0 - (t2 - t1)) });
    samples.push({ kind: 'command', ms: t2 - t1 });
    return true;
  } catch {
    return false;
  }
}
