// Reading restore-data files without trusting what sits at their path: a FIFO
// blocks open() forever, a link to /dev/zero reads without end, a symlink may
// lead out of the restore-data root. Sync writes only regular files inside the
// root, so anything else is refused before it is opened (lstat first), and
// every read is bounded in size and time.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Largest JSON dump read (a vm dump is a few kB, servers.json of 1000 CNs a few MB). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** A local file that takes longer than this to read is treated as unreadable. */
export const READ_TIMEOUT_MS = 10_000;
/** Hashing an image file (hundreds of MB at most): bounded too, well above a healthy disk's need. */
export const HASH_TIMEOUT_MS = 120_000;

export type FileKind = 'missing' | 'corrupt' | 'unreadable';

export class FileRefused extends Error {
  constructor(
    readonly kind: FileKind,
    detail: string,
  ) {
    super(detail);
  }
}

export interface RegularFile {
  path: string;
  size: number;
  mtimeMs: number;
}

function typeOf(st: {
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const realRoots = new Map<string, Promise<string>>();
const realRoot = (root: string): Promise<string> => {
  let r = realRoots.get(root);
  if (!r) {
    r = realpath(root).catch(() => root);
    realRoots.set(root, r);
  }
  return r;
};

/** `rel` under `root` if it is a regular file inside the root (no symlink anywhere below the root). */
export async function regularFile(root: string, rel: string): Promise<RegularFile> {
  const path = join(root, rel);
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileRefused('missing', `${path} does not exist`);
    if (code === 'ENOTDIR') throw new FileRefused('unreadable', `a part of ${rel} is not a directory`);
    throw new FileRefused('unreadable', (err as Error).message);
  }
  if (!st.isFile())
    throw new FileRefused('unreadable', `${rel} is ${typeOf(st)}, not a regular file (sync writes only regular files)`);
  // A directory on the way may be a symlink to elsewhere: the real path must stay inside the root.
  const [real, rootReal] = await Promise.all([realpath(path).catch(() => path), realRoot(root)]);
  if (!real.startsWith(rootReal + sep))
    throw new FileRefused('unreadable', `${rel} resolves to ${real}, outside the restore-data root ${rootReal}`);
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(
        new FileRefused('unreadable', `${what}: no answer from the file system within ${Math.round(ms / 1000)} s`),
      );
    }, ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Open without following a last-component symlink, and without blocking on a
 * FIFO swapped in since the lstat; then check again on the open descriptor.
 */
async function openChecked(f: RegularFile, rel: string) {
  const fh = await open(f.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (err: unknown) => {
      throw new FileRefused('unreadable', (err as Error).message);
    },
  );
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new FileRefused('unreadable', `${rel} is ${typeOf(st)}, not a regular file`);
  }
  return { fh, size: st.size };
}

/** The whole file as text, at most maxBytes, within timeoutMs. */
export async function readBounded(
  root: string,
  rel: string,
  maxBytes = MAX_JSON_BYTES,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<string> {
  const f = await regularFile(root, rel);
  if (f.size > maxBytes)
    throw new FileRefused(
      'corrupt',
      `${rel} is ${f.size} bytes, more than the ${maxBytes} a restore-data file of its kind may hold`,
    );
  const { fh, size } = await openChecked(f, rel);
  let closed = false;
  const close = (): void => {
    if (!closed) void fh.close().catch(() => undefined);
    closed = true;
  };
  try {
    return await withTimeout(
      (async () => {
        // One byte more than allowed: a file that grew since the stat is caught too.
        const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
        let n = 0;
        for (;;) {
          const r = await fh.read(buf, n, buf.length - n, n);
          if (r.bytesRead === 0) break;
          n += r.bytesRead;
          if (n > maxBytes) throw new FileRefused('corrupt', `${rel} holds more than ${maxBytes} bytes`);
          if (n === buf.length) break;
        }
        return buf.subarray(0, n).toString('utf8');
      })(),
      timeoutMs,
      rel,
      close,
    );
  } finally {
    close();
  }
}

/** A stream file that is there, regular, non-empty and whose first bytes can be read. */
export async function readableNonEmpty(root: string, rel: string, timeoutMs = READ_TIMEOUT_MS): Promise<RegularFile> {
  const f = await regularFile(root, rel);
  if (f.size === 0) throw new FileRefused('corrupt', `${rel} is empty (0 bytes): a sync was cut short`);
  const { fh } = await openChecked(f, rel);
  try {
    // Not checked: the zfs stream magic of the DRR_BEGIN record. The simulator's
    // stand-in streams (sim/zfs-stream.ts) do not fake it, and size > 0 plus a
    // readable first block already catches the empty or unreadable file.
    const r = await withTimeout(fh.read(Buffer.alloc(512), 0, 512, 0), timeoutMs, rel, () => undefined);
    if (r.bytesRead === 0) throw new FileRefused('corrupt', `${rel} reads as empty`);
  } finally {
    await fh.close().catch(() => undefined);
  }
  return f;
}

const hashCache = new Map<string, string>();

/** sha1 of a regular file, read in full once per (path, size, mtime) in this process. */
export async function sha1Of(
  root: string,
  rel: string,
  timeoutMs = HASH_TIMEOUT_MS,
): Promise<{ file: RegularFile; sha1: string }> {
  const f = await regularFile(root, rel);
  const key = `${f.path}\0${f.size}\0${f.mtimeMs}`;
  const cached = hashCache.get(key);
  if (cached) return { file: f, sha1: cached };
  const { fh } = await openChecked(f, rel);
  let stop = false;
  try {
    const sha1 = await withTimeout(
      (async () => {
        const h = createHash('sha1');
        const buf = Buffer.alloc(1024 * 1024);
        let pos = 0;
        // Never more than the size stat'ed: a file that keeps growing cannot hold us.
        while (!stop && pos < f.size) {
          const r = await fh.read(buf, 0, Math.min(buf.length, f.size - pos), pos);
          if (r.bytesRead === 0) throw new FileRefused('corrupt', `${rel} is shorter than its ${f.size} bytes`);
          h.update(buf.subarray(0, r.bytesRead));
          pos += r.bytesRead;
        }
        return h.digest('hex');
      })(),
      timeoutMs,
      rel,
      () => (stop = true),
    );
    hashCache.set(key, sha1);
    return { file: f, sha1 };
  } finally {
    await fh.close().catch(() => undefined);
  }
}
