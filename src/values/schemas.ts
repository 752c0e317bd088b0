// Schemas for every value that may reach a command line or a URL. Nothing from a
// scenario, restore-data, an API or the operator is used in an argv before it
// passed one of these.
import { z } from 'zod';

export const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a UUID');
export const Ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, 'not an IPv4 address');
export const Hostname = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, 'not a valid hostname');
/** Zone aliases: sapi0, cloudapi1, portolan0 ... */
export const Alias = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'not a valid alias');
export const ServiceName = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'not a valid service name');
export const DatasetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*(@[A-Za-z0-9_.:-]+)?$/, 'not a valid ZFS dataset name')
  .refine((s) => !s.includes('..'), 'ZFS dataset name with ..');
export const Mac = z.string().regex(/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i, 'not a MAC address');

export type Uuid = z.infer<typeof Uuid>;
export type Ipv4 = z.infer<typeof Ipv4>;

export function ipToInt(ip: string): number {
  const p = Ipv4.parse(ip).split('.').map(Number);
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** 10.99.99.0/24 -> {network, prefix, netmask, broadcast} */
export function parseCidr(cidr: string): { network: number; prefix: number; netmask: string; broadcast: number } {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!m) throw new Error(`not a CIDR subnet: ${cidr}`);
  const prefix = Number(m[2]);
  if (prefix > 32) throw new Error(`not a CIDR subnet: ${cidr}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (ipToInt(m[1]!) & mask) >>> 0;
  return { network, prefix, netmask: intToIp(mask), broadcast: (network | (~mask >>> 0)) >>> 0 };
}
