// A core zone's NICs as vmadm shows them. The scenario names the admin IP, an
// optional external IP and which of the two is primary; the live state keeps
// the NICs a zone was created with.
import { parseCidr } from '../../values/schemas.js';
import { macFor } from './physics.js';
import type { Scenario, ScenarioInstance, SimNic } from './scenario.js';

/** NIC tags every simulated server has (sysinfo "NIC Names": admin, external). */
export const SERVER_NIC_TAGS = new Set(['admin', 'external']);

/** The MAC of a zone's external NIC: stable, distinct from the admin NIC's. */
export function externalMacFor(uuid: string): string {
  const hex = uuid.replace(/-/g, '').slice(0, 10);
  return ['92', ...hex.match(/../g)!].join(':');
}

/**
 * The NICs a scenario instance has: net0 on admin, net1 on external when it has
 * an external IP. The admin NIC of dhcpd carries dhcp_server (sdc-headnode
 * scripts/sdc-deploy.js addNic, TOOLS-1966). MTU and network_uuid are what NAPI
 * pushes into every NIC (sdc-net-agent lib/nic-fsm.js).
 */
export function scenarioNics(
  state: Pick<Scenario, 'adminNetwork' | 'externalNetwork'>,
  inst: ScenarioInstance,
): SimNic[] {
  const admin: SimNic = {
    interface: 'net0',
    mac: inst.mac ?? macFor(inst.uuid),
    nic_tag: 'admin',
    ip: inst.adminIp,
    netmask: parseCidr(state.adminNetwork.subnet).netmask,
    vlan_id: 0,
    network_uuid: state.adminNetwork.uuid,
    mtu: 1500,
    ...(inst.service === 'dhcpd' ? { dhcp_server: true } : {}),
  };
  const nics = [admin];
  const ext = state.externalNetwork;
  if (inst.externalIp && ext) {
    nics.push({
      interface: 'net1',
      mac: externalMacFor(inst.uuid),
      nic_tag: 'external',
      ip: inst.externalIp,
      netmask: parseCidr(ext.subnet).netmask,
      vlan_id: ext.vlanId,
      gateway: ext.gateway,
      network_uuid: ext.uuid,
      mtu: 1500,
    });
  }
  const primary = inst.primaryNic === 'external' && nics[1] ? nics[1] : admin;
  primary.primary = true;
  return nics;
}

/** The zone's NICs now: what it was created with, else what the scenario says. */
export function nicsOf(state: Pick<Scenario, 'adminNetwork' | 'externalNetwork'>, inst: ScenarioInstance): SimNic[] {
  return inst.nics ?? scenarioNics(state, inst);
}

/** `vmadm get`'s rendering: ips[] beside ip, gateways[] beside gateway, primary only where set. */
export function vmadmNic(nic: SimNic): Record<string, unknown> {
  const prefix = nic.netmask ? maskBits(nic.netmask) : 32;
  return {
    interface: nic.interface,
    mac: nic.mac,
    vlan_id: nic.vlan_id,
    nic_tag: nic.nic_tag,
    ...(nic.gateway ? { gateway: nic.gateway, gateways: [nic.gateway] } : {}),
    ...(nic.netmask ? { netmask: nic.netmask } : {}),
    ip: nic.ip,
    ips: [`${nic.ip}/${prefix}`],
    ...(nic.mtu !== undefined ? { mtu: nic.mtu } : {}),
    ...(nic.network_uuid ? { network_uuid: nic.network_uuid } : {}),
    ...(nic.dhcp_server ? { dhcp_server: true } : {}),
    ...(nic.primary ? { primary: true } : {}),
  };
}

function maskBits(netmask: string): number {
  return netmask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}
