// The simulated DC's state rendered in the formats real Triton tools and APIs
// use (see test/fixtures/samples). The console cannot tell these from a real
// DC except by speed.
// Over 300 lines on purpose: a flat list of formatters, one per tool or API
// record, easy to scan; split by tool only if it grows further.
import { createHash } from 'node:crypto';
import { parseCidr } from '../../values/schemas.js';
import { serverAdminMac } from './physics.js';
import type { Scenario, ScenarioImage, ScenarioInstance, ScenarioServer } from './scenario.js';
import type { SimWorld } from './world.js';
import { DEFAULT_PLATFORM, dcSecret, stableUuid } from './defaults.js';
import { nicsOf, vmadmNic } from './zone-nics.js';

/** A stable UUID from a name, so SAPI services keep their uuids across restarts. */
const iso = (ms: number): string => new Date(ms).toISOString();
/** The gz-tools image of a build: /opt/smartdc/etc/gz-tools.image names it, IMGAPI knows it. */
export function gzToolsImage(world: SimWorld, build: string): Record<string, unknown> {
  return {
    v: 2,
    uuid: stableUuid('gz-tools', build),
    owner: world.state.datacenter.adminUuid,
    name: 'gz-tools',
    version: `master-${build}-g0a1b2c3`,
    state: 'active',
    disabled: false,
    public: false,
    type: 'other',
    os: 'other',
    files: [{ sha1: stableUuid('gz-tools-file', build).replace(/-/g, ''), size: 4_194_304, compression: 'gzip' }],
  };
}

/** Customer VMs on a server, as VMAPI lists them (the scenario gives only a count). */
export function customerVms(world: SimWorld, srv: ScenarioServer): Record<string, unknown>[] {
  return Array.from({ length: srv.customerVms ?? 0 }, (_, i) => ({
    uuid: stableUuid('customer-vm', srv.uuid, String(i)),
    alias: `customer-${i}`,
    brand: 'joyent',
    state: 'running',
    server_uuid: srv.uuid,
    owner_uuid: stableUuid('customer', String(i % 3)),
    ram: 1024,
    nics: [],
    tags: {},
  }));
}
const MEMORY: Record<string, number> = { manatee: 2048, moray: 1024, imgapi: 512, ufds: 1024, cloudapi: 1024 };
/** assets and dhcpd lofs-mount parts of /usbkey into the zone. */
const USBKEY_MOUNTS: Record<string, { source: string; target: string }[]> = {
  assets: [
    { source: '/usbkey/extra', target: '/assets/extra' },
    { source: '/usbkey/os', target: '/assets/os' },
  ],
  dhcpd: [
    { source: '/usbkey/os', target: '/tftpboot/os' },
    { source: '/usbkey/extra', target: '/tftpboot/extra' },
  ],
};

export function netmaskOf(world: SimWorld): string {
  return parseCidr(world.state.adminNetwork.subnet).netmask;
}

function ipsOf(world: SimWorld, service: string): string[] {
  return world.state.instances
    .filter((i) => i.service === service && i.state !== 'destroyed')
    .map((i) => i.adminIp);
}

export function binderIps(world: SimWorld): string[] {
  return ipsOf(world, 'binder');
}

/** A made-up secret, stable per DC, that looks like nothing else in the sim. */
function simSecret(world: SimWorld, name: string): string {
  return dcSecret(world.state.datacenter.name, name);
}

/**
 * sapi and assets are created before SAPI runs, from sdc-headnode
 * scripts/build-payload.js: it puts the whole /usbkey/config in sapi's
 * customer_metadata (`usbkey_config`: root password hashes, UFDS passwords) and
 * the UFDS root DN and password in both. SAPI's boot/setup.sh reads but never
 * deletes them, so every `vmadm get` dump of these zones carries them.
 */
