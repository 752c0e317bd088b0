// Admin IPs for the `new` strategy (design section 4, facts D): first the
// recovery IPs reserved in NAPI that no NIC holds, then free IPs of the admin
// network's provision range. Pure arithmetic over records already read.
import { Ipv4, intToIp, ipToInt, parseCidr } from '../values/schemas.js';

import type { Strategy } from './strategies.js';
export type { Strategy };

/** One NAPI IP record (restore-data dc/admin-ips.json or live NAPI). */
export interface IpRecord {
  ip: string;
  reserved?: boolean;
  free?: boolean;
  belongs_to_uuid?: string;
}

export interface AdminNetworkRange {
  subnet: string;
  gateway?: string;
  provisionStart: string;
  provisionEnd: string;
}

export interface AdminIpInput {
  network: AdminNetworkRange | undefined;
  records: readonly IpRecord[];
  /** Reserved for recovery (restore-data dc/recovery-ips.json), in the order to hand out. */
  recoveryIps: readonly string[];
  /** In use by something restore-data knows besides NAPI (vm dumps, servers' admin IPs). */
  inUse: Iterable<string>;
  /** At most this many candidates are listed (the count stays exact). */
  listLimit?: number;
}

export interface AdminIpPool {
  /** Recovery IPs no NIC or zone holds, in order. */
  reserved: string[];
  /** Recovery IPs that a NIC record or a known zone/server already holds. */
  reservedHeld: string[];
  /** Free IPs in the provision range (not reserved, no record, not in use). */
  freeInRange: number;
  available: number;
  /** Reserved ones first, then free ones from the bottom of the range. */
  candidates: string[];
}

const DEFAULT_LIST_LIMIT = 256;
const isIpv4 = (ip: string): boolean => Ipv4.safeParse(ip).success;

/** One admin IP per re-created zone with `new`; `reuse` keeps the old IPs. */
export function adminIpsNeeded(strategy: Strategy, instancesToRestore: number): number {
  return strategy === 'new' ? instancesToRestore : 0;
}

/** A record blocks its IP unless NAPI says it is free and nothing owns or reserves it. */
function recordBlocks(r: IpRecord): boolean {
  return !(r.free === true && !r.reserved && !r.belongs_to_uuid);
}

/** undefined for what this arithmetic cannot handle (an IPv6 admin network). */
function cidrOf(subnet: string): { network: number; broadcast: number } | undefined {
  try {
    return parseCidr(subnet);
  } catch {
    return undefined;
  }
}

export function adminIpPool(input: AdminIpInput): AdminIpPool {
  const limit = Math.max(0, input.listLimit ?? DEFAULT_LIST_LIMIT);
  const inUse = new Set([...input.inUse].filter(isIpv4));
  const held = new Set(input.records.filter((r) => r.belongs_to_uuid && isIpv4(r.ip)).map((r) => r.ip));

  const reserved: string[] = [];
  const reservedHeld: string[] = [];
  for (const ip of new Set(input.recoveryIps.filter(isIpv4))) {
    (held.has(ip) || inUse.has(ip) ? reservedHeld : reserved).push(ip);
  }

  let freeInRange = 0;
  const free: string[] = [];
  const net = input.network;
  const cidr = net ? cidrOf(net.subnet) : undefined;
  if (net && cidr && isIpv4(net.provisionStart) && isIpv4(net.provisionEnd)) {
    const { network, broadcast } = cidr;
    const lo = Math.max(ipToInt(net.provisionStart), network + 1);
    const hi = Math.min(ipToInt(net.provisionEnd), broadcast - 1);
    const blocked = new Set<number>();
    const block = (ip: string | undefined): void => {
      if (ip && isIpv4(ip)) blocked.add(ipToInt(ip));
    };
    for (const r of input.records) if (recordBlocks(r)) block(r.ip);
    for (const ip of inUse) block(ip);
    for (const ip of input.recoveryIps) block(ip);
    block(net.gateway);
    if (hi >= lo) {
      const inRange = [...blocked].filter((n) => n >= lo && n <= hi).length;
      freeInRange = hi - lo + 1 - inRange;
      const want = Math.max(0, limit - reserved.length);
      for (let n = lo; n <= hi && free.length < want; n++) if (!blocked.has(n)) free.push(intToIp(n));
    }
  }
  return {
    reserved,
    reservedHeld,
    freeInRange,
    available: reserved.length + freeInRange,
    candidates: [...reserved, ...free].slice(0, limit),
  };
}
