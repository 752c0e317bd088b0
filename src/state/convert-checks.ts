// Can this compute node become a secondary headnode? The checks of the unmerged
// `sdcadm server headnode-setup` prototype (RFD 67 M0; reference A3), as pure
// rules over gathered facts.

export type ConvertCode =
  | 'SERVER_UNKNOWN'
  | 'SERVER_DOWN'
  | 'ALREADY_HEADNODE'
  | 'NOT_SET_UP'
  | 'PLATFORM_TOO_OLD'
  | 'GZ_TOOLS_TOO_OLD'
  | 'GZ_TOOLS_UNKNOWN'
  | 'DHCPD_TOO_OLD'
  | 'VMAPI_TOO_OLD'
  | 'SAPI_NOT_FULL'
  | 'MANATEE_NOT_HEALTHY'
  | 'MANY_HEADNODES'
  | 'CUSTOMER_VMS'
  /** A core zone a step needs (assets, dhcpd, sdc) is not running. */
  | 'CORE_ZONE_MISSING';

export interface ConvertProblem {
  severity: 'critical' | 'warning';
  code: ConvertCode;
  message: string;
  fix?: string;
}

export interface ConvertFacts {
  /** What the operator typed: a hostname or a UUID. */
  query: string;
  /** Set when CNAPI could not be asked at all. */
  cnapiError?: string;
  target?: { uuid: string; hostname: string; headnode: boolean; setup: boolean; alive: boolean; platform?: string };
  /** gz-tools on the headnode whose USB key is copied (host). */
  gzTools: { host?: string; version?: string; why?: string };
  sapiMode: { mode?: string; why?: string };
  headnodes: string[];
  /** When the target holds a manatee peer: how many peers have postgres ok. */
  manatee?: { alias: string; peersOk?: number; why?: string };
  customerVms?: number;
  /** The dhcpd zones and their image versions (unknown: no version). */
  dhcpd?: { alias: string; version?: string }[];
  /** The vmapi zones and their image versions (unknown: no version). */
  vmapi?: { alias: string; version?: string }[];
}

/** Platform with OS-6160 (fs-joyent on a converted node): built on or after 20170830. */
export const MIN_PLATFORM = '20170830';
/** gz-tools with HEAD-2343 (headnode.sh on a converted CN): built after 20170118. */
export const MIN_GZ_TOOLS = '20170118';
/**
 * dhcpd with NET-371 (hn-netfile for a headnode not named "headnode", sdc-booter
 * 0e513df, 2017-05-18) and NET-376 (hn-netfile for a server that is not yet a
 * headnode, which is what the conversion asks it: sdc-booter 554cb97,
 * 2017-09-07T18:30Z; first build master-20170907T183323Z, RFD 67 "Code").
 */
export const MIN_DHCPD = '20170907T183323Z';
/**
 * vmapi with ZAPI-800 (the provision workflow no longer takes the headnode's
 * UUID as the waitlist placeholder server, wrong once there are several):
 * sdc-vmapi 3c161c1, 2017-10-06T22:44:17Z. The conversion provisions zones.
 */
export const MIN_VMAPI = '20171006T224417Z';
/** The prototype asks before going past four headnodes; RFD 67 recommends three. */
export const MAX_HEADNODES = 4;

/** The YYYYMMDD build date in "20170830T..." or "master-20170118T...-g...". */
export function buildDate(version: string | undefined): string | undefined {
  return /(\d{8})T\d{6}Z/.exec(version ?? '')?.[1];
}

/** The full build stamp, "20170907T183323Z", of such a version. */
export function buildStamp(version: string | undefined): string | undefined {
  return /\d{8}T\d{6}Z/.exec(version ?? '')?.[0];
}

/** Zones whose image build is older than `min`; an unknown version is not counted (it is not said to be old). */
function olderThan(
  zones: { alias: string; version?: string }[] | undefined,
  min: string,
): { alias: string; version?: string }[] {
  return (zones ?? []).filter((d) => (buildStamp(d.version) ?? '99999999T999999Z') < min);
}