function earlyZoneSecrets(world: SimWorld, service: string): Record<string, string> {
  if (service !== 'sapi' && service !== 'assets') return {};
  const dc = world.state.datacenter;
  const ufds = { ufds_ldap_root_dn: 'cn=root', ufds_ldap_root_pw: simSecret(world, 'ufds_ldap_root_pw') };
  if (service === 'assets') return ufds;
  const config = [
    '#',
    '# This file was auto-generated and must be source-able by bash.',
    '#',
    `datacenter_name=${dc.name}`,
    `dns_domain=${dc.dnsDomain}`,
    `root_shadow=$5$${simSecret(world, 'root_shadow')}`,
    `admin_shadow=$5$${simSecret(world, 'admin_shadow')}`,
    `ufds_admin_pw=${simSecret(world, 'ufds_admin_pw')}`,
    `ufds_ldap_root_dn=${ufds.ufds_ldap_root_dn}`,
    `ufds_ldap_root_pw=${ufds.ufds_ldap_root_pw}`,
    '',
  ].join('\n');
  return { usbkey_config: config, ...ufds };
}

/** `vmadm get` of a core zone. */
export function vmadmObject(world: SimWorld, inst: ScenarioInstance): Record<string, unknown> {
  const srv = world.server(inst.server)!;
  const dc = world.state.datacenter;
  const ram = MEMORY[inst.service] ?? 256;
  const running = inst.state === 'running' || inst.state === 'setup_failed';
  const base: Record<string, unknown> = {
    uuid: inst.uuid,
    zonename: inst.uuid,
    alias: inst.alias,
    autoboot: inst.autoboot ?? true,
    brand: 'joyent-minimal',
    state: inst.state === 'setup_failed' ? 'running' : inst.state,
    zone_state: running ? 'running' : inst.state === 'provisioning' ? 'ready' : 'installed',
    image_uuid: inst.image,
    server_uuid: srv.uuid,
    owner_uuid: dc.adminUuid,
    billing_id: stableUuid('package', `sdc_${ram}`),
    package_name: `sdc_${ram}`,
    package_version: '1.0.0',
    max_physical_memory: ram,
    max_locked_memory: ram,
    max_swap: ram * 2,
    max_lwps: 1000,
    quota: 25,
    cpu_cap: 400,
    cpu_shares: 64,
    zfs_io_priority: 10,
    tmpfs: ram,
    dns_domain: 'local',
    zonepath: `/zones/${inst.uuid}`,
    zfs_filesystem: `zones/${inst.uuid}`,
    zpool: 'zones',
    datasets: inst.delegatedDataset ? [`zones/${inst.uuid}/data`] : [],
    filesystems: (USBKEY_MOUNTS[inst.service] ?? []).map((m) => ({ ...m, type: 'lofs', options: ['ro', 'nodevice'] })),
    resolvers: binderIps(world),
    maintain_resolvers: true,
    archive_on_delete: true,
    customer_metadata: {
      'sapi-url': `http://${ipsOf(world, 'sapi')[0] ?? ''}`,
      'assets-ip': ipsOf(world, 'assets')[0] ?? '',
      'user-script': '#!/usr/bin/bash\n# core zone setup: fetch /configs/<zonename> from SAPI\n',
      ...earlyZoneSecrets(world, inst.service),
    },
    internal_metadata: {},
    tags: { smartdc_role: inst.service, smartdc_type: 'core' },
    routes: {},
    snapshots: [],
    // Interface order, `primary` only on the primary NIC (smartos-live
    // src/vm/node_modules/vmload/vmload-xml.js sorts by interface;
    // src/vm/tests/test-primary-flag.js: the others have no primary key).
    nics: nicsOf(world.state, inst).map(vmadmNic),
    // sdc-headnode config/sapi/services/{sapi,imgapi,amon,sdc}/service.json set it; vmadm's default is false.
    firewall_enabled: inst.firewallEnabled ?? false,
    create_timestamp: iso(world.state.sim.createdAt - 86_400_000 * 30),
    last_modified: iso(world.state.sim.createdAt),
    platform_buildstamp: srv.platform ?? DEFAULT_PLATFORM,
  };
  if (running) base['boot_timestamp'] = iso(inst.bootStartedAt ?? world.state.sim.createdAt - 3_600_000);
  // A recreated zone shows what it was created with.
  const p = inst.payload ?? {};
  for (const k of ['customer_metadata', 'internal_metadata', 'resolvers', 'quota', 'max_physical_memory']) {
    if (k in p) base[k] = p[k];
  }
  return base;
}

