// Recovery IPs: admin IPs reserved in NAPI so a `new`-strategy restore has one
// per zone it re-creates. How many the DC needs, which reserved IPs count, and
// which free ones to reserve when there are too few. Pure.
import { Ipv4, intToIp, ipToInt, parseCidr } from '../values/schemas.js';
import type { IpRecord } from './admin-ips.js';
import { headnodes, type Inventory } from './inventory.js';
import { lostInstances, toRestore } from './lost.js';

export interface RecoveryNeed {
  needed: number;
  /** The headnode whose loss would need the most, when there is one. */
  worst: string | undefined;
}

/** The largest restore any one headnode's loss would need (what `check --strategy new` asks for). */
export function recoveryIpsNeeded(inv: Inventory): RecoveryNeed {
  let best: RecoveryNeed = { needed: 0, worst: undefined };
  for (const h of headnodes(inv)) {
    const n = toRestore(lostInstances(inv, new Set([h.uuid]))).length;
    if (n > best.needed) best = { needed: n, worst: h.hostname };
  }
  return best;
}

export interface AdminNet {
  subnet: string;
  gateway?: string;
  provisionStart: string;
  provisionEnd: string;
}

const inSubnet = (net: AdminNet, ip: string): boolean => {
  const c = parseCidr(net.subnet);
  const n = ipToInt(ip);
  return n > c.network && n < c.broadcast;
};

/**
 * Recovery IPs as NAPI shows them: reserved, owned by nothing, in the admin
 * subnet, not the gateway and not in use by a zone or server known elsewhere.
 */
export function reservedRecoveryIps(net: AdminNet, records: readonly IpRecord[], inUse: ReadonlySet<string>): string[] {
  return records
    .filter((r) => r.reserved === true && !r.belongs_to_uuid && Ipv4.safeParse(r.ip).success)
    .map((r) => r.ip)
    .filter((ip) => ip !== net.gateway && !inUse.has(ip) && inSubnet(net, ip))
    .sort((a, b) => ipToInt(a) - ipToInt(b));
}

/**
 * `count` free admin IPs to reserve: from the top of the provision range down,
 * away from where NAPI hands out new IPs first. Free = no NAPI record (or a
 * record that says free), not in use, not the gateway.
 */
export function pickIpsToReserve(
  net: AdminNet,
  records: readonly IpRecord[],
  inUse: ReadonlySet<string>,
  count: number,
): string[] {
  if (count <= 0) return [];
  const c = parseCidr(net.subnet);
  const taken = new Set<number>();
  for (const r of records)
    if (Ipv4.safeParse(r.ip).success && !(r.free === true && !r.reserved && !r.belongs_to_uuid))
      taken.add(ipToInt(r.ip));
  for (const ip of inUse) if (Ipv4.safeParse(ip).success) taken.add(ipToInt(ip));
  if (net.gateway && Ipv4.safeParse(net.gateway).success) taken.add(ipToInt(net.gateway));
  const lo = Math.max(ipToInt(net.provisionStart), c.network + 1);
  const hi = Math.min(ipToInt(net.provisionEnd), c.broadcast - 1);
  const out: string[] = [];
  for (let n = hi; n >= lo && out.length < count; n--) if (!taken.has(n)) out.push(intToIp(n));
  return out;
}
