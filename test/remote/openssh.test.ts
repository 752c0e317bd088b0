// SshHost against a real OpenSSH sshd (the server SmartOS runs), not our own
// ssh2 server: exit codes and signals as OpenSSH reports them, EOF, large
// windows in both directions, known_hosts as the real ssh-keyscan and
// ssh-keygen -H write it, refused host keys, a connection killed mid-stream,
// and a timeout that kills the remote process.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyError, RemoteError } from '../../src/remote/errors.js';
import { SshHost, type SshHostOptions } from '../../src/remote/ssh.js';
import { ctrSha256, ctrShellCommand, ctrStream } from '../support/ctr-stream.js';
import { findProgram } from '../support/programs.js';
import { startRealSshd, type RealSshd } from '../support/real-sshd.js';

const sshdProgram = findProgram('sshd', 'openssh-server', ['/usr/sbin/sshd']);
/** Size of the large-stream tests; OPENSSH_TEST_MB overrides the default 256 MiB. */
const BIG = Number(process.env.OPENSSH_TEST_MB ?? 256) * 1024 * 1024;

/** Hashes what it is given, as a stdoutSink; `onBytes` sees the running count. */
class HashSink extends Writable {
  bytes = 0;
  private readonly h = createHash('sha256');
  constructor(private readonly onBytes: (n: number) => void = () => {}) {
    super();
  }
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    this.h.update(chunk);
    this.onBytes(this.bytes);
    cb();
  }
  digest(): string {
    return this.h.digest('hex');
  }
}

