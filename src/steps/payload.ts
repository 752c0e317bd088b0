// The `vmadm create` payload that re-creates a core zone from its restore-data
// `vmadm get` dump: what vmadm create accepts, nothing it would reject.
import type { VmadmVm } from '../remote/triton/vmadm.js';

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
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewriteIps(x, ipMap)]));
  return v;
}

export function recreatePayload(vm: VmadmVm, id: Identity): Record<string, unknown> {
  const src = vm as Record<string, unknown>;
  const p: Record<string, unknown> = {};
  for (const k of KEEP) if (src[k] !== undefined) p[k] = src[k];
  if (id.ipMap && id.ipMap.size > 0 && p['customer_metadata']) p['customer_metadata'] = rewriteIps(p['customer_metadata'], id.ipMap);
  p['uuid'] = id.uuid;
  p['alias'] = id.alias;
  // Created stopped: the delegated dataset is received before the first boot.
  p['autoboot'] = false;
  if ((vm.datasets ?? []).includes(`zones/${vm.uuid}/data`)) p['delegate_dataset'] = true;
  const adminIdx = vm.nics.findIndex((n) => n.nic_tag === 'admin');
  p['nics'] = vm.nics.map((n, i) => {
    const primary = n.primary ?? i === 0;
    const nic: Record<string, unknown> = {
      interface: n.interface ?? `net${i}`,
      nic_tag: n.nic_tag,
      ...(n.netmask ? { netmask: n.netmask } : {}),
      vlan_id: (n as Record<string, unknown>)['vlan_id'] ?? 0,
      primary,
      ...((n as Record<string, unknown>)['gateway'] ? { gateway: (n as Record<string, unknown>)['gateway'] } : {}),
    };
    if (i === adminIdx) {
      nic['ip'] = id.adminIp;
      if (id.mac) nic['mac'] = id.mac;
    } else {
      nic['ip'] = n.ip;
      if (id.mac) nic['mac'] = n.mac;
    }
    return nic;
  });
  return p;
}
