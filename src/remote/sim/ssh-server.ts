// A small SSH server (exec only) in front of any Host, so tests and the simulated
// datacenter drive SshHost over a real wire. Binds loopback only: it runs
// whatever resolveHost returns, possibly a LocalHost.
import { createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey, ServerChannel, Session } from 'ssh2';
import { RemoteError } from '../errors.js';
import type { Host } from '../host.js';
import { splitCommand } from '../quote.js';
import { unwrapPid } from '../ssh-pid.js';

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
        void runExec(channel, info.command, host, gone.signal, () => sock?.destroy());
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
): Promise<void> {
  const finish = (code: number, stderr: string): void => {
    if (stderr) channel.stderr.write(stderr);
    channel.exit(code);
    channel.end();
  };
  let argv: string[];
  try {
    argv = splitCommand(unwrapPid(command));
    if (argv.length === 0) throw new Error('empty command');
  } catch (e) {
    return finish(2, `sim sshd: cannot run ${JSON.stringify(command)}: ${(e as Error).message}\n`);
  }
  // The client giving up (closed channel, lost connection) stops the command.
  // Its KILL signal request never reaches us: ssh2's server drops channel
  // requests once exec has started, so the close that follows it does the job.
  const stop = new AbortController();
  const onGone = (): void => stop.abort(gone.reason);
  gone.addEventListener('abort', onGone, { once: true });
  channel.on('close', () => stop.abort(new Error('channel closed')));
  const stdin = await collect(channel);
  try {
    if (stop.signal.aborted) return;
    const host = resolveHost();
    const res = await host.run(argv, { stdin, timeoutMs: DAY_MS, signal: stop.signal, stdoutSink: channelSink(channel) });
    if (stop.signal.aborted) return;
    if (res.stdout) channel.write(res.stdout);
    finish(res.code, res.stderr);
  } catch (e) {
    if (e instanceof RemoteError && e.kind === 'connection-lost') return dropClient();
    if (stop.signal.aborted) return;
    finish(255, `sim sshd: ${(e as Error).message}\n`);
  } finally {
    gone.removeEventListener('abort', onGone);
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
function channelSink(channel: ServerChannel): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (channel.write(chunk)) cb();
      else channel.once('drain', () => cb());
    },
    final(cb) {
      cb();
    },
  });
}
