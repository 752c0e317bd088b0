import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { LocalHost } from '../../src/remote/local.js';

const dir = mkdtempSync(join(tmpdir(), 'local-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const host = new LocalHost({ name: 'hn-test' });

async function rejection(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

/** Alive and not a zombie (PID 1 in a container may never reap). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function collector(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      parts.push(chunk);
      cb();
    },
  });
  return { sink, bytes: () => Buffer.concat(parts) };
}

describe('LocalHost', () => {
  it('defaults its name to os.hostname()', () => {
    expect(new LocalHost().name).toBe(hostname());
    expect(host.name).toBe('hn-test');
  });

  it('returns stdout, stderr and a non-zero exit code without throwing', async () => {
    const r = await host.run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('passes arguments verbatim, with no shell in between', async () => {
    const args = ['$(id)', "it's", '*', ''];
    const r = await host.run(['printf', '%s|', ...args], { timeoutMs: 5000 });
    expect(r.stdout).toBe("$(id)|it's|*||");
  });

  it('feeds stdin from a string, bytes and a stream, and EOF when there is none', async () => {
    expect((await host.run(['cat'], { timeoutMs: 5000, stdin: 'hello\nworld' })).stdout).toBe('hello\nworld');
    expect((await host.run(['wc', '-c'], { timeoutMs: 5000, stdin: new Uint8Array([1, 2, 3]) })).stdout.trim()).toBe(
      '3',
    );
    const stream = Readable.from([Buffer.from('a'), Buffer.from('bc'), Buffer.from('d\n')]);
    expect((await host.run(['cat'], { timeoutMs: 5000, stdin: stream })).stdout).toBe('abcd\n');
    const r = await host.run(['cat'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('kills a command at its timeout, grandchildren included', async () => {
    const pidFile = join(dir, 'sleep.pid');
    const t0 = Date.now();
    const e = await rejection(host.run(['sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 600 }));
    // SIGTERM to the group ends it at once, long before the SIGKILL grace.
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(e.kind).toBe('timeout');
    expect(e.mayHaveRun).toBe(true);
    expect(e.host).toBe('hn-test');
    expect(e.message).toMatch(/^hn-test: sh -c .*no exit after 600 ms; killed it$/);
    expect(e.hint).toMatch(/check its effect/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(1);
    expect(alive(pid)).toBe(false);
  });

  it('SIGKILLs a command that ignores SIGTERM after the grace period', async () => {
    const t0 = Date.now();
    const e = await rejection(host.run(['sh', '-c', "trap '' TERM; sleep 30"], { timeoutMs: 200 }));
    expect(e.kind).toBe('timeout');
    // SIGTERM was ignored, so only the SIGKILL after the 1 s grace ended it.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('stops on abort: mayHaveRun true once started, false if aborted before', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const e = await rejection(host.run(['sleep', '30'], { timeoutMs: 10_000, signal: ac.signal }));
    expect(e.kind).toBe('aborted');
    expect(e.mayHaveRun).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    const before = await rejection(host.run(['sleep', '30'], { timeoutMs: 10_000, signal: AbortSignal.abort() }));
    expect(before.kind).toBe('aborted');
    expect(before.mayHaveRun).toBe(false);
  });

  it('reports a missing program as spawn-failed that certainly did not run', async () => {
    const e = await rejection(host.run(['no-such-command-xyz', '-v'], { timeoutMs: 5000 }));
    expect(e.kind).toBe('spawn-failed');
    expect(e.mayHaveRun).toBe(false);
    expect(e.message).toBe('hn-test: no-such-command-xyz -v: command not found: no-such-command-xyz');
    expect(e.hint).toMatch(/PATH/);
  });

  it('maps death by signal to 128+n with a note on stderr', async () => {
    const r = await host.run(['sh', '-c', 'kill -9 $$'], { timeoutMs: 5000 });
    expect(r.code).toBe(137);
    expect(r.stderr).toContain('killed by signal SIGKILL');
  });

  it('pipes binary stdout to stdoutSink byte for byte', async () => {
    const data = Buffer.alloc(256 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
    const file = join(dir, 'blob.bin');
    writeFileSync(file, data);
    const { sink, bytes } = collector();
    const r = await host.run(['cat', file], { timeoutMs: 5000, stdoutSink: sink });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(bytes().equals(data)).toBe(true);
  });
});
