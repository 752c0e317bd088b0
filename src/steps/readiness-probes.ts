// The live facts readiness needs, each gathered under its own deadline (see
// deadline.ts). Every probe returns what it saw or why it could not tell; the
// judging happens in src/state.
import type { Dc } from '../remote/dc.js';
import type { Host } from '../remote/host.js';
import { imgadmGet } from '../remote/triton/imgadm.js';
import { manateeShow } from '../remote/triton/manatee.js';
import { createNapi, type NapiIp } from '../remote/triton/napi.js';
import { parseJson } from '../remote/triton/parse.js';
import { svcsXz } from '../remote/triton/svcs.js';
import { USBKEY_OS, fileExists, usbkeyPlatforms } from '../remote/triton/usbkey.js';
import { vmadmGet } from '../remote/triton/vmadm.js';
import { zkStat } from '../remote/triton/zookeeper.js';
import type { ClusterMember, ManateeProbe, MorayMember, ZkMember } from '../state/cluster-health.js';
import type { DhcpdFact } from '../state/dhcpd-problems.js';
import { USBKEY_EXTRA_NEEDED, type UsbkeyFact } from '../state/usbkey-problems.js';
import type { Installed } from '../state/image-chain.js';
import type { InvInstance, Inventory } from '../state/inventory.js';
import { REMOTE_LAYOUT, REMOTE_SYNCED, type RestoreDataHolding } from '../state/restore-data-holding.js';
import { DEFAULT_RESTORE_DATA_DIR, Synced } from '../state/restore-data-layout.js';
import { withDeadline, type Outcome } from './deadline.js';

/** Who runs where, and how to reach it. */
export interface Reach {
  dc: Dc;
  inv: Inventory;
  localUuid: string;
  dead: ReadonlySet<string>;
  timeoutMs: number;
}

export function hostnameOf(r: Pick<Reach, 'inv'>, serverUuid: string | undefined): string {
  return (
    r.inv.servers.find((s) => s.uuid === serverUuid)?.hostname ??
    (serverUuid ? `server ${serverUuid}` : 'an unknown server')
  );
}

/** The GZ of a server: this one directly, another over SSH (needs its admin IP). */
export function hostOf(r: Reach, serverUuid: string | undefined): Host | undefined {
  if (serverUuid === r.localUuid) return r.dc.local;
  const srv = r.inv.servers.find((s) => s.uuid === serverUuid);
  return srv?.adminIp ? r.dc.peer(srv.hostname, srv.adminIp) : undefined;
}

export function memberOf(r: Reach, i: InvInstance): ClusterMember {
  return {
    alias: i.alias,
    uuid: i.uuid,
    hostname: hostnameOf(r, i.serverUuid),
    alive: i.serverUuid !== undefined && !r.dead.has(i.serverUuid),
  };
}

const opts = (r: Reach, signal: AbortSignal): { timeoutMs: number; signal: AbortSignal } => ({
  timeoutMs: r.timeoutMs,
  signal,
});

/**
 * A headnode's /usbkey, all at once under one deadline: `test -d /usbkey/os`
 * (0 present, 1 absent, else cannot tell), `ls -1 /usbkey/os` (its platforms)
 * and `test -f` of each file compute node setup fetches from /usbkey/extra.
 */
export async function usbkeyFact(
  r: Reach,
  host: Host,
  h: { hostname: string; uuid?: string; adminIp?: string | undefined },
): Promise<UsbkeyFact> {
  const base = {
    hostname: h.hostname,
    local: host === r.dc.local,
    ...(h.uuid ? { uuid: h.uuid } : {}),
    adminIp: h.adminIp,
  };
  const o = await withDeadline(r.timeoutMs, (signal) =>
    Promise.all([
      host.run(['test', '-d', USBKEY_OS], opts(r, signal)),
      settle(usbkeyPlatforms(host, opts(r, signal))),
      Promise.all(USBKEY_EXTRA_NEEDED.map((p) => settle(fileExists(host, `/usbkey/extra/${p}`, opts(r, signal))))),
    ]),
  );
  if (!o.ok) return { ...base, present: undefined, why: o.why, osWhy: o.why, extraUnknown: [...USBKEY_EXTRA_NEEDED] };
  const [test, os, extra] = o.value;
  const present = test.code === 0 || test.code === 1 ? test.code === 0 : undefined;
  const why = present === undefined ? { why: `exit ${test.code}: ${test.stderr.trim() || 'no error output'}` } : {};
  const listed = os.ok
    ? os.value
      ? { platforms: os.value.platforms, latest: os.value.latest }
      : { platforms: [] }
    : { osWhy: os.why };
  const pick = (want: boolean | undefined): string[] =>
    USBKEY_EXTRA_NEEDED.filter((_, i) => (extra[i]!.ok ? extra[i]!.value : undefined) === want);
  return { ...base, present, ...why, ...listed, extraMissing: pick(false), extraUnknown: pick(undefined) };
}

