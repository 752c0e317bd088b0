// PLATFORM_MISSING. A compute node PXE boots the platform CNAPI assigns it
// (boot_platform, handed to booter by GetBootParams: sdc-cnapi
// lib/models/server.js) from /tftpboot/os of a dhcpd zone, which is its
// headnode's /usbkey/os (sdc-headnode config/sapi/services/dhcpd/service.json;
// sdc-booter lib/menulst.js). A platform only the dead primary's key held is
// gone until it is put on a survivor's key. Pure.
import type { Problem } from './problem.js';
import type { UsbkeyFact } from './usbkey-problems.js';

type Mode = 'readiness' | 'disaster';

export interface CnBoot {
  hostname: string;
  uuid: string;
  /** CNAPI boot_platform (current_platform when unset). */
  platform: string;
}

/** At most this many compute nodes are named in a message; the rest are counted. */
const NAMED = 8;

function names(cns: readonly CnBoot[]): string {
  const shown = cns.slice(0, NAMED).map((c) => c.hostname);
  return cns.length > NAMED ? `${shown.join(', ')} and ${cns.length - NAMED} more` : shown.join(', ');
}

const holds = (k: UsbkeyFact, platform: string): boolean =>
  platform === 'latest' ? k.latest === true : (k.platforms ?? []).includes(platform);
function listing(k: UsbkeyFact): string {
  if (k.present === false) return `${k.hostname}: no /usbkey/os`;
  if (k.platforms === undefined) return `${k.hostname}: not listed (${k.osWhy ?? 'no answer'})`;
  return `${k.hostname}: ${k.platforms.join(', ') || 'none'}`;
}

function installFix(host: string, platform: string, from: UsbkeyFact | undefined): string {
  const copy = from
    ? `copy it from ${from.hostname}: scp -rp ${from.adminIp ?? from.hostname}:/usbkey/os/${platform} /usbkey/os/, or `
    : '';
  return (
    `on ${host}: ${copy}install it on the USB key: sdcadm platform install <platform-${platform}.tgz or its image UUID>` +
    ` (needs SAPI), or /usbkey/scripts/install-platform.sh <URL or path of platform-${platform}.tgz>`
  );
}

/**
 * keys: the /usbkey of every live headnode (disaster: the survivors). Disaster:
 * critical for each platform no survivor holds. Readiness: a warning for each
 * platform no headnode holds, or only one while another lacks it.
 */
export function platformProblems(
  cns: readonly CnBoot[],
  keys: readonly UsbkeyFact[],
  mode: Mode,
  here: string,
): Problem[] {
  const byPlatform = new Map<string, CnBoot[]>();
  for (const c of cns) byPlatform.set(c.platform, [...(byPlatform.get(c.platform) ?? []), c]);
  const out: Problem[] = [];
  const seen = keys.map(listing).join('; ');
  for (const [platform, users] of [...byPlatform].sort(([a], [b]) => a.localeCompare(b))) {
    const holders = keys.filter((k) => holds(k, platform));
    const unknown = keys.filter((k) => k.platforms === undefined && k.present !== false);
    const who = `${users.length === 1 ? 'compute node' : `${users.length} compute nodes`} ${names(users)} boot${users.length === 1 ? 's' : ''}`;
    if (holders.length === 0 && unknown.length > 0) {
      out.push({
        severity: 'warning',
        code: 'PLATFORM_MISSING',
        message: `${who} platform ${platform}; no headnode's /usbkey/os known to hold it, and ${unknown.map((k) => k.hostname).join(', ')} could not be listed (${seen})`,
        fix: `check by hand: ls /usbkey/os on ${unknown.map((k) => k.hostname).join(', ')}`,
      });
      continue;
    }
    if (holders.length === 0) {
      const lacking = mode === 'disaster' ? keys.filter((k) => k.local) : keys;
      out.push({
        severity: mode === 'disaster' ? 'critical' : 'warning',
        code: 'PLATFORM_MISSING',
        message:
          `${who} platform ${platform}, which no ${mode === 'disaster' ? 'surviving ' : ''}headnode's /usbkey/os holds (${seen}): ` +
          `dhcpd cannot serve it, so ${users.length === 1 ? 'it does' : 'they do'} not boot again after a reboot or power loss`,
        fix:
          [
            ...lacking.map((k) => installFix(k.hostname, platform, undefined)),
            ...(lacking.length === 0 ? [installFix(here, platform, undefined)] : []),
          ].join('; ') +
          `; or assign them a platform ${here} holds: sdcadm platform assign <platform> ${users.length > NAMED ? '<servers>' : users.map((u) => u.hostname).join(' ')} (needs CNAPI)`,
      });
      continue;
    }
    if (mode !== 'readiness' || holders.length > 1 || unknown.length > 0) continue;
    const lacking = keys.filter((k) => !holds(k, platform) && k.present !== undefined);
    if (lacking.length === 0) continue;
    const only = holders[0]!;
    out.push({
      severity: 'warning',
      code: 'PLATFORM_MISSING',
      message: `${who} platform ${platform}, which only ${only.hostname}'s /usbkey/os holds (${seen}): if ${only.hostname} died, ${users.length === 1 ? 'it' : 'they'} could not boot again`,
      fix: lacking.map((k) => installFix(k.hostname, platform, only)).join('; '),
    });
  }
  return out;
}
