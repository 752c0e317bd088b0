// The IP pre-flight: what holds IPs now (live zones, live servers, NAPI's
// records), gathered under the probe deadline, and the IPs each possible
// restore would use; judged by state/ip-clash.ts.
//
// Live zones come from `vmadm lookup -j` on the live headnodes and the servers
// that run core zones: VMAPI only caches what each server's vm-agent reports and usually
// died with the primary, while vmadm on the server is what it caches. A server
// that cannot be asked stands in with its zones' restore-data dumps (and an
// IP_UNVERIFIED warning): a zone created there since the last sync is not seen.
import type { NapiIp } from '../remote/triton/napi.js';
import { vmadmLookup, type VmadmVm } from '../remote/triton/vmadm.js';
import { Ipv4 } from '../values/schemas.js';
import type { Strategy } from '../state/admin-ips.js';
import type { AtRisk } from '../state/at-risk.js';
import type { Problem } from '../state/problem.js';
import type { InvServer } from '../state/inventory.js';
import { ipProblems, type IpHolder } from '../state/ip-clash.js';
import { lostInstances, toRestore, type LostInstance } from '../state/lost.js';
import { plannedIps } from '../state/planned-ips.js';
import { withDeadline, type Outcome } from './deadline.js';
import { hostOf, type Reach } from './readiness-probes.js';
import type { RestoreData } from '../state/restore-data.js';

export interface ServerZones {
  server: InvServer;
  zones: Outcome<VmadmVm[]>;
}

/** Servers that hold IPs now: all but the dead headnodes (a CN that is down still owns its admin IP). */
function liveServers(r: Reach): InvServer[] {
  return r.inv.servers.filter((s) => !r.dead.has(s.uuid));
}

/**
 * Servers asked for their zones: the live headnodes and any server that runs a
 * core zone. Admin-network IPs belong to core zones and servers; a DC's
 * hundreds of compute nodes with customer zones only are not asked over SSH
 * on every check (NAPI's records and CNAPI's admin IPs cover them).
 */
function serversToAsk(r: Reach): InvServer[] {
  const withCore = new Set(r.inv.instances.map((i) => i.serverUuid));
  return liveServers(r).filter((s) => s.headnode || withCore.has(s.uuid));
}

/** `vmadm lookup -j` on the servers to ask, in parallel, each under the probe deadline. */
export function zonesOnLiveServers(r: Reach): Promise<ServerZones[]> {
  return Promise.all(
    serversToAsk(r).map(async (server): Promise<ServerZones> => {
      const host = hostOf(r, server.uuid);
      if (!host) return { server, zones: { ok: false, why: 'its admin IP is not known' } };
      return {
        server,
        zones: await withDeadline(r.timeoutMs, (signal) => vmadmLookup(host, {}, { timeoutMs: r.timeoutMs, signal })),
      };
    }),
  );
}

export interface IpPreflightInput {
  r: Reach;
  rd: RestoreData;
  risk: AtRisk;
  strategy: Strategy;
  /** The new strategy's admin IPs, in the order the plan hands them out. */
  candidates: readonly string[];
  zones: readonly ServerZones[];
  /** NAPI's IP records of the admin network, and where they were read. */
  napi: { records: readonly NapiIp[]; source: string };
}

const isIpv4 = (ip: string | undefined): ip is string => ip !== undefined && Ipv4.safeParse(ip).success;

