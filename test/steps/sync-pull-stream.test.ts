// A zfs send into a restore-data file: renamed into place only when whole;
// a source that stops sending is given up on; the previous file never changes.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import type { Host, RunOptions, RunResult } from '../../src/remote/host.js';
import { DiskGuard } from '../../src/steps/sync/disk.js';
import { SyncStepError } from '../../src/steps/sync/errors.js';
import { pullStream } from '../../src/steps/sync/pull-stream.js';

/** A source that writes these chunks, then exits with `code`, or (code undefined) sends nothing more until aborted. */
function source(chunks: string[], code: number | undefined): Host {
  return {
    name: 'headnode0',
    async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
      for (const c of chunks) {
        opts.stdoutSink!.write(Buffer.from(c));
        await sleep(5);
      }
      if (code !== undefined) {
        opts.stdoutSink!.end();
        return {
          code,
          stdout: '',
          stderr: code ? 'cannot open snapshot: dataset does not exist\n' : '',
          durationMs: 1,
        };
      }
      await new Promise((_r, reject) =>
        opts.signal!.addEventListener('abort', () =>
          reject(
            new RemoteError({
              kind: 'aborted',
              host: 'headnode0',
              argv,
              mayHaveRun: true,
              message: 'aborted',
              hint: '',
            }),
          ),
        ),
      );
      throw new Error('unreachable');
    },
    async close() {},
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tr-pull-'));
  const file = join(dir, 'dataset.zfs');
  writeFileSync(file, 'the previous good stream');
  return { dir, file, guard: new DiskGuard(dir, 0) };
}

const opts = (host: Host, file: string, guard: DiskGuard) => ({
  host,
  argv: ['zfs', 'send', 'zones/x/data@s'],
  file,
  guard,
  what: 'a stream',
  timeoutMs: 5_000,
  stallMs: 150,
});

describe('pullStream', () => {
  it('replaces the file only when the command exits 0', async () => {
    const { dir, file, guard } = setup();
    await expect(pullStream(opts(source(['abc', 'def'], 0), file, guard))).resolves.toEqual({ bytes: 6 });
    expect(readFileSync(file, 'utf8')).toBe('abcdef');
    expect(readdirSync(dir)).toEqual(['dataset.zfs']);
  });

  it('a failing command leaves the previous file as it was, and no temporary file', async () => {
    const { dir, file, guard } = setup();
    const err = await pullStream(opts(source(['partial'], 1), file, guard)).catch((e: unknown) => e);
    expect((err as Error).message).toContain('exited 1: cannot open snapshot');
    expect(readFileSync(file, 'utf8')).toBe('the previous good stream');
    expect(readdirSync(dir)).toEqual(['dataset.zfs']);
  });

  it('a source that stops sending mid-stream is given up on after the stall time', async () => {
    const { dir, file, guard } = setup();
    const t0 = Date.now();
    const err = await pullStream(opts(source(['some', 'bytes'], undefined), file, guard)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncStepError);
    expect((err as SyncStepError).message).toBe(
      'headnode0: zfs send zones/x/data@s: no data for 150 ms: gave up on it',
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(readFileSync(file, 'utf8')).toBe('the previous good stream');
    expect(readdirSync(dir)).toEqual(['dataset.zfs']);
    expect(existsSync(file)).toBe(true);
  });
});
