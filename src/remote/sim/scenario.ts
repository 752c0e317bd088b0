// The scenario file: the contract of the simulated datacenter (test/fixtures/contract).
// The same schema reads a live-state file, which adds per-instance `state` and a
// few `sim` bookkeeping fields; every contract field keeps its meaning.
// Over 300 lines on purpose: one zod schema per contract object, with the
// cross-field checks beside them; the contract reads best in one place.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Alias, Hostname, Ipv4, ServiceName, Uuid } from '../../values/schemas.js';

export const InstanceState = z.enum([
  'configured',
  'provisioning',
  'running',
  'stopped',
  'failed',
  'setup_failed',
  'receiving',
  'destroyed',
]);
export type InstanceState = z.infer<typeof InstanceState>;

/** A platform image's name, a directory under /usbkey/os (e.g. 20240307T000552Z). */
const PlatformName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a platform name such as 20240307T000552Z');

const Server = z.object({
  uuid: Uuid,
  hostname: Hostname,
  headnode: z.boolean(),
  adminIp: Ipv4,
  alive: z.boolean(),
  usbkey: z.boolean(),
  // live-state / optional extensions
  setup: z.boolean().optional(),
  /** Images installed in this server's zpool; absent = every scenario image. */
  images: z.array(Uuid).optional(),
  /** The platform image it boots (CNAPI boot_platform, sysinfo 'Live Image'). */
  platform: PlatformName.optional(),
  /** A headnode's /usbkey/os: the platforms dhcpd serves CNs; absent = every server's platform. */
  usbkeyPlatforms: z.array(PlatformName).optional(),
  /** A headnode's /usbkey/extra, paths relative to it (directories end in '/'); absent = a full set (usbkey.ts). */
  usbkeyExtra: z.array(z.string().regex(/^[^/.][^\s]*$/, 'a path relative to /usbkey/extra')).optional(),
  gzTools: z.string().optional(),
  /** Non-admin VMs (customer zones) on this server. */
  customerVms: z.number().int().nonnegative().optional(),
  /** Small files and directories in the GZ (lock files): path -> content, directories end in '/'. */
  files: z.record(z.string(), z.string()).optional(),
  /**
   * Up, but cut off from the console's headnode by a network partition: from
   * here it answers nothing (SSH, nc, ping, its zones' APIs), exactly as if it
   * were dead; its own side goes on without us.
   */
  partitioned: z.boolean().optional(),
  /** Live state: rebooting until then (epoch ms); it answers nothing meanwhile. */
  downUntil: z.number().optional(),
  /** Live state: why its last PXE boot got no usable answer (booter.ts); it keeps retrying. */
  pxeRefused: z.string().optional(),
  /** Live state: when a reboot's shutdown takes it down (epoch ms); up until then. */
  downFrom: z.number().optional(),
  /** Live state: when it last booted (epoch ms); absent = 12 days before the simulation. */
  bootedAt: z.number().optional(),
  /** Live state: its USB key holds a headnode image (the preparation ran); the next boot makes it a headnode. */
  headnodeKey: z.boolean().optional(),
  /**
   * What its firmware boots (BIOS/IPMI boot order): compute nodes normally PXE
   * boot, a headnode boots its USB key (RFD 67 "What makes a HN"). Absent: the
   * USB key once it holds a headnode image.
   */
  bootsFrom: z.enum(['usb', 'pxe']).optional(),
  /** Live state: the physical USB key is mounted at /mnt/usbkey, with pcfs case folding (the default) or without. */
  usbkeyMount: z.enum(['foldcase', 'nofoldcase']).optional(),
});

const Image = z.object({
  uuid: Uuid,
  name: z.string().min(1),
  version: z.string().min(1),
  origin: Uuid.nullable(),
});

/**
 * A zone NIC as vmadm keeps it (smartos-live src/vm/node_modules/proptable.js
 * nics.*): `primary` is present only on the one primary NIC (VM.js
 * normalizeNics deletes a false flag).
 */
export const SimNic = z.object({
  interface: z.string(),
  mac: z.string(),
  nic_tag: z.string(),
  ip: z.string(),
  netmask: z.string().optional(),
  vlan_id: z.number().int().default(0),
  gateway: z.string().optional(),
  network_uuid: z.string().optional(),
  mtu: z.number().int().optional(),
  primary: z.literal(true).optional(),
  dhcp_server: z.boolean().optional(),
});
export type SimNic = z.infer<typeof SimNic>;

/** What the delegated dataset of an instance holds. */
export const DataState = z.enum(['intact', 'empty', 'received', 'none']);

