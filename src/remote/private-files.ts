// Files only root reads: restore-data (raw `vmadm get` dumps with usbkey_config
// and UFDS passwords), the journal (it keeps the plan's payloads to resume) and
// the reports. Modes are set explicitly: open/mkdir modes go through the umask.
import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Directories `mkdir -p` made, from the first it created down to `dir`. */
function created(first: string | undefined, dir: string): string[] {
  if (first === undefined) return [];
  const top = resolve(first);
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.push(d);
    if (d === top || d === dirname(d)) break;
  }
  return out;
}

/**
 * An existing directory is tightened only when it is ours and not a shared one:
 * `--journal-dir /tmp` must not make /tmp root-only (the sticky bit says shared).
 */
function tightenable(st: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o1000) === 0 && (st.mode & 0o777) !== DIR_MODE;
}

/** Create `dir` (and missing parents) 0700, and tighten it if it already was there. */
export async function privateDir(dir: string): Promise<void> {
  for (const d of created(await mkdir(dir, { recursive: true, mode: DIR_MODE }), dir)) await chmod(d, DIR_MODE);
  const st = await stat(dir);
  if (tightenable(st)) await chmod(dir, DIR_MODE);
}

export function privateDirSync(dir: string): void {
  for (const d of created(mkdirSync(dir, { recursive: true, mode: DIR_MODE }), dir)) chmodSync(d, DIR_MODE);
  const st = statSync(dir);
  if (tightenable(st)) chmodSync(dir, DIR_MODE);
}

/** Open (creating 0600) and force 0600 on what is there, whatever the umask or an older run left. */
export function openPrivateSync(path: string, flags: string): number {
  const fd = openSync(path, flags, FILE_MODE);
  try {
    fchmodSync(fd, FILE_MODE);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

export function writePrivateFileSync(path: string, data: string | Uint8Array, flags = 'w'): void {
  const fd = openPrivateSync(path, flags);
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}