/** VMAPI's view of the same VM (no zonepath, no archive_on_delete). */
export function vmapiObject(world: SimWorld, inst: ScenarioInstance): Record<string, unknown> {
  const v = vmadmObject(world, inst);
  delete v['zonepath'];
  delete v['archive_on_delete'];
  delete v['zonename'];
  v['ram'] = v['max_physical_memory'];
  v['destroyed'] = inst.state === 'destroyed' ? iso(world.now()) : null;
  // VMAPI overrides a VM's state with its server's status only while CNAPI
  // still has that server (sdc-vmapi lib/endpoints/vms.js
  // updateVmFromServerStatus); a deleted server leaves the last state stored.
  const srv = world.server(inst.server);
  if (!world.isAlive(inst.server) && srv && !world.state.sim.deletedServers.includes(srv.uuid)) v['state'] = 'unknown';
  if (inst.state === 'provisioning') provisioningGaps(v);
  return v;
}

/**
 * A VM still provisioning is VMAPI's record of the provision request (state
 * "provisioning", create_timestamp, the allocated server_uuid): vm-agent has
 * not reported it yet, so the fields only vmadm knows come back null, and
 * the NICs (the provision workflow makes them) an empty list
 * (TritonDataCenter/sdc-vmapi lib/endpoints/vms.js putVmInMoray,
 * lib/common/vm-common.js translateVm with fullObject).
 */
function provisioningGaps(v: Record<string, unknown>): void {
  for (const k of ['autoboot', 'zone_state', 'zfs_filesystem', 'zpool', 'last_modified', 'platform_buildstamp', 'resolvers']) v[k] = null;
  for (const k of ['boot_timestamp', 'pid', 'maintain_resolvers']) delete v[k];
  v['nics'] = [];
  v['datasets'] = [];
}

/** A platform stamp (20130117T...) older than the first build with sysinfo's "Setup". */
export function predatesSetupKey(platform: string): boolean {
  return /^\d{8}/.test(platform) && platform.slice(0, 8) < '20130118';
}

export function sysinfoObject(world: SimWorld, srv: ScenarioServer): Record<string, unknown> {
  const dc = world.state.datacenter;
  const boot: Record<string, string> = srv.headnode
    ? { console: 'ttyb', ttyb: '115200,8,n,1,-', headnode: 'true' }
    : {
        rabbitmq: world.state.sim.bootParams?.['rabbitmq'] ?? '',
        rabbitmq_dns: `guest:guest:rabbitmq.${dc.name}.${dc.dnsDomain}:5672`,
        admin_nic: srv.uuid ? adminMac(srv) : '',
        console: 'ttyb',
      };
  return {
    'Live Image': srv.platform ?? DEFAULT_PLATFORM,
    'System Type': 'SunOS',
    'Boot Time': String(Math.floor((srv.bootedAt ?? world.state.sim.createdAt - 86_400_000 * 12) / 1000)),
    'Datacenter Name': dc.name,
    'SDC Version': '7.0',
    Manufacturer: 'Supermicro',
    Product: 'SSG-6049P',
    'Serial Number': `S${srv.uuid.slice(0, 8).toUpperCase()}`,
    // Platforms built before 2013-01-18 have no "Setup" key (TritonDataCenter/smartos-live
    // src/sysinfo, OS-1824 added it on 2013-01-17): CNAPI's own `setup` field tells.
    ...(predatesSetupKey(srv.platform ?? DEFAULT_PLATFORM) ? {} : { Setup: String(srv.setup ?? true) }),
    'VM Capable': true,
    'CPU Type': 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz',
    'CPU Virtualization': 'vmx',
    'CPU Physical Cores': 2,
    'Admin NIC Tag': 'admin',
    'Admin IP': srv.adminIp,
    UUID: srv.uuid,
    Hostname: srv.hostname,
    'CPU Total Cores': 48,
    'MiB of Memory': '262013',
    Zpool: 'zones',
    'Zpool Disks': 'c1t0d0,c1t1d0',
    'Zpool Profile': 'mirror',
    'Zpool Size in GiB': 3570,
    'Boot Parameters': boot,
    'SDC Agents': [
      { name: 'cn-agent', version: '2.14.0' },
      { name: 'net-agent', version: '2.2.0' },
      { name: 'vm-agent', version: '1.11.0' },
      { name: 'config-agent', version: '1.8.3' },
    ],
    'Network Interfaces': {
      ixgbe0: { 'MAC Address': adminMac(srv), ip4addr: srv.adminIp, 'Link Status': 'up', 'NIC Names': ['admin'] },
      ixgbe1: { 'MAC Address': adminMac(srv).replace(/..$/, 'ff'), ip4addr: '', 'Link Status': 'up', 'NIC Names': ['external'] },
    },
    'Virtual Network Interfaces': {},
    'Link Aggregations': {},
  };
}

