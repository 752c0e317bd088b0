// Disk space of the restore-data filesystem: what restore-data uses, what is
// free, and a floor no write may cross (checked before each stream or image
// file, and again while a large one is written).
import { createHash, type Hash } from 'node:crypto';
import { lstat, open, readdir, statfs, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FILE_MODE } from '../../remote/private-files.js';
import { DiskFloorError } from './errors.js';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Bytes of every file under dir (symlinks not followed). */
export async function usedBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else total += (await lstat(p).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return total;
}

export class DiskGuard {
  constructor(
    readonly dir: string,
    readonly floorBytes: number,
  ) {}

  /** Throws DiskFloorError when writing needBytes more would leave less than the floor. */
  async ensure(needBytes: number, what: string): Promise<void> {
    const free = await freeBytes(this.dir);
    if (free - needBytes < this.floorBytes) throw new DiskFloorError(what, needBytes, free, this.floorBytes);
  }
}

/** Re-check the floor after this many bytes of one file: estimates can be wrong. */
const RECHECK_EVERY = 64 * 1024 * 1024;

/**
 * A file written from a command's stdout or an HTTP body: counts bytes, can
 * hash them, reports activity (stall detection), stops at the disk floor, and
 * fsyncs before it finishes. Errors are kept in `failure`, never thrown at an
 * unlistened 'error' event.
 */
export class FileSink extends Writable {
  bytes = 0;
  failure: Error | undefined;
  private fh: FileHandle | undefined;
  private sinceCheck = 0;
  private readonly hash: Hash | undefined;

  constructor(
    readonly path: string,
    private readonly guard: DiskGuard | undefined,
    private readonly what: string,
    private readonly onData: () => void = () => {},
    hashAlgorithm?: string,
  ) {
    super();
    this.hash = hashAlgorithm ? createHash(hashAlgorithm) : undefined;
    this.on('error', (e: Error) => {
      this.failure ??= e;
    });
  }

  digest(): string | undefined {
    return this.hash?.digest('hex');
  }

  override _construct(cb: (err?: Error | null) => void): void {
    // Under restore-data: root only, whatever the umask.
    open(this.path, 'w', FILE_MODE).then(
      async (fh) => {
        this.fh = fh;
        try {
          await fh.chmod(FILE_MODE);
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
      (e: Error) => cb(e),
    );
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.onData();
    this.bytes += chunk.length;
    this.sinceCheck += chunk.length;
    this.hash?.update(chunk);
    const go = async (): Promise<void> => {
      if (this.guard && this.sinceCheck >= RECHECK_EVERY) {
        this.sinceCheck = 0;
        await this.guard.ensure(0, this.what);
      }
      await this.fh!.write(chunk);
    };
    go().then(
      () => cb(),
      (e: Error) => {
        this.failure ??= e;
        cb(e);
      },
    );
  }

  override _final(cb: (err?: Error | null) => void): void {
    const fh = this.fh!;
    this.fh = undefined;
    fh.sync()
      .then(() => fh.close())
      .then(
        () => cb(),
        (e: Error) => cb(e),
      );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const fh = this.fh;
    this.fh = undefined;
    if (!fh) return cb(err);
    fh.close().then(
      () => cb(err),
      () => cb(err),
    );
  }
}
