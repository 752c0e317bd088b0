// A `vmadm get` dump in restore-data, as the restore uses it: stricter than
// VmadmVm (which also parses live zones of any customer). Every value the
// restore copies into a `vmadm create` payload, a plan or a message is checked
// here, so `10.99.99.30; touch x` as an IP or a control character in an alias
// makes the dump unusable (a named problem), never a command.
import { z } from 'zod';
import { Alias, Ipv4, Mac, ServiceName, Uuid } from '../../values/schemas.js';
import { SapiInstance, SapiService } from './sapi.js';
import { VmadmNic, VmadmVm } from './vmadm.js';

/** NAPI nic tag names ([a-zA-Z0-9_], at most 31), or a fabric's sdc_overlay/<vnet id>. */
export const NicTag = z.string().regex(/^[A-Za-z0-9_]{1,31}(\/[0-9]{1,8})?$/, 'not a nic tag');
/** vmadm's nics.*.ip: an address, or "dhcp" / "addrconf". */
export const NicIp = z.union([Ipv4, z.enum(['dhcp', 'addrconf'])], { error: 'not an IPv4 address, dhcp or addrconf' });
const Ipv4Cidr = z
  .string()
  .regex(/^[0-9.]+\/([0-9]|[12][0-9]|3[0-2])$/, 'not an IPv4 address/prefix')
  .refine((s) => Ipv4.safeParse(s.split('/')[0]).success, 'not an IPv4 address/prefix');
const Ipv6Cidr = z.string().regex(/^[0-9a-fA-F:]{2,39}\/([0-9]{1,3})$/, 'not an IPv6 address/prefix');
/** vmadm's nics.*.ips: address/prefix (v4 or v6), or "dhcp" / "addrconf". */
export const NicIps = z.array(
  z.union([Ipv4Cidr, Ipv6Cidr, z.enum(['dhcp', 'addrconf'])], { error: 'not an address/prefix, dhcp or addrconf' }),
);

export const DumpNic = VmadmNic.extend({
  interface: z
    .string()
    .regex(/^net[0-9]{1,3}$/, 'not a NIC interface name (netN)')
    .optional(),
  mac: Mac,
  nic_tag: NicTag,
  ip: NicIp.optional(),
  ips: NicIps.optional(),
  netmask: Ipv4.optional(),
  gateway: Ipv4.optional(),
  gateways: z.array(Ipv4).optional(),
  vlan_id: z.number().int().min(0).max(4095).optional(),
  mtu: z.number().int().min(576).max(9000).optional(),
  network_uuid: Uuid.optional(),
});

export const VmDump = VmadmVm.extend({
  alias: Alias.optional(),
  brand: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'not a zone brand'),
  nics: z.array(DumpNic),
  // smartdc_role names the service the zone is restored as (paths, plan, messages).
  tags: z.looseObject({ smartdc_role: ServiceName.optional() }).optional(),
});
export type VmDump = z.infer<typeof VmDump>;

/** dc/services.json: a service name becomes a directory name and a word in every message. */
export const DumpSapiService = SapiService.extend({ name: ServiceName });

/** svc-<name>/sapi-instances.json: the alias is shown and used to name zones. */
export const DumpSapiInstance = SapiInstance.extend({
  params: z.looseObject({ alias: Alias.optional(), server_uuid: Uuid.optional() }).optional(),
});
