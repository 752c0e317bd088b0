// Where a NIC's IP sits on the network its tag puts it on: a host address,
// the network or broadcast address, or outside the subnet. NAPI refuses a NIC
// outside its subnet; nothing on the segment reaches one that is not a host address.
import { Ipv4, ipToInt, parseCidr } from '../../values/schemas.js';
import type { Scenario, SimNic } from './scenario.js';

type Networks = Pick<Scenario, 'adminNetwork' | 'externalNetwork'>;

/**
 * Whether a zone NIC's IP is a host address of the network its tag puts it on
 * (inside the subnet, not its network or broadcast address). One that is not
 * is configured inside the zone, but nothing on the segment reaches it: hosts
 * send off-subnet traffic to their router, which does not route it back onto
 * the admin VLAN (and NAPI refuses such a NIC, see registerNic).
 */
export function onItsSegment(nets: Networks, nic: SimNic): boolean {
  const where = placeIn(nets, nic);
  return where === 'host' || where === 'no-network';
}

/** Inside the subnet of the network its tag puts it on (NAPI's own test, see registerNic). */
export function inSubnet(nets: Networks, nic: SimNic): boolean {
  return placeIn(nets, nic) !== 'outside';
}

function placeIn(nets: Networks, nic: SimNic): 'host' | 'network-or-broadcast' | 'outside' | 'no-network' {
  const net =
    nic.nic_tag === 'admin' ? nets.adminNetwork : nic.nic_tag === 'external' ? nets.externalNetwork : undefined;
  if (!net) return 'no-network';
  if (!Ipv4.safeParse(nic.ip).success) return 'outside';
  const c = parseCidr(net.subnet);
  const n = ipToInt(nic.ip);
  if ((n & ipToInt(c.netmask)) >>> 0 !== c.network) return 'outside';
  return n === c.network || n === c.broadcast ? 'network-or-broadcast' : 'host';
}