function adminMac(srv: ScenarioServer): string {
  return serverAdminMac(srv.uuid);
}

export function cnapiServer(world: SimWorld, srv: ScenarioServer, withSysinfo: boolean): Record<string, unknown> {
  const created = world.state.sim.createdAt;
  const o: Record<string, unknown> = {
    uuid: srv.uuid,
    hostname: srv.hostname,
    headnode: srv.headnode,
    setup: srv.setup ?? true,
    setting_up: false,
    reserved: false,
    datacenter: world.state.datacenter.name,
    status: world.isAlive(srv.hostname) ? 'running' : 'unknown',
    // A dead server's last heartbeat is from when it died, before the console started.
    last_heartbeat: iso(world.isAlive(srv.hostname) ? world.now() - 2_000 : srv.alive ? world.now() - 60_000 : created - 600_000),
    transitional_status: '',
    boot_platform: srv.platform ?? DEFAULT_PLATFORM,
    current_platform: srv.platform ?? DEFAULT_PLATFORM,
    boot_params: srv.headnode ? {} : { rabbitmq: world.state.sim.bootParams?.['rabbitmq'] ?? '' },
    kernel_flags: {},
    default_console: 'serial',
    serial: 'ttyb',
    ram: 262013,
    created: iso(created - 86_400_000 * 400),
    last_boot: iso(srv.bootedAt ?? created - 86_400_000 * 12),
    rack_identifier: '',
    comments: '',
    traits: {},
  };
  if (withSysinfo) o['sysinfo'] = sysinfoObject(world, srv);
  return o;
}

export function imageManifest(world: SimWorld, img: ScenarioImage): Record<string, unknown> {
  const m: Record<string, unknown> = {
    v: 2,
    uuid: img.uuid,
    owner: world.state.datacenter.adminUuid,
    name: img.name,
    version: img.version,
    state: 'active',
    disabled: false,
    public: false,
    published_at: '2026-09-01T10:10:10.000Z',
    type: 'zone-dataset',
    os: 'smartos',
    files: [{ sha1: imageFileSha1(img), size: imageFileBytes(img).length, compression: 'gzip' }],
    tags: { smartdc_service: true },
  };
  if (img.origin) m['origin'] = img.origin;
  return m;
}

/** The simulated image file: small, but real bytes whose sha1 the manifest states. */
export function imageFileBytes(img: ScenarioImage): Buffer {
  return Buffer.from(`SIMIMAGE ${img.uuid} ${img.name}@${img.version}\n`.repeat(64));
}

export function imageFileSha1(img: ScenarioImage): string {
  return createHash('sha1').update(imageFileBytes(img)).digest('hex');
}

// ---- SAPI -----------------------------------------------------------------

