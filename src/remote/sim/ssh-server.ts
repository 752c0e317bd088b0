// A small SSH server (exec only) in front of any Host, so tests and the simulated
// datacenter drive SshHost over a real wire. Binds loopback only: it runs
// whatever resolveHost returns, possibly a LocalHost.
import { createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, ServerChannel, Session } from 'ssh2';
import { RemoteError } from '../errors.js';
import type { Host } from '../host.js';
import { splitCommand } from '../../values/shell-quote.js';
import { killGroupTarget, pidRequest } from '../ssh-pid.js';

export interface SshServerOptions {
  hostKey: string | Buffer;
  authorizedKeys: Array<string | Buffer>;
  /** More keys for one login, read at each attempt (a simulated GZ's authorized_keys). */
  authorizedKeysFor?: (username: string) => string[];
  /** Which Host runs commands for this login name. */
  resolveHost: (username: string) => Host;
  address?: string;
  port?: number;
}

export interface RunningSshServer {
  port: number;
  address: string;
  close(): Promise<void>;
  /** Cut every client's TCP connection, as a network failure would. */
  dropAll(): void;
}

const DAY_MS = 24 * 3600 * 1000;

/** Commands that reported a pid (see ssh-pid.ts), so a later `kill -9 -PID` can stop them. */
interface Procs {
  byPid: Map<number, AbortController>;
  next: number;
}

function parseKeyOrThrow(k: string | Buffer, what: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(k);
  if (parsed instanceof Error) throw new Error(`${what}: ${parsed.message}`);
  return parsed;
}

export async function startSshServer(opts: SshServerOptions): Promise<RunningSshServer> {
  const address = opts.address ?? '127.0.0.1';
  if (address !== '127.0.0.1') throw new Error(`the simulator's SSH server binds 127.0.0.1 only, not ${address}`);
  const allowed = opts.authorizedKeys.map((k, i) => parseKeyOrThrow(k, `authorizedKeys[${i}]`));
  const sockets = new Set<Socket>();
  parseKeyOrThrow(opts.hostKey, 'hostKey'); // a clear error now rather than ssh2's later
  const ssh = new ssh2.Server({ hostKeys: [opts.hostKey] });
  // We accept TCP ourselves and hand sockets to ssh2, so we can cut them at will.
  const bySocketPort = new Map<number, Socket>();
  const tcp = createServer((sock) => {
    sockets.add(sock);
    // Small request/reply packets: without this, Nagle + delayed ACK add ~80 ms a command.
    sock.setNoDelay(true);
    if (sock.remotePort !== undefined) bySocketPort.set(sock.remotePort, sock);
    sock.on('error', () => {});
    sock.on('close', () => {
      sockets.delete(sock);
      if (sock.remotePort !== undefined) bySocketPort.delete(sock.remotePort);
    });
    ssh.injectSocket(sock);
  });
  // Pids well above any real one here: a kill for another number goes to the Host as asked.
  const procs: Procs = { byPid: new Map(), next: 4_000_000 };
  ssh.on('connection', (client: Connection, info: { port: number }) => {
    const sock = bySocketPort.get(info.port);
    const gone = new AbortController();
    let username = '';
    client.on('error', () => {});
    client.on('close', () => gone.abort(new Error('client disconnected')));
    client.on('authentication', (ctx: AuthContext) => {
      username = ctx.username;
      authenticate(ctx, [...allowed, ...extraKeys(opts.authorizedKeysFor?.(ctx.username) ?? [])]);
    });
    client.on('session', (accept: () => Session) => {
      const session = accept();
      session.on('exec', (acceptExec: () => ServerChannel, _reject: () => void, info: { command: string }) => {
        const channel = acceptExec();
        const host = (): Host => opts.resolveHost(username);
        void runExec(channel, info.command, host, gone.signal, () => sock?.destroy(), procs);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(opts.port ?? 0, address, () => resolve());
  });
  const bound = tcp.address();
  if (bound === null || typeof bound === 'string') throw new Error('SSH server did not bind a TCP port');
  const dropAll = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: bound.port,
    address,
    dropAll,
    close: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        dropAll();
      }),
  };
}

/** authorized_keys lines this ssh2 can read; others are skipped, as sshd skips them. */
function extraKeys(lines: string[]): ParsedKey[] {
  return lines.flatMap((l) => {
    const k = l.trim() && !l.startsWith('#') ? ssh2.utils.parseKey(l.trim()) : null;
    return k && !(k instanceof Error) ? [Array.isArray(k) ? k[0] : k].filter((x): x is ParsedKey => !!x) : [];
  });
}

function authenticate(ctx: AuthContext, allowed: ParsedKey[]): void {
  if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
  const key = allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
  if (!key) return ctx.reject(['publickey']);
  // Without a signature the client only asks whether this key would do.
  if (!ctx.signature || !ctx.blob) return ctx.accept();
  if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) ctx.accept();
  else ctx.reject(['publickey']);
}

