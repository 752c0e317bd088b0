// `vmadm create`'s payload checks, made before anything changes, with vmadm's
// own messages (smartos-live src/vm/node_modules/VM.js: normalizePayload,
// checkPayloadProperties, lookupConflicts, lookupInvalidNicTags; property types
// from src/vm/node_modules/proptable.js for brand joyent-minimal). vmadm prints
// the error's message on stderr and exits 1 (src/vm/sbin/vmadm.js).
import { Uuid } from '../../values/schemas.js';
import type { ScenarioInstance, SimNic } from './scenario.js';
import { SERVER_NIC_TAGS } from './zone-nics.js';

type PropType = 'string' | 'boolean' | 'integer' | 'uuid' | 'flat-object' | 'object-array' | 'list' | 'zpool';

/** What joyent-minimal accepts at create (proptable.js `allowed['joyent-minimal']` has 'create'). */
const CREATE_PROPS: Readonly<Record<string, PropType>> = {
  alias: 'string',
  archive_on_delete: 'boolean',
  autoboot: 'boolean',
  billing_id: 'string',
  brand: 'string',
  cpu_cap: 'integer',
  cpu_shares: 'integer',
  customer_metadata: 'flat-object',
  dataset_uuid: 'uuid',
  delegate_dataset: 'boolean',
  do_not_inventory: 'boolean',
  docker: 'boolean',
  dns_domain: 'string',
  filesystems: 'object-array',
  firewall_enabled: 'boolean',
  fs_allowed: 'list',
  hostname: 'string',
  image_uuid: 'uuid',
  indestructible_delegated: 'boolean',
  indestructible_zoneroot: 'boolean',
  init_name: 'string',
  internal_metadata: 'flat-object',
  internal_metadata_namespaces: 'list',
  limit_priv: 'list',
  maintain_resolvers: 'boolean',
  max_locked_memory: 'integer',
  max_lwps: 'integer',
  max_msg_ids: 'integer',
  max_physical_memory: 'integer',
  max_sem_ids: 'integer',
  max_shm_ids: 'integer',
  max_shm_memory: 'integer',
  max_swap: 'integer',
  mdata_exec_timeout: 'integer',
  nics: 'object-array',
  nowait: 'boolean',
  owner_uuid: 'string',
  package_name: 'string',
  package_version: 'string',
  quota: 'integer',
  ram: 'integer',
  resolvers: 'list',
  restart_init: 'boolean',
  routes: 'flat-object',
  tags: 'flat-object',
  tmpfs: 'integer',
  uuid: 'uuid',
  zfs_data_compression: 'string',
  zfs_data_recsize: 'integer',
  zfs_filesystem_limit: 'integer',
  zfs_root_compression: 'string',
  zfs_root_recsize: 'integer',
  zfs_io_priority: 'integer',
  zlog_max_size: 'integer',
  zonename: 'string',
  zfs_snapshot_limit: 'integer',
  zfs_storage_pool_name: 'zpool',
  zpool: 'zpool',
};

/** nics.* properties a NIC may carry at create (proptable.js 'nics.*.<x>' allowed 'add'). */
const NIC_PROPS: Readonly<Record<string, 'string' | 'boolean' | 'integer' | 'list'>> = {
  allow_dhcp_spoofing: 'boolean',
  allow_ip_spoofing: 'boolean',
  allow_mac_spoofing: 'boolean',
  allow_restricted_traffic: 'boolean',
  allow_unfiltered_promisc: 'boolean',
  allowed_ips: 'list',
  allowed_dhcp_cids: 'list',
  blocked_outgoing_ports: 'list',
  dhcp_server: 'boolean',
  gateway: 'string',
  gateways: 'list',
  interface: 'string',
  ip: 'string',
  ips: 'list',
  mac: 'string',
  model: 'string',
  mtu: 'integer',
  netmask: 'string',
  network_uuid: 'string',
  nic_tag: 'string',
  primary: 'boolean',
  vlan_id: 'integer',
  vrrp_vrid: 'integer',
  vrrp_primary_ip: 'string',
};