export function sdcApplication(world: SimWorld): Record<string, unknown> {
  const dc = world.state.datacenter;
  const md: Record<string, unknown> = {
    datacenter_name: dc.name,
    dns_domain: dc.dnsDomain,
    // Config-agent templates read the UFDS root credentials from here, as in a real DC.
    ufds_ldap_root_dn: 'cn=root',
    ufds_ldap_root_pw: simSecret(world, 'ufds_ldap_root_pw'),
    ufds_admin_uuid: dc.adminUuid,
    admin_network: world.state.adminNetwork.subnet.split('/')[0],
    admin_netmask: netmaskOf(world),
    manatee_shard: 'sdc',
    ZK_SERVERS: binderIps(world).map((host, n) => ({ host, port: 2181, num: n + 1, ...(n === binderIps(world).length - 1 ? { last: true } : {}) })),
  };
  const services = [...new Set(world.state.instances.map((i) => i.service))];
  for (const svc of services) {
    const ips = ipsOf(world, svc);
    md[`${svc}_admin_ips`] = ips.join(',');
    md[`${svc}_admin_ip`] = ips[0] ?? '';
    md[`${svc.toUpperCase()}_SERVICE`] = `${svc}.${dc.name}.${dc.dnsDomain}`;
  }
  md['sapi-url'] = `http://${ipsOf(world, 'sapi')[0] ?? ''}`;
  md['assets-ip'] = ipsOf(world, 'assets')[0] ?? '';
  md['rabbitmq'] = world.state.sim.bootParams?.['rabbitmq'] ?? '';
  Object.assign(md, world.state.sim.sapiMetadata ?? {});
  return {
    uuid: stableUuid(dc.name, 'sapi-application', 'sdc'),
    name: 'sdc',
    owner_uuid: dc.adminUuid,
    params: {},
    metadata: md,
    manifests: {},
  };
}

export function sapiServiceUuid(world: SimWorld, service: string): string {
  return stableUuid(world.state.datacenter.name, 'sapi-service', service);
}

export function sapiServices(world: SimWorld): Record<string, unknown>[] {
  const app = stableUuid(world.state.datacenter.name, 'sapi-application', 'sdc');
  const services = [...new Set(world.state.instances.map((i) => i.service))].sort();
  return services.map((name) => {
    const img = world.state.instances.find((i) => i.service === name)?.image;
    return {
      uuid: sapiServiceUuid(world, name),
      name,
      application_uuid: app,
      type: 'vm',
      params: {
        image_uuid: img,
        tags: { smartdc_role: name, smartdc_type: 'core' },
        networks: [{ name: 'admin' }],
        delegate_dataset: world.state.instances.some((i) => i.service === name && i.delegatedDataset),
        archive_on_delete: true,
        maintain_resolvers: true,
      },
      metadata: { SERVICE_NAME: `${name}.${world.state.datacenter.name}.${world.state.datacenter.dnsDomain}` },
      manifests: {},
    };
  });
}

export function sapiInstance(world: SimWorld, rec: { uuid: string; service: string; alias: string; server: string }): Record<string, unknown> {
  return {
    uuid: rec.uuid,
    service_uuid: sapiServiceUuid(world, rec.service),
    params: { alias: rec.alias, server_uuid: rec.server },
    metadata: {},
    manifests: {},
    type: 'vm',
  };
}

// ---- NAPI -----------------------------------------------------------------

export function napiNetwork(world: SimWorld): Record<string, unknown> {
  const n = world.state.adminNetwork;
  return {
    uuid: n.uuid,
    name: 'admin',
    nic_tag: 'admin',
    vlan_id: 0,
    family: 'ipv4',
    subnet: n.subnet,
    netmask: netmaskOf(world),
    gateway: n.gateway,
    provision_start_ip: n.provisionStartIp,
    provision_end_ip: n.provisionEndIp,
    resolvers: binderIps(world),
    routes: {},
    owner_uuids: [world.state.datacenter.adminUuid],
    mtu: 1500,
    description: 'admin network',
  };
}

export function napiNic(world: SimWorld, nic: SimWorld['state']['sim']['napiNics'][number]): Record<string, unknown> {
  return {
    mac: nic.mac,
    ip: nic.ip,
    netmask: netmaskOf(world),
    vlan_id: 0,
    nic_tag: 'admin',
    primary: true,
    owner_uuid: nic.owner_uuid,
    belongs_to_uuid: nic.belongs_to_uuid,
    belongs_to_type: nic.belongs_to_type,
    network_uuid: world.state.adminNetwork.uuid,
    state: 'running',
    mtu: 1500,
    resolvers: binderIps(world),
    cn_uuid: nic.belongs_to_type === 'server' ? nic.belongs_to_uuid : undefined,
  };
}

