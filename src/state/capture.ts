// `capture`: what was read of a live DC on a normal day, turned into a scenario
// file the simulator loads (src/remote/sim/scenario.ts is its schema), so a
// drill rehearses on the exact shape of this DC. Pure: readings in, plain
// scenario data out; the caller checks it against the schema and writes it.
// Secrets never enter: the readings hold no metadata, payloads or files, and
// the result goes through redact() all the same.
import { redact } from './redact.js';

/** One NIC as vmadm shows it, every field the scenario's NIC keeps. */
export interface CapturedNic {
  interface: string;
  mac: string;
  nic_tag: string;
  ip: string;
  netmask?: string;
  vlan_id?: number;
  gateway?: string;
  network_uuid?: string;
  mtu?: number;
  primary?: boolean;
  dhcp_server?: boolean;
}

export interface CapturedZone {
  service: string;
  alias: string;
  uuid: string;
  /** Hostname of the server it runs on. */
  server: string;
  image: string;
  /** vmadm's state: running, stopped, ... */
  state: string;
  firewallEnabled: boolean;
  delegatedDataset: boolean;
  /** `zfs list` used bytes of zones/<uuid>/data. */
  dataBytes?: number;
  nics: CapturedNic[];
}

export interface CapturedServer {
  uuid: string;
  hostname: string;
  headnode: boolean;
  adminIp: string | undefined;
  /** It answered over SSH while the capture ran. */
  answered: boolean;
  setup: boolean;
  platform?: string;
  /** `ls /usbkey/os`; null: no /usbkey/os; undefined: not asked (it did not answer). */
  usbkeyPlatforms?: string[] | null;
}

export interface CapturedNetwork {
  uuid: string;
  subnet: string;
  gateway: string;
  provisionStartIp: string;
  provisionEndIp: string;
  vlanId: number;
}

export interface CapturedRestoreData {
  /** Headnodes whose restore-data has a LAYOUT file. */
  on: string[];
  /** dc/synced.json of this headnode's restore-data (epoch ms of the data held). */
  dcSyncedAt?: number;
  services: Record<string, { syncedAt?: number; missing?: true; missingDataset?: true; missingImage?: true }>;
}

/** One timed call: an API call, a GZ command, or an SSH connection's own cost. */
export interface LatencySample {
  kind: 'http' | 'command' | 'ssh connect';
  ms: number;
}

export interface CaptureReadings {
  takenAt: number;
  datacenter: { name: string; dnsDomain: string; adminUuid: string };
  localServer: string;
  servers: CapturedServer[];
  adminNetwork: CapturedNetwork;
  externalNetwork?: CapturedNetwork;
  recoveryIps: string[];
  images: { uuid: string; name: string; version: string; origin: string | null }[];
  zones: CapturedZone[];
  /** manatee-adm show: the role of each peer, by zone uuid. */
  manatee?: {
    primary: string;
    sync: string | null;
    async: string[];
    /** Peers that lost a takeover and wait to be rebuilt (manatee-adm show's "deposed"). */
    deposed: string[];
    mode: 'normal' | 'singleton';
  };
  restoreData: CapturedRestoreData;
  samples: LatencySample[];
  /**
   * Latencies a normal day cannot show (vmadm create, imgadm install, zone
   * first boot: nothing is created): a real headnode's figures, so a drill is
   * not faster than a restore would be.
   */
  unobserved: Record<string, number>;
  /** Observed times are multiplied by this (a simulated DC at --sim-speed N runs N times fast). */
  timeScale: number;
}

export interface CaptureResult {
  /** Plain scenario data: the caller parses it with the scenario schema. */
  scenario: Record<string, unknown>;
  /** What could not be carried over, for the operator. */
  notes: string[];
}

/** A service's restore-data is older than the DC-wide sync by more than this: the scenario says so. */
const AGE_SLACK_SECONDS = 60;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The scenario's latencyMs: the median of each kind observed (scaled back), the rest as a real headnode shows them. */
export function latenciesOf(
  samples: readonly LatencySample[],
  unobserved: Record<string, number>,
  timeScale: number,
): Record<string, number> {
  const out: Record<string, number> = { ...unobserved };
  const put = (key: string, kind: LatencySample['kind']): void => {
    const m = median(samples.filter((s) => s.kind === kind).map((s) => s.ms));
    if (m !== undefined) out[key] = Math.round(m * timeScale);
  };
  put('http', 'http');
  put('default', 'command');
  put('ssh connect', 'ssh connect');
  return out;
}

function network(n: CapturedNetwork, withVlan: boolean): Record<string, unknown> {
  return {
    uuid: n.uuid,
    subnet: n.subnet,
    gateway: n.gateway,
    provisionStartIp: n.provisionStartIp,
    provisionEndIp: n.provisionEndIp,
    ...(withVlan ? { vlanId: n.vlanId } : {}),
  };
}

/** The scenario's NIC: `primary` only where set, as vmadm keeps it. */
function nicOf(n: CapturedNic): Record<string, unknown> {
  const { primary, ...rest } = n;
  return { ...rest, vlan_id: n.vlan_id ?? 0, ...(primary ? { primary: true } : {}) };
}

