// The booter cache of every dhcpd zone on a live server (`ls -1` of its
// /tftpboot/cache from the GZ, under the probe deadline), joined with whether
// the zone runs (dhcpdFacts), for the compute node boot verdicts of
// state/cn-boot.ts.
import { booterCacheMacs } from '../remote/triton/booter.js';
import type { BooterFact, CnTarget } from '../state/cn-boot.js';
import type { DhcpdFact } from '../state/dhcpd-problems.js';
import type { Inventory } from '../state/inventory.js';
import { withDeadline } from './deadline.js';
import { hostOf, memberOf, type Reach } from './readiness-probes.js';

export async function booterFacts(r: Reach, running: Promise<readonly DhcpdFact[]>): Promise<BooterFact[]> {
  const dhcpds = r.inv.instances.filter((i) => i.service === 'dhcpd');
  const [caches, facts] = await Promise.all([
    Promise.all(
      dhcpds.map(async (i) => {
        const m = memberOf(r, i);
        const host = m.alive ? hostOf(r, i.serverUuid) : undefined;
        if (!host)
          return { ok: false as const, why: m.alive ? "its server's admin IP is not known" : 'its server is down' };
        return withDeadline(r.timeoutMs, (signal) => booterCacheMacs(host, i.uuid, { timeoutMs: r.timeoutMs, signal }));
      }),
    ),
    running,
  ]);
  return dhcpds.map((i, n): BooterFact => {
    const m = memberOf(r, i);
    const c = caches[n]!;
    const fact = facts.find((f) => f.alias === i.alias);
    return {
      alias: i.alias,
      uuid: i.uuid,
      hostname: m.hostname,
      serverUuid: i.serverUuid,
      serverAlive: m.alive,
      serving: m.alive && fact?.running !== false,
      cacheMacs: c.ok ? c.value : undefined,
      ...(c.ok ? {} : { cacheWhy: c.why }),
    };
  });
}

/** Every compute node, with the platform CNAPI boots it next and its admin MACs (restore-data dc/servers.json). */
export function cnTargets(inv: Inventory): CnTarget[] {
  return inv.servers
    .filter((s) => !s.headnode)
    .map((s) => ({ hostname: s.hostname, uuid: s.uuid, platform: s.bootPlatform, adminMacs: s.adminMacs ?? [] }));
}
