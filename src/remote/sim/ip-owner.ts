// Who answers on an IP when several live NICs claim it, as on a real network.
// illumos runs duplicate address detection for IPv4 (ARP probes before an
// address comes up, RFC 5227): an address some other host already answers ARP
// for is marked "duplicate" and stays down (ipadm show-addr STATE "duplicate",
// ifconfig flag DUPLICATE), while the host that had it first keeps defending
// it. So the holder that came up first owns the IP: pings, TCP and HTTP to it
// reach that holder, never the newcomer. (illumos retries a duplicate address
// every ip_dup_recovery, 5 min; here the newcomer takes over as soon as the
// first holder is gone.)
import type { ScenarioInstance, ScenarioServer, SimNic } from './scenario.js';
import type { SimWorld } from './world.js';
import { nicsOf } from './zone-nics.js';
import { onItsSegment } from './subnets.js';

/** A server that booted before the simulation: 12 days before it (formats/server.ts says the same). */
const DEFAULT_UPTIME_MS = 86_400_000 * 12;

export type IpClaim =
  | { kind: 'router'; since: number }
  | { kind: 'server'; server: ScenarioServer; since: number }
  | { kind: 'zone'; inst: ScenarioInstance; nic: SimNic; since: number };

function serverUpSince(world: SimWorld, srv: ScenarioServer): number {
  return srv.bootedAt ?? world.state.sim.createdAt - DEFAULT_UPTIME_MS;
}

/** A zone plumbs its NICs while it runs (setup_failed is still running, its NICs up). */
export const plumbed = (i: ScenarioInstance): boolean => i.state === 'running' || i.state === 'setup_failed';

/**
 * Every live NIC that claims this IP, the first to come up first (routers, then
 * servers, before zones at a tie), as seen from one server (default: the
 * console's headnode): a host across a partition from it claims nothing there.
 */
export function ipClaims(world: SimWorld, ip: string, from: string = world.state.localServer): IpClaim[] {
  const claims: IpClaim[] = [];
  // The networks' routers were there before anything else and keep their addresses.
  if (ip === world.state.adminNetwork.gateway || ip === world.state.externalNetwork?.gateway)
    claims.push({ kind: 'router', since: -Infinity });
  for (const srv of world.state.servers) {
    if (srv.adminIp === ip && world.sees(from, srv.hostname))
      claims.push({ kind: 'server', server: srv, since: serverUpSince(world, srv) });
  }
  for (const inst of world.state.instances) {
    if (inst.state === 'destroyed' || !world.sees(from, inst.server) || !plumbed(inst)) continue;
    const nic = nicsOf(world.state, inst).find((n) => n.ip === ip);
    if (!nic || !onItsSegment(world.state, nic)) continue;
    const srv = world.server(inst.server)!;
    const since = Math.max(serverUpSince(world, srv), inst.netUpAt ?? inst.bootStartedAt ?? -Infinity);
    claims.push({ kind: 'zone', inst, nic, since });
  }
  // Stable sort: at the same moment, servers (listed first) and then scenario order win.
  return claims.sort((a, b) => a.since - b.since);
}

/** The NIC that answers on this IP right now, if any (as seen from `from`, default the console's headnode). */
export function ipOwner(world: SimWorld, ip: string, from?: string): IpClaim | undefined {
  return ipClaims(world, ip, from)[0];
}

/** Whether this zone's NIC holds its IP (ok), or lost it to an earlier holder (duplicate). */
export function nicAddressState(world: SimWorld, inst: ScenarioInstance, nic: SimNic): 'ok' | 'duplicate' {
  // Off its segment nothing contends for it: up inside the zone, unreachable from outside.
  if (!onItsSegment(world.state, nic)) return 'ok';
  const owner = ipOwner(world, nic.ip);
  return owner?.kind === 'zone' && owner.inst === inst ? 'ok' : 'duplicate';
}
