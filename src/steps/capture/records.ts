// vmadm's NICs and NAPI's networks as capture's readings keep them: every
// field the scenario's NIC and network have, nothing else.
import type { NapiNetwork } from '../../remote/triton/napi.js';
import type { VmadmVm } from '../../remote/triton/vmadm.js';
import type { CapturedNetwork, CapturedNic } from '../../state/capture.js';

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function nicOf(n: VmadmVm['nics'][number], i: number): CapturedNic | undefined {
  const ip = n.ip ?? n.ips?.[0]?.split('/')[0];
  if (!ip) return undefined;
  const extra = n as Record<string, unknown>;
  const vlan = num(extra['vlan_id']);
  const gateway = str(extra['gateway']);
  const net = str(extra['network_uuid']);
  const mtu = num(extra['mtu']);
  return {
    interface: n.interface ?? `net${i}`,
    mac: n.mac,
    nic_tag: n.nic_tag,
    ip,
    ...(n.netmask ? { netmask: n.netmask } : {}),
    ...(vlan !== undefined ? { vlan_id: vlan } : {}),
    ...(gateway ? { gateway } : {}),
    ...(net ? { network_uuid: net } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
    ...(n.primary ? { primary: true } : {}),
    ...(extra['dhcp_server'] === true ? { dhcp_server: true } : {}),
  };
}

export function networkOf(n: NapiNetwork): CapturedNetwork | undefined {
  if (!n.gateway) return undefined;
  return {
    uuid: n.uuid,
    subnet: n.subnet,
    gateway: n.gateway,
    provisionStartIp: n.provision_start_ip,
    provisionEndIp: n.provision_end_ip,
    vlanId: n.vlan_id,
  };
}
