// RESTORE_DATA_CORRUPT: a dataset stream held here failed its last end-to-end
// verification (svc-<service>/verified.json, written by sync after zstreamdump),
// however fresh its synced.json looks. A restore from it would fail at zfs
// receive: critical in a disaster for a service to restore, a warning on a
// normal day (the next sync sends a new full stream). Pure.
import type { Mode } from './headnode-problems.js';
import type { Problem } from './problem.js';
import type { RestoreData } from './restore-data.js';

export function verifyProblems(rd: RestoreData, mode: Mode, toRestore: ReadonlySet<string>, here: string): Problem[] {
  const out: Problem[] = [];
  for (const [name, sd] of [...rd.services].sort(([a], [b]) => a.localeCompare(b))) {
    const held = new Set(sd.datasets.filter((d) => d.streamPath !== undefined).map((d) => d.instanceUuid));
    const failed = (sd.verified?.datasets ?? []).filter((v) => !v.ok && held.has(v.uuid));
    if (failed.length === 0) continue;
    const alias = (uuid: string): string => sd.vms.find((v) => v.uuid === uuid)?.alias ?? uuid;
    out.push({
      severity: mode === 'disaster' && toRestore.has(name) ? 'critical' : 'warning',
      code: 'RESTORE_DATA_CORRUPT',
      service: name,
      message: `the ${name} restore-data on ${here} failed verification: ${failed.map((f) => `${alias(f.uuid)}'s streams (checked ${f.time}): ${f.error ?? 'a stream failed zstreamdump'}`).join('; ')}`,
      fix:
        mode === 'disaster'
          ? `restore ${name} from another headnode's restore-data if one verified it (triton-recover check there), or re-create it empty: its data since the last good copy is lost`
          : `run triton-recover sync on ${here}: it sends a new full stream and verifies it; if it fails again, check the disk (zpool status -x) on ${here}`,
    });
  }
  return out;
}
