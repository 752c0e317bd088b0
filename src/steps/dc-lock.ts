// The recovery lock, placed on every headnode this console can reach: a
// directory made atomically with mkdir, holding who/where/since. A console on
// any of them sees it before it changes anything.
import type { Host } from '../remote/host.js';
import { parseLockInfo, type LockInfo } from './lock.js';

export const DC_LOCK_DIR = '/var/sdcadm/triton-recover.lock';
const HOLDER = `${DC_LOCK_DIR}/holder.json`;

export interface Place {
  hostname: string;
  host: Host;
}

export type DcLockResult =
  { ok: true; placed: string[]; unreachable: string[] } | { ok: false; holder: LockInfo; seenOn: string };

async function readHolder(host: Host, timeoutMs: number): Promise<LockInfo | undefined> {
  const r = await host.run(['cat', HOLDER], { timeoutMs });
  return r.code === 0 ? parseLockInfo(r.stdout) : undefined;
}

const same = (a: LockInfo, b: LockInfo): boolean => a.host === b.host && a.pid === b.pid && a.since === b.since;

/** Who holds the lock as this host sees it, if anyone else does. */
export async function dcLockHolder(
  host: Host,
  me: LockInfo | undefined,
  timeoutMs = 5_000,
): Promise<LockInfo | undefined> {
  try {
    const h = await readHolder(host, timeoutMs);
    return h && !(me && same(h, me)) ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Place the lock on each headnode (this one first). If one already has another
 * holder's lock, take back what was placed and report that holder. `stale`
 * decides whether a holder may be replaced (its process is gone on this host).
 */
export async function acquireDcLock(
  places: Place[],
  info: LockInfo,
  stale: (h: LockInfo) => boolean,
  timeoutMs = 5_000,
): Promise<DcLockResult> {
  const placed: Place[] = [];
  const unreachable: string[] = [];
  for (const p of places) {
    try {
      await p.host.run(['mkdir', '-p', '/var/sdcadm'], { timeoutMs });
      const mk = await p.host.run(['mkdir', DC_LOCK_DIR], { timeoutMs });
      if (mk.code !== 0) {
        const holder = await readHolder(p.host, timeoutMs);
        if (holder && !same(holder, info) && !stale(holder)) {
          await releaseDcLock(placed, info, timeoutMs);
          return { ok: false, holder, seenOn: p.hostname };
        }
      }
      const w = await p.host.run(['tee', HOLDER], { stdin: JSON.stringify(info) + '\n', timeoutMs });
      if (w.code !== 0) throw new Error(w.stderr);
      placed.push(p);
    } catch {
      unreachable.push(p.hostname);
    }
  }
  return { ok: true, placed: placed.map((p) => p.hostname), unreachable };
}

/** Remove the lock where it is ours; another holder's lock is left alone. */
export async function releaseDcLock(places: Place[], info: LockInfo, timeoutMs = 5_000): Promise<void> {
  await Promise.all(
    places.map(async (p) => {
      try {
        const h = await readHolder(p.host, timeoutMs);
        if (h && same(h, info)) await p.host.run(['rm', '-rf', DC_LOCK_DIR], { timeoutMs });
      } catch {
        /* unreachable now: the lock there names us, and a later run replaces a stale one of this host */
      }
    }),
  );
}