/** Every IP of the admin network that NAPI has a record for. */
export function napiIps(world: SimWorld): Record<string, unknown>[] {
  const net = world.state.adminNetwork.uuid;
  const out = new Map<string, Record<string, unknown>>();
  out.set(world.state.adminNetwork.gateway, {
    ip: world.state.adminNetwork.gateway,
    network_uuid: net,
    reserved: true,
    free: false,
    belongs_to_type: 'other',
    belongs_to_uuid: world.state.datacenter.adminUuid,
    owner_uuid: world.state.datacenter.adminUuid,
  });
  for (const ip of world.state.sim.napiReservedIps) {
    out.set(ip, { ip, network_uuid: net, reserved: true, free: false, owner_uuid: world.state.datacenter.adminUuid });
  }
  for (const nic of world.state.sim.napiNics) {
    out.set(nic.ip, {
      ip: nic.ip,
      network_uuid: net,
      reserved: world.state.sim.napiReservedIps.includes(nic.ip),
      free: false,
      belongs_to_type: nic.belongs_to_type,
      belongs_to_uuid: nic.belongs_to_uuid,
      owner_uuid: nic.owner_uuid,
    });
  }
  return [...out.values()].sort((a, b) => ipSort(String(a['ip']), String(b['ip'])));
}

function ipSort(a: string, b: string): number {
  const n = (s: string): number => s.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  return n(a) - n(b);
}

// ---- manatee-adm / zookeeper / svcs -----------------------------------------