export type PayloadCheck =
  { ok: true; payload: Record<string, unknown>; nics: SimNic[]; warnings: string[] } | { ok: false; error: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIpv4 = (s: string): boolean => IPV4.test(s) && s.split('.').every((o) => Number(o) <= 255);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOk(t: PropType | 'list', v: unknown): boolean {
  switch (t) {
    case 'string':
    case 'zpool':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return true; // checked apart: vmadm coerces numbers in strings, refuses NaN
    case 'uuid':
      return typeof v === 'string' && Uuid.safeParse(v).success;
    case 'flat-object':
      return isObject(v) && Object.values(v).every((x) => typeof x !== 'object' || x === null);
    case 'object-array':
      return Array.isArray(v) && v.every(isObject);
    case 'list':
      return Array.isArray(v) || typeof v === 'string';
  }
}

/**
 * The checks of a create, in VM.js's order: types, unknown properties (dropped
 * with a warning), an existing uuid, each NIC (tag, IPs, primary flag), then
 * conflicts with the zones on this server and the server's NIC tags.
 */
export function checkCreatePayload(
  raw: Record<string, unknown>,
  existing: readonly ScenarioInstance[],
  nicsOfZone: (i: ScenarioInstance) => SimNic[],
): PayloadCheck {
  const payload: Record<string, unknown> = {};
  const warnings: string[] = [];
  const badValues: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const t = CREATE_PROPS[k];
    if (!t) {
      warnings.push(`Warning, invalid create property: [${k}] removing from payload.`);
      continue;
    }
    if (t === 'integer' && v !== undefined && v !== null && v !== '') {
      if (typeof v === 'boolean' || Number.isNaN(Number(v)))
        return { ok: false, error: `Invalid value for ${k}: ${JSON.stringify(v)}:${typeof v}` };
      payload[k] = Number(v);
      continue;
    }
    if (!typeOk(t, v)) badValues.push(k);
    payload[k] = v;
  }
  if (badValues.length > 0) return { ok: false, error: `Invalid value(s) for: ${badValues.join(',')}` };
  const uuid = String(payload['uuid'] ?? '');
  if (existing.some((i) => i.uuid === uuid)) return { ok: false, error: `VM with UUID ${uuid} already exists` };

  const rawNics = (payload['nics'] ?? []) as Record<string, unknown>[];
  const nics: SimNic[] = [];
  const ips: string[] = [];
  let primaries = 0;
  for (const [i, n0] of rawNics.entries()) {
    const n: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n0)) {
      if (!(k in NIC_PROPS)) warnings.push(`Warning, invalid create property: [nics.*.${k}] removing from payload.`);
      else n[k] = v;
    }
    if (n['primary'] === false) delete n['primary'];
    const tag = n['nic_tag'];
    if (typeof tag !== 'string' || !/^[a-zA-Z0-9_/]+$/.test(tag))
      return { ok: false, error: `invalid or missing .nic_tag option for NIC: ${JSON.stringify(n0)}` };
    const ip = typeof n['ip'] === 'string' ? n['ip'] : '';
    if (!isIpv4(ip) && ip !== 'dhcp') return { ok: false, error: `Invalid IP for NIC: ${JSON.stringify(n0)}` };
    if (ip !== 'dhcp') {
      if (ips.includes(ip)) return { ok: false, error: `Cannot add multiple NICs with the same IP: ${ip}` };
      ips.push(ip);
    }
    if ('primary' in n) {
      if (n['primary'] !== true)
        return { ok: false, error: `invalid value for NIC's primary flag: ${String(n['primary'])} (must be true)` };
      primaries++;
    }
    nics.push({
      interface: typeof n['interface'] === 'string' ? n['interface'] : `net${i}`,
      mac: typeof n['mac'] === 'string' ? n['mac'] : '',
      nic_tag: tag,
      ip,
      ...(typeof n['netmask'] === 'string' ? { netmask: n['netmask'] } : {}),
      vlan_id: typeof n['vlan_id'] === 'number' ? n['vlan_id'] : 0,
      ...(typeof n['gateway'] === 'string' ? { gateway: n['gateway'] } : {}),
      ...(typeof n['network_uuid'] === 'string' ? { network_uuid: n['network_uuid'] } : {}),
      ...(typeof n['mtu'] === 'number' ? { mtu: n['mtu'] } : {}),
      ...(n['primary'] === true ? { primary: true as const } : {}),
      ...(n['dhcp_server'] === true ? { dhcp_server: true } : {}),
    });
  }
  if (primaries > 1) return { ok: false, error: 'payload specifies more than 1 primary NIC' };
  // No primary given: the first NIC becomes primary (VM.js, before zonecfg).
  if (primaries === 0 && nics[0]) nics[0].primary = true;

  // lookupConflicts: an IP on the same tag and VLAN, or a MAC, held by a zone
  // on this server (zones in state failed are ignored). Other servers are not
  // checked ("can't check other nodes yet").
  const conflict = existing.some(
    (z) =>
      z.state !== 'failed' &&
      z.state !== 'destroyed' &&
      nicsOfZone(z).some((zn) =>
        nics.some(
          (n) =>
            (n.ip !== 'dhcp' && zn.ip === n.ip && zn.nic_tag === n.nic_tag && zn.vlan_id === n.vlan_id) ||
            (n.mac !== '' && zn.mac.toLowerCase() === n.mac.toLowerCase()),
        ),
      ),
  );
  if (conflict) return { ok: false, error: 'Conflict detected with another vm, please check the MAC, IP, and VRID' };
  const badTags = [...new Set(nics.map((n) => n.nic_tag).filter((t) => !SERVER_NIC_TAGS.has(t)))];
  if (badTags.length > 0) return { ok: false, error: badTags.map((t) => `Invalid nic tag "${t}"`).join('\n') };
  return { ok: true, payload, nics, warnings };
}
