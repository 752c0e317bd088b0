// What the DC had, as restore-data (or the live APIs) describe it: headnodes,
// core instances and where they ran. Pure: built from already-parsed records.

export interface InvServer {
  uuid: string;
  hostname: string;
  headnode: boolean;
  adminIp: string | undefined;
  /** CNAPI boot_platform (current_platform when unset): what it PXE boots next. */
  bootPlatform?: string;
  /** MACs of its NICs tagged admin (CNAPI sysinfo): what booter's cache is keyed by. */
  adminMacs?: string[];
}

export interface InvInstance {
  service: string;
  uuid: string;
  alias: string;
  serverUuid: string | undefined;
  adminIp: string | undefined;
  image: string | undefined;
  delegatedDataset: boolean;
}

export interface Inventory {
  servers: InvServer[];
  instances: InvInstance[];
}

/**
 * A zone's admin NIC: the one tagged admin, whichever NIC is primary (sdcadm
 * takes a zone's IP with triton-netconfig adminIpFromVmMetadata, by nic tag;
 * cloudapi, docker, cmon and often imgapi and adminui have the primary flag on
 * their external NIC).
 */
export function adminNicOf<N extends { nic_tag?: string | null }>(nics: readonly N[]): N | undefined {
  return nics.find((n) => n.nic_tag === 'admin');
}

export function headnodes(inv: Inventory): InvServer[] {
  return inv.servers.filter((s) => s.headnode).sort((a, b) => a.hostname.localeCompare(b.hostname));
}

/**
 * The primary headnode: the one that ran SAPI (RFD 67: one instance of every
 * required core service lives there); failing that, the headnode with most core zones.
 */
export function primaryOf(inv: Inventory): InvServer | undefined {
  const hns = headnodes(inv);
  const sapi = inv.instances.find((i) => i.service === 'sapi');
  const bySapi = hns.find((h) => h.uuid === sapi?.serverUuid);
  if (bySapi) return bySapi;
  const count = (h: InvServer): number => inv.instances.filter((i) => i.serverUuid === h.uuid).length;
  return [...hns].sort((a, b) => count(b) - count(a))[0];
}

export function instancesOn(inv: Inventory, serverUuid: string): InvInstance[] {
  return inv.instances.filter((i) => i.serverUuid === serverUuid);
}
