import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyError, RemoteError } from '../../src/remote/errors.js';
import type { Host, RunOptions, RunResult } from '../../src/remote/host.js';
import { fingerprintOf } from '../../src/remote/known-hosts.js';
import { LocalHost } from '../../src/remote/local.js';
import { startSshServer, type RunningSshServer } from '../../src/remote/sim/ssh-server.js';
import { SshHost, type SshHostOptions } from '../../src/remote/ssh.js';
import { unwrapPid } from '../../src/remote/ssh-pid.js';
import { generateKeyPair } from '../../src/remote/sim/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'ssh-host-'));
const hostKey = generateKeyPair();
const otherHostKey = generateKeyPair();
const clientKey = generateKeyPair();
const strangerKey = generateKeyPair();
const hostBlob = Buffer.from(hostKey.public.split(' ')[1]!, 'base64');
const clientKeyPath = join(dir, 'id_ed25519');
const strangerKeyPath = join(dir, 'stranger');
writeFileSync(clientKeyPath, clientKey.private, { mode: 0o600 });
writeFileSync(strangerKeyPath, strangerKey.private, { mode: 0o600 });

/** A Host that fails the way the simulator's "disconnect" fault does. */
class DisconnectingHost implements Host {
  readonly name = 'flaky';
  async run(argv: readonly string[]): Promise<RunResult> {
    throw new RemoteError({
      kind: 'connection-lost',
      host: this.name,
      argv,
      mayHaveRun: true,
      message: 'fault',
      hint: 'n/a',
    });
  }
  async close(): Promise<void> {}
}

/** Records what the server passed to run(), then answers from it. */
class EchoHost implements Host {
  readonly name = 'echo';
  last: { argv: readonly string[]; stdin: string } | undefined;
  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const stdin = opts.stdin instanceof Uint8Array ? Buffer.from(opts.stdin).toString('utf8') : String(opts.stdin);
    this.last = { argv, stdin };
    if (argv[0] === 'boom') throw new Error('simulated tool crash');
    return { code: 0, stdout: JSON.stringify(argv), stderr: '', durationMs: 1 };
  }
  async close(): Promise<void> {}
}

const echo = new EchoHost();
let server: RunningSshServer;
let knownHosts: string;
const open: SshHost[] = [];

function sshHost(extra: Partial<SshHostOptions> = {}): SshHost {
  const h = new SshHost({
    name: 'hn-sim',
    address: '127.0.0.1',
    port: server.port,
    privateKeyPath: clientKeyPath,
    agent: '',
    knownHostsPath: knownHosts,
    connectTimeoutMs: 3000,
    ...extra,
  });
  open.push(h);
  return h;
}