async function runExec(
  channel: ServerChannel,
  command: string,
  resolveHost: () => Host,
  gone: AbortSignal,
  dropClient: () => void,
  procs: Procs,
): Promise<void> {
  let closed = false;
  const finish = (code: number, stderr: string): void => {
    if (closed) return;
    if (stderr) channel.stderr.write(stderr);
    channel.exit(code);
    channel.end();
  };
  const pidReq = pidRequest(command);
  let argv: string[];
  try {
    argv = splitCommand(pidReq?.command ?? command);
    if (argv.length === 0) throw new Error('empty command');
  } catch (e) {
    return finish(2, `sim sshd: cannot run ${JSON.stringify(command)}: ${(e as Error).message}\n`);
  }
  const target = killGroupTarget(argv);
  const victim = target === undefined ? undefined : procs.byPid.get(target);
  if (victim) {
    victim.abort(new Error('killed'));
    return finish(0, '');
  }
  // As OpenSSH does for a root login (ssh-pid.ts): the client's KILL signal
  // request is ignored and closing the channel does not stop the command; it
  // fails only when it next writes (its pipe is gone: SIGPIPE), or when the
  // client runs `kill -9 -PID` with the pid the wrapper reported.
  // Kinder than sshd in one way: a lost connection stops it here, where a
  // quiet command (sleep) would outlive it on a real host.
  const stop = new AbortController();
  const onGone = (): void => stop.abort(gone.reason);
  gone.addEventListener('abort', onGone, { once: true });
  channel.on('close', () => {
    closed = true;
  });
  let pid: number | undefined;
  if (pidReq) {
    pid = procs.next++;
    procs.byPid.set(pid, stop);
    channel.stderr.write(`${pidReq.nonce} ${pid}\n`);
  }
  const stdin = await collect(channel);
  try {
    if (stop.signal.aborted) return;
    const host = resolveHost();
    const res = await host.run(argv, {
      stdin,
      timeoutMs: DAY_MS,
      signal: stop.signal,
      stdoutSink: channelSink(channel, () => closed),
    });
    if (stop.signal.aborted || closed) return;
    if (res.stdout) channel.write(res.stdout);
    finish(res.code, res.stderr);
  } catch (e) {
    if (e instanceof RemoteError && e.kind === 'connection-lost') return dropClient();
    if (stop.signal.aborted) return;
    finish(255, `sim sshd: ${(e as Error).message}\n`);
  } finally {
    gone.removeEventListener('abort', onGone);
    if (pid !== undefined) procs.byPid.delete(pid);
  }
}

/** Reads the client's stdin up to EOF. */
function collect(channel: ServerChannel): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    channel.on('data', (b: Buffer) => parts.push(b));
    const done = (): void => resolve(Buffer.concat(parts));
    channel.once('end', done);
    channel.once('close', done);
  });
}

/** stdout straight onto the channel (binary safe), without ending it: exit status must follow. */
function channelSink(channel: ServerChannel, isClosed: () => boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      // The client closed the channel: the command's stdout pipe is gone.
      if (isClosed()) return cb(new Error('EPIPE: the SSH channel is closed'));
      if (channel.write(chunk)) cb();
      else channel.once('drain', () => cb());
    },
    final(cb) {
      cb();
    },
  });
}