function zoneOf(z: CapturedZone, r: CaptureReadings, notes: string[]): Record<string, unknown> | undefined {
  const admin = z.nics.find((n) => n.nic_tag === 'admin');
  if (!admin || !IPV4.test(admin.ip)) {
    notes.push(`${z.alias} (${z.uuid}) on ${z.server}: no admin NIC with an IPv4 address: left out`);
    return undefined;
  }
  if (!r.images.some((i) => i.uuid === z.image)) {
    notes.push(`${z.alias} (${z.uuid}) on ${z.server}: image ${z.image} unknown to IMGAPI and restore-data: left out`);
    return undefined;
  }
  const ext = z.nics.find((n) => n.nic_tag === 'external' && IPV4.test(n.ip));
  const externalIp = ext && r.externalNetwork ? ext.ip : undefined;
  if (ext && !r.externalNetwork)
    notes.push(`${z.alias}: an external NIC but NAPI has no "external" network: its NICs keep it, externalIp left out`);
  const primary = z.nics.find((n) => n.primary);
  const state = z.state === 'running' || z.state === 'stopped' || z.state === 'failed' ? z.state : undefined;
  return {
    service: z.service,
    alias: z.alias,
    uuid: z.uuid,
    server: z.server,
    image: z.image,
    adminIp: admin.ip,
    delegatedDataset: z.delegatedDataset,
    ...(externalIp ? { externalIp, primaryNic: primary === ext ? 'external' : 'admin' } : {}),
    ...(z.firewallEnabled ? { firewallEnabled: true } : {}),
    ...(state && state !== 'running' ? { state } : {}),
    ...(z.dataBytes !== undefined && z.delegatedDataset ? { dataBytes: z.dataBytes } : {}),
    mac: admin.mac,
    nics: z.nics.map(nicOf),
  };
}

function restoreDataOf(r: CaptureReadings, services: string[]): Record<string, unknown> {
  const rd = r.restoreData;
  const age = (at: number): number => Math.max(0, Math.round((r.takenAt - at) / 1000));
  const dcAge = rd.dcSyncedAt !== undefined ? age(rd.dcSyncedAt) : undefined;
  const per: Record<string, Record<string, unknown>> = {};
  for (const svc of services) {
    const s = rd.services[svc];
    if (!s || s.missing) {
      // Without restore-data on this headnode, nothing of any service is held.
      if (rd.on.includes(r.localServer)) per[svc] = { missing: true };
      continue;
    }
    const o: Record<string, unknown> = {};
    if (s.syncedAt !== undefined && dcAge !== undefined && age(s.syncedAt) - dcAge > AGE_SLACK_SECONDS)
      o['syncedSecondsAgo'] = age(s.syncedAt);
    if (s.missingDataset) o['missingDataset'] = true;
    if (s.missingImage) o['missingImage'] = true;
    if (Object.keys(o).length > 0) per[svc] = o;
  }
  return { on: rd.on, syncedSecondsAgo: dcAge ?? 0, services: per };
}

function manateeRoles(r: CaptureReadings, zones: Record<string, unknown>[], notes: string[]): unknown {
  const m = r.manatee;
  if (!m) return undefined;
  const aliasOf = (uuid: string): string | undefined =>
    zones.find((z) => z['service'] === 'manatee' && z['uuid'] === uuid)?.['alias'] as string | undefined;
  const primary = aliasOf(m.primary);
  if (!primary) {
    notes.push(`manatee's primary ${m.primary} is not among the captured manatee zones: its roles are left out`);
    return undefined;
  }
  const sync = m.sync ? aliasOf(m.sync) : undefined;
  return {
    primary,
    sync: sync ?? null,
    async: m.async.map(aliasOf).filter((a): a is string => a !== undefined),
    ...(m.deposed.length > 0 ? { deposed: m.deposed.map(aliasOf).filter((a): a is string => a !== undefined) } : {}),
    ...(m.mode === 'singleton' ? { mode: 'singleton' } : {}),
  };
}

/** Readings -> a scenario (plain data) and what was left out. */
export function scenarioFromReadings(r: CaptureReadings, name: string): CaptureResult {
  const notes: string[] = [];
  const servers = r.servers
    .filter((s) => {
      if (s.adminIp && IPV4.test(s.adminIp)) return true;
      notes.push(`server ${s.hostname} (${s.uuid}): no admin IP in its sysinfo: left out`);
      return false;
    })
    .map((s) => ({
      uuid: s.uuid,
      hostname: s.hostname,
      headnode: s.headnode,
      adminIp: s.adminIp,
      alive: s.answered || s.hostname === r.localServer,
      usbkey: s.headnode && s.usbkeyPlatforms !== null,
      setup: s.setup,
      ...(s.platform ? { platform: s.platform } : {}),
      ...(s.headnode && s.usbkeyPlatforms ? { usbkeyPlatforms: s.usbkeyPlatforms } : {}),
    }));
  const known = new Set(servers.map((s) => s.hostname));
  const zones = r.zones
    .filter((z) => known.has(z.server))
    .map((z) => zoneOf(z, r, notes))
    .filter((z): z is Record<string, unknown> => z !== undefined);
  const services = [...new Set(zones.map((z) => z['service'] as string))];
  const manatee = manateeRoles(r, zones, notes);
  const scenario = {
    scenario: 1,
    name,
    description: `Captured from ${r.datacenter.name} on ${new Date(r.takenAt).toISOString()} by triton-recover capture (${servers.length} servers, ${zones.length} core zones); no secrets.`,
    datacenter: r.datacenter,
    localServer: r.localServer,
    servers,
    adminNetwork: network(r.adminNetwork, false),
    ...(r.externalNetwork ? { externalNetwork: network(r.externalNetwork, true) } : {}),
    recoveryIps: r.recoveryIps,
    images: r.images,
    instances: zones,
    ...(manatee ? { manatee } : {}),
    restoreData: restoreDataOf(r, services),
    latencyMs: latenciesOf(r.samples, r.unobserved, r.timeScale),
    faults: [],
  };
  return { scenario: redact(scenario), notes };
}
