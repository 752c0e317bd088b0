// When a service's restore-data was last verified end to end, apart from when
// it was synced: its dataset stream chains (svc-<service>/verified.json) and
// the image files its zones need with their origins (images/verified.json).
// One home for it: the check report, the readiness rows and the problems read
// it from here. Pure.
import { originChain } from './image-chain.js';
import type { RestoreData, ServiceData } from './restore-data.js';

/**
 * A verification older than this is too old (RESTORE_DATA_UNVERIFIED). Sync
 * verifies every held chain and image once a day (VERIFY_EVERY_MS), so a record
 * older than a day and two hours means at least one scheduled verification did
 * not happen; the two hours let a long sync or a few failed runs (which
 * RESTORE_DATA_STALE reports) pass without a second warning. --max-verified-age
 * sets it.
 */
export const DEFAULT_MAX_VERIFIED_AGE_HOURS = 26;

/** One thing verified: a dataset's stream chain or an image file, and its last record. */
export interface VerifiedPart {
  kind: 'dataset' | 'image';
  /** The instance uuid (dataset) or the image uuid. */
  uuid: string;
  /** Absent: never verified. */
  record?: { time: string; ok: boolean; error?: string };
}

/** The dataset chains a service holds, each with its last verification. */
export function datasetParts(sd: ServiceData | undefined): VerifiedPart[] {
  return (sd?.datasets ?? [])
    .filter((d) => d.streamPath !== undefined)
    .map((d) => {
      const record = sd?.verified?.datasets.find((v) => v.uuid === d.instanceUuid);
      return { kind: 'dataset' as const, uuid: d.instanceUuid, ...(record ? { record } : {}) };
    });
}

/** The image files held that a service's zones need (their images and origins), each with its last check. */
export function imageParts(rd: RestoreData, sd: ServiceData | undefined): VerifiedPart[] {
  const uuids = new Set<string>();
  for (const vm of sd?.vms ?? [])
    if (vm.image_uuid) for (const u of originChain(vm.image_uuid, rd.images)) if (rd.images.has(u)) uuids.add(u);
  return [...uuids].sort().map((uuid) => {
    const record = rd.imagesVerified?.images.find((v) => v.uuid === uuid);
    return { kind: 'image' as const, uuid, ...(record ? { record } : {}) };
  });
}

/**
 * The check report's verifiedAgeSeconds / verifiedOk: of the dataset streams
 * only (their meaning since they were added); null when none is held or one
 * was never verified (verifiedOk false as soon as one record failed).
 */
export function verifiedOf(
  sd: ServiceData | undefined,
  now: number,
): { verifiedAgeSeconds: number | null; verifiedOk: boolean | null } {
  return summary(datasetParts(sd), now);
}

/** Age of the oldest record and whether all passed; null when nothing or something unverified. */
export function summary(
  parts: readonly VerifiedPart[],
  now: number,
): { verifiedAgeSeconds: number | null; verifiedOk: boolean | null } {
  const failed = parts.some((p) => p.record?.ok === false);
  if (parts.length === 0 || parts.some((p) => !p.record))
    return { verifiedAgeSeconds: null, verifiedOk: failed ? false : null };
  const oldest = Math.min(...parts.map((p) => Date.parse(p.record!.time)));
  return { verifiedAgeSeconds: Math.max(0, Math.round((now - oldest) / 1000)), verifiedOk: !failed };
}
