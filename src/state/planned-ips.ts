// The IPs a restore will give the zones it re-creates, as the plan hands them
// out: the admin IP of each zone's identity, every other NIC's IP as its dump
// has it. buildPlan and the pre-flight both use this, so the IPs the check
// compares are the ones the restore would use. Pure.
import type { VmadmVm } from '../remote/triton/vmadm.js';
import { adminNicOf } from './inventory.js';
import type { PlannedIp } from './ip-clash.js';
import type { LostInstance } from './lost.js';
import type { Strategy } from './plan.js';

/** Each re-created zone's admin IP, by old uuid: its own (reuse) or the next candidate in restore order (new). */
export function adminIpsFor(
  chosen: readonly LostInstance[],
  strategy: Strategy,
  candidates: readonly string[],
): Map<string, string> {
  return new Map(chosen.map((l, i) => [l.uuid, strategy === 'reuse' ? (l.adminIp ?? '') : (candidates[i] ?? '')]));
}

export interface PlannedIpsInput {
  chosen: readonly LostInstance[];
  vmOf: (l: LostInstance) => VmadmVm | undefined;
  strategy: Strategy;
  candidates: readonly string[];
  /** Reserved recovery IPs (restore-data dc/recovery-ips.json), to say where a candidate came from. */
  recoveryIps: ReadonlySet<string>;
}

export function plannedIps(input: PlannedIpsInput): PlannedIp[] {
  const admin = adminIpsFor(input.chosen, input.strategy, input.candidates);
  const out: PlannedIp[] = [];
  for (const l of input.chosen) {
    // Without a dump the plan re-creates nothing (notRestored), so it takes no IP.
    const vm = input.vmOf(l);
    if (!vm) continue;
    const dump = `its vm dump in restore-data (svc-${l.service}/vm-${l.uuid}.json)`;
    const adminNic = adminNicOf(vm.nics);
    for (const n of vm.nics) {
      const isAdmin = n === adminNic;
      const ip = isAdmin ? (admin.get(l.uuid) ?? '') : (n.ip ?? '');
      const from =
        !isAdmin || input.strategy === 'reuse'
          ? dump
          : input.recoveryIps.has(ip)
            ? 'the recovery IPs (restore-data dc/recovery-ips.json)'
            : "the admin network's free IPs (its provision range)";
      out.push({
        ip,
        zone: { alias: l.alias, uuid: l.uuid, service: l.service },
        nicTag: n.nic_tag,
        ...(typeof n.netmask === 'string' ? { netmask: n.netmask } : {}),
        ...(typeof n['gateway'] === 'string' ? { gateway: n['gateway'] } : {}),
        from,
      });
    }
  }
  return out;
}