export function ipPreflightProblems(input: IpPreflightInput): Problem[] {
  const { r, rd, risk } = input;
  const vmOf = (l: LostInstance): VmadmVm | undefined => rd.services.get(l.service)?.vms.find((v) => v.uuid === l.uuid);
  // One restore in a disaster; in readiness one per headnode that could die (its zones only).
  const chosen =
    risk.mode === 'disaster'
      ? [risk.instances]
      : risk.byHeadnode.map((h) => toRestore(lostInstances(r.inv, new Set([h.uuid]))));
  const recoveryIps = new Set((rd.dc.recoveryIps ?? []).map((x) => x.ip));
  const plans = chosen.map((c) =>
    plannedIps({ chosen: c, vmOf, strategy: input.strategy, candidates: input.candidates, recoveryIps }),
  );
  if (plans.every((p) => p.length === 0)) return [];
  const net = rd.dc.adminNetwork;
  const problems = ipProblems({
    plans,
    holders: holders(input),
    adminNetwork: net ? { subnet: net.subnet, ...(net.gateway ? { gateway: net.gateway } : {}) } : undefined,
  });
  for (const z of input.zones) {
    if (z.zones.ok) continue;
    const s = z.server;
    problems.push({
      severity: 'warning',
      code: 'IP_UNVERIFIED',
      message: `the zones on ${s.hostname} could not be listed (vmadm lookup -j: ${z.zones.why}): their IPs are compared as restore-data's dumps have them, and a zone created there since the last sync is not seen`,
      fix: `make sure ${s.hostname} answers over SSH (ssh ${s.adminIp ?? s.hostname} vmadm lookup -j) and run the check again; the restore still stops at a zone whose address comes up duplicate`,
    });
  }
  return problems;
}

function holders(input: IpPreflightInput): IpHolder[] {
  const { r, rd } = input;
  const out: IpHolder[] = [];
  const hostname = (uuid: string | undefined): string =>
    r.inv.servers.find((s) => s.uuid === uuid)?.hostname ?? `server ${uuid ?? '?'}`;
  for (const s of liveServers(r)) {
    if (isIpv4(s.adminIp))
      out.push({
        ip: s.adminIp,
        uuid: s.uuid,
        kind: 'server',
        name: `server ${s.hostname} (${s.uuid}), its admin IP`,
        source: 'CNAPI sysinfo in restore-data dc/servers.json',
      });
  }
  const zone = (vm: VmadmVm, where: string, source: string): void => {
    // vmadm ignores failed zones when it looks for conflicts (VM.js lookupConflicts).
    if (vm.state === 'failed' || vm.state === 'destroyed') return;
    for (const n of vm.nics) {
      if (isIpv4(n.ip))
        out.push({
          ip: n.ip,
          uuid: vm.uuid,
          kind: 'zone',
          name: `zone ${vm.alias ?? '(no alias)'} (${vm.uuid}) on ${where}, ${vm.state}`,
          source,
        });
    }
  };
  const dumps = [...rd.services.values()].flatMap((s) => s.vms);
  for (const z of input.zones) {
    const h = z.server.hostname;
    if (z.zones.ok) for (const vm of z.zones.value) zone(vm, h, `vmadm lookup on ${h}`);
    else
      for (const vm of dumps.filter((v) => v.server_uuid === z.server.uuid))
        zone(vm, h, `its vm dump in restore-data (${h} could not be asked)`);
  }
  for (const rec of input.napi.records) {
    const owner = rec.belongs_to_uuid;
    // The dead headnodes' own admin NICs are released at reconcile: not a holder.
    if (!owner || rec.free === true || !isIpv4(rec.ip) || r.dead.has(owner)) continue;
    const inst = r.inv.instances.find((i) => i.uuid === owner);
    const srv = r.inv.servers.find((s) => s.uuid === owner);
    const what = inst
      ? `zone ${inst.alias} (${owner}) on ${hostname(inst.serverUuid)}${inst.serverUuid && r.dead.has(inst.serverUuid) ? ' (dead)' : ''}`
      : srv
        ? `server ${srv.hostname} (${owner})`
        : `${rec.belongs_to_type ?? 'owner'} ${owner}`;
    out.push({
      ip: rec.ip,
      uuid: owner,
      kind: 'napi-record',
      name: `NAPI's IP record for ${what}`,
      source: input.napi.source,
    });
  }
  return out;
}
