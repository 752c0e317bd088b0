// The restore-data layout (design section 6): where each file lives and what it
// must contain. Written by sync (and the simulator), read by the restore engine.
import { z } from 'zod';
import { DatasetName, Ipv4, ServiceName, Uuid } from '../values/schemas.js';

export const LAYOUT_VERSION = '1';
export const DEFAULT_RESTORE_DATA_DIR = '/var/sdcadm/restore-data';

export const paths = {
  layout: 'LAYOUT',
  dcSynced: 'dc/synced.json',
  sdcApplication: 'dc/sdc-application.json',
  services: 'dc/services.json',
  servers: 'dc/servers.json',
  adminNetwork: 'dc/admin-network.json',
  adminIps: 'dc/admin-ips.json',
  recoveryIps: 'dc/recovery-ips.json',
  svcDir: (svc: string): string => `svc-${ServiceName.parse(svc)}`,
  svcSynced: (svc: string): string => `svc-${ServiceName.parse(svc)}/synced.json`,
  /** When each dataset's held stream chain was last verified end to end (zstreamdump), apart from synced.json. */
  svcVerified: (svc: string): string => `svc-${ServiceName.parse(svc)}/verified.json`,
  /** When each image file held was last checked against its manifest's size and sha1 (one record per image). */
  imagesVerified: 'images/verified.json',
  sapiInstances: (svc: string): string => `svc-${ServiceName.parse(svc)}/sapi-instances.json`,
  vm: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/vm-${Uuid.parse(uuid)}.json`,
  datasetStream: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/dataset-${Uuid.parse(uuid)}.zfs`,
  datasetMeta: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/dataset-${Uuid.parse(uuid)}.json`,
  /** The n-th incremental stream on top of dataset-<uuid>.zfs (n from 1). */
  datasetIncrement: (svc: string, uuid: string, n: number): string =>
    `svc-${ServiceName.parse(svc)}/${incrementFile(uuid, n)}`,
  imageManifest: (uuid: string): string => `images/${Uuid.parse(uuid)}.json`,
  imageFile: (uuid: string): string => `images/${Uuid.parse(uuid)}.file`,
} as const;

export const Synced = z.object({
  time: z.iso.datetime(),
  ok: z.boolean(),
  error: z.string().optional(),
  /** When ok is false: when the data still held was last synced successfully. */
  lastGood: z.iso.datetime().optional(),
});
export type Synced = z.infer<typeof Synced>;

/** How old the data is: a failed sync keeps the last good copy, so its time is the one that counts. */
export function dataTimeOf(s: Synced): string {
  return s.ok ? s.time : (s.lastGood ?? s.time);
}

export const RecoveryIps = z.array(z.object({ ip: Ipv4, service: ServiceName.nullable() }));
export type RecoveryIps = z.infer<typeof RecoveryIps>;

/** `dataset-<uuid>.i<n>.zfs`: the name of an incremental stream file (never a path). */
export function incrementFile(uuid: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new Error(`incremental number must be 1 or more, not ${n}`);
  return `dataset-${Uuid.parse(uuid)}.i${n}.zfs`;
}
export const INCREMENT_FILE_RE = /^dataset-([0-9a-f-]{36})\.i([1-9][0-9]*)\.zfs$/;

const Bytes = z.number().int().nonnegative();
const Snapshot = DatasetName.refine((s) => s.includes('@'), 'not a snapshot name (ds@snap)');

/** One incremental stream of the chain: applies on top of `from`, leaves `snapshot`. */
export const DatasetIncrement = z.object({
  file: z.string().regex(INCREMENT_FILE_RE, 'not an incremental stream file name'),
  from: Snapshot,
  snapshot: Snapshot,
  bytes: Bytes,
  time: z.iso.datetime(),
});
export type DatasetIncrement = z.infer<typeof DatasetIncrement>;

/**
 * snapshot/time: the newest snapshot held once every stream is applied; bytes:
 * all stream files together. base/incrementals describe the chain (absent in
 * files written before chains: then the full stream is all there is).
 */
export const DatasetMeta = z.object({
  snapshot: z.string().min(1),
  time: z.iso.datetime(),
  bytes: Bytes,
  base: z.object({ snapshot: Snapshot, bytes: Bytes }).optional(),
  incrementals: z.array(DatasetIncrement).optional(),
});
export type DatasetMeta = z.infer<typeof DatasetMeta>;

/**
 * svc-<service>/verified.json: per dataset, the last end-to-end check of the
 * stream chain held (every file through zstreamdump: its records and END
 * checksum). time: when that check ran; snapshot: the newest snapshot the
 * checked chain leaves; ok false with error: a stream failed it.
 */
export const VerifiedDataset = z.object({
  uuid: Uuid,
  time: z.iso.datetime(),
  ok: z.boolean(),
  snapshot: z.string().min(1),
  streams: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type VerifiedDataset = z.infer<typeof VerifiedDataset>;
export const Verified = z.object({ datasets: z.array(VerifiedDataset) });
export type Verified = z.infer<typeof Verified>;

/**
 * images/verified.json: per image held, the last check of its file against its
 * manifest's files[0].size and files[0].sha1 (IMGAPI's manifest; sync writes it
 * after each fetch and on the verification schedule). Images are shared by
 * services, so they are recorded once here, not per service.
 */
export const VerifiedImage = z.object({
  uuid: Uuid,
  time: z.iso.datetime(),
  ok: z.boolean(),
  error: z.string().optional(),
});
export type VerifiedImage = z.infer<typeof VerifiedImage>;
export const ImagesVerified = z.object({ images: z.array(VerifiedImage) });
export type ImagesVerified = z.infer<typeof ImagesVerified>;
