// Every IP a restore will give its zones, compared before anything changes
// with everything else that holds or owns an IP (live zones, live servers,
// NAPI's records), with each other, and with the network itself. On a real
// network two NICs on one IP break one of them: the newcomer's address is
// marked duplicate and stays down, and whatever answers on the IP is the other
// holder. Pure.
import { Ipv4, intToIp, ipToInt, parseCidr } from '../values/schemas.js';
import type { Problem } from './problem.js';

/** One IP a re-created zone's NIC will take. */
export interface PlannedIp {
  ip: string;
  zone: { alias: string; uuid: string; service: string };
  nicTag: string;
  /** The NIC's own netmask and gateway (non-admin NICs are judged by them). */
  netmask?: string;
  gateway?: string;
  /** Where the IP comes from, said in a fix: "its vm dump in restore-data", "the recovery IPs" ... */
  from: string;
}

/** Something that holds or owns an IP now. */
export interface IpHolder {
  ip: string;
  /** The zone or server it belongs to; a planned zone with the same uuid is itself, not a clash. */
  uuid?: string;
  kind: 'zone' | 'server' | 'napi-record';
  /** "zone binder2 (uuid) on headnode2, running" */
  name: string;
  /** Where it was seen: "vmadm lookup on headnode2" */
  source: string;
}

export interface NetworkRange {
  subnet: string;
  gateway?: string;
}

export interface IpJudgeInput {
  /** Each restore that may run (one in a disaster; one per headnode that could die in readiness). */
  plans: readonly (readonly PlannedIp[])[];
  holders: readonly IpHolder[];
  /** restore-data dc/admin-network.json */
  adminNetwork: NetworkRange | undefined;
}

const short = (uuid: string): string => uuid.slice(0, 8);
const who = (p: PlannedIp): string => `${p.zone.alias} (${p.zone.uuid})`;
const isIpv4 = (ip: string | undefined): ip is string => ip !== undefined && Ipv4.safeParse(ip).success;

export function ipProblems(input: IpJudgeInput): Problem[] {
  const out = new Map<string, Problem>();
  const add = (p: Problem): void => void out.set(`${p.code}|${p.message}`, p);
  for (const plan of input.plans) {
    const ips = plan.filter((p) => isIpv4(p.ip));
    for (const p of ips) {
      for (const x of networkProblems(p, input.adminNetwork)) add(x);
      for (const x of holderProblems(p, input.holders)) add(x);
    }
    for (const x of planProblems(ips)) add(x);
  }
  return [...out.values()];
}

/** A range from a NIC's gateway and netmask, for NICs the admin network does not cover. */
function nicRange(p: PlannedIp): NetworkRange | undefined {
  if (!isIpv4(p.netmask) || !isIpv4(p.gateway)) return undefined;
  const mask = ipToInt(p.netmask);
  const bits = mask.toString(2).replace(/0/g, '').length;
  if (bits === 0 || mask !== (0xffffffff << (32 - bits)) >>> 0) return undefined;
  return { subnet: `${intToIp((ipToInt(p.gateway) & mask) >>> 0)}/${bits}`, gateway: p.gateway };
}

function networkProblems(p: PlannedIp, admin: NetworkRange | undefined): Problem[] {
  const isAdmin = p.nicTag === 'admin';
  const net = isAdmin ? admin : nicRange(p);
  if (!net) return [];
  let cidr;
  try {
    cidr = parseCidr(net.subnet);
  } catch {
    return [];
  }
  const what = isAdmin
    ? `the admin network ${net.subnet} (restore-data dc/admin-network.json)`
    : `its ${p.nicTag} network ${net.subnet} (from the NIC's gateway and netmask)`;
  const n = ipToInt(p.ip);
  const inside = (n & ipToInt(cidr.netmask)) >>> 0 === cidr.network;
  const base = `${p.ip}, which the restore gives ${who(p)} on its ${p.nicTag} NIC (from ${p.from})`;
  const fix = `correct ${p.from} so that ${p.zone.alias} gets a usable address of ${net.subnet} (not its network, broadcast or gateway address), then run the check again`;
  const invalid = (why: string): Problem[] => [
    {
      severity: 'critical',
      code: 'IP_INVALID',
      service: p.zone.service,
      message: `${base}, is ${why}: no zone can use it`,
      fix,
    },
  ];
  if (!inside) return invalid(`outside ${what}`);
  if (cidr.prefix < 31 && n === cidr.network) return invalid(`the network address of ${what}`);
  if (cidr.prefix < 31 && n === cidr.broadcast) return invalid(`the broadcast address of ${what}`);
  if (net.gateway === p.ip) {
    return [
      {
        severity: 'critical',
        code: 'IP_CONFLICT',
        service: p.zone.service,
        message: `${base}, is held by the gateway (router) of ${what}: the zone would take the router's address and cut its network off`,
        fix,
      },
    ];
  }
  return [];
}