const Instance = z.object({
  service: ServiceName,
  alias: Alias,
  uuid: Uuid,
  server: Hostname,
  image: Uuid,
  adminIp: Ipv4,
  delegatedDataset: z.boolean(),
  /** Its net1 on externalNetwork (cloudapi, docker, cmon, amon; imgapi and adminui after common-external-nics). */
  externalIp: Ipv4.optional(),
  /** Which NIC carries vmadm's `primary` flag (sdcadm post-setup cloudapi/docker/cmon put it on external). */
  primaryNic: z.enum(['admin', 'external']).optional(),
  /** vmadm's firewall_enabled (sdc-headnode config/sapi/services/{sapi,imgapi,amon,sdc}, sdcadm post-setup fabrics for portolan). */
  firewallEnabled: z.boolean().optional(),
  // live state
  state: InstanceState.optional(),
  data: DataState.optional(),
  /** MAC of the admin NIC; derived from the uuid when absent. */
  mac: z.string().optional(),
  /** Live state: the zone's NICs in interface order (derived from adminIp/externalIp/primaryNic when absent). */
  nics: z.array(SimNic).optional(),
  autoboot: z.boolean().optional(),
  /** First boot bookkeeping (epoch ms): the zone configures itself from SAPI. */
  bootStartedAt: z.number().optional(),
  /** Live state: when its NICs last came up (epoch ms, vmadm start); absent = at its first boot, else with its server. */
  netUpAt: z.number().optional(),
  setupDoneAt: z.number().optional(),
  bootedWithoutData: z.boolean().optional(),
  nicRegistration: z.enum(['ok', 'failed']).optional(),
  /** zones/<uuid>/data@<name> once a stream was received into it. */
  receivedSnapshot: z.string().optional(),
  /** Delegated dataset size in bytes (a full zfs send carries this much); default in zfs-stream.ts. */
  dataBytes: z.number().int().nonnegative().optional(),
  /** How fast the delegated dataset changes, bytes per simulated second (incremental sends). */
  dataChangeRate: z.number().nonnegative().optional(),
  /** Snapshots of the delegated dataset, oldest first: name after '@', epoch ms taken (or received). */
  snapshots: z.array(z.object({ name: z.string().min(1), at: z.number() })).optional(),
  /** The vmadm create payload a recreated zone was made from. */
  payload: z.record(z.string(), z.unknown()).optional(),
  /** A dhcpd zone's booter cache: the admin MACs under /tftpboot/cache (booter.ts); absent = as the booter's refresh leaves it. */
  booterCache: z.array(z.string()).optional(),
});

const Manatee = z.object({
  primary: Alias,
  sync: Alias.nullable().optional(),
  async: z.array(Alias).default([]),
  deposed: z.array(Alias).optional(),
  mode: z.enum(['normal', 'singleton']).optional(),
  /**
   * A drill knob: the sync's postgres runs but does not replicate synchronously
   * from the primary ("none": not connected; "async": connected as async). Absent =
   * replicating as sync. A new generation (takeover) clears it.
   */
  syncReplication: z.enum(['async', 'none']).optional(),
});

const RestoreDataService = z.object({
  syncedSecondsAgo: z.number().nonnegative().optional(),
  missing: z.literal(true).optional(),
  missingDataset: z.literal(true).optional(),
  missingImage: z.literal(true).optional(),
  corrupt: z.string().min(1).optional(),
});

const Fault = z.union([
  z.object({
    command: z.string().min(1),
    match: z.string().optional(),
    effect: z.enum(['fail', 'hang', 'disconnect']),
    times: z.number().int().positive().optional(),
    /** live state: how many times it has fired */
    fired: z.number().int().nonnegative().optional(),
  }),
  z.object({
    event: z.literal('primary-returns'),
    after: ServiceName,
    fired: z.number().int().nonnegative().optional(),
  }),
]);
export type Fault = z.infer<typeof Fault>;

const NapiNic = z.object({
  mac: z.string(),
  ip: Ipv4,
  belongs_to_uuid: Uuid,
  belongs_to_type: z.enum(['zone', 'server', 'other']),
  owner_uuid: Uuid,
});

const SapiInstance = z.object({
  uuid: Uuid,
  service: ServiceName,
  alias: Alias,
  server: Uuid,
  /** epoch ms; absent = existed before the simulation started */
  createdAt: z.number().optional(),
});

const Network = z.object({
  uuid: Uuid,
  subnet: z.string().regex(/^[\d.]+\/\d{1,2}$/, 'not a CIDR subnet'),
  gateway: Ipv4,
  provisionStartIp: Ipv4,
  provisionEndIp: Ipv4,
});

