// /usbkey on the headnodes: assets and dhcpd serve compute nodes their
// platform (/usbkey/os) and setup files (/usbkey/extra) from it. Pure: each
// takes facts already gathered.
import type { Mode } from './headnode-problems.js';
import type { Problem } from './problem.js';

/**
 * What compute node setup fetches from assets, which serves /usbkey/extra:
 * joysetup/{node.config,joysetup.sh,agentsetup.sh} (sdc-cnapi
 * lib/workflows/server-setup.js), joysetup/cn_tools.tar.gz and agents/latest
 * (sdc-headnode scripts/agentsetup.sh). headnode.sh fills agents/ only when it
 * installs the agents itself, which a converted compute node skips (RFD 67 M0).
 */
export const USBKEY_EXTRA_NEEDED = [
  'joysetup/node.config',
  'joysetup/joysetup.sh',
  'joysetup/agentsetup.sh',
  'joysetup/cn_tools.tar.gz',
  'agents/latest',
] as const;

export interface UsbkeyFact {
  hostname: string;
  local: boolean;
  /** `test -d /usbkey/os` exit 0; undefined when it could not be run. */
  present: boolean | undefined;
  why?: string;
  uuid?: string;
  adminIp?: string | undefined;
  /** `ls -1 /usbkey/os` without `latest`; undefined when it could not be listed (osWhy says why). */
  platforms?: string[] | undefined;
  /** /usbkey/os/latest is there (a CN assigned "latest" boots it). */
  latest?: boolean;
  osWhy?: string;
  /** Entries of USBKEY_EXTRA_NEEDED absent here, and those whose presence could not be told. */
  extraMissing?: string[];
  extraUnknown?: string[];
}

/**
 * assets and dhcpd lofs-mount /usbkey/os and /usbkey/extra (facts F4).
 * Disaster: the services to restore here need this headnode's /usbkey.
 * Readiness: every headnode should have one (warning).
 */
export function usbkeyProblems(
  facts: readonly UsbkeyFact[],
  mode: Mode,
  servicesNeeding: readonly string[],
): Problem[] {
  const out: Problem[] = [];
  const fixFor = (host: string): string =>
    `fill /usbkey on ${host}: copy /usbkey/os, /usbkey/extra and /usbkey/images from a headnode that has them`;
  for (const f of facts) {
    if (f.present === true) {
      out.push(...extraProblems(f, facts, mode, servicesNeeding));
      continue;
    }
    if (f.present === undefined) {
      if (f.local && servicesNeeding.length > 0) {
        out.push({
          severity: 'warning',
          code: 'USBKEY_MISSING',
          message: `could not tell whether ${f.hostname} has a filled /usbkey (test -d /usbkey/os: ${f.why ?? 'no answer'}); ${servicesNeeding.join(', ')} need it`,
          fix: `check by hand on ${f.hostname}: ls /usbkey/os /usbkey/extra`,
        });
      }
      continue;
    }
    if (mode === 'disaster' && f.local && servicesNeeding.length > 0) {
      for (const svc of servicesNeeding) {
        out.push({
          severity: 'critical',
          code: 'USBKEY_MISSING',
          service: svc,
          message: `${f.hostname} has no filled /usbkey (/usbkey/os is missing): ${svc} lofs-mounts /usbkey/os and /usbkey/extra, so it cannot be restored here`,
          fix: fixFor(f.hostname),
        });
      }
      continue;
    }
    if (mode === 'disaster' && !f.local) continue;
    out.push({
      severity: 'warning',
      code: 'USBKEY_MISSING',
      message: `${f.hostname} has no filled /usbkey (/usbkey/os is missing): assets and dhcpd cannot run there${
        f.local && servicesNeeding.length > 0
          ? `, so ${servicesNeeding.join(', ')} could not be restored from here`
          : ''
      }`,
      fix: fixFor(f.hostname),
    });
  }
  return out;
}

/**
 * A filled /usbkey that lacks what compute node setup downloads from assets
 * (USBKEY_EXTRA_NEEDED): new compute nodes cannot be set up and agents not
 * installed from it. Readiness: every headnode; disaster: this one, where assets
 * is restored. A warning: the restore itself does not need these files.
 */
function extraProblems(
  f: UsbkeyFact,
  facts: readonly UsbkeyFact[],
  mode: Mode,
  servicesNeeding: readonly string[],
): Problem[] {
  if (mode === 'disaster' && !f.local) return [];
  const missing = f.extraMissing ?? [];
  const unknown = f.extraUnknown ?? [];
  if (missing.length === 0 && !(f.local && unknown.length > 0)) return [];
  const assetsHere = f.local && servicesNeeding.includes('assets');
  if (missing.length === 0) {
    return [
      {
        severity: 'warning',
        code: 'USBKEY_MISSING',
        message: `could not tell whether ${f.hostname}'s /usbkey/extra holds ${unknown.join(', ')} (compute node setup downloads them from assets)`,
        fix: `check by hand on ${f.hostname}: ls -l ${unknown.map((p) => `/usbkey/extra/${p}`).join(' ')}`,
      },
    ];
  }
  const donor = facts.find(
    (o) => o !== f && o.present === true && (o.extraMissing ?? []).length === 0 && (o.extraUnknown ?? []).length === 0,
  );
  const from = donor ? `${donor.adminIp ?? donor.hostname}` : '<a headnode that has them>';
  const dirs = [...new Set(missing.map((p) => p.split('/')[0]!))];
  const fixes = dirs.map((d) =>
    d === 'agents' && !donor
      ? `on ${f.hostname}: mkdir -p /usbkey/extra/agents; cp -P /usbkey/ur-scripts/agents-*.sh /usbkey/extra/agents/; ln -s <the newest agents-*.sh> /usbkey/extra/agents/latest (what headnode.sh does when it installs the agents)`
      : `on ${f.hostname}: scp -rp ${from}:/usbkey/extra/${d} /usbkey/extra/`,
  );
  return [
    {
      severity: 'warning',
      code: 'USBKEY_MISSING',
      message:
        `${f.hostname}'s /usbkey/extra lacks ${missing.join(', ')}: compute node setup downloads ${missing.length === 1 ? 'it' : 'them'} from assets, which serves /usbkey/extra` +
        (assetsHere
          ? `, so the assets restored on ${f.hostname} would answer 404`
          : `, so an assets zone on ${f.hostname} could not set up new compute nodes`),
      fix: fixes.join('; '),
    },
  ];
}