export function manateeShow(world: SimWorld): string {
  const m = world.state.manatee;
  if (!m) return 'error: no manatee cluster state found\n';
  const inst = (alias: string): ScenarioInstance | undefined =>
    world.state.instances.find((i) => i.alias === alias && i.service === 'manatee');
  const short = (alias: string): string => (inst(alias)?.uuid ?? alias).slice(0, 8);
  const up = (alias: string): boolean => {
    const i = inst(alias);
    return !!i && world.isUp(i);
  };
  const rows: string[][] = [];
  const lsn = '0/5A3C1F28';
  const primaryUp = up(m.primary);
  const syncUp = !!m.sync && up(m.sync);
  // What the primary's downstream replicates as (REPL = its sync_state), null when none is connected.
  const primaryRepl = primaryUp && syncUp ? (m.syncReplication === 'none' ? null : (m.syncReplication ?? 'sync')) : null;
  const syncRepl = syncUp && m.async[0] !== undefined && up(m.async[0]) ? 'async' : null;
  const replCells = (r: string | null): string[] => (r ? [r, lsn, lsn, lsn, lsn] : ['-', '-', '-', '-', '-']);
  rows.push(['primary', short(m.primary), primaryUp ? 'ok' : 'fail', ...replCells(primaryRepl), '-']);
  if (m.sync) rows.push(['sync', short(m.sync), syncUp ? 'ok' : 'fail', ...replCells(syncRepl), '-']);
  for (const a of m.async) rows.push(['async', short(a), up(a) ? 'ok' : 'fail', '-', '-', '-', '-', '-', up(a) ? '0m00s' : '-']);
  for (const d of m.deposed ?? []) rows.push(['deposed', short(d), up(d) ? 'ok' : 'fail', '-', '-', '-', '-', '-', '-']);
  const header = ['ROLE', 'PEER', 'PG', 'REPL', 'SENT', 'WRITE', 'FLUSH', 'REPLAY', 'LAG'];
  const widths = [8, 8, 4, 5, 10, 10, 10, 10, 5];
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join(' ') + ' ';
  const notes = manateeIssues(m, { primaryUp, syncUp, primaryRepl, syncRepl, short });
  const zk = binderIps(world).filter((ip) => world.liveInstances().some((i) => i.adminIp === ip && world.isUp(i)));
  return [
    `zookeeper:   ${zk[0] ?? binderIps(world)[0] ?? 'UNUSED'}`,
    `cluster:     sdc`,
    `generation:  ${(m.deposed ?? []).length + 1} (${lsn})`,
    `mode:        ${m.mode === 'singleton' ? 'singleton (one-node-write)' : 'normal'}`,
    `freeze:      not frozen`,
    '',
    fmt(header),
    ...rows.map(fmt),
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n');
}

/**
 * The error:/warning: lines under the table, in manatee's order and wording
 * (TritonDataCenter/manatee lib/adm.js loadErrors/loadReplErrors, printed by
 * bin/manatee-adm printClusterIssues: all errors, then all warnings).
 */
function manateeIssues(
  m: NonNullable<Scenario['manatee']>,
  o: { primaryUp: boolean; syncUp: boolean; primaryRepl: string | null; syncRepl: string | null; short: (alias: string) => string },
): string[] {
  const errors: string[] = [];
  const warnings: string[] = [];
  const out = (): string[] => [...errors.map((e) => `error: ${e}`), ...warnings.map((w) => `warning: ${w}`)];
  const notConnected = (alias: string): string => `peer "${o.short(alias)}": downstream replication peer not connected`;
  if (!o.primaryUp) errors.push('cannot query postgres on primary');
  if (m.mode === 'singleton') return out();
  if (m.sync && !o.syncUp) errors.push('cannot query postgres on sync');
  if ((m.deposed ?? []).length > 0) warnings.push('cluster has a deposed peer');
  if (m.async.length === 0) warnings.push('cluster has no async peers');
  // With the sync's postgres down, manatee checks no replication.
  if (m.sync && !o.syncUp) return out();
  // The primary must replicate to the sync as "sync"; a problem here is an error (writes block).
  if (o.primaryRepl === null) errors.push(notConnected(m.primary));
  else if (o.primaryRepl !== 'sync') errors.push(`peer "${o.short(m.primary)}": expected downstream replication to be "sync", but found "${o.primaryRepl}"`);
  // The sync feeds the first async; a problem there is only a warning.
  if (m.sync && m.async.length > 0 && o.syncRepl === null) warnings.push(notConnected(m.sync));
  return out();
}

export function zkStat(world: SimWorld, ip: string): string {
  if (!world.zkQuorum()) return 'This ZooKeeper instance is not currently serving requests\n';
  const members = world.zkMembers().filter((m) => m.up);
  const leader = members[0]?.inst.adminIp;
  const mode = members.length === 1 && world.zkMembers().length === 1 ? 'standalone' : ip === leader ? 'leader' : 'follower';
  return [
    'Zookeeper version: 3.4.14-4c25d480e66aadd371de8bd2fd8da255ac140bcf, built on 03/06/2019 16:18 GMT',
    'Clients:',
    ` /${world.server(world.state.localServer)!.adminIp}:51432[0](queued=0,recved=1,sent=0)`,
    '',
    'Latency min/avg/max: 0/1/47',
    'Received: 48213',
    'Sent: 48212',
    'Connections: 12',
    'Outstanding: 0',
    'Zxid: 0x30000a2c1',
    `Mode: ${mode}`,
    'Node count: 611',
    '',
  ].join('\n');
}

/** `svcs -xz <zone>`: nothing when healthy, one block per broken service. */
export function svcsX(world: SimWorld, inst: ScenarioInstance): string {
  const since = new Date(inst.bootStartedAt ?? world.now()).toUTCString().slice(0, 25);
  if (inst.state === 'setup_failed') {
    return [
      'svc:/smartdc/mdata:execute (Smart Data Center metadata user-script)',
      ` Zone: ${inst.uuid}`,
      ` State: maintenance since ${since}`,
      'Reason: Start method exited with $SMF_EXIT_ERR_FATAL.',
      '   See: http://illumos.org/msg/SMF-8000-KS',
      `   See: /zones/${inst.uuid}/root/var/svc/log/smartdc-mdata:execute.log`,
      'Impact: This service is not running.',
      '',
    ].join('\n');
  }
  if (inst.bootStartedAt !== undefined && inst.setupDoneAt === undefined) {
    // Early in a first boot the user-script has not started and setup.sh has not
    // imported the zone's own services yet: svcs -x has nothing to report, though
    // nothing is set up (sdc-headnode scripts/headnode.sh create_zone waits for
    // setup_complete first for this reason).
    if (world.now() < inst.bootStartedAt + world.latency('zone first boot') / 2) return '';
    return [
      'svc:/smartdc/mdata:execute (Smart Data Center metadata user-script)',
      ` Zone: ${inst.uuid}`,
      ` State: offline* transitioning to online since ${since}`,
      'Reason: Start method is running.',
      '   See: http://illumos.org/msg/SMF-8000-C4',
      'Impact: 1 dependent service is not running. (Use -v for list.)',
      '',
    ].join('\n');
  }
  return '';
}