export const Scenario = z.object({
  scenario: z.literal(1),
  name: z.string().min(1),
  description: z.string().default(''),
  datacenter: z.object({ name: z.string().min(1), dnsDomain: z.string().min(1), adminUuid: Uuid }),
  localServer: Hostname,
  servers: z.array(Server).min(1),
  adminNetwork: Network,
  /** The network tagged `external` (sdc-headnode's prompt-config external_*); optional. */
  externalNetwork: Network.extend({ vlanId: z.number().int().min(0).max(4094).default(0) }).optional(),
  recoveryIps: z.array(Ipv4).default([]),
  images: z.array(Image),
  instances: z.array(Instance),
  manatee: Manatee.optional(),
  restoreData: z
    .object({
      on: z.array(Hostname).default([]),
      syncedSecondsAgo: z.number().nonnegative().default(240),
      services: z.record(z.string(), RestoreDataService).default({}),
    })
    .default({ on: [], syncedSecondsAgo: 240, services: {} }),
  /**
   * Network partitions (scenario contract `partitions[]`): the two servers, and
   * the zones on them, cannot reach each other (ping, SSH, TCP, HTTP time out
   * as to a dead host) although both are alive; every other server reaches both.
   */
  partitions: z.array(z.object({ from: Hostname, to: Hostname })).optional(),
  latencyMs: z.record(z.string(), z.number().nonnegative()).default({}),
  faults: z.array(Fault).default([]),
  /** Live-state bookkeeping written by the simulator; absent in a fresh scenario. */
  sim: z
    .object({
      createdAt: z.number(),
      napiNics: z.array(NapiNic),
      napiReservedIps: z.array(Ipv4),
      sapiInstances: z.array(SapiInstance),
      sapiMode: z.enum(['proto', 'full']).default('full'),
      deletedServers: z.array(Uuid).default([]),
      bootParams: z.record(z.string(), z.string()).optional(),
      /** SAPI application metadata set through UpdateApplication (over the derived values). */
      sapiMetadata: z.record(z.string(), z.unknown()).optional(),
      events: z.array(z.object({ at: z.number(), what: z.string() })).default([]),
    })
    .optional(),
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioServer = z.infer<typeof Server>;
export type ScenarioInstance = z.infer<typeof Instance>;
export type ScenarioImage = z.infer<typeof Image>;
export type NapiNicRecord = z.infer<typeof NapiNic>;

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field ? `field ${field}: ` : ''}${detail}`);
    this.name = 'ScenarioError';
  }
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** Parse and cross-check a scenario; every error names the field. */
export function parseScenario(value: unknown, file = 'scenario'): Scenario {
  const r = Scenario.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new ScenarioError(file, pathOf(issue.path), issue.message);
  }
  const s = r.data;
  const hostnames = new Set(s.servers.map((x) => x.hostname));
  const imageIds = new Set(s.images.map((x) => x.uuid));
  const check = (ok: boolean, field: string, detail: string): void => {
    if (!ok) throw new ScenarioError(file, field, detail);
  };
  check(hostnames.has(s.localServer), 'localServer', `"${s.localServer}" is not one of servers[].hostname`);
  const local = s.servers.find((x) => x.hostname === s.localServer);
  check(local?.alive === true, 'localServer', 'the console runs on the local server, so it must be alive');
  (s.partitions ?? []).forEach((p, i) => {
    for (const end of ['from', 'to'] as const)
      check(hostnames.has(p[end]), `partitions[${i}].${end}`, `"${p[end]}" is not one of servers[].hostname`);
    check(p.from !== p.to, `partitions[${i}]`, 'a partition cuts two different servers apart');
  });
  // A uuid is unique per server: a live state may hold a dead server's zone and
  // its re-creation elsewhere under the same uuid (the reuse strategy).
  const seenUuid = new Set<string>();
  s.instances.forEach((inst, i) => {
    check(hostnames.has(inst.server), `instances[${i}].server`, `"${inst.server}" is not one of servers[].hostname`);
    check(imageIds.has(inst.image), `instances[${i}].image`, `image ${inst.image} is not in images[]`);
    const key = `${inst.server}/${inst.uuid}`;
    check(!seenUuid.has(key), `instances[${i}].uuid`, `uuid ${inst.uuid} is used twice on ${inst.server}`);
    seenUuid.add(key);
    if (inst.externalIp !== undefined)
      check(!!s.externalNetwork, `instances[${i}].externalIp`, 'an external NIC needs externalNetwork');
    if (inst.primaryNic === 'external')
      check(inst.externalIp !== undefined, `instances[${i}].primaryNic`, '"external" needs an externalIp');
  });
  s.images.forEach((img, i) => {
    if (img.origin) check(imageIds.has(img.origin), `images[${i}].origin`, `origin ${img.origin} is not in images[]`);
    // Walking origins must end: a loop would make every walk over them spin.
    const seen = new Set<string>([img.uuid]);
    for (let o: string | null | undefined = img.origin; o; o = s.images.find((x) => x.uuid === o)?.origin) {
      check(!seen.has(o), `images[${i}].origin`, `the origins of ${img.uuid} loop back to ${o}`);
      if (seen.has(o)) break;
      seen.add(o);
    }
  });
  s.restoreData.on.forEach((h, i) =>
    check(hostnames.has(h), `restoreData.on[${i}]`, `"${h}" is not one of servers[].hostname`),
  );
  if (s.manatee) {
    const aliases = new Set(s.instances.filter((x) => x.service === 'manatee').map((x) => x.alias));
    const roles = [s.manatee.primary, s.manatee.sync, ...s.manatee.async].filter((x): x is string => !!x);
    for (const a of roles) check(aliases.has(a), 'manatee', `"${a}" is not a manatee instance alias`);
  }
  return s;
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(file, '', `cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(file, '', `not valid JSON: ${(err as Error).message}`);
  }
  return parseScenario(json, file);
}
