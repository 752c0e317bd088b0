// In-process access to the simulated DC: a Host per server (as if over SSH to
// its GZ) and an HTTP transport that reaches the API zones by admin IP.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError, RemoteError } from '../errors.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../http.js';
import type { Host, RunOptions, RunResult } from '../host.js';
import { faultFailure, runGzCommand } from './gz/index.js';
import { pingTimeoutMs } from './gz/net.js';
import { handleApi } from './api/index.js';
import { ipOwner, plumbed } from './ip-owner.js';
import { API_LISTENERS } from './physics.js';
import type { ScenarioInstance } from './scenario.js';
import type { SimWorld } from './world.js';

async function readStdin(stdin: RunOptions['stdin']): Promise<Buffer> {
  if (stdin === undefined) return Buffer.alloc(0);
  if (typeof stdin === 'string') return Buffer.from(stdin);
  if (stdin instanceof Uint8Array) return Buffer.from(stdin);
  const chunks: Buffer[] = [];
  for await (const c of stdin as Readable) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** Wait ms, but give up at the caller's deadline or abort. Returns false on timeout. */
async function waitWithin(ms: number, deadline: number, signal: AbortSignal | undefined): Promise<boolean> {
  const left = deadline - Date.now();
  const t = Math.min(ms, Math.max(0, left));
  try {
    await sleep(t, undefined, signal ? { signal } : undefined);
  } catch {
    return false;
  }
  return ms <= left;
}

/** What a client waits before it gives up on a host that answers nothing (unscaled). */
const SSH_CONNECT_TIMEOUT_MS = 10_000;
const TCP_CONNECT_TIMEOUT_MS = 10_000;

export class SimHost implements Host {
  /** An SSH host connects once and keeps the connection; the local GZ never connects. */
  private connected: boolean;

  constructor(
    private readonly world: SimWorld,
    readonly name: string,
    readonly isLocal = false,
  ) {
    this.connected = isLocal;
  }

  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const started = Date.now();
    const deadline = started + opts.timeoutMs;
    const stdin = await readStdin(opts.stdin);
    const srv = this.world.server(this.name);
    const timeout = (mayHaveRun: boolean): RemoteError =>
      opts.signal?.aborted
        ? new RemoteError({
            kind: 'aborted',
            host: this.name,
            argv,
            mayHaveRun,
            message: 'aborted',
            hint: 'the operator or the console stopped it',
          })
        : mayHaveRun
          ? new RemoteError({
              kind: 'timeout',
              host: this.name,
              argv,
              mayHaveRun,
              message: `no answer within ${opts.timeoutMs} ms`,
              hint: 'check the command by hand on that host before running anything again',
            })
          : new RemoteError({
              kind: 'unreachable',
              host: this.name,
              argv,
              mayHaveRun,
              message: `cannot reach ${this.name} over SSH (connection timed out)`,
              hint: `is ${this.name} powered on and on the admin network?`,
            });
    // A dead server answers nothing: the connection attempt runs into the timeout.
    if (!srv || !this.world.isAlive(this.name)) {
      this.connected = this.isLocal;
      await waitWithin(this.world.scaled(SSH_CONNECT_TIMEOUT_MS), deadline, opts.signal);
      throw timeout(false);
    }
    if (!this.connected) {
      if (!(await waitWithin(this.world.latency('ssh connect'), deadline, opts.signal))) throw timeout(false);
      this.connected = true;
    }
    const tool = argv[0] ?? '';
    // A fault's match also sees a small payload fed on stdin (vmadm create's JSON), per the scenario contract.
    const payload = stdin.length > 0 && stdin.length <= 1 << 20 ? stdin.toString('utf8') : undefined;
    const fault = this.world.takeFault(tool, argv[1], argv.join(' '), payload);
    if (fault === 'hang') {
      await waitWithin(Infinity, deadline, opts.signal);
      throw timeout(true);
    }
    const res = fault === 'fail' ? faultFailure(argv) : runGzCommand(this.world, srv, argv, stdin);
    this.world.checkEvents();
    let latency = this.world.latency(argv.slice(0, 2).join(' ')) + (res.extraMs ?? 0);
    // `ping IP T` waits T seconds for an answer that does not come.
    if (tool === 'ping' && res.code !== 0) latency = Math.max(latency, this.world.scaled(pingTimeoutMs(argv)));
    if (fault === 'disconnect') {
      this.connected = this.isLocal;
      await waitWithin(latency / 2, deadline, opts.signal);
      throw new RemoteError({
        kind: 'connection-lost',
        host: this.name,
        argv,
        mayHaveRun: true,
        message: 'SSH connection dropped while the command ran',
        hint: 'the command may have completed; check its effect before running it again',
      });
    }
    if (!(await waitWithin(latency, deadline, opts.signal))) throw timeout(true);
    if (opts.stdoutSink) {
      opts.stdoutSink.write(res.stdout);
      return { code: res.code, stdout: '', stderr: res.stderr, durationMs: Date.now() - started };
    }
    return { ...res, durationMs: Date.now() - started };
  }

  async close(): Promise<void> {}
}

