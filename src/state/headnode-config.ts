// A secondary headnode's /usbkey/config, made from the running headnode's: the
// DC-wide keys stay, the keys that name one machine are replaced by the new
// headnode's own. The primary's external address must never be copied: two
// headnodes would answer for it. Pure.

export interface NodeIdentity {
  hostname: string;
  adminMac: string;
  adminIp: string;
  /** MAC of the NIC tagged external on the new headnode, if it has one. */
  externalMac?: string;
}

/** Keys that belong to one machine; everything else is the DC's. */
const PER_NODE_EXTERNAL = ['external_ip', 'external_netmask', 'external_gateway', 'external_vlan_id'];

export function secondaryHeadnodeConfig(source: string, n: NodeIdentity): string {
  const set: Record<string, string> = { hostname: n.hostname, admin_nic: n.adminMac, admin_ip: n.adminIp };
  const out: string[] = [
    `# written by triton-recover convert for ${n.hostname}, from the running headnode's /usbkey/config`,
  ];
  const seen = new Set<string>();
  for (const line of source.split('\n')) {
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '') out.push(line);
      continue;
    }
    const key = m[1]!;
    seen.add(key);
    if (key in set) out.push(`${key}=${set[key]}`);
    else if (key === 'external_nic') {
      if (n.externalMac) out.push(`external_nic=${n.externalMac}`);
    } else if (!PER_NODE_EXTERNAL.includes(key)) out.push(line);
  }
  for (const [k, v] of Object.entries(set)) if (!seen.has(k)) out.push(`${k}=${v}`);
  return out.join('\n') + '\n';
}