function holderProblems(p: PlannedIp, holders: readonly IpHolder[]): Problem[] {
  // Itself (reuse: the old zone's own NIC record, same uuid) is no clash; one
  // holder seen by several sources is one problem naming every source.
  const others = new Map<string, IpHolder[]>();
  for (const h of holders) {
    if (h.ip !== p.ip || (h.uuid !== undefined && h.uuid === p.zone.uuid)) continue;
    const key = h.uuid ?? h.name;
    others.set(key, [...(others.get(key) ?? []), h]);
  }
  return [...others.values()].map((hs) => {
    // The most telling view first: a live zone or server over a NAPI record.
    const rank = { zone: 0, server: 1, 'napi-record': 2 } as const;
    const main = [...hs].sort((a, b) => rank[a.kind] - rank[b.kind])[0]!;
    const seen = [...new Set(hs.map((h) => h.source))].join('; ');
    return {
      severity: 'critical',
      code: 'IP_CONFLICT',
      service: p.zone.service,
      message: `${p.ip}, which the restore gives ${who(p)} on its ${p.nicTag} NIC (from ${p.from}), is held by ${main.name} (seen by ${seen}): ${consequence(main)}`,
      fix: holderFix(p, main),
    } satisfies Problem;
  });
}

function consequence(h: IpHolder): string {
  if (h.kind === 'napi-record') return 'NAPI would refuse the re-created NIC, and the IP is not free for it';
  return "two NICs on one IP break one of them (the second to come up is marked duplicate and stays down), and a health check by IP would hear the other's answers";
}

function holderFix(p: PlannedIp, h: IpHolder): string {
  const ownerUuid = h.uuid ? ` (${short(h.uuid)})` : '';
  if (h.kind === 'server') {
    return `a server's admin IP is not the restore's to take: check ${p.from} against CNAPI (sdc-cnapi /servers?extras=sysinfo); correct whichever is wrong (sync restore-data again from a live headnode), then run the check again`;
  }
  if (h.kind === 'napi-record') {
    return `if the owner${ownerUuid} is gone for good, free its record once a NAPI answers (sdc-napi /networks/<admin uuid>/ips/${p.ip} -X PUT -d '{"free": true}'); else ${p.zone.alias} needs another IP: restore the other services first (--only), then run the check again`;
  }
  return `find out which is right: if ${h.name.split(' (')[0]} should not have ${p.ip}, give it another IP or stop it (vmadm update / vmadm stop on its server); if it should, ${p.from} is wrong for ${p.zone.alias}: sync again from a live headnode; then run the check again`;
}

/** Two zones of one restore given the same IP. */
function planProblems(ips: readonly PlannedIp[]): Problem[] {
  const byIp = new Map<string, PlannedIp[]>();
  for (const p of ips) byIp.set(p.ip, [...(byIp.get(p.ip) ?? []), p]);
  const out: Problem[] = [];
  for (const [ip, ps] of byIp) {
    const zones = [...new Map(ps.map((p) => [p.zone.uuid, p])).values()];
    for (const later of zones.slice(1)) {
      const first = zones[0]!;
      out.push({
        severity: 'critical',
        code: 'IP_CONFLICT',
        service: later.zone.service,
        message: `${ip} is given to two re-created zones: ${who(first)} (from ${first.from}) and ${who(later)} (from ${later.from}): the one restored second would come up duplicate and answer nothing on it`,
        fix: `find which of them really had ${ip} (restore-data dc/admin-ips.json names its owner, belongs_to_uuid); the other needs another IP, which a restore cannot pick for it: restore the services that do not clash (--only), correct the other's restore-data, then run the check again`,
      });
    }
  }
  return out;
}
