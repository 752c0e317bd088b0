// One recovery at a time: a lock file that says who holds it, from where, since
// when. Created with O_EXCL; a lock whose process is gone on this same host is
// stale and may be taken over (and the journal says so).
import { hostname, userInfo } from 'node:os';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { privateDirSync, writePrivateFileSync } from '../remote/private-files.js';
import { z } from 'zod';

export const LockInfo = z.object({
  who: z.string(),
  host: z.string(),
  pid: z.number(),
  since: z.string(),
  command: z.string(),
});
export type LockInfo = z.infer<typeof LockInfo>;

export type LockResult = { ok: true; info: LockInfo; tookOver?: LockInfo } | { ok: false; holder: LockInfo };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockPath(dir: string): string {
  return join(dir, 'lock.json');
}

/** A lock holder as written (here, or on another headnode); undefined when unreadable. */
export function parseLockInfo(text: string): LockInfo | undefined {
  try {
    const r = LockInfo.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export function readLock(dir: string): LockInfo | undefined {
  try {
    return parseLockInfo(readFileSync(lockPath(dir), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Ours, or left by a process that is gone from this host: not a reason to stop. */
export function isOwnOrStale(l: LockInfo): boolean {
  return l.host === hostname() && (l.pid === process.pid || !alive(l.pid));
}

/** Held by a live process, or on another host (where we cannot tell). */
export function lockHeldByOther(dir: string): LockInfo | undefined {
  const l = readLock(dir);
  return l && !isOwnOrStale(l) ? l : undefined;
}

export function acquireLock(dir: string, command: string): LockResult {
  // The journal directory (or restore-data's .sync-lock): root only.
  privateDirSync(dir);
  const info: LockInfo = {
    who: process.env['SUDO_USER'] ?? userInfo().username,
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writePrivateFileSync(lockPath(dir), JSON.stringify(info) + '\n', 'wx');
      return { ok: true, info };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dir);
      if (holder && lockHeldByOther(dir)) return { ok: false, holder };
      // Stale (its process is gone) or unreadable: remove and try once more.
      try {
        unlinkSync(lockPath(dir));
      } catch {
        /* someone else removed it first */
      }
      if (holder) {
        const r = acquireLock(dir, command);
        return r.ok ? { ...r, tookOver: holder } : r;
      }
    }
  }
  const holder = readLock(dir);
  return holder ? { ok: false, holder } : { ok: false, holder: info };
}

export function releaseLock(dir: string): void {
  const l = readLock(dir);
  if (l && l.pid === process.pid && l.host === hostname()) unlinkSync(lockPath(dir));
}
