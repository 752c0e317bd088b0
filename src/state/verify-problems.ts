// Verified, not just fresh: what the last end-to-end verifications of the
// restore-data held here say (state/verified-age.ts), however fresh its
// synced.json looks. Pure.
// RESTORE_DATA_CORRUPT: a dataset stream chain failed zstreamdump, or an image
// file its zones need failed its manifest's size or sha1. A restore from it
// would fail at zfs receive or imgadm install: critical in a disaster for a
// service to restore, a warning on a normal day (the next sync sends a new full
// stream, or fetches the image again).
// RESTORE_DATA_UNVERIFIED: one of them was never verified, or not for longer
// than the allowed age: nobody knows whether it would restore. A warning.
import { isRestored } from '../catalogue.js';
import type { Mode } from './headnode-problems.js';
import type { Problem } from './problem.js';
import { dataTimeOf } from './restore-data-layout.js';
import type { RestoreData } from './restore-data.js';
import { ageSeconds, formatAge, isStale } from './restore-age.js';
import { datasetParts, imageParts, type VerifiedPart } from './verified-age.js';

export interface VerifyJudgement {
  mode: Mode;
  /** Services a restore would re-create now. */
  toRestore: ReadonlySet<string>;
  /** This headnode. */
  here: string;
  now: number;
  maxAgeMinutes: number;
  maxVerifiedAgeHours: number;
}

export function verifyProblems(rd: RestoreData, j: VerifyJudgement): Problem[] {
  const out: Problem[] = [];
  for (const [name, sd] of [...rd.services].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isRestored(name)) continue;
    const parts = [...datasetParts(sd), ...imageParts(rd, sd)];
    const alias = (uuid: string): string => sd.vms.find((v) => v.uuid === uuid)?.alias ?? uuid;
    const label = (p: VerifiedPart): string =>
      p.kind === 'dataset' ? `${alias(p.uuid)}'s streams` : `image ${imageLabel(rd, p.uuid)} (images/${p.uuid}.file)`;
    const failed = parts.filter((p) => p.record?.ok === false);
    if (failed.length > 0) {
      out.push({
        severity: j.mode === 'disaster' && j.toRestore.has(name) ? 'critical' : 'warning',
        code: 'RESTORE_DATA_CORRUPT',
        service: name,
        message: `the ${name} restore-data on ${j.here} failed verification: ${failed.map((f) => `${label(f)} (checked ${f.record!.time}): ${f.record!.error ?? (f.kind === 'dataset' ? 'a stream failed zstreamdump' : "the file does not match its manifest's size and sha1")}`).join('; ')}`,
        fix:
          j.mode === 'disaster'
            ? `restore ${name} from another headnode's restore-data if one verified it (triton-recover check there), or re-create it empty: its data since the last good copy is lost${failed.some((f) => f.kind === 'image') ? '; an image can also be imported again (imgadm import -S https://updates.tritondatacenter.com <uuid>)' : ''}`
            : `run triton-recover sync on ${j.here}: it sends a new full stream or fetches the image again, and verifies it; if it fails again, check the disk (zpool status -x) on ${j.here}`,
      });
      continue;
    }
    // A copy the sync no longer refreshes is RESTORE_DATA_STALE already: its verification stopped with it.
    const age = sd.synced ? ageSeconds(dataTimeOf(sd.synced), j.now) : null;
    if (age === null || isStale(age, j.maxAgeMinutes)) continue;
    const limit = j.maxVerifiedAgeHours * 3600;
    const never = parts.filter((p) => !p.record);
    const old = parts.filter((p) => p.record && ageSeconds(p.record.time, j.now) > limit);
    if (never.length === 0 && old.length === 0) continue;
    const said = [
      ...(never.length > 0 ? [`never verified: ${never.map(label).join(', ')}`] : []),
      ...(old.length > 0
        ? [
            `last verified more than ${j.maxVerifiedAgeHours} h ago: ${old.map((p) => `${label(p)} (${formatAge(ageSeconds(p.record!.time, j.now))} ago)`).join(', ')}`,
          ]
        : []),
    ];
    out.push({
      severity: 'warning',
      code: 'RESTORE_DATA_UNVERIFIED',
      service: name,
      message: `the ${name} restore-data on ${j.here} was synced ${formatAge(age)} ago but is not known to restore: ${said.join('; ')}`,
      fix: `run triton-recover sync on ${j.here}: it verifies what was never verified (zstreamdump for streams, size and sha1 for images) and re-verifies daily; if this stays, read its sync log for VERIFY lines`,
    });
  }
  return out;
}

function imageLabel(rd: RestoreData, uuid: string): string {
  const m = rd.images.get(uuid)?.manifest;
  return m ? `${m.name}@${m.version} ${uuid}` : uuid;
}