export function convertProblems(f: ConvertFacts): ConvertProblem[] {
  const out: ConvertProblem[] = [];
  const t = f.target;
  if (!t) {
    return f.cnapiError
      ? [
          {
            severity: 'critical',
            code: 'SERVER_UNKNOWN',
            message: `cannot look "${f.query}" up: CNAPI did not answer (${f.cnapiError})`,
            fix: 'is cnapi0 running? (triton-recover check; if the primary is dead, restore first)',
          },
        ]
      : [
          {
            severity: 'critical',
            code: 'SERVER_UNKNOWN',
            message: `no server "${f.query}" in CNAPI (by hostname or UUID)`,
            fix: 'check the name with sdc-server list, or use the server UUID',
          },
        ];
  }
  if (t.headnode) {
    out.push({
      severity: 'critical',
      code: 'ALREADY_HEADNODE',
      message: `${t.hostname} (${t.uuid}) is already a headnode: nothing to convert`,
    });
    return out;
  }
  if (!t.alive)
    out.push({
      severity: 'critical',
      code: 'SERVER_DOWN',
      message: `${t.hostname} does not answer (CNAPI status not running)`,
      fix: `bring ${t.hostname} up first`,
    });
  if (!t.setup) {
    out.push({
      severity: 'critical',
      code: 'NOT_SET_UP',
      message: `${t.hostname} is not set up: converting an unsetup compute node is not supported (the prototype stops here too)`,
      fix: `set it up as a compute node first (sdc-server setup ${t.uuid})`,
    });
  }
  const plat = buildDate(t.platform);
  if (!plat || plat < MIN_PLATFORM) {
    out.push({
      severity: 'critical',
      code: 'PLATFORM_TOO_OLD',
      message: `${t.hostname} runs platform ${t.platform ?? 'unknown'}: a headnode needs ${MIN_PLATFORM} or later (OS-6160)`,
      fix: `sdcadm platform assign <newer> ${t.hostname}, then reboot it`,
    });
  }
  const tools = buildDate(f.gzTools.version);
  if (!f.gzTools.version || !tools) {
    const on = f.gzTools.host ?? 'the headnode whose USB key is copied';
    out.push({
      severity: 'warning',
      code: 'GZ_TOOLS_UNKNOWN',
      message: `cannot tell the gz-tools build on ${on} (its USB key is copied to ${t.hostname}): ${f.gzTools.why ?? 'no version'}`,
      fix: `check /opt/smartdc/etc/gz-tools.image on ${on} names a build after ${MIN_GZ_TOOLS}`,
    });
  } else if (tools <= MIN_GZ_TOOLS) {
    out.push({
      severity: 'critical',
      code: 'GZ_TOOLS_TOO_OLD',
      message: `gz-tools on ${f.gzTools.host ?? 'the source headnode'} (copied to ${t.hostname}'s key) are ${f.gzTools.version}: builds after ${MIN_GZ_TOOLS} are needed (HEAD-2343)`,
      fix: `sdcadm experimental update-gz-tools --latest, on ${f.gzTools.host ?? 'that headnode'}`,
    });
  }
  const oldDhcpd = olderThan(f.dhcpd, MIN_DHCPD);
  if (oldDhcpd.length > 0) {
    out.push({
      severity: 'critical',
      code: 'DHCPD_TOO_OLD',
      message: `${oldDhcpd.map((d) => `${d.alias} (${d.version ?? ''})`).join(', ')}: dhcpd builds from ${MIN_DHCPD} on are needed for ${t.hostname}'s networking.json (NET-371, NET-376: hn-netfile for a server not yet a headnode)`,
      fix: 'sdcadm update dhcpd (then check with sdcadm instances dhcpd)',
    });
  }
  const oldVmapi = olderThan(f.vmapi, MIN_VMAPI);
  if (oldVmapi.length > 0) {
    out.push({
      severity: 'critical',
      code: 'VMAPI_TOO_OLD',
      message: `${oldVmapi.map((d) => `${d.alias} (${d.version ?? ''})`).join(', ')}: vmapi builds from ${MIN_VMAPI} on are needed to provision ${t.hostname}'s core zones with several headnodes (ZAPI-800)`,
      fix: 'sdcadm update vmapi (then check with sdcadm instances vmapi)',
    });
  }
  if (f.sapiMode.mode !== 'full') {
    out.push({
      severity: 'critical',
      code: 'SAPI_NOT_FULL',
      message: f.sapiMode.mode
        ? `SAPI is in ${f.sapiMode.mode} mode: headnode setup needs full mode`
        : `cannot ask SAPI its mode: ${f.sapiMode.why ?? 'no answer'}`,
      fix: f.sapiMode.mode
        ? 'finish the DC setup (SAPI switches to full mode at the end of headnode setup)'
        : 'is sapi0 running and healthy?',
    });
  }
  if (f.manatee && (f.manatee.peersOk ?? 0) < 3) {
    out.push({
      severity: 'critical',
      code: 'MANATEE_NOT_HEALTHY',
      message: `${t.hostname} holds manatee peer ${f.manatee.alias}, and the shard is not healthy with 3 peers (${f.manatee.peersOk ?? 'unknown'} with postgres ok${f.manatee.why ? `; ${f.manatee.why}` : ''}): its reboots would stop writes`,
      fix: 'make manatee-adm pg-status show 3 healthy peers first',
    });
  }
  if (f.headnodes.length + 1 > MAX_HEADNODES) {
    out.push({
      severity: 'warning',
      code: 'MANY_HEADNODES',
      message: `the DC would have ${f.headnodes.length + 1} headnodes (${f.headnodes.join(', ')}, ${t.hostname}); 3 are recommended`,
    });
  }
  if ((f.customerVms ?? 0) > 0) {
    out.push({
      severity: 'warning',
      code: 'CUSTOMER_VMS',
      message: `${t.hostname} runs ${f.customerVms} VM(s) not owned by admin: they share the server with the core zones a headnode runs, and go through its two reboots`,
    });
  }
  return out;
}