/** A promise's value or why it failed, so one failed look does not hide the others. */
async function settle<T>(p: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? err.message : String(err) };
  }
}

export async function imagesInstalled(r: Reach, uuids: readonly string[]): Promise<Map<string, Installed>> {
  const answers = await Promise.all(
    uuids.map(
      async (uuid) =>
        [uuid, await withDeadline(r.timeoutMs, (signal) => imgadmGet(r.dc.local, uuid, opts(r, signal)))] as const,
    ),
  );
  return new Map(
    answers.map(([uuid, o]): [string, Installed] => [
      uuid,
      !o.ok ? { state: 'unknown', why: o.why } : o.value ? { state: 'yes' } : { state: 'no' },
    ]),
  );
}

/** Ask every surviving peer at once; take the answer of the preferred one (this headnode's first). */
export async function manateeProbe(r: Reach): Promise<ManateeProbe> {
  const insts = r.inv.instances.filter((i) => i.service === 'manatee');
  const members = insts.map((i) => memberOf(r, i));
  const survivors = insts
    .filter((i) => i.serverUuid !== undefined && !r.dead.has(i.serverUuid))
    .sort((a, b) => Number(b.serverUuid === r.localUuid) - Number(a.serverUuid === r.localUuid));
  const answers = await Promise.all(
    survivors.map(async (i) => {
      const host = hostOf(r, i.serverUuid);
      const o = host
        ? await withDeadline(r.timeoutMs, (signal) => manateeShow(host, i.uuid, opts(r, signal)))
        : ({ ok: false, why: 'admin IP of its server unknown' } as const);
      return { inst: i, o };
    }),
  );
  const first = answers.find((a) => a.o.ok);
  const failures = answers
    .filter((a) => !a.o.ok)
    .map((a) => `${a.inst.alias} on ${hostnameOf(r, a.inst.serverUuid)}: ${a.o.ok ? '' : a.o.why}`);
  return {
    answer:
      first && first.o.ok
        ? { alias: first.inst.alias, hostname: hostnameOf(r, first.inst.serverUuid), show: first.o.value }
        : undefined,
    failures,
    members,
  };
}

/** `echo stat | nc <ip> 2181` from this GZ for every binder on a live server. */
export function zkMembers(r: Reach): Promise<ZkMember[]> {
  const binders = r.inv.instances.filter((i) => i.service === 'binder');
  return Promise.all(
    binders.map(async (i): Promise<ZkMember> => {
      const m = { ...memberOf(r, i), ip: i.adminIp };
      if (!m.alive) return { ...m, state: { kind: 'server-down' } };
      const ip = i.adminIp;
      if (!ip) return { ...m, state: { kind: 'no-answer', why: 'admin IP unknown' } };
      const o = await withDeadline(r.timeoutMs, (signal) => zkStat(r.dc.local, ip, opts(r, signal)));
      if (!o.ok) return { ...m, state: { kind: 'no-answer', why: o.why } };
      if (o.value === null) return { ...m, state: { kind: 'no-answer', why: `nothing answers on ${ip}:2181` } };
      return { ...m, state: { kind: 'answered', mode: o.value.mode } };
    }),
  );
}

/** Zone running (vmadm) and every SMF service in it online (svcs -xz), on its own server. */
async function zoneHealth(r: Reach, i: InvInstance): Promise<{ ok: true } | { ok: false; why: string }> {
  const host = hostOf(r, i.serverUuid);
  if (!host) return { ok: false, why: 'admin IP of its server unknown' };
  const o = await withDeadline(r.timeoutMs, async (signal): Promise<{ ok: true } | { ok: false; why: string }> => {
    const vm = await vmadmGet(host, i.uuid, opts(r, signal));
    if (!vm) return { ok: false, why: `no zone ${i.uuid} there (vmadm get)` };
    if (vm.state !== 'running') return { ok: false, why: `zone ${vm.state}` };
    const svcs = await svcsXz(host, i.uuid, opts(r, signal));
    if (svcs.healthy) return { ok: true };
    return { ok: false, why: `svcs -xz: ${svcs.problems.map((p) => `${p.fmri} ${p.state}`).join(', ')}` };
  });
  return o.ok ? o.value : { ok: false, why: o.why };
}

