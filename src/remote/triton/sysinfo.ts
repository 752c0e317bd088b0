// `sysinfo` in a GZ (facts C5). Also the `sysinfo` member of CNAPI server records.
import { z } from 'zod';
import type { Host } from '../host.js';
import { Uuid } from '../../values/schemas.js';
import { type CallOptions, QUICK_TIMEOUT_MS, runChecked, runOptions } from './command.js';
import { parseJson } from './parse.js';

const SysinfoNic = z.looseObject({
  'MAC Address': z.string(),
  // '' when the NIC has no address (sample: the external NIC of a HN).
  ip4addr: z.string(),
  'NIC Names': z.array(z.string()).optional(),
});

const SysinfoVnic = z.looseObject({
  'MAC Address': z.string(),
  ip4addr: z.string(),
  'Host Interface': z.string().optional(),
  VLAN: z.string().optional(),
});

// Aggregations can carry the admin tag (TRITON-29); only the fields adminIpOf reads.
const SysinfoAggr = z.looseObject({
  ip4addr: z.string().optional(),
  'NIC Names': z.array(z.string()).optional(),
});

export const Sysinfo = z.looseObject({
  UUID: Uuid,
  Hostname: z.string().min(1),
  'Boot Parameters': z.record(z.string(), z.string()),
  // A string "true"/"false" in every sample; some consumers write a boolean.
  // Absent on platforms built before 2013-01-18 (smartos-live src/sysinfo, OS-1824):
  // CNAPI still lists such servers, and its own `setup` field is what counts.
  Setup: z.union([z.enum(['true', 'false']), z.boolean()]).optional(),
  'Live Image': z.string(),
  'Network Interfaces': z.record(z.string(), SysinfoNic),
  'Admin IP': z.string().optional(),
  /** Seconds since the epoch, as a string. */
  'Boot Time': z.string().regex(/^\d+$/).optional(),
  'SDC Version': z.string().optional(),
  'Datacenter Name': z.string().optional(),
  'Virtual Network Interfaces': z.record(z.string(), SysinfoVnic).optional(),
  'Link Aggregations': z.record(z.string(), SysinfoAggr).optional(),
});
export type Sysinfo = z.infer<typeof Sysinfo>;

export function parseSysinfo(text: string): Sysinfo {
  return parseJson('sysinfo', Sysinfo, text);
}

export async function getSysinfo(host: Host, opts: CallOptions = {}): Promise<Sysinfo> {
  const res = await runChecked(host, ['sysinfo'], runOptions(opts, QUICK_TIMEOUT_MS));
  return parseSysinfo(res.stdout);
}

/** headnode=true in the boot parameters is what makes a HN (RFD appendix, facts A3). */
export function isHeadnode(s: Sysinfo): boolean {
  return s['Boot Parameters'].headnode === 'true';
}

/** When the server last booted (epoch ms), if sysinfo says. */
export function bootTimeMs(s: Sysinfo): number | undefined {
  return s['Boot Time'] === undefined ? undefined : Number(s['Boot Time']) * 1000;
}

/** MAC of the physical NIC carrying this NIC tag. */
export function macOfTag(s: Sysinfo, tag: string): string | undefined {
  return Object.values(s['Network Interfaces']).find((n) => n['NIC Names']?.includes(tag))?.['MAC Address'];
}

/** undefined when the platform predates the key: ask CNAPI's `setup` field instead. */
export function isSetUp(s: Sysinfo): boolean | undefined {
  if (s.Setup === undefined) return undefined;
  return s.Setup === true || s.Setup === 'true';
}

/** 'Admin IP' (newer platforms), else the address of the NIC or aggr tagged admin. */
export function adminIpOf(s: Sysinfo): string | undefined {
  const explicit = s['Admin IP'];
  if (explicit) return explicit;
  const tagged = [...Object.values(s['Network Interfaces']), ...Object.values(s['Link Aggregations'] ?? {})];
  for (const nic of tagged) {
    if (nic['NIC Names']?.includes('admin') && nic.ip4addr) return nic.ip4addr;
  }
  return undefined;
}
