// Would each compute node PXE boot? Per compute node, the three things booter
// needs without the control plane (sdc-booter lib/bootparams.js, lib/cache.js;
// the Joyent us-east-1 postmortem of 2014: "the DHCP/TFTP system caches the
// state required"): a dhcpd zone running on a live headnode, its
// /tftpboot/cache/<mac>.json for the node's admin MAC (no file, no DHCP
// answer once CNAPI or NAPI fail), and the node's boot platform under that
// headnode's /usbkey/os (lofs-mounted on the zone's /tftpboot/os). DHCP offers
// are broadcast answers and the first wins, so every zone that would answer
// must hold the platform. The cache is required even while CNAPI and NAPI
// answer: a verdict must hold for the reboot after the one that loses them. Pure.
import type { UsbkeyFact } from './usbkey-problems.js';

export interface CnTarget {
  hostname: string;
  uuid: string;
  /** CNAPI boot_platform (current_platform when unset). */
  platform: string | undefined;
  /** Its admin NICs' MACs, as booter names cache files (00:0c:29:...). */
  adminMacs: readonly string[];
}

export interface BooterFact {
  alias: string;
  uuid: string;
  hostname: string;
  serverUuid: string | undefined;
  serverAlive: boolean;
  /** Its server alive and the zone not known to be stopped. */
  serving: boolean;
  /** MACs under its /tftpboot/cache; undefined when that could not be listed (cacheWhy). */
  cacheMacs: readonly string[] | undefined;
  cacheWhy?: string;
}

export type BootFailure = 'no-dhcpd' | 'no-cache' | 'platform';

export interface CnBootVerdict {
  hostname: string;
  uuid: string;
  /** true: it would boot; false: it would not (failure says why); null: cannot be told. */
  boots: boolean | null;
  failure?: BootFailure;
  /** Short words for the screen and the report: which zone answers it, or what fails. */
  why: string;
  /** The zones that would answer it (their aliases). */
  answeredBy: string[];
  platform?: string;
}

const holds = (k: UsbkeyFact, platform: string): boolean | undefined => {
  if (k.platforms === undefined) return k.present === false ? false : undefined;
  return platform === 'latest' ? k.latest === true : k.platforms.includes(platform);
};

/** The verdict for one compute node, from the dhcpd zones that remain (the others are lost). */
export function cnBootVerdict(
  cn: CnTarget,
  booters: readonly BooterFact[],
  keys: readonly UsbkeyFact[],
): CnBootVerdict {
  const base = { hostname: cn.hostname, uuid: cn.uuid, ...(cn.platform ? { platform: cn.platform } : {}) };
  const no = (failure: BootFailure, why: string, answeredBy: string[] = []): CnBootVerdict => ({
    ...base,
    boots: false,
    failure,
    why,
    answeredBy,
  });
  const unknown = (why: string): CnBootVerdict => ({ ...base, boots: null, why, answeredBy: [] });
  const live = booters.filter((b) => b.serving).sort((a, b) => a.alias.localeCompare(b.alias));
  if (live.length === 0)
    return no(
      'no-dhcpd',
      booters.length === 0
        ? 'no dhcpd zone'
        : `no dhcpd zone runs on a live headnode (${booters.map((b) => `${b.alias} on ${b.hostname}`).join(', ')})`,
    );
  if (cn.adminMacs.length === 0) return unknown('its admin MAC is not known (no admin NIC in CNAPI sysinfo)');
  const answering = live.filter((b) => b.cacheMacs?.some((m) => cn.adminMacs.includes(m)));
  const unlisted = live.filter((b) => b.cacheMacs === undefined);
  if (answering.length === 0) {
    if (unlisted.length > 0)
      return unknown(
        `booter cache of ${unlisted.map((b) => `${b.alias} on ${b.hostname}`).join(', ')} could not be listed (${unlisted.map((b) => b.cacheWhy ?? 'no answer').join('; ')})`,
      );
    return no(
      'no-cache',
      `no booter cache entry for its admin MAC (${cn.adminMacs.join(', ')}) in ${live.map((b) => `${b.alias} on ${b.hostname}`).join(', ')}: without CNAPI and NAPI no dhcpd answers it`,
    );
  }
  const names = answering.map((b) => b.alias);
  if (!cn.platform)
    return { ...unknown('its boot platform is not known (CNAPI has no boot_platform)'), answeredBy: names };
  const keyOf = (b: BooterFact): UsbkeyFact | undefined =>
    keys.find((k) => (b.serverUuid !== undefined && k.uuid === b.serverUuid) || k.hostname === b.hostname);
  const lacking = answering.filter((b) => {
    const k = keyOf(b);
    return k !== undefined && holds(k, cn.platform!) === false;
  });
  if (lacking.length > 0) {
    return no(
      'platform',
      `${lacking.map((b) => `${b.alias} on ${b.hostname}`).join(', ')} would answer it, but the /usbkey/os of ${lacking.map((b) => b.hostname).join(', ')} lacks its platform ${cn.platform}`,
      names,
    );
  }
  const untold = answering.filter((b) => {
    const k = keyOf(b);
    return k === undefined || holds(k, cn.platform!) === undefined;
  });
  if (untold.length > 0)
    return {
      ...unknown(`/usbkey/os of ${untold.map((b) => b.hostname).join(', ')} could not be listed`),
      answeredBy: names,
    };
  return {
    ...base,
    boots: true,
    why: `${answering.map((b) => `${b.alias} on ${b.hostname}`).join(', ')} answer${answering.length === 1 ? 's' : ''} from its cache; platform ${cn.platform} there`,
    answeredBy: names,
  };
}

/** Every compute node's verdict with these zones, sorted by hostname. */
export function cnBootVerdicts(
  cns: readonly CnTarget[],
  booters: readonly BooterFact[],
  keys: readonly UsbkeyFact[],
): CnBootVerdict[] {
  return [...cns].sort((a, b) => a.hostname.localeCompare(b.hostname)).map((cn) => cnBootVerdict(cn, booters, keys));
}
