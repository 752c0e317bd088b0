// The dataset stream chain sync keeps in restore-data: a full stream, then
// incrementals on top of it, until the chain gets long enough that a fresh full
// send is cheaper to keep (and quicker to restore). On the source, only the
// newest synced snapshot is kept: the base of the next incremental. Pure.
import { incrementFile, type DatasetIncrement, type DatasetMeta } from './restore-data-layout.js';

/** Every snapshot sync takes is named with this prefix; sync never touches any other. */
export const SNAPSHOT_PREFIX = 'triton-recover-';

export interface ChainPolicy {
  /** Consolidate with a full send once the chain has this many incrementals. */
  maxLinks: number;
  /** ... or once the incrementals together are this fraction of the full stream's bytes. */
  maxIncrementalRatio: number;
  /**
   * A full stream at least this big (imgapi's dataset holds the image files) is
   * not re-sent for the count alone: a full send costs the admin network and
   * every headnode's disk its whole size, while a long chain of small
   * incrementals costs only a slower receive at restore.
   */
  largeBytes: number;
  /** ... it is consolidated after this many incrementals (or by the ratio). */
  largeMaxLinks: number;
}

/** 48 links is 4 h at 5 min; 288 a day: a restore replays every link (one zfs recv each), so a longer chain costs restore time. 1 GiB: bigger than any core zone's data but imgapi's. */
export const DEFAULT_CHAIN_POLICY: ChainPolicy = {
  maxLinks: 48,
  maxIncrementalRatio: 1,
  largeBytes: 1024 ** 3,
  largeMaxLinks: 288,
};

/** How many incrementals a chain on a full stream of `fullBytes` may hold. */
export function linksAllowed(fullBytes: number, policy: ChainPolicy = DEFAULT_CHAIN_POLICY): number {
  return fullBytes >= policy.largeBytes ? Math.max(policy.maxLinks, policy.largeMaxLinks) : policy.maxLinks;
}

/**
 * triton-recover-<owner>-20260901T101010.123Z: the syncing headnode's server
 * UUID, then UTC time (sortable, valid in a ZFS snapshot name). Every headnode
 * syncs the same sources: each keeps, and destroys, only its own snapshots, or
 * one would delete the base of another's next incremental.
 */
export function snapshotName(at: Date, owner: string): string {
  return `${SNAPSHOT_PREFIX}${owner}-${at.toISOString().replace(/[-:]/g, '')}`;
}

export const isOurs = (snapshot: string, owner: string): boolean =>
  (snapshot.split('@')[1] ?? snapshot).startsWith(`${SNAPSHOT_PREFIX}${owner}-`);

export type SendDecision = { kind: 'full'; why: string } | { kind: 'incremental'; from: string; n: number };

/**
 * Full or incremental? Incremental only from the newest snapshot we hold, when
 * that snapshot is still on the source, the local chain is whole, and the
 * chain is not due for consolidation.
 */
export function decideSend(
  meta: DatasetMeta | undefined,
  chainWhole: boolean,
  sourceSnapshots: readonly string[],
  policy: ChainPolicy = DEFAULT_CHAIN_POLICY,
): SendDecision {
  if (!meta) return { kind: 'full', why: 'first sync of this dataset' };
  if (!meta.base) return { kind: 'full', why: 'the stream held predates incremental chains' };
  if (!chainWhole) return { kind: 'full', why: 'the stream chain held here is incomplete or damaged' };
  if (!sourceSnapshots.includes(meta.snapshot)) {
    return {
      kind: 'full',
      why: `the base snapshot ${meta.snapshot} is gone from the source (destroyed, or the zone was re-created)`,
    };
  }
  const incs = meta.incrementals ?? [];
  if (incs.length >= linksAllowed(meta.base.bytes, policy))
    return { kind: 'full', why: `consolidating: the chain has ${incs.length} incrementals` };
  const incBytes = incs.reduce((a, x) => a + x.bytes, 0);
  if (incs.length > 0 && incBytes >= policy.maxIncrementalRatio * meta.base.bytes) {
    return {
      kind: 'full',
      why: `consolidating: the incrementals (${incBytes} bytes) outweigh the full stream (${meta.base.bytes} bytes)`,
    };
  }
  return { kind: 'incremental', from: meta.snapshot, n: incs.length + 1 };
}

/** The metadata after a full send: a chain of one. */
export function metaAfterFull(snapshot: string, time: string, bytes: number): DatasetMeta {
  return { snapshot, time, bytes, base: { snapshot, bytes }, incrementals: [] };
}

/** The metadata after an incremental was added to the chain. */
export function metaAfterIncremental(
  prev: DatasetMeta,
  uuid: string,
  inc: Omit<DatasetIncrement, 'file'>,
): DatasetMeta {
  const incs = prev.incrementals ?? [];
  const added: DatasetIncrement = { file: incrementFile(uuid, incs.length + 1), ...inc };
  return {
    ...prev,
    snapshot: inc.snapshot,
    time: inc.time,
    bytes: prev.bytes + inc.bytes,
    incrementals: [...incs, added],
  };
}

/** This headnode's snapshots on the source other than the one to keep (older syncs, or sends that failed). */
export function snapshotsToDestroy(sourceSnapshots: readonly string[], keep: string, owner: string): string[] {
  return sourceSnapshots.filter((s) => s !== keep && isOurs(s, owner));
}

/** Incremental files in a service directory that the dataset's metadata no longer lists. */
export function strayIncrements(files: readonly string[], uuid: string, meta: DatasetMeta): string[] {
  const listed = new Set((meta.incrementals ?? []).map((i) => i.file));
  const re = new RegExp(`^dataset-${uuid}\\.i[1-9][0-9]*\\.zfs$`);
  return files.filter((f) => re.test(f) && !listed.has(f));
}
