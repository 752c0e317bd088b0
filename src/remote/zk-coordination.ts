// The DC-wide lock in binder's ZooKeeper, through node-zookeeper-client (pure
// JS: nothing to compile in a headnode's GZ; speaks the 3.4 wire protocol,
// which binder runs and 3.5+ servers still accept). One session per take():
// the lock is an EPHEMERAL node, so it lives exactly as long as that session.
// A create is atomic in ZooKeeper: of two racing consoles exactly one gets
// NODE_EXISTS' opposite. A create is never retried blindly: on a lost
// connection its outcome is unknown, so the session is closed instead, which
// removes the node if it was made.
import { connect as tcpConnect } from 'node:net';
import { type Client, CreateMode, Exception, createClient } from 'node-zookeeper-client';
import {
  type BinderMember,
  COORDINATION_LOCK,
  COORDINATION_ROOT,
  type Coordination,
  type HeldLock,
  type HolderResult,
  LockLost,
  type TakeResult,
} from './coordination.js';

export const ZK_CLIENT_PORT = 2181;

export interface ZkOptions {
  /** Give up when no member grants a session within this (no quorum, or none reachable). */
  connectTimeoutMs?: number;
  /** Asked of the servers; they clamp it to [2, 20] x tickTime (binder: tickTime=2000, TritonDataCenter/binder sapi_manifests/zookeeper/template). */
  sessionTimeoutMs?: number;
  /** Port of every member (2181 in binder; tests may differ). */
  port?: number;
}

const DEFAULTS = { connectTimeoutMs: 10_000, sessionTimeoutMs: 10_000, port: ZK_CLIENT_PORT };

type Cb<T> = (err: Error | Exception | null, v: T) => void;
function call<T>(f: (cb: Cb<T>) => void): Promise<{ err: Error | Exception | null; value: T }> {
  return new Promise((resolve) => f((err, value) => resolve({ err, value })));
}

function code(err: Error | Exception | null): number | undefined {
  return err instanceof Exception ? err.getCode() : undefined;
}

export class ZkCoordination implements Coordination {
  readonly where: string;
  private readonly o: typeof DEFAULTS;

  constructor(
    private readonly members: BinderMember[],
    opts: ZkOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...opts };
    this.where = `binder (ZooKeeper) at ${members.map((m) => m.ip).join(', ') || 'no known member'}`;
  }

  private async session(): Promise<{ ok: true; client: Client } | { ok: false; reason: string }> {
    if (this.members.length === 0)
      return { ok: false, reason: 'no binder member is known (restore-data has no svc-binder instance)' };
    const client = createClient(this.members.map((m) => `${m.ip}:${this.o.port}`).join(','), {
      sessionTimeout: this.o.sessionTimeoutMs,
      spinDelay: 200,
      retries: 0,
    });
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.o.connectTimeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve(true);
      });
      client.connect();
    });
    if (connected) return { ok: true, client };
    client.close();
    const seen = await Promise.all(this.members.map((m) => memberState(m, this.o.port)));
    return {
      ok: false,
      reason: `no binder member granted a session within ${this.o.connectTimeoutMs} ms (${seen.join('; ')})`,
    };
  }

  async take(data: string): Promise<TakeResult> {
    const s = await this.session();
    if (!s.ok) return { kind: 'unavailable', reason: s.reason };
    const client = s.client;
    const fail = (why: string): TakeResult => {
      client.close();
      return { kind: 'unavailable', reason: why };
    };
    const root = await call<string>((cb) => client.create(COORDINATION_ROOT, CreateMode.PERSISTENT, cb));
    if (root.err && code(root.err) !== Exception.NODE_EXISTS)
      return fail(`create ${COORDINATION_ROOT}: ${String(root.err)}`);
    // Two tries at most, and only when the node vanished between our failed create and the read.
    for (let attempt = 0; attempt < 2; attempt++) {
      const made = await call<string>((cb) =>
        client.create(COORDINATION_LOCK, Buffer.from(data), CreateMode.EPHEMERAL, cb),
      );
      if (!made.err) return { kind: 'taken', lock: this.held(client) };
      if (code(made.err) !== Exception.NODE_EXISTS) return fail(`create ${COORDINATION_LOCK}: ${String(made.err)}`);
      const got = await call<Buffer>((cb) => client.getData(COORDINATION_LOCK, cb));
      if (!got.err) {
        client.close();
        return { kind: 'held', data: got.value?.toString('utf8') ?? '' };
      }
      if (code(got.err) !== Exception.NO_NODE) return fail(`read ${COORDINATION_LOCK}: ${String(got.err)}`);
    }
    return fail(`${COORDINATION_LOCK} is being taken and released by another console; try again`);
  }

  /**
   * The session is the lock. Disconnected for a third of the session timeout
   * means the servers are about to expire it (they do at the full timeout
   * after they last heard from us, and we noticed late): lost from then on.
   */
  private held(client: Client): HeldLock {
    const ac = new AbortController();
    const graceMs = Math.max(200, Math.floor(client.getSessionTimeout() / 3));
    let timer: NodeJS.Timeout | undefined;
    let released = false;
    const lose = (why: string): void => {
      if (!ac.signal.aborted && !released) ac.abort(new LockLost(why));
    };
    client.on('expired', () => lose('the binder session expired: its lock node is gone'));
    client.on('disconnected', () => {
      if (released) return;
      timer ??= setTimeout(() => {
        lose(
          `lost contact with binder for ${graceMs} ms: the lock can no longer be counted on (no quorum, or this headnode is cut off)`,
        );
        client.close();
      }, graceMs);
    });
    client.on('connected', () => {
      clearTimeout(timer);
      timer = undefined;
    });
    return {
      lost: ac.signal,
      async release() {
        released = true;
        clearTimeout(timer);
        // Closing the session removes the ephemeral node with it.
        if (!ac.signal.aborted) await call<null>((cb) => client.remove(COORDINATION_LOCK, -1, (e) => cb(e, null)));
        client.close();
      },
    };
  }

  async holder(): Promise<HolderResult> {
    const s = await this.session();
    if (!s.ok) return { kind: 'unavailable', reason: s.reason };
    const got = await call<Buffer>((cb) => s.client.getData(COORDINATION_LOCK, cb));
    s.client.close();
    if (!got.err) return { kind: 'held', data: got.value?.toString('utf8') ?? '' };
    if (code(got.err) === Exception.NO_NODE) return { kind: 'free' };
    return { kind: 'unavailable', reason: `read ${COORDINATION_LOCK}: ${String(got.err)}` };
  }
}

/** One member, by `srvr`, for the message when no session could be had. */
function memberState(m: BinderMember, port: number): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = tcpConnect({ host: m.ip, port });
    const done = (): void => {
      s.destroy();
      if (out.includes('not currently serving')) resolve(`${m.alias} ${m.ip}: up, not serving (no quorum)`);
      else if (/not in the whitelist/.test(out)) resolve(`${m.alias} ${m.ip}: answers (four-letter words disabled)`);
      else if (/^Mode:/m.test(out)) resolve(`${m.alias} ${m.ip}: ${/^Mode:\s*(\S+)/m.exec(out)![1]}`);
      else resolve(`${m.alias} ${m.ip}: no answer on ${port}`);
    };
    s.setTimeout(1_500, done);
    s.on('connect', () => s.write('srvr'));
    s.on('data', (d) => (out += d.toString()));
    s.on('end', done);
    s.on('error', done);
  });
}