/**
 * What the zone's listener does with this scheme and port before any HTTP is
 * spoken: nothing listens on another port (connection refused), and a
 * self-signed certificate fails the handshake the way Node's fetch reports it,
 * unless the request accepts it (sdc-cloudapi boot/setup.sh
 * setup_tls_certificate; sdcadm lib/sdcadm.js checkHealth pings with
 * rejectUnauthorized false).
 */
function listenerRefusal(req: HttpRequest, url: URL, inst: ScenarioInstance): HttpError | undefined {
  const l = API_LISTENERS[inst.service] ?? { scheme: 'http', port: 80, selfSigned: false };
  const scheme = url.protocol.replace(/:$/, '');
  const port = Number(url.port || (scheme === 'https' ? 443 : 80));
  if (scheme !== l.scheme || port !== l.port) {
    return new HttpError(req.method, req.url, 'unreachable', `connect ECONNREFUSED ${url.hostname}:${port}`);
  }
  if (l.selfSigned && req.tls !== 'accept-self-signed') {
    const cause = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    return new HttpError(req.method, req.url, 'unreachable', cause.message, new TypeError('fetch failed', { cause }));
  }
  return undefined;
}

/** Splits "GET /vms?x=1" style fault commands: method and path prefix. */
function httpFault(world: SimWorld, req: HttpRequest, url: URL): ReturnType<SimWorld['takeFault']> {
  return world.takeFault(req.method, url.pathname, `${req.method} ${url.pathname}${url.search}`);
}

export function simTransport(world: SimWorld): HttpTransport {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const started = Date.now();
    const deadline = started + req.timeoutMs;
    const url = new URL(req.url);
    const noAnswer = async (): Promise<never> => {
      await waitWithin(world.scaled(TCP_CONNECT_TIMEOUT_MS), deadline, req.signal);
      throw new HttpError(req.method, req.url, req.signal?.aborted ? 'aborted' : 'timeout', 'no answer');
    };
    // The IP's owner answers: with two live NICs on one IP, the one that came
    // up first (ip-owner.ts), whoever the caller meant. A server's GZ serves no HTTP.
    const owner = ipOwner(world, url.hostname);
    if (owner?.kind === 'server' || owner?.kind === 'router') {
      if (!(await waitWithin(world.latency('http'), deadline, req.signal))) return noAnswer();
      throw new HttpError(req.method, req.url, 'unreachable', `connect ECONNREFUSED ${url.hostname}:${url.port || 80}`);
    }
    // No owner: a stopped zone on a live server refuses; a dead IP, or one only a
    // NIC off its segment has, leaves TCP connect attempts unanswered until the client gives up.
    const live =
      owner?.inst ??
      world.state.instances.find(
        (i) => i.adminIp === url.hostname && i.state !== 'destroyed' && world.isAlive(i.server) && !plumbed(i),
      );
    if (!live) return noAnswer();
    if (!(await waitWithin(world.latency('http'), deadline, req.signal))) return noAnswer();
    if (!world.isUp(live)) {
      throw new HttpError(req.method, req.url, 'unreachable', `connect ECONNREFUSED ${url.hostname}:${url.port || 80}`);
    }
    const refused = listenerRefusal(req, url, live);
    if (refused) throw refused;
    const fault = httpFault(world, req, url);
    if (fault === 'hang' || fault === 'disconnect') return noAnswer();
    if (fault === 'fail')
      return { status: 500, body: JSON.stringify({ code: 'InternalError', message: 'simulated fault' }) };
    const ans = handleApi(world, live.service, req.method, url, req.body);
    world.checkEvents();
    const body = typeof ans.body === 'string' || Buffer.isBuffer(ans.body) ? ans.body : JSON.stringify(ans.body);
    if (req.bodySink && ans.status >= 200 && ans.status < 300) {
      await pipeline(Readable.from([Buffer.from(body)]), req.bodySink);
      return { status: ans.status, body: '' };
    }
    return { status: ans.status, body: Buffer.isBuffer(body) ? body.toString('latin1') : body };
  };
}
