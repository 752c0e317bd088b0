// A command's binary stdout (zfs send) into a restore-data file: written under
// a temporary name, fsync'd, renamed only when the command exited 0. A source
// that stops sending for too long is given up on (a hang must not hold the
// sync for hours); a failure leaves the previous file untouched.
import { rename, unlink } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Host } from '../../remote/host.js';
import { formatCommand } from '../../values/shell-quote.js';
import { CommandFailedError } from '../../remote/triton/command.js';
import { DiskGuard, FileSink } from './disk.js';
import { SyncStepError } from './errors.js';

export interface PullOptions {
  host: Host;
  argv: string[];
  /** Absolute path of the file to (re)place. */
  file: string;
  guard: DiskGuard;
  /** Said in a disk-floor refusal: "the full stream of zones/.../data". */
  what: string;
  /** Whole command. */
  timeoutMs: number;
  /** No byte for this long: the source is stuck. */
  stallMs: number;
  /** Runs once the stream is whole, right before it takes its final name. */
  beforeRename?: () => Promise<void>;
}

export function tempName(file: string): string {
  return `${file}.tmp-${process.pid}-${Date.now()}`;
}

export async function pullStream(o: PullOptions): Promise<{ bytes: number }> {
  const tmp = tempName(o.file);
  const stall = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stall.abort(new Error('stalled'));
    }, o.stallMs);
  };
  const sink = new FileSink(tmp, o.guard, o.what, arm);
  let placed = false;
  try {
    arm();
    let res;
    try {
      res = await o.host.run(o.argv, { timeoutMs: o.timeoutMs, signal: stall.signal, stdoutSink: sink });
    } catch (err) {
      if (sink.failure) throw sink.failure;
      if (stalled) {
        throw new SyncStepError(
          o.host.name,
          formatCommand(o.argv),
          `no data for ${o.stallMs >= 1000 ? `${Math.round(o.stallMs / 1000)} s` : `${o.stallMs} ms`}: gave up on it`,
          `the command may still run on ${o.host.name}: check with ps there; the next sync starts over from the last good snapshot`,
        );
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // Local and SSH hosts end the sink with the output; make sure it is flushed either way.
    if (!sink.writableEnded) sink.end();
    await finished(sink).catch(() => undefined);
    if (sink.failure) throw sink.failure;
    if (res.code !== 0) throw new CommandFailedError(o.host.name, o.argv, res.code, res.stderr);
    if (sink.bytes === 0)
      throw new SyncStepError(
        o.host.name,
        formatCommand(o.argv),
        'exited 0 but sent nothing',
        'check the dataset on the source by hand',
      );
    await o.beforeRename?.();
    await rename(tmp, o.file);
    placed = true;
    return { bytes: sink.bytes };
  } finally {
    if (!placed) {
      sink.destroy();
      await finished(sink).catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
    }
  }
}