function keyscan(sshd: RealSshd, file: string): void {
  // ssh-keyscan writes comments to stderr; only the key lines go to the file.
  const lines = execFileSync('ssh-keyscan', ['-p', String(sshd.port), '127.0.0.1'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  writeFileSync(file, lines);
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0): it has exited, only not been reaped yet.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
    if (cond()) return true;
  return cond();
}

describe.skipIf(sshdProgram.skip)('SshHost against a real OpenSSH sshd', () => {
  let sshd: RealSshd;
  let knownHosts: string;
  const open: SshHost[] = [];

  const host = (sd: RealSshd, extra: Partial<SshHostOptions> = {}): SshHost => {
    const h = new SshHost({
      name: 'peer-hn',
      address: '127.0.0.1',
      port: sd.port,
      username: sd.username,
      privateKeyPath: sd.clientKeyPath,
      agent: '',
      knownHostsPath: knownHosts,
      ...extra,
    });
    open.push(h);
    return h;
  };

  beforeAll(async () => {
    sshd = await startRealSshd(sshdProgram.path!);
    knownHosts = join(sshd.dir, 'known_hosts');
    keyscan(sshd, knownHosts);
    // Hashed as `HashKnownHosts yes` leaves it, the way SmartOS operators may have it.
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await Promise.all(open.map((h) => h.close()));
    await sshd?.stop();
  });

  it('reads the known_hosts that ssh-keyscan wrote and ssh-keygen -H hashed', async () => {
    const text = readFileSync(knownHosts, 'utf8');
    expect(text).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /m);
    expect(text).not.toContain('127.0.0.1');
    const res = await host(sshd).run(['echo', 'hello'], { timeoutMs: 30_000 });
    expect(res).toMatchObject({ code: 0, stdout: 'hello\n', stderr: '' });
  });

  it('reports exit codes and keeps stdout and stderr apart', async () => {
    const h = host(sshd);
    for (const code of [0, 3, 255]) {
      const res = await h.run(['sh', '-c', `echo out; echo err >&2; exit ${code}`], { timeoutMs: 30_000 });
      expect(res).toMatchObject({ code, stdout: 'out\n', stderr: 'err\n' });
    }
  });

  it('turns OpenSSH exit-signal into 128+n and says so in stderr', async () => {
    const res = await host(sshd).run(['sh', '-c', 'kill -TERM $$'], { timeoutMs: 30_000 });
    expect(res.code).toBe(143);
    expect(res.stderr).toContain('[killed by signal SIGTERM]');
  });

  it("feeds a command's stdin and always sends EOF", async () => {
    const h = host(sshd);
    expect((await h.run(['tr', 'a-z', 'A-Z'], { stdin: 'hello\n', timeoutMs: 30_000 })).stdout).toBe('HELLO\n');
    // No stdin given: cat must see EOF at once, not hang until the timeout.
    expect(await h.run(['cat'], { timeoutMs: 30_000 })).toMatchObject({ code: 0, stdout: '' });
  });

  it(`streams ${BIG >> 20} MiB of binary both ways, byte for byte`, async () => {
    const h = host(sshd);
    const want = await ctrSha256(BIG);
    let t = performance.now();
    const up = await h.run(['sha256sum'], { stdin: ctrStream(BIG), timeoutMs: 300_000 });
    const upS = (performance.now() - t) / 1000;
    expect(up.code).toBe(0);
    expect(up.stdout.split(' ')[0]).toBe(want);

    const sink = new HashSink();
    t = performance.now();
    const down = await h.run(['sh', '-c', ctrShellCommand(BIG)], { stdoutSink: sink, timeoutMs: 300_000 });
    const downS = (performance.now() - t) / 1000;
    expect(down).toMatchObject({ code: 0, stdout: '' });
    expect(sink.bytes).toBe(BIG);
    expect(sink.digest()).toBe(want);
    const mb = BIG / 1048576;
    console.log(`real sshd: ${mb} MiB up ${(mb / upS).toFixed(0)} MiB/s, down ${(mb / downS).toFixed(0)} MiB/s`);
  }, 600_000);

  it('refuses an unknown host key with the fingerprint ssh-keygen -lf shows', async () => {
    const empty = join(sshd.dir, 'known_hosts.empty');
    writeFileSync(empty, '');
    const err = await host(sshd, { knownHostsPath: empty })
      .run(['true'], { timeoutMs: 30_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).kind).toBe('host-key-unknown');
    expect((err as HostKeyError).mayHaveRun).toBe(false);
    expect((err as HostKeyError).fingerprint).toBe(sshd.fingerprint());
    expect((err as HostKeyError).message).toContain(sshd.fingerprint());
  });

  it('a connection killed mid-stream says the command may have run, and the next run reconnects', async () => {
    const h = host(sshd);
    let killed = 0;
    const sink = new HashSink((n) => {
      if (n > 8 * 1024 * 1024 && killed === 0) killed = sshd.killSessions();
    });
    const err = await h
      .run(['sh', '-c', ctrShellCommand(1024 * 1024 * 1024)], { stdoutSink: sink, timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    expect(killed).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(RemoteError);
    const re = err as RemoteError;
    expect(re.kind).toBe('connection-lost');
    expect(re.mayHaveRun).toBe(true);
    expect(re.message).toContain('lost while the command ran');
    expect(re.hint).toContain('may have run');
    expect(sink.bytes).toBeLessThan(1024 * 1024 * 1024);
    // Same SshHost: a new connection, not the dead one.
    expect(await h.run(['echo', 'back'], { timeoutMs: 30_000 })).toMatchObject({ code: 0, stdout: 'back\n' });
  }, 60_000);

  it('a connection killed while a quiet command runs (no output, no sink) is connection-lost too', async () => {
    const h = host(sshd);
    const pidFile = join(sshd.dir, 'quiet.pid');
    const run = h
      .run(['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], { timeoutMs: 60_000 })
      .catch((e: unknown) => e);
    expect(await waitFor(() => existsSync(pidFile), 30_000)).toBe(true);
    expect(sshd.killSessions()).toBeGreaterThan(0);
    const err = await run;
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe('connection-lost');
    expect((err as RemoteError).mayHaveRun).toBe(true);
  }, 60_000);

  it(
    'a command timeout kills the process on the far side, even when the host is closed right after',
    { timeout: 90_000 },
    async () => {
      const pidFile = join(sshd.dir, 'sleeper.pid');
      const h = host(sshd);
      // Connected first, so the timeout is spent on the command, not the handshake.
      await h.run(['true'], { timeoutMs: 30_000 });
      const err = await h
        .run(['sh', '-c', `echo $$ > ${pidFile}; exec sleep 60`], { timeoutMs: 8000 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as RemoteError).kind).toBe('timeout');
      expect((err as RemoteError).mayHaveRun).toBe(true);
      // Closed at once, as a sync that gives up and exits does: the kill must still get there.
      await h.close();
      expect(existsSync(pidFile)).toBe(true);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      // Generous: on a loaded machine the kill command's own session and shell take seconds.
      const gone = await waitFor(() => processGone(pid), 30_000);
      if (!gone) process.kill(pid, 'SIGKILL');
      expect(gone, sshd.log()).toBe(true);
    },
  );

  it('refuses a changed host key after sshd restarts with a new one', async () => {
    const other = await startRealSshd(sshdProgram.path!);
    try {
      const kh = join(other.dir, 'known_hosts');
      keyscan(other, kh);
      const h = host(other, { knownHostsPath: kh });
      expect((await h.run(['true'], { timeoutMs: 30_000 })).code).toBe(0);
      await h.close();
      const before = other.fingerprint();
      await other.restartWithNewHostKey();
      expect(other.fingerprint()).not.toBe(before);
      const err = await host(other, { knownHostsPath: kh })
        .run(['true'], { timeoutMs: 30_000 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostKeyError);
      expect((err as HostKeyError).kind).toBe('host-key-changed');
      expect((err as HostKeyError).fingerprint).toBe(other.fingerprint());
    } finally {
      await other.stop();
    }
  });

  it('negotiates with an RSA-only sshd (rsa-sha2, as OpenSSH 8.8+ no longer accepts ssh-rsa/SHA-1)', async () => {
    const rsa = await startRealSshd(sshdProgram.path!, { hostKeyType: 'rsa' });
    try {
      const kh = join(rsa.dir, 'known_hosts');
      keyscan(rsa, kh);
      expect(readFileSync(kh, 'utf8')).toContain(' ssh-rsa ');
      expect(await host(rsa, { knownHostsPath: kh }).run(['echo', 'rsa'], { timeoutMs: 30_000 })).toMatchObject({
        code: 0,
        stdout: 'rsa\n',
      });
    } finally {
      await rsa.stop();
    }
  });
});
