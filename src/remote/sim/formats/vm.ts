// A core zone as `vmadm get` and VMAPI show it, and the customer VMs VMAPI lists.
import type { ScenarioInstance, ScenarioServer } from '../scenario.js';
import { DEFAULT_PLATFORM, stableUuid } from '../defaults.js';
import { nicsOf, vmadmNic } from '../zone-nics.js';
import type { SimWorld } from '../world.js';
import { binderIps, ipsOf, iso, simSecret } from './common.js';

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
  for (const k of [
    'autoboot',
    'zone_state',
    'zfs_filesystem',
    'zpool',
    'last_modified',
    'platform_buildstamp',
    'resolvers',
  ])
    v[k] = null;
  for (const k of ['boot_timestamp', 'pid', 'maintain_resolvers']) delete v[k];
  v['nics'] = [];
  v['datasets'] = [];
}
