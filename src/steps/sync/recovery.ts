// Recovery IPs: count the admin IPs reserved in NAPI for recovery zones against
// what the largest single-headnode restore would need; with --reserve-ips,
// reserve free ones to make up the difference. Without it, only report.
import type { HttpTransport } from '../../remote/http.js';
import { createNapi } from '../../remote/triton/napi.js';
import { adminIpOf } from '../../remote/triton/sysinfo.js';
import { Ipv4 } from '../../values/schemas.js';
import type { InvInstance, Inventory } from '../../state/inventory.js';
import { serverFromCnapi } from '../inventory-records.js';
import { pickIpsToReserve, recoveryIpsNeeded, reservedRecoveryIps, type AdminNet } from '../../state/recovery-ips.js';
import type { SyncReport } from '../../state/sync-report.js';
import type { DcFacts } from './dc-facts.js';
import { asStepError } from './errors.js';
import { serverOf } from './service.js';
import type { SyncTiming } from './timing.js';

/** The DC's core instances and servers, as the APIs place them now. */
export function liveInventory(facts: DcFacts): Inventory {
  const svcName = new Map(facts.services.map((s) => [s.uuid, s.name]));
  const instances: InvInstance[] = facts.instances
    .filter((i) => svcName.has(i.service_uuid) && (i.type ?? 'vm') === 'vm')
    .map((i) => ({
      service: svcName.get(i.service_uuid)!,
      uuid: i.uuid,
      alias: i.params?.alias ?? i.uuid.slice(0, 8),
      serverUuid: serverOf(facts, i),
      adminIp: undefined,
      image: undefined,
      delegatedDataset: false,
    }));
  return { servers: facts.servers.map(serverFromCnapi), instances };
}

/** Every admin IP the DC's own records give to a core zone or a server. */
function ipsInUse(facts: DcFacts): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(facts.application.metadata ?? {})) {
    if (!/_admin_ips?$/.test(k) || typeof v !== 'string') continue;
    for (const ip of v.split(',').map((s) => s.trim())) if (Ipv4.safeParse(ip).success) out.add(ip);
  }
  for (const s of facts.servers) {
    const ip = s.sysinfo ? adminIpOf(s.sysinfo) : undefined;
    if (ip) out.add(ip);
  }
  return out;
}

export type RecoveryResult = NonNullable<SyncReport['recoveryIps']> & { ips?: string[] };

/** Counts, and reserves when asked; `ips` is what dc/recovery-ips.json should list (absent: keep the old file). */
export async function recoveryIps(
  facts: DcFacts,
  transport: HttpTransport,
  reserve: boolean,
  timing: SyncTiming,
  here: string,
): Promise<RecoveryResult> {
  const need = recoveryIpsNeeded(liveInventory(facts));
  const base = { needed: need.needed, ...(need.worst ? { worst: need.worst } : {}) };
  const network = facts.network;
  if (!network || !facts.ips || !facts.napiUrl) {
    return {
      ...base,
      held: 0,
      reserved: [],
      short: 0,
      error: 'NAPI did not answer: recovery IPs not checked; dc/recovery-ips.json keeps its last good copy',
    };
  }
  const net: AdminNet = {
    subnet: network.subnet,
    provisionStart: network.provision_start_ip,
    provisionEnd: network.provision_end_ip,
    ...(network.gateway ? { gateway: network.gateway } : {}),
  };
  let held: string[];
  try {
    const inUse = ipsInUse(facts);
    held = reservedRecoveryIps(net, facts.ips, inUse);
    const reserved: string[] = [];
    let error: string | undefined;
    if (reserve && held.length < need.needed) {
      const napi = createNapi({ transport, baseUrl: facts.napiUrl });
      for (const ip of pickIpsToReserve(net, facts.ips, new Set([...inUse, ...held]), need.needed - held.length)) {
        try {
          const rec = await napi.updateIp(network.uuid, ip, { reserved: true }, { timeoutMs: timing.httpTimeoutMs });
          reserved.push(ip);
          facts.ips.push(rec);
        } catch (e) {
          error = `reserving ${ip}: ${asStepError(e, here, `PUT ${facts.napiUrl}/networks/${network.uuid}/ips/${ip}`).message}`;
          break;
        }
      }
    }
    const ips = [...held, ...reserved];
    return {
      ...base,
      held: ips.length,
      reserved,
      short: Math.max(0, need.needed - ips.length),
      ips,
      ...(error ? { error } : {}),
    };
  } catch (e) {
    // An admin network this arithmetic cannot handle (IPv6, odd subnet): say so, keep the old file.
    return { ...base, held: 0, reserved: [], short: 0, error: `cannot work out recovery IPs: ${(e as Error).message}` };
  }
}
