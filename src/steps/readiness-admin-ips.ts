// The admin IPs a restore with new IPs could hand out (reserved recovery IPs,
// then free ones in the provision range) and the problem when they are too
// few. In steps, not state: it takes the live NAPI probe's outcome.
import { adminIpPool, type AdminIpPool, type IpRecord } from '../state/admin-ips.js';
import type { AtRisk } from '../state/at-risk.js';
import type { Inventory } from '../state/inventory.js';
import type { Problem } from '../state/problem.js';
import type { RestoreData } from '../state/restore-data.js';
import type { Outcome } from './deadline.js';

/** Candidate admin IPs listed (the count of available ones stays exact). */
const CANDIDATES_LISTED = 256;

/** The admin IPs a new-IP restore may take: NAPI's records when it answers, else restore-data's. */
export function adminPool(
  rd: RestoreData,
  inv: Inventory,
  live: Outcome<{ records: IpRecord[]; from: string }>,
  needed: number,
): { pool: AdminIpPool; source: string } {
  const net = rd.dc.adminNetwork;
  const records = live.ok ? live.value.records : (rd.dc.adminIps ?? []);
  const source = live.ok
    ? `IP records from NAPI ${live.value.from}`
    : `IP records from restore-data dc/admin-ips.json${rd.dc.adminIps ? '' : ' (missing)'}, NAPI: ${live.why}`;
  const pool = adminIpPool({
    network: net
      ? {
          subnet: net.subnet,
          provisionStart: net.provision_start_ip,
          provisionEnd: net.provision_end_ip,
          ...(net.gateway ? { gateway: net.gateway } : {}),
        }
      : undefined,
    records,
    recoveryIps: (rd.dc.recoveryIps ?? []).map((r) => r.ip),
    inUse: [...inv.instances.map((i) => i.adminIp), ...inv.servers.map((s) => s.adminIp)].filter(
      (ip): ip is string => ip !== undefined,
    ),
    // The plan hands these out in order: list at least as many as it needs.
    listLimit: Math.max(CANDIDATES_LISTED, needed),
  });
  return { pool, source };
}

/** ADMIN_IPS_SHORT: the new strategy needs more admin IPs than the pool has. */
export function adminIpProblems(
  needed: number,
  pool: AdminIpPool,
  source: string,
  risk: AtRisk,
  rd: RestoreData,
): Problem[] {
  if (needed <= pool.available) return [];
  const worst = [...risk.byHeadnode].sort((a, b) => b.count - a.count)[0];
  const net = rd.dc.adminNetwork;
  const range = net ? `${net.provision_start_ip}-${net.provision_end_ip}` : 'unknown (no dc/admin-network.json)';
  return [
    {
      severity: 'critical',
      code: 'ADMIN_IPS_SHORT',
      message:
        `the new strategy needs ${needed} admin IPs (one per zone to re-create${risk.mode === 'readiness' && worst ? ` if ${worst.hostname} died` : ''}), ` +
        `only ${pool.available} are available: ${pool.reserved.length} free recovery IPs` +
        `${pool.reservedHeld.length > 0 ? ` (${pool.reservedHeld.length} more reserved but held by a NIC or zone)` : ''}` +
        ` and ${pool.freeInRange} free in the provision range ${range} (${source})`,
      fix: `reserve at least ${needed - pool.available} more admin IPs for recovery in NAPI (PUT /networks/<admin uuid>/ips/<ip> reserved=true) and let the sync record them, or use --strategy reuse (keeps the old IPs; the dead primary must be fenced)`,
    },
  ];
}
