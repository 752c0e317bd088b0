// Where each core API answers now. SAPI's `<svc>_admin_ips` metadata is the
// setup-time copy of /usbkey/config (sdc-init.js): stale once an API instance
// is replaced with a new IP. The instances SAPI lists and their admin NIC (from
// vmadm on this headnode, or VMAPI) say where they run now; the metadata is the
// last resort, and the caller says when it was used.
import type { SapiApplication, SapiInstance, SapiService } from '../../remote/triton/sapi.js';
import type { VmadmNic } from '../../remote/triton/vmadm.js';
import { Ipv4 } from '../../values/schemas.js';

/** `<svc>_admin_ips` of the sdc application's metadata, as base URLs. */
export function apiUrls(app: SapiApplication | undefined, svc: string): string[] {
  const v = app?.metadata?.[`${svc}_admin_ips`];
  if (typeof v !== 'string') return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => Ipv4.safeParse(s).success)
    .map((ip) => `http://${ip}`);
}

interface WithNics {
  uuid: string;
  nics: readonly VmadmNic[];
}

/** Zone uuid -> its admin NIC's IPv4 (nic_tag admin), from vmadm or VMAPI records. */
export function adminIpsByZone(vms: readonly WithNics[], into = new Map<string, string>()): Map<string, string> {
  for (const v of vms) {
    const ip = v.nics.find((n) => n.nic_tag === 'admin' && Ipv4.safeParse(n.ip).success)?.ip;
    if (ip && !into.has(v.uuid)) into.set(v.uuid, ip);
  }
  return into;
}

export interface ApiAddresses {
  urls: string[];
  /** The URLs from admin NICs (the rest of urls is the metadata's). */
  live: string[];
  /** Set when only the setup-time metadata was left: said in dc/synced.json's warnings. */
  fallback?: string;
}

/** Base URLs of service `svc`: its SAPI instances' admin IPs, else `<svc>_admin_ips`. */
export function apiAddresses(
  svc: string,
  services: readonly SapiService[],
  instances: readonly SapiInstance[],
  adminIps: ReadonlyMap<string, string>,
  app: SapiApplication | undefined,
): ApiAddresses {
  const svcUuid = services.find((s) => s.name === svc)?.uuid;
  const live = instances
    .filter((i) => i.service_uuid === svcUuid)
    .map((i) => adminIps.get(i.uuid))
    .filter((ip): ip is string => ip !== undefined)
    .map((ip) => `http://${ip}`);
  const meta = apiUrls(app, svc);
  if (live.length > 0) return { urls: [...new Set([...live, ...meta])], live };
  return {
    urls: meta,
    live,
    fallback: `no admin NIC known for a ${svc} instance (neither vmadm here nor VMAPI said): ${svc} is looked for at the setup-time ${svc}_admin_ips (${meta.join(', ') || 'none'})`,
  };
}

/** Said when the API answered only at a metadata address though its instances' NICs were known. */
export function answeredAt(svc: string, a: ApiAddresses, base: string): string | undefined {
  return a.live.length > 0 && !a.live.includes(base)
    ? `${svc} did not answer at ${a.live.join(', ')} (its instances' admin NICs) but at ${base}, from the setup-time ${svc}_admin_ips`
    : undefined;
}