export function morayMembers(r: Reach): Promise<MorayMember[]> {
  const morays = r.inv.instances.filter((i) => i.service === 'moray');
  return Promise.all(
    morays.map(async (i): Promise<MorayMember> => {
      const m = memberOf(r, i);
      return { ...m, health: m.alive ? await zoneHealth(r, i) : { ok: false, why: 'its server is down' } };
    }),
  );
}

export function dhcpdFacts(r: Reach): Promise<DhcpdFact[]> {
  const dhcpds = r.inv.instances.filter((i) => i.service === 'dhcpd');
  return Promise.all(
    dhcpds.map(async (i): Promise<DhcpdFact> => {
      const m = memberOf(r, i);
      const base = { alias: i.alias, hostname: m.hostname, serverUuid: i.serverUuid, serverAlive: m.alive };
      const host = m.alive ? hostOf(r, i.serverUuid) : undefined;
      if (!host) return { ...base, running: undefined };
      const o = await withDeadline(r.timeoutMs, (signal) => vmadmGet(host, i.uuid, opts(r, signal)));
      return { ...base, running: o.ok ? o.value?.state === 'running' : undefined };
    }),
  );
}

/** The admin network's IP records from a live NAPI, when one answers (fresher than restore-data). */
export async function liveAdminIps(
  r: Reach,
  networkUuid: string | undefined,
): Promise<Outcome<{ records: NapiIp[]; from: string }>> {
  const napis = r.inv.instances.filter(
    (i) => i.service === 'napi' && i.adminIp && i.serverUuid !== undefined && !r.dead.has(i.serverUuid),
  );
  if (!networkUuid) return { ok: false, why: 'the admin network is not known from restore-data' };
  if (napis.length === 0) return { ok: false, why: 'no NAPI instance on a live server' };
  const answers = await Promise.all(
    napis.map((n) =>
      withDeadline(r.timeoutMs, async (signal) => ({
        records: await createNapi({ transport: r.dc.http, baseUrl: `http://${n.adminIp}` }).listIps(
          networkUuid,
          {},
          opts(r, signal),
        ),
        from: `${n.alias} (${n.adminIp})`,
      })),
    ),
  );
  return answers.find((a) => a.ok) ?? answers[0]!;
}

/**
 * Another headnode's own restore-data, as far as a look over SSH shows it:
 * `test -f LAYOUT` (0 there, 1 not, else cannot tell) and `cat dc/synced.json`,
 * both at once under one deadline.
 */
export async function restoreDataHeld(
  r: Reach,
  h: { hostname: string; uuid: string; adminIp: string | undefined },
): Promise<RestoreDataHolding> {
  const base = { hostname: h.hostname, uuid: h.uuid, local: false, dir: DEFAULT_RESTORE_DATA_DIR, synced: undefined };
  const ip = h.adminIp;
  if (!ip) return { ...base, layout: undefined, why: 'its admin IP is not known' };
  const host = r.dc.peer(h.hostname, ip);
  const o = await withDeadline(r.timeoutMs, (signal) =>
    Promise.all([
      host.run(['test', '-f', REMOTE_LAYOUT], opts(r, signal)),
      host.run(['cat', REMOTE_SYNCED], opts(r, signal)),
    ]),
  );
  if (!o.ok) return { ...base, layout: undefined, why: `test -f ${REMOTE_LAYOUT} on ${h.hostname}: ${o.why}` };
  const [test, cat] = o.value;
  if (test.code !== 0 && test.code !== 1) {
    return {
      ...base,
      layout: undefined,
      why: `test -f ${REMOTE_LAYOUT} on ${h.hostname}: exit ${test.code}: ${test.stderr.trim() || 'no error output'}`,
    };
  }
  if (test.code === 1) return { ...base, layout: false };
  if (cat.code !== 0) return { ...base, layout: true, why: cat.stderr.trim() || `cat exit ${cat.code}` };
  try {
    return { ...base, layout: true, synced: parseJson(`${REMOTE_SYNCED} on ${h.hostname}`, Synced, cat.stdout) };
  } catch (err) {
    return { ...base, layout: true, why: err instanceof Error ? err.message : String(err) };
  }
}
