// NAPI's admin network, NIC and IP records.
import type { SimWorld } from '../world.js';
import { binderIps, netmaskOf } from './common.js';
import type { Scenario } from '../scenario.js';
import { parseCidr } from '../../../values/schemas.js';

type NetworkFacts = Scenario['adminNetwork'];

/** A NAPI network object as GET /networks returns it (one shape for admin and external). */
function networkRecord(
  world: SimWorld,
  n: NetworkFacts,
  o: { name: string; vlanId: number; description: string },
): Record<string, unknown> {
  return {
    uuid: n.uuid,
    name: o.name,
    nic_tag: o.name,
    vlan_id: o.vlanId,
    family: 'ipv4',
    subnet: n.subnet,
    netmask: parseCidr(n.subnet).netmask,
    gateway: n.gateway,
    provision_start_ip: n.provisionStartIp,
    provision_end_ip: n.provisionEndIp,
    resolvers: binderIps(world),
    routes: {},
    owner_uuids: [world.state.datacenter.adminUuid],
    mtu: 1500,
    description: o.description,
  };
}

export function napiNetwork(world: SimWorld): Record<string, unknown> {
  return networkRecord(world, world.state.adminNetwork, { name: 'admin', vlanId: 0, description: 'admin network' });
}

/**
 * The external network, when the scenario has one: NAPI lists it beside admin
 * (TritonDataCenter/sdc-napi docs/index.md, ListNetworks example: "admin" and
 * "external"; sdc-headnode's setup creates both from /usbkey/config).
 */
export function napiExternalNetwork(world: SimWorld): Record<string, unknown> | undefined {
  const n = world.state.externalNetwork;
  if (!n) return undefined;
  return networkRecord(world, n, { name: 'external', vlanId: n.vlanId, description: 'external network' });
}

export function napiNic(world: SimWorld, nic: SimWorld['state']['sim']['napiNics'][number]): Record<string, unknown> {
  return {
    mac: nic.mac,
    ip: nic.ip,
    netmask: netmaskOf(world),
    vlan_id: 0,
    nic_tag: 'admin',
    primary: true,
    owner_uuid: nic.owner_uuid,
    belongs_to_uuid: nic.belongs_to_uuid,
    belongs_to_type: nic.belongs_to_type,
    network_uuid: world.state.adminNetwork.uuid,
    state: 'running',
    mtu: 1500,
    resolvers: binderIps(world),
    cn_uuid: nic.belongs_to_type === 'server' ? nic.belongs_to_uuid : undefined,
  };
}

/** Every IP of the admin network that NAPI has a record for. */
export function napiIps(world: SimWorld): Record<string, unknown>[] {
  const net = world.state.adminNetwork.uuid;
  const out = new Map<string, Record<string, unknown>>();
  out.set(world.state.adminNetwork.gateway, {
    ip: world.state.adminNetwork.gateway,
    network_uuid: net,
    reserved: true,
    free: false,
    belongs_to_type: 'other',
    belongs_to_uuid: world.state.datacenter.adminUuid,
    owner_uuid: world.state.datacenter.adminUuid,
  });
  for (const ip of world.state.sim.napiReservedIps) {
    out.set(ip, { ip, network_uuid: net, reserved: true, free: false, owner_uuid: world.state.datacenter.adminUuid });
  }
  for (const nic of world.state.sim.napiNics) {
    out.set(nic.ip, {
      ip: nic.ip,
      network_uuid: net,
      reserved: world.state.sim.napiReservedIps.includes(nic.ip),
      free: false,
      belongs_to_type: nic.belongs_to_type,
      belongs_to_uuid: nic.belongs_to_uuid,
      owner_uuid: nic.owner_uuid,
    });
  }
  return [...out.values()].sort((a, b) => ipSort(String(a['ip']), String(b['ip'])));
}

function ipSort(a: string, b: string): number {
  const n = (s: string): number => s.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
  return n(a) - n(b);
}
