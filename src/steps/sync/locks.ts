// Sync and restore never overlap: a restore's lock (this headnode's journal
// lock, the DC-wide lock in binder, or the per-headnode lock a console elsewhere placed here) stops a sync
// before it starts and between services. Two syncs of the same restore-data
// never overlap either: they share a lock beside the data (a stale one, from a
// process gone from this host, is taken over).
import { join } from 'node:path';
import type { Dc } from '../../remote/dc.js';
import { DC_LOCK_DIR, dcLockHolder } from '../dc-lock.js';
import type { BinderMember } from '../../remote/coordination.js';
import { binderLockHolder, bindersOf } from '../recovery-lock.js';
import { inventoryFromRestoreData, readRestoreData } from '../restore-data.js';
import {
  acquireLock,
  isOwnOrStale,
  lockHeldByOther,
  lockPath,
  releaseLock,
  type LockInfo,
  type LockResult,
} from '../lock.js';

export interface Holder {
  holder: LockInfo;
  /** Where the lock was seen. */
  where: string;
}

/** A restore holding a lock, seen from here; undefined when none does. */
export async function restoreHolder(journalDir: string, dc: Dc, timeoutMs: number): Promise<Holder | undefined> {
  const local = lockHeldByOther(journalDir);
  if (local) return { holder: local, where: lockPath(journalDir) };
  // The DC-wide lock in binder, whichever headnode the restore runs from.
  const binder = await binderLockHolder(
    dc,
    await knownBinders(dc.restoreDataDir),
    Math.min(timeoutMs, BINDER_READ_MS),
  ).catch(() => undefined);
  if (binder) return binder;
  const remote = await dcLockHolder(dc.local, undefined, timeoutMs);
  return remote && !isOwnOrStale(remote) ? { holder: remote, where: `${DC_LOCK_DIR} on ${dc.local.name}` } : undefined;
}

/** A sync must not hang on binder without quorum: the per-headnode lock is still looked at. */
const BINDER_READ_MS = 5_000;

/** binder's members from restore-data; none before the first sync wrote it. */
async function knownBinders(dir: string): Promise<BinderMember[]> {
  try {
    return bindersOf(inventoryFromRestoreData(await readRestoreData(dir)));
  } catch {
    return [];
  }
}

export function describeHolder(h: Holder): string {
  const l = h.holder;
  return `${l.who} on ${l.host} (pid ${l.pid}) since ${l.since}, running "${l.command}" (${h.where})`;
}

/** The sync lock lives beside the data it guards. */
export function syncLockDir(restoreDataDir: string): string {
  return join(restoreDataDir, '.sync-lock');
}

export function acquireSyncLock(restoreDataDir: string, command: string): LockResult {
  return acquireLock(syncLockDir(restoreDataDir), command);
}

export function releaseSyncLock(restoreDataDir: string): void {
  releaseLock(syncLockDir(restoreDataDir));
}
