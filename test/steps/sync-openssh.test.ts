// The sync's stream path (pullStream, as sync runs `zfs send` on the source
// headnode) over SshHost to a real OpenSSH sshd. A script in the temp dir stands
// in for zfs send: it prints a large reproducible stream, or dies half way.
import {
  chmodSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { CommandFailedError } from '../../src/remote/triton/command.js';
import { SshHost } from '../../src/remote/ssh.js';
import { DiskGuard } from '../../src/steps/sync/disk.js';
import { asStepError, SyncStepError } from '../../src/steps/sync/errors.js';
import { pullStream } from '../../src/steps/sync/pull-stream.js';
import { ctrSha256, ctrShellCommand } from '../support/ctr-stream.js';
import { findProgram } from '../support/programs.js';
import { startRealSshd, type RealSshd } from '../support/real-sshd.js';

const sshdProgram = findProgram('sshd', 'openssh-server', ['/usr/sbin/sshd']);
const BIG = Number(process.env.OPENSSH_TEST_MB ?? 256) * 1024 * 1024;

describe.skipIf(sshdProgram.skip)('sync stream path over a real OpenSSH sshd', () => {
  let sshd: RealSshd;
  let host: SshHost;
  let zfsSend: string;
  let rd: string;

  beforeAll(async () => {
    sshd = await startRealSshd(sshdProgram.path!);
    const kh = join(sshd.dir, 'known_hosts');
    writeFileSync(
      kh,
      `[127.0.0.1]:${sshd.port} ${readFileSync(`${sshd.hostKeyPath}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    // Stand-in for `zfs send`: N bytes of the CTR stream; with a second argument, dies after that many.
    zfsSend = join(sshd.dir, 'zfs-send');
    writeFileSync(
      zfsSend,
      `#!/bin/sh\nif [ -n "$2" ]; then ${ctrShellCommand(0).replace('head -c 0', 'head -c "$2"')}; echo "cannot send: I/O error" >&2; exit 1; fi\n${ctrShellCommand(0).replace('head -c 0', 'head -c "$1"')}\n`,
    );
    chmodSync(zfsSend, 0o755);
    rd = join(sshd.dir, 'restore-data');
    mkdirSync(rd);
    host = new SshHost({
      name: 'headnode0',
      address: '127.0.0.1',
      port: sshd.port,
      username: sshd.username,
      privateKeyPath: sshd.clientKeyPath,
      agent: '',
      knownHostsPath: kh,
    });
  });
  afterAll(async () => {
    await host?.close();
    await sshd?.stop();
  });

  const pull = (argv: string[], file: string, stallMs = 30_000): ReturnType<typeof pullStream> =>
    pullStream({
      host,
      argv,
      file,
      guard: new DiskGuard(rd, 0),
      what: 'the full stream of zones/test',
      timeoutMs: 600_000,
      stallMs,
    });

  it(`lands a ${BIG >> 20} MiB stream byte for byte under its final name`, async () => {
    const file = join(rd, 'full.zfs');
    const { bytes } = await pull([zfsSend, String(BIG)], file);
    expect(bytes).toBe(BIG);
    const h = createHash('sha256');
    for await (const b of createReadStream(file)) h.update(b as Buffer);
    expect(h.digest('hex')).toBe(await ctrSha256(BIG));
    expect(readdirSync(rd).filter((n) => n.includes('.tmp-'))).toEqual([]);
  }, 600_000);

  it('a stream cut midway (session killed) is an error that says it may have run, and the old file stays', async () => {
    const file = join(rd, 'cut.zfs');
    writeFileSync(file, 'the previous good stream');
    const total = 1024 * 1024 * 1024;
    let killed = 0;
    // Cut once the temp file holds 16 MiB: the stream is well under way.
    const watch = setInterval(() => {
      const tmp = readdirSync(rd).find((n) => n.startsWith('cut.zfs.tmp-'));
      const size = tmp ? (statSync(join(rd, tmp), { throwIfNoEntry: false })?.size ?? 0) : 0;
      if (!killed && size > 16 * 1024 * 1024) killed = sshd.killSessions();
    }, 100);
    const err = await pull([zfsSend, String(total)], file)
      .catch((e: unknown) => e)
      .finally(() => clearInterval(watch));
    expect(killed).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).kind).toBe('connection-lost');
    // What sync records for it (dataset.ts turns every failure into this).
    const step = asStepError(err, 'headnode0', [zfsSend, String(total)]);
    expect(step).toBeInstanceOf(SyncStepError);
    expect(step.detail).toContain('lost while the command ran');
    expect(step.next).toContain('may have run');
    expect(readFileSync(file, 'utf8')).toBe('the previous good stream');
    expect(readdirSync(rd).filter((n) => n.includes('.tmp-'))).toEqual([]);
    // The host is usable again for the next dataset.
    expect((await host.run(['echo', 'ok'], { timeoutMs: 30_000 })).stdout).toBe('ok\n');
  }, 120_000);

  it('a zfs send that stalls is given up on, and it and its children are killed on the peer', async () => {
    const script = join(sshd.dir, 'zfs-send-hang');
    const pids = join(sshd.dir, 'hang.pids');
    writeFileSync(
      script,
      `#!/bin/sh\nsleep 300 &\necho $$ $! > ${pids}.new; mv ${pids}.new ${pids}\nhead -c 1048576 /dev/zero\nwait\n`,
    );
    chmodSync(script, 0o755);
    const file = join(rd, 'stalled.zfs');
    // Connected first: the stall clock must not run through a handshake on a loaded machine.
    await host.run(['true'], { timeoutMs: 30_000 });
    const err = await pull([script], file, 5000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncStepError);
    expect((err as SyncStepError).detail).toBe('no data for 5 s: gave up on it');
    await host.close();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(rd).filter((n) => n.startsWith('stalled.zfs'))).toEqual([]);
    for (let end = Date.now() + 30_000; Date.now() < end && !existsSync(pids);)
      await new Promise((r) => setTimeout(r, 100));
    const [shell, sleeper] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
    const gone = (pid: number): boolean =>
      !existsSync(`/proc/${pid}`) || /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    for (let end = Date.now() + 30_000; Date.now() < end && !(gone(shell!) && gone(sleeper!));)
      await new Promise((r) => setTimeout(r, 100));
    const left = [shell!, sleeper!].filter((p) => !gone(p));
    for (const p of left) process.kill(p, 'SIGKILL');
    expect(left, sshd.log()).toEqual([]);
  }, 120_000);

  it('a zfs send that fails half way leaves no file, and the error carries its stderr', async () => {
    const file = join(rd, 'failed.zfs');
    const err = await pull([zfsSend, String(64 * 1024 * 1024), String(8 * 1024 * 1024)], file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    const step = asStepError(err, 'headnode0', [zfsSend]);
    expect(step.detail).toBe('exited 1: cannot send: I/O error');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(rd).filter((n) => n.startsWith('failed.zfs'))).toEqual([]);
  }, 120_000);
});
