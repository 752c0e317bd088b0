// Gathering the evidence about each headnode, in parallel, each probe with its
// own deadline: one slow or hanging probe never holds the others. Over 300
// lines on purpose: each signal's probe (ping, SSH, CNAPI, binder, manatee,
// other servers' view) sits beside the others so their deadlines read as one.
import type { Dc } from '../remote/dc.js';
import { HostKeyError, RemoteError } from '../remote/errors.js';
import type { Host } from '../remote/host.js';
import { createCnapi } from '../remote/triton/cnapi.js';
import { manateeShow } from '../remote/triton/manatee.js';
import { getSysinfo, isHeadnode } from '../remote/triton/sysinfo.js';
import { zkRuok } from '../remote/triton/zookeeper.js';
import {
  signal,
  vantageSignal,
  verdict,
  type VantageAnswer,
  type DetectionReport,
  type HeadnodeReport,
  type Signal,
  type SignalName,
} from '../state/detection.js';
import { headnodes, instancesOn, primaryOf, type InvServer, type Inventory } from '../state/inventory.js';

export interface DetectOptions {
  /** Deadline of each probe (ms). */
  timeoutMs?: number;
  /** A dead server's CNAPI heartbeat is older than this (ms). */
  heartbeatStaleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** Run a probe under a deadline; past it the probe counts as "cannot tell". */
async function probe(
  name: SignalName,
  timeoutMs: number,
  fn: (signal: AbortSignal) => Promise<Signal>,
): Promise<Signal> {
  const started = Date.now();
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Signal>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve(signal(name, 'unknown', `no answer within ${(timeoutMs / 1000).toFixed(1)} s`, Date.now() - started));
    }, timeoutMs);
  });
  try {
    const s = await Promise.race([
      fn(ac.signal).catch((err: unknown) => signal(name, 'unknown', `probe failed: ${(err as Error).message}`, 0)),
      deadline,
    ]);
    return { ...s, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function ago(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export async function detect(dc: Dc, inv: Inventory, opts: DetectOptions = {}): Promise<DetectionReport> {
  const started = Date.now();
  const t = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stale = opts.heartbeatStaleMs ?? 60_000;
  const primary = primaryOf(inv);
  const hns = headnodes(inv);
  // Probe the others right away, taking this headnode to be the one with our
  // hostname; sysinfo confirms it meanwhile (and wins if the name misled us).
  const guess = hns.find((h) => h.hostname === dc.local.name)?.uuid;
  const early = new Map(
    hns.filter((h) => h.uuid !== guess).map((h) => [h.uuid, probeHeadnode(dc, inv, h, guess ?? '', t, stale)]),
  );
  const me = await getSysinfo(dc.local, { timeoutMs: t });
  if (!hns.some((h) => h.uuid === me.UUID)) {
    hns.push({ uuid: me.UUID, hostname: me.Hostname, headnode: true, adminIp: undefined });
  }
  const reports = await Promise.all(
    hns.map(async (h): Promise<HeadnodeReport> => {
      const base = { hostname: h.hostname, uuid: h.uuid, adminIp: h.adminIp, primary: h.uuid === primary?.uuid };
      if (h.uuid === me.UUID) {
        return { ...base, local: true, state: 'alive', evidence: [signal('ssh', 'alive', 'the console runs here', 0)] };
      }
      const evidence = await (early.get(h.uuid) ?? probeHeadnode(dc, inv, h, me.UUID, t, stale));
      return { ...base, local: false, state: verdict(evidence), evidence };
    }),
  );
  return {
    local: { hostname: me.Hostname, uuid: me.UUID, bootsAsHeadnode: isHeadnode(me) },
    primary: reports.find((r) => r.primary),
    headnodes: reports,
    mode: reports.every((r) => r.state === 'alive') ? 'readiness' : 'disaster',
    wallMs: Date.now() - started,
  };
}

/** Every probe of one server (a headnode, or one a restore re-created the zones of), each under its deadline. */
export function probeServer(
  dc: Dc,
  inv: Inventory,
  h: InvServer,
  localUuid: string,
  opts: DetectOptions = {},
): Promise<Signal[]> {
  return probeHeadnode(dc, inv, h, localUuid, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.heartbeatStaleMs ?? 60_000);
}

function probeHeadnode(
  dc: Dc,
  inv: Inventory,
  h: InvServer,
  localUuid: string,
  deadline: number,
  staleMs: number,
): Promise<Signal[]> {
  // Each probe's own call gives up first, so its typed answer ("connection timed
  // out": dead) beats the probe deadline ("no answer": cannot tell).
  const t = Math.floor(deadline * 0.8);
  const mine = instancesOn(inv, h.uuid);
  const probes: Promise<Signal>[] = [];
  const ip = h.adminIp;

  probes.push(
    probe('ping', deadline, async () => {
      if (!ip) return signal('ping', 'unknown', 'admin IP not known', 0);
      const r = await dc.local.run(['ping', ip, String(Math.max(1, Math.floor(t / 2000)))], { timeoutMs: t });
      return r.code === 0
        ? signal('ping', 'alive', `${ip} answers ping`, r.durationMs)
        : signal('ping', 'dead', `no answer from ${ip}`, r.durationMs);
    }),
  );

  probes.push(
    probe('ssh', deadline, async (abort) => {
      if (!ip) return signal('ssh', 'unknown', 'admin IP not known', 0);
      try {
        const s = await getSysinfo(dc.peer(h.hostname, ip), { timeoutMs: t, signal: abort });
        if (s.UUID !== h.uuid)
          return signal(
            'ssh',
            'unknown',
            `${ip} answers SSH but is server ${s.UUID} (${s.Hostname}), not ${h.uuid}`,
            0,
          );
        return signal('ssh', 'alive', `SSH to ${ip} works; sysinfo says ${s.Hostname}`, 0);
      } catch (err) {
        if (err instanceof HostKeyError)
          return signal(
            'ssh',
            'unknown',
            `something answers SSH at ${ip} with an unverified host key (${err.fingerprint})`,
            0,
          );
        if (err instanceof RemoteError && (err.kind === 'unreachable' || err.kind === 'timeout')) {
          return signal(
            'ssh',
            'dead',
            `SSH to ${ip}: ${err.kind === 'unreachable' ? 'connection timed out' : 'no answer'}`,
            0,
          );
        }
        throw err;
      }
    }),
  );

  probes.push(probe('vantage', deadline, () => askVantages(dc, inv, h, localUuid, t)));

  const cnapis = inv.instances.filter((i) => i.service === 'cnapi' && i.adminIp);
  probes.push(
    probe('cnapi', deadline, async (abort) => {
      if (cnapis.length === 0) return signal('cnapi', 'unknown', 'no CNAPI instance known', 0);
      const answers = await Promise.allSettled(
        cnapis.map((c) =>
          createCnapi({ transport: dc.http, baseUrl: `http://${c.adminIp}` }).getServer(h.uuid, {
            timeoutMs: t,
            signal: abort,
          }),
        ),
      );
      const got = answers.find((a) => a.status === 'fulfilled');
      if (!got || got.status !== 'fulfilled') {
        return signal(
          'cnapi',
          'unknown',
          `no CNAPI answered (${cnapis.map((c) => `${c.alias} ${c.adminIp}`).join(', ')})`,
          0,
        );
      }
      const srv = got.value;
      if (!srv) return signal('cnapi', 'unknown', `CNAPI has no server ${h.uuid}`, 0);
      const hbAge = srv.last_heartbeat ? Date.now() - Date.parse(srv.last_heartbeat) : Infinity;
      if (srv.status === 'running')
        return signal('cnapi', 'alive', `CNAPI: status running, last heartbeat ${ago(srv.last_heartbeat)}`, 0);
      if (hbAge > staleMs)
        return signal('cnapi', 'dead', `CNAPI: status ${srv.status}, last heartbeat ${ago(srv.last_heartbeat)}`, 0);
      return signal('cnapi', 'unknown', `CNAPI: status ${srv.status}, but a heartbeat ${ago(srv.last_heartbeat)}`, 0);
    }),
  );

  const binder = mine.find((i) => i.service === 'binder' && i.adminIp);
  if (binder) {
    probes.push(
      probe('binder', deadline, (abort) =>
        binderSignal(dc.local, { alias: binder.alias, ip: binder.adminIp! }, t, abort),
      ),
    );
  }

  const peer = mine.find((i) => i.service === 'manatee');
  if (peer) {
    probes.push(
      probe('manatee', deadline, (abort) => manateeView(dc, inv, h, localUuid, peer.uuid, peer.alias, t, abort)),
    );
  }
  return Promise.all(probes);
}

/** How many other servers detection asks whether they reach a headnode (compute nodes first). */
export const VANTAGE_SERVERS = 3;

/**
 * Ask a few other servers (compute nodes first, over SSH) to ping the headnode:
 * this headnode cut off from it alone must not make it look dead.
 */
async function askVantages(dc: Dc, inv: Inventory, h: InvServer, localUuid: string, t: number): Promise<Signal> {
  const started = Date.now();
  const ip = h.adminIp;
  if (!ip) return signal('vantage', 'unknown', 'admin IP not known', 0);
  const others = inv.servers.filter((s) => s.uuid !== h.uuid && s.uuid !== localUuid && s.adminIp);
  const picked = [...others.filter((s) => !s.headnode), ...others.filter((s) => s.headnode)].slice(0, VANTAGE_SERVERS);
  const answers = await Promise.all(
    picked.map(async (s): Promise<VantageAnswer> => {
      try {
        const r = await dc
          .peer(s.hostname, s.adminIp!)
          .run(['ping', ip, String(Math.max(1, Math.floor(t / 2000)))], { timeoutMs: t });
        return { from: s.hostname, reached: r.code === 0 };
      } catch (err) {
        return {
          from: s.hostname,
          reached: undefined,
          why: err instanceof RemoteError ? err.kind : (err as Error).message,
        };
      }
    }),
  );
  return vantageSignal(ip, answers, Date.now() - started);
}

/** The headnode's own binder member, asked from this GZ with ruok: answering, its zones run. */
export async function binderSignal(
  host: Host,
  binder: { alias: string; ip: string },
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<Signal> {
  const ok = await zkRuok(host, binder.ip, { timeoutMs, ...(abort ? { signal: abort } : {}) });
  const at = `${binder.alias} (${binder.ip}:2181)`;
  if (ok === null) return signal('binder', 'dead', `${at} does not answer`, 0);
  // Up (something answered on binder's port), though it will not say more.
  if (ok === 'disabled')
    return signal(
      'binder',
      'alive',
      `${at} answers, but four-letter words are disabled (ruok is not in 4lw.commands.whitelist)`,
      0,
    );
  return ok
    ? signal('binder', 'alive', `${at} answers imok`, 0)
    : signal('binder', 'unknown', `${binder.alias} answers but not imok`, 0);
}

/** Ask a surviving manatee peer how the cluster sees the headnode's peer. */
async function manateeView(
  dc: Dc,
  inv: Inventory,
  h: InvServer,
  localUuid: string,
  uuid: string,
  alias: string,
  t: number,
  abort: AbortSignal,
): Promise<Signal> {
  const others = inv.instances.filter((i) => i.service === 'manatee' && i.serverUuid !== h.uuid);
  const hostOf = (serverUuid: string | undefined): Host | undefined => {
    const srv = inv.servers.find((s) => s.uuid === serverUuid);
    if (!srv?.adminIp) return undefined;
    return srv.uuid === localUuid ? dc.local : dc.peer(srv.hostname, srv.adminIp);
  };
  // Prefer a peer on this headnode: no SSH needed.
  others.sort((a, b) => Number(hostOf(b.serverUuid) === dc.local) - Number(hostOf(a.serverUuid) === dc.local));
  for (const o of others) {
    const host = hostOf(o.serverUuid);
    if (!host) continue;
    try {
      const show = await manateeShow(host, o.uuid, { timeoutMs: t, signal: abort });
      const row = show.peers.find((p) => uuid.startsWith(p.peer));
      const via = `as seen from ${o.alias}`;
      if (!row) return signal('manatee', 'dead', `${alias} is no longer in the manatee cluster (${via})`, 0);
      if (row.role === 'deposed')
        return signal('manatee', 'dead', `${alias} was deposed: the cluster took over from it (${via})`, 0);
      if (row.pg === 'fail')
        return signal('manatee', 'dead', `${alias} (${row.role}): postgres does not answer (${via})`, 0);
      return signal('manatee', 'alive', `${alias} is ${row.role} with postgres ok (${via})`, 0);
    } catch {
      continue;
    }
  }
  return signal('manatee', 'unknown', 'no surviving manatee peer could be asked', 0);
}
