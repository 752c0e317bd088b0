// A Host reached over SSH (ssh2). One connection, opened on first use and reused;
// a dropped connection is replaced on the next run(), but a command is never
// re-run on our own: only the caller knows whether that is safe.
// Over 300 lines on purpose: one concern (an SSH Host: connect, host-key check,
// run with stdin/stdout streams, timeouts that stop the command on the peer).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';
import type { Client as SshClient, ClientChannel, ConnectConfig } from 'ssh2';
import { HostKeyError, RemoteError, type RemoteErrorKind } from './errors.js';
import type { Host, RunOptions, RunResult } from './host.js';
import { checkHostKey, keyTypeOfBlob, loadKnownHosts, type KnownHosts } from './known-hosts.js';
import { signalExitCode } from './local.js';
import { DEFAULT_KNOWN_HOSTS } from './ssh-config.js';
import { quoteArgv } from '../values/shell-quote.js';
import { killGroupCommand, PidLine, wrapWithPid } from './ssh-pid.js';

export interface SshHostOptions {
  /** Hostname shown to operators (headnode1). Also looked up in known_hosts. */
  name: string;
  /** What we connect to (an IP on the admin network, usually). */
  address: string;
  port?: number;
  username?: string;
  privateKeyPath?: string;
  /**
   * false: a missing privateKeyPath file means "use the agent" (the persistent
   * default not created yet); true (named by the operator): it is an error.
   */
  privateKeyRequired?: boolean;
  /** ssh-agent socket; default SSH_AUTH_SOCK, '' for none. */
  agent?: string;
  knownHostsPath?: string;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

interface Conn {
  client: SshClient;
  closed: boolean;
  lastError?: Error;
}

/** Why a connection could not be made, before it is tied to one command. */
class ConnectFailure extends Error {
  constructor(
    readonly kind: RemoteErrorKind,
    message: string,
    readonly hint: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

const UNREACHABLE_HINT =
  'check that the host is up and sshd listens (ping, then ssh from this headnode by hand); the command was not sent';
const MAY_HAVE_RUN_HINT =
  'the command may have run in part or in full: check its effect on this host before running it again';

export class SshHost implements Host {
  readonly name: string;
  private readonly o: Required<Omit<SshHostOptions, 'privateKeyPath'>> & { privateKeyPath?: string };
  /** The key actually offered, for messages. */
  private keyUsed = '';
  private pending: Promise<Conn> | null = null;
  /** Remote kills under way (see killRemote): close() lets them reach the peer first. */
  private readonly kills = new Set<Promise<void>>();

  constructor(opts: SshHostOptions) {
    this.name = opts.name;
    // Field by field, so an explicit undefined still gets the default.
    this.o = {
      name: opts.name,
      address: opts.address,
      port: opts.port ?? 22,
      username: opts.username ?? 'root',
      privateKeyPath: opts.privateKeyPath,
      privateKeyRequired: opts.privateKeyRequired ?? true,
      agent: opts.agent ?? process.env.SSH_AUTH_SOCK ?? '',
      knownHostsPath: opts.knownHostsPath ?? DEFAULT_KNOWN_HOSTS,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 5000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
    };
  }

  private get where(): string {
    return `${this.o.username}@${this.o.address}:${this.o.port}`;
  }

  async close(): Promise<void> {
    if (this.kills.size > 0) {
      // A sync that gives up on a stream and exits must still stop it on the peer.
      await Promise.race([Promise.all(this.kills), new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const conn = await p.catch(() => null);
    if (!conn || conn.closed) return;
    await new Promise<void>((resolve) => {
      conn.client.once('close', () => resolve());
      conn.client.end();
      // A peer that never answers our disconnect must not hold us up.
      setTimeout(() => {
        conn.client.destroy();
        resolve();
      }, 1000).unref();
    });
  }

  private connection(): Promise<Conn> {
    if (!this.pending) {
      const p = this.connect();
      this.pending = p;
      const forget = (): void => {
        if (this.pending === p) this.pending = null;
      };
      p.then((c) => c.client.once('close', forget), forget);
    }
    return this.pending;
  }

  private async connect(): Promise<Conn> {
    const { knownHostsPath, privateKeyPath } = this.o;
    let kh: KnownHosts;
    try {
      kh = await loadKnownHosts(knownHostsPath);
    } catch (e) {
      throw new ConnectFailure(
        'host-key-unknown',
        `cannot read ${knownHostsPath}: ${errText(e)}`,
        `fix the file's permissions (it must be readable by ${process.env.USER ?? 'this user'}); the host key cannot be checked without it`,
        e,
      );
    }
    let privateKey: Buffer | undefined;
    if (privateKeyPath) {
      try {
        privateKey = await readFile(privateKeyPath);
      } catch (e) {
        const absent = (e as NodeJS.ErrnoException).code === 'ENOENT';
        if (!absent || this.o.privateKeyRequired) {
          throw new ConnectFailure(
            'auth-failed',
            `cannot read private key ${privateKeyPath}: ${errText(e)}`,
            absent
              ? 'create it with `triton-recover ssh-setup --identity FILE`, or fix the path (--identity or "identity" in the config file)'
              : 'check the key path and permissions',
            e,
          );
        }
      }
    }
    // Without a key, ssh2 would try "none" auth and fail with a vague message at the peer.
    if (!privateKey && !this.o.agent) {
      throw new ConnectFailure(
        'auth-failed',
        `no SSH key to log in to ${this.name} as ${this.o.username}: ${privateKeyPath ? `${privateKeyPath} does not exist` : 'no identity file configured'} and SSH_AUTH_SOCK is not set`,
        'run `triton-recover ssh-setup` once on this headnode (it creates the key and installs it on the other headnodes), or pass --identity FILE (or set "identity" in /var/sdcadm/triton-recover/config.json)',
      );
    }
    this.keyUsed = privateKey ? (privateKeyPath ?? '') : `the ssh-agent at ${this.o.agent}`;
    return new Promise<Conn>((resolve, reject) => {
      const client = new ssh2.Client();
      const conn: Conn = { client, closed: false };
      let hostKeyError: HostKeyError | undefined;
      let ready = false;
      const failEarly = (err: Error | undefined): void => {
        if (!ready) reject(hostKeyError ?? this.classify(err));
      };
      client.on('ready', () => {
        ready = true;
        resolve(conn);
      });
      // Always listened to: an unhandled 'error' would kill the whole console.
      client.on('error', (err: Error) => {
        conn.lastError ??= err;
        failEarly(err);
      });
      client.on('close', () => {
        conn.closed = true;
        failEarly(conn.lastError);
      });
      const hostVerifier = (key: Buffer): boolean => {
        const keyType = keyTypeOfBlob(key);
        const res = this.checkKey(kh, keyType, key);
        if (res.status === 'ok') return true;
        hostKeyError = new HostKeyError({
          host: this.name,
          status: res.status,
          fingerprint: res.fingerprint,
          keyType,
          knownHostsPath,
        });
        return false;
      };
      const cfg: ConnectConfig = {
        host: this.o.address,
        port: this.o.port,
        username: this.o.username,
        readyTimeout: this.o.connectTimeoutMs,
        keepaliveInterval: this.o.keepaliveIntervalMs,
        keepaliveCountMax: this.o.keepaliveCountMax,
        hostVerifier,
      };
      if (privateKey) cfg.privateKey = privateKey;
      if (this.o.agent) cfg.agent = this.o.agent;
      // Commands and replies are small packets: Nagle would hold them back.
      client.once('ready', () => client.setNoDelay(true));
      try {
        client.connect(cfg);
      } catch (e) {
        // ssh2 throws synchronously on a key it cannot parse.
        reject(
          new ConnectFailure(
            'auth-failed',
            `cannot use private key ${privateKeyPath ?? ''}: ${errText(e)}`,
            'check that the file is an unencrypted OpenSSH or PEM private key',
            e,
          ),
        );
      }
    });
  }

  /** Both the address we dial and the operator's name for the host are looked up. */
  private checkKey(kh: KnownHosts, keyType: string, key: Buffer): ReturnType<typeof checkHostKey> {
    const names = [...new Set([this.o.address, this.name])];
    const results = names.map((host) => checkHostKey(kh, { host, port: this.o.port, keyType, key }));
    const fingerprint = results[0]!.fingerprint;
    for (const status of ['revoked', 'changed', 'ok'] as const) {
      if (results.some((r) => r.status === status)) return { status, fingerprint };
    }
    return { status: 'unknown', fingerprint };
  }

  private classify(err: Error | undefined): ConnectFailure {
    const level = (err as { level?: string } | undefined)?.level;
    const msg = err?.message ?? 'connection closed during the handshake';
    if (level === 'client-authentication') {
      return new ConnectFailure(
        'auth-failed',
        `authentication as ${this.o.username} failed at ${this.where}`,
        `check that our key (${this.keyUsed || 'none'}) is in ${this.o.username}'s authorized_keys on ${this.name}; \`triton-recover ssh-setup\` installs it where a reboot keeps it (/usbkey/config.inc/root.authorized_keys)`,
        err,
      );
    }
    return new ConnectFailure('unreachable', `cannot connect to ${this.where}: ${msg}`, UNREACHABLE_HINT, err);
  }

  run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    let command: string;
    try {
      command = quoteArgv(argv);
    } catch (e) {
      return Promise.reject(
        this.err(
          'spawn-failed',
          argv,
          false,
          `cannot send this command: ${errText(e)}`,
          'this is a bug in triton-recover: report it with the step that was running',
        ),
      );
    }
    if (opts.signal?.aborted) {
      return Promise.reject(
        this.err(
          'aborted',
          argv,
          false,
          'cancelled before it was sent',
          'nothing ran; start the step again when ready',
        ),
      );
    }
    const nonce = randomBytes(8).toString('hex');
    const pidLine = new PidLine(nonce);
    return new Promise<RunResult>((resolve, reject) => {
      const started = performance.now();
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let execSent = false;
      let done = false;
      let conn: Conn | undefined;
      let channel: ClientChannel | undefined;
      let exit: { code: number } | { signal: string } | undefined;
      let sinkDone: Promise<unknown> = Promise.resolve();
      let sinkError: unknown;

      const cleanup = (): void => {
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        conn?.client.off('close', onLost);
      };
      const fail = (e: Error): void => {
        if (done) return;
        cleanup();
        if (channel) {
          stopChannel(channel);
          if (conn && pidLine.pid !== undefined) this.killRemote(conn, pidLine.pid);
        }
        reject(e);
      };
      const complete = async (): Promise<void> => {
        await sinkDone;
        if (done) return;
        cleanup();
        let stderr = Buffer.concat([...errOut, pidLine.rest()]).toString('utf8');
        const note = (s: string): void => {
          stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}[${s}]\n`;
        };
        let code: number;
        if (exit && 'code' in exit) code = exit.code;
        else if (exit) {
          code = signalExitCode(exit.signal);
          note(`killed by signal ${exit.signal.startsWith('SIG') ? exit.signal : `SIG${exit.signal}`}`);
        } else {
          code = 255;
          note(`${this.name} sent no exit status`);
        }
        if (sinkError !== undefined) {
          if (code === 0) code = 255;
          note(`stdout could not be delivered: ${errText(sinkError)}`);
        }
        resolve({
          code,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr,
          durationMs: Math.round(performance.now() - started),
        });
      };

      const timer = setTimeout(() => {
        fail(
          this.err(
            'timeout',
            argv,
            execSent,
            execSent
              ? `no exit after ${opts.timeoutMs} ms; sent KILL and closed the channel`
              : `not connected after ${opts.timeoutMs} ms; the command was not sent`,
            execSent
              ? `${MAY_HAVE_RUN_HINT}; the remote process may also still be running (check with ps on ${this.name})`
              : UNREACHABLE_HINT,
          ),
        );
      }, opts.timeoutMs);
      const onAbort = (): void => {
        fail(
          this.err(
            'aborted',
            argv,
            execSent,
            execSent ? 'cancelled by the operator; sent KILL' : 'cancelled before it was sent',
            execSent ? MAY_HAVE_RUN_HINT : 'nothing ran; start the step again when ready',
          ),
        );
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const onLost = (): void => {
        // The exit status arrives after all output, so with it in hand we know the outcome.
        if (exit) return void complete();
        const why = conn?.lastError ? ` (${conn.lastError.message})` : '';
        fail(
          this.err(
            'connection-lost',
            argv,
            execSent,
            `connection to ${this.where} lost while the command ran${why}`,
            execSent ? MAY_HAVE_RUN_HINT : 'the command was not sent; it is safe to run it again once the host answers',
            conn?.lastError,
          ),
        );
      };

      const start = (c: Conn): void => {
        if (done) return;
        conn = c;
        c.client.once('close', onLost);
        // From here on the server may start the command: every failure must say so.
        execSent = true;
        try {
          c.client.exec(wrapWithPid(command, nonce), (e, ch) => {
            if (e) {
              return fail(
                this.err(
                  'spawn-failed',
                  argv,
                  false,
                  `${this.name} refused to start the command: ${e.message}`,
                  `check sshd on ${this.name} (MaxSessions, ForceCommand) and its logs`,
                  e,
                ),
              );
            }
            if (done) return void stopChannel(ch);
            channel = ch;
            wireChannel(ch);
          });
        } catch (e) {
          onLostWith(e);
        }
      };
      const onLostWith = (e: unknown): void => {
        if (conn && e instanceof Error) conn.lastError ??= e;
        onLost();
      };

      const wireChannel = (ch: ClientChannel): void => {
        ch.on('exit', (code: number | null, signal?: string) => {
          exit = code === null || code === undefined ? { signal: signal ?? 'UNKNOWN' } : { code };
        });
        if (opts.stdoutSink) {
          sinkDone = pipeline(ch, opts.stdoutSink).catch((e: unknown) => {
            sinkError = e;
          });
        } else {
          ch.on('data', (b: Buffer) => out.push(b));
        }
        ch.stderr.on('data', (b: Buffer) => errOut.push(pidLine.feed(b)));
        ch.on('close', () => void complete());
        const { stdin } = opts;
        if (stdin instanceof Readable) {
          stdin.on('error', (e) => {
            fail(
              this.err(
                'aborted',
                argv,
                true,
                `its input stream failed (${errText(e)}); sent KILL`,
                `the source of the input failed; fix that, then ${MAY_HAVE_RUN_HINT}`,
                e,
              ),
            );
          });
          stdin.pipe(ch);
        } else {
          // EOF always, so a command that reads stdin finishes instead of hanging.
          ch.end(stdin);
        }
      };

      this.connection()
        .then((c) => (c.closed ? this.connection() : c))
        .then(start, (e: unknown) => {
          if (e instanceof HostKeyError) return fail(e);
          const f =
            e instanceof ConnectFailure ? e : new ConnectFailure('unreachable', errText(e), UNREACHABLE_HINT, e);
          fail(this.err(f.kind, argv, false, f.message, f.hint, f.cause));
        });
    });
  }

  /**
   * The kill that works where the signal request does not (root logins, see
   * ssh-pid.ts): a second command on the same connection. Best effort; the
   * caller already has its error, which says the process may still run.
   */
  private killRemote(conn: Conn, pid: number): void {
    if (conn.closed) return;
    const p = new Promise<void>((resolve) => {
      conn.client.once('close', () => resolve());
      try {
        conn.client.exec(killGroupCommand(pid), (e, ch) => {
          if (e) return resolve();
          ch.on('error', () => undefined);
          ch.on('close', () => resolve());
          ch.resume();
          ch.stderr.resume();
          ch.end();
        });
      } catch {
        // The connection went away meanwhile: nothing left to kill through.
        resolve();
      }
    });
    this.kills.add(p);
    void p.then(() => this.kills.delete(p));
  }

  private err(
    kind: RemoteErrorKind,
    argv: readonly string[],
    mayHaveRun: boolean,
    message: string,
    hint: string,
    cause?: unknown,
  ): RemoteError {
    return new RemoteError({ kind, host: this.name, argv, mayHaveRun, message, hint, cause });
  }
}

/**
 * Best effort: signal the remote process, then close our side of the channel.
 * OpenSSH honours the signal only for a non-root login; for root, killRemote does it.
 */
function stopChannel(ch: ClientChannel): void {
  try {
    ch.signal('KILL');
    // ssh2 drops signal requests once we have sent EOF, which we always do early;
    // the protocol allows them after EOF, so use its sender when it is there.
    const inner = ch as unknown as {
      outgoing?: { state?: string; id?: number };
      _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
    };
    const proto = inner._client?._protocol;
    if (
      inner.outgoing?.state === 'eof' &&
      typeof inner.outgoing.id === 'number' &&
      typeof proto?.signal === 'function'
    ) {
      proto.signal(inner.outgoing.id, 'KILL');
    }
  } catch {
    // The channel or connection is already gone; nothing left to signal.
  }
  try {
    ch.close();
  } catch {
    // Already closed.
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
