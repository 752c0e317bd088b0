// The `vmadm create` payload that re-creates a core zone from its restore-data
// `vmadm get` dump: what vmadm create accepts, nothing it would reject.
import type { VmadmNic, VmadmVm } from '../remote/triton/vmadm.js';
import { adminNicOf } from './inventory.js';
import { hasDelegatedDataset } from '../catalogue.js';

/** net0, net1, ... in number order (vmload-xml.js sorts a zone's NICs the same way). */
function byInterface(a: VmadmNic, b: VmadmNic): number {
  const n = (x: VmadmNic): number => Number(/^net(\d+)$/.exec(x.interface ?? '')?.[1] ?? Infinity);
  return n(a) - n(b);
}

/** Fields carried over unchanged from the dump (vmadm create accepts them as they are). */
const KEEP = [
  'brand',
  'image_uuid',
  'owner_uuid',
  'billing_id',
  'package_name',
  'package_version',
  'max_physical_memory',
  'max_locked_memory',
  'max_swap',
  'max_lwps',
  'quota',
  'cpu_cap',
  'cpu_shares',
  'zfs_io_priority',
  'tmpfs',
  'dns_domain',
  'archive_on_delete',
  'maintain_resolvers',
  'resolvers',
  'customer_metadata',
  'internal_metadata',
  'tags',
  'filesystems',
  'routes',
  // sapi, imgapi, amon, sdc (sdc-headnode service.json) and portolan (sdcadm
  // post-setup fabrics) run with their firewall on; vmadm's default is off.
  'firewall_enabled',
] as const;

/**
 * NIC fields carried over as they are. NAPI is authoritative for most of them
 * and net-agent pushes them back (sdc-net-agent lib/nic-fsm.js), but a zone
 * created without them runs on defaults until it does: keep the dump's.
 * dhcp_server lets dhcpd answer DHCP on its admin NIC (TOOLS-1966).
 */
const NIC_KEEP = [
  'interface',
  'nic_tag',
  'vlan_id',
  'netmask',
  'gateway',
  'gateways',
  'mtu',
  'network_uuid',
  'model',
  'dhcp_server',
  'allow_dhcp_spoofing',
  'allow_ip_spoofing',
  'allow_mac_spoofing',
  'allow_restricted_traffic',
  'allow_unfiltered_promisc',
  'allowed_ips',
] as const;

export interface Identity {
  uuid: string;
  alias: string;
  adminIp: string;
  /** reuse keeps the old MAC, so NAPI's NIC record for that IP stays this zone's own. */
  mac?: string;
  /** Old admin IP -> new one, for IPs the zone's metadata names (sapi-url, assets-ip). */
  ipMap?: ReadonlyMap<string, string>;
}

/** Every old admin IP in a string, replaced by its new one. */
export function rewriteIpsIn(v: string, ipMap: ReadonlyMap<string, string>): string {
  return v.replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, (ip) => ipMap.get(ip) ?? ip);
}

/** The same through a JSON value (customer_metadata and the like). */
function rewriteIps(v: unknown, ipMap: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return rewriteIpsIn(v, ipMap);
  if (Array.isArray(v)) return v.map((x) => rewriteIps(x, ipMap));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewriteIps(x, ipMap)]));
  return v;
}

export function recreatePayload(vm: VmadmVm, id: Identity): Record<string, unknown> {
  const src = vm as Record<string, unknown>;
  const p: Record<string, unknown> = {};
  for (const k of KEEP) if (src[k] !== undefined) p[k] = src[k];
  if (id.ipMap && id.ipMap.size > 0 && p['customer_metadata'])
    p['customer_metadata'] = rewriteIps(p['customer_metadata'], id.ipMap);
  p['uuid'] = id.uuid;
  p['alias'] = id.alias;
  // Created stopped: the delegated dataset is received before the first boot.
  p['autoboot'] = false;
  if (hasDelegatedDataset(vm)) p['delegate_dataset'] = true;
  // The admin NIC takes the identity's admin IP (and, with reuse, its MAC),
  // whichever NIC is primary; every other NIC keeps its IP and MAC.
  const adminNic = adminNicOf(vm.nics);
  p['nics'] = [...vm.nics].sort(byInterface).map((n) => {
    const src = n as Record<string, unknown>;
    const nic: Record<string, unknown> = {};
    for (const k of NIC_KEEP) if (src[k] !== undefined && src[k] !== null) nic[k] = src[k];
    nic['vlan_id'] ??= 0;
    // vmadm keeps `primary` on the one primary NIC only, and refuses two
    // (smartos-live VM.js checkPayloadProperties): never add the flag.
    if (n.primary === true) nic['primary'] = true;
    if (n === adminNic) {
      nic['ip'] = id.adminIp;
      if (id.mac) nic['mac'] = id.mac;
    } else {
      if (n.ip !== undefined) nic['ip'] = n.ip;
      if (id.mac) nic['mac'] = n.mac;
    }
    return nic;
  });
  return p;
}