async function rejection(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

beforeAll(async () => {
  server = await startSshServer({
    hostKey: hostKey.private,
    authorizedKeys: [clientKey.public],
    resolveHost: (user) =>
      user === 'flaky' ? new DisconnectingHost() : user === 'echo' ? echo : new LocalHost({ name: user }),
  });
  knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${hostKey.public}\n`);
});

afterAll(async () => {
  await Promise.all(open.map((h) => h.close()));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SshHost over a real SSH wire', () => {
  it('runs a command and returns its output and exit code', async () => {
    const h = sshHost();
    const r = await h.run(['sh', '-c', 'echo hi; echo oops >&2; exit 7'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 7, stdout: 'hi\n', stderr: 'oops\n' });
    // Reuses the connection; nasty arguments arrive intact.
    const args = ["it's", '$(id)', 'a b', '', '*', 'ü\n'];
    const r2 = await h.run(['printf', '%s|', ...args], { timeoutMs: 5000 });
    expect(r2).toMatchObject({ code: 0, stdout: "it's|$(id)|a b||*|ü\n|" });
  });

  it('sends stdin then EOF, and EOF alone when there is no stdin', async () => {
    const h = sshHost();
    expect((await h.run(['cat'], { timeoutMs: 5000, stdin: 'hello\nworld' })).stdout).toBe('hello\nworld');
    expect((await h.run(['cat'], { timeoutMs: 5000 })).stdout).toBe('');
  });

  it('streams binary stdin and stdout (stdoutSink) byte for byte', async () => {
    const data = Buffer.alloc(300 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 13 + (i >> 10)) & 0xff;
    const parts: Buffer[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        parts.push(c);
        cb();
      },
    });
    const stdin = Readable.from([data.subarray(0, 1000), data.subarray(1000)]);
    const r = await sshHost().run(['cat'], { timeoutMs: 5000, stdin, stdoutSink: sink });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });

  it('times out a command, kills it on the far side, and keeps working', async () => {
    const h = sshHost();
    await h.run(['true'], { timeoutMs: 5000 }); // connected, so the timeout is all command time
    const pidFile = join(dir, 'remote.pid');
    const t0 = Date.now();
    const e = await rejection(h.run(['sh', '-c', `echo $$ > ${pidFile}; exec sleep 30`], { timeoutMs: 800 }));
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(e.kind).toBe('timeout');
    expect(e.mayHaveRun).toBe(true);
    expect(e.message).toMatch(/^hn-sim: sh -c .*no exit after 800 ms; sent KILL/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !alive(pid), 3000)).toBe(true);
    expect((await h.run(['echo', 'after'], { timeoutMs: 5000 })).stdout).toBe('after\n');
  });

  it('refuses an unknown host key with its fingerprint', async () => {
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '# nothing\n');
    const e = await rejection(sshHost({ knownHostsPath: empty }).run(['true'], { timeoutMs: 5000 }));
    expect(e).toBeInstanceOf(HostKeyError);
    const hk = e as HostKeyError;
    expect(hk.kind).toBe('host-key-unknown');
    expect(hk.mayHaveRun).toBe(false);
    expect(hk.keyType).toBe('ssh-ed25519');
    expect(hk.fingerprint).toBe(fingerprintOf(hostBlob));
    const pub = join(dir, 'host.pub');
    writeFileSync(pub, `${hostKey.public}\n`);
    expect(hk.fingerprint).toBe(execFileSync('/usr/bin/ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1]);
    expect(hk.message).toContain(empty);
  });

  it('refuses a changed host key', async () => {
    const changed = join(dir, 'changed_known_hosts');
    writeFileSync(changed, `[127.0.0.1]:${server.port} ${otherHostKey.public}\n`);
    const e = await rejection(sshHost({ knownHostsPath: changed }).run(['true'], { timeoutMs: 5000 }));
    expect(e).toBeInstanceOf(HostKeyError);
    expect(e.kind).toBe('host-key-changed');
    expect((e as HostKeyError).fingerprint).toBe(fingerprintOf(hostBlob));
  });

  it('refuses a revoked host key even when the host line also lists it', async () => {
    const revoked = join(dir, 'revoked_known_hosts');
    writeFileSync(revoked, `[127.0.0.1]:${server.port} ${hostKey.public}\n@revoked * ${hostKey.public}\n`);
    const e = await rejection(sshHost({ knownHostsPath: revoked }).run(['true'], { timeoutMs: 5000 }));
    expect(e).toBeInstanceOf(HostKeyError);
    expect(e.kind).toBe('host-key-revoked');
    expect(e.message).toContain('REVOKED');
  });

  it('accepts a hashed known_hosts entry for [127.0.0.1]:port', async () => {
    const hashed = join(dir, 'hashed_known_hosts');
    writeFileSync(hashed, `[127.0.0.1]:${server.port} ${hostKey.public}\n`);
    execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', hashed], { stdio: 'pipe' });
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    const r = await sshHost({ knownHostsPath: hashed }).run(['echo', 'hashed'], { timeoutMs: 5000 });
    expect(r.stdout).toBe('hashed\n');
  });

  it("accepts a known_hosts entry under the operator's name for the host", async () => {
    const byName = join(dir, 'byname_known_hosts');
    writeFileSync(byName, `[hn-sim]:${server.port} ${hostKey.public}\n`);
    const r = await sshHost({ knownHostsPath: byName }).run(['echo', 'named'], { timeoutMs: 5000 });
    expect(r.stdout).toBe('named\n');
  });

  it('reports a key the server does not accept as auth-failed', async () => {
    const e = await rejection(sshHost({ privateKeyPath: strangerKeyPath }).run(['true'], { timeoutMs: 5000 }));
    expect(e.kind).toBe('auth-failed');
    expect(e.mayHaveRun).toBe(false);
    expect(e.message).toMatch(/authentication as root failed/);
  });

  it('reports a cut connection as connection-lost (may have run), then reconnects', async () => {
    const h = sshHost();
    expect((await h.run(['echo', 'warm'], { timeoutMs: 5000 })).stdout).toBe('warm\n');
    const pending = h.run(['sleep', '5'], { timeoutMs: 10_000 });
    setTimeout(() => server.dropAll(), 300);
    const t0 = Date.now();
    const e = await rejection(pending);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e.kind).toBe('connection-lost');
    expect(e.mayHaveRun).toBe(true);
    expect(e.hint).toMatch(/check its effect/);
    const r = await h.run(['echo', 'again'], { timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: 'again\n' });
  });

  it('turns a Host connection-lost on the server into a dropped link on the client', async () => {
    const e = await rejection(sshHost({ username: 'flaky' }).run(['vmadm', 'list'], { timeoutMs: 5000 }));
    expect(e.kind).toBe('connection-lost');
    expect(e.mayHaveRun).toBe(true);
  });

  it('reports a closed port as unreachable, command not run', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const addr = probe.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    await new Promise<void>((r) => probe.close(() => r()));
    const e = await rejection(sshHost({ port }).run(['true'], { timeoutMs: 5000 }));
    expect(e.kind).toBe('unreachable');
    expect(e.mayHaveRun).toBe(false);
    expect(e.message).toContain(`root@127.0.0.1:${port}`);
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('maps an exit by signal to 128+n, and a missing exit status to 255', async () => {
    // A bare ssh2 server, since the simulator's always sends a numeric status.
    const raw = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
      client.on('authentication', (ctx) => ctx.accept());
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const ch = acceptExec();
          ch.stderr.write('dying\n');
          if (unwrapPid(info.command) === 'die') ch.exit('KILL');
          ch.end();
        });
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (raw.address() as { port: number }).port;
      const kh = join(dir, 'raw_known_hosts');
      writeFileSync(kh, `[127.0.0.1]:${port} ${hostKey.public}\n`);
      const h = sshHost({ port, knownHostsPath: kh });
      const r = await h.run(['die'], { timeoutMs: 5000 });
      expect(r.code).toBe(137);
      expect(r.stderr).toBe('dying\n[killed by signal SIGKILL]\n');
      const r2 = await h.run(['vanish'], { timeoutMs: 5000 });
      expect(r2.code).toBe(255);
      expect(r2.stderr).toBe('dying\n[hn-sim sent no exit status]\n');
      await h.close();
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it('server: passes argv and stdin to the Host, and exits 255 with the reason when run() throws', async () => {
    const h = sshHost({ username: 'echo' });
    const r = await h.run(['zfs', 'list', 'it is'], { timeoutMs: 5000, stdin: 'in' });
    expect(JSON.parse(r.stdout)).toEqual(['zfs', 'list', 'it is']);
    expect(echo.last).toEqual({ argv: ['zfs', 'list', 'it is'], stdin: 'in' });
    const b = await h.run(['boom'], { timeoutMs: 5000 });
    expect(b.code).toBe(255);
    expect(b.stderr).toContain('simulated tool crash');
  });

  it('server: exits 2 on a command line that needs a shell, and refuses shells', async () => {
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.on('ready', () => resolve()).on('error', reject);
      client.connect({
        host: '127.0.0.1',
        port: server.port,
        username: 'echo',
        privateKey: clientKey.private,
        hostVerifier: () => true,
      });
    });
    try {
      const res = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
        client.exec('echo $(id)', (err, ch) => {
          if (err) return reject(err);
          let stderr = '';
          let code = -1;
          ch.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
          ch.on('exit', (c: number) => (code = c));
          ch.on('close', () => resolve({ code, stderr }));
          ch.resume();
          ch.end();
        });
      });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/shell metacharacter "\$"/);
      const shellErr = await new Promise<Error | undefined>((resolve) => client.shell(false, (err) => resolve(err)));
      expect(shellErr?.message).toBe('Unable to open shell');
    } finally {
      client.end();
    }
  });
});
