// Problems about the headnodes themselves: the primary's state, where the
// console runs, the run lock, how many headnodes there are, dhcpd survivors and
// /usbkey. Pure: each takes facts already gathered.
import type { Problem } from './problem.js';
import { sdcadmCreateDhcpd } from './sdcadm-commands.js';

type Mode = 'readiness' | 'disaster';

export interface PrimaryFact {
  hostname: string;
  state: 'alive' | 'dead' | 'uncertain';
}

/** Why a restore refuses a live primary, as a problem like every other refusal. */
export function primaryAliveRefusal(hostname: string): Problem {
  return {
    severity: 'critical',
    code: 'PRIMARY_ALIVE',
    message: `the primary ${hostname} is alive: a restore is only for a dead primary, and re-creating its zones elsewhere would run them twice`,
    fix: 'see the evidence with triton-recover check; if it is really dead but still answers, power it off or take it off the admin network first',
  };
}

export function primaryProblems(primary: PrimaryFact | undefined, mode: Mode): Problem[] {
  if (!primary) return [];
  // In readiness mode every headnode is alive: a live primary is the normal day.
  if (primary.state === 'alive' && mode === 'disaster') {
    return [
      {
        severity: 'critical',
        code: 'PRIMARY_ALIVE',
        message: `the primary ${primary.hostname} is alive while another headnode is not: do not restore its services elsewhere`,
        fix: `nothing is restored while ${primary.hostname} runs the core services: a dead secondary only takes HA members (binder, manatee, moray, dhcpd) with it; re-add those, or convert a compute node (triton-recover convert SERVER)`,
      },
    ];
  }
  if (primary.state === 'uncertain') {
    return [
      {
        severity: 'critical',
        code: 'PRIMARY_UNCERTAIN',
        message: `the signals about the primary ${primary.hostname} disagree or are missing`,
        fix: `make sure ${primary.hostname} is powered off (IPMI) or off the admin network, then confirm by typing its hostname (--fenced ${primary.hostname})`,
      },
    ];
  }
  return [];
}

/** sysinfo 'Boot Parameters'.headnode of the console's own server. */
export function notAHeadnodeProblem(hostname: string, bootHeadnode: string | undefined): Problem[] {
  if (bootHeadnode === 'true') return [];
  return [
    {
      severity: 'critical',
      code: 'NOT_A_HEADNODE',
      message: `${hostname} is not a headnode (sysinfo 'Boot Parameters'.headnode is ${bootHeadnode === undefined ? 'not set' : `"${bootHeadnode}"`}): core zones are restored onto a headnode's global zone`,
      fix: `run triton-recover in the global zone of a surviving headnode, or first make ${hostname} one (triton-recover convert ${hostname})`,
    },
  ];
}

export interface LockHolder {
  who: string;
  host: string;
  pid: number;
  since: string;
  command: string;
}

export function lockProblem(holder: LockHolder | undefined, lockFile: string): Problem[] {
  if (!holder) return [];
  return [
    {
      severity: 'critical',
      code: 'LOCK_HELD',
      message: `another recovery holds the lock ${lockFile}: ${holder.who} on ${holder.host}, pid ${holder.pid}, running "${holder.command}" since ${holder.since}`,
      fix: `wait for it to finish, or talk to ${holder.who}; only if pid ${holder.pid} is gone on ${holder.host} (ps -p ${holder.pid} there), remove ${lockFile}`,
    },
  ];
}

/** The DC-wide lock in binder, held by another console (any headnode's console sees it). */
export function binderLockProblem(holder: LockHolder | undefined, node: string): Problem[] {
  if (!holder) return [];
  return [
    {
      severity: 'critical',
      code: 'LOCK_HELD',
      message: `another recovery holds the DC-wide lock in binder (${node}): ${holder.who} on ${holder.host}, pid ${holder.pid}, running "${holder.command}" since ${holder.since}`,
      fix: `wait for it to finish, or talk to ${holder.who}; the lock is an ephemeral ZooKeeper node: it goes by itself when that console's binder session ends (its process exits, or it is cut off from binder's quorum for the session timeout)`,
    },
  ];
}

export interface HeadnodeFact {
  hostname: string;
  uuid: string;
  state: 'alive' | 'dead' | 'uncertain';
}

/** RFD 67 wants 3 headnodes, so that losing one still leaves two. */
export function headnodeCountProblems(hns: readonly HeadnodeFact[], mode: Mode): Problem[] {
  const alive = hns.filter((h) => h.state === 'alive');
  const why: string[] = [];
  if (hns.length < 3) why.push(`the DC has ${hns.length} headnode${hns.length === 1 ? '' : 's'} (${hns.map((h) => h.hostname).join(', ')}), 3 wanted`);
  if (mode === 'disaster' && alive.length < 2) why.push(`only ${alive.length} alive (${alive.map((h) => h.hostname).join(', ') || 'none'}): losing it too loses the control plane`);
  if (why.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'TOO_FEW_HEADNODES',
      message: why.join('; '),
      fix: 'turn a compute node into a headnode: triton-recover convert SERVER (then 3 binder, 3 manatee, 2 moray again)',
    },
  ];
}

export interface DhcpdFact {
  alias: string;
  hostname: string;
  serverUuid: string | undefined;
  serverAlive: boolean;
  /** Zone running per vmadm; undefined when that could not be asked. */
  running: boolean | undefined;
}

/**
 * Compute nodes boot over DHCP from a dhcpd zone on a headnode (facts F9).
 * Disaster: does one survive now? Readiness: would one survive the loss of any one headnode?
 */
export function dhcpdProblems(facts: readonly DhcpdFact[], mode: Mode, hns: readonly HeadnodeFact[], restoring: readonly string[] = []): Problem[] {
  const serving = (f: DhcpdFact): boolean => f.serverAlive && f.running !== false;
  const where = facts.map((f) => `${f.alias} on ${f.hostname}${!f.serverAlive ? ' (down)' : f.running === false ? ' (zone not running)' : ''}`).join(', ') || 'no dhcpd instance known';
  const fix = `the restore re-creates a lost dhcpd zone on this headnode when its restore-data is at hand; otherwise, once SAPI and VMAPI answer: ${sdcadmCreateDhcpd('<headnode uuid>').join(' ')}`;
  if (mode === 'disaster') {
    if (facts.some(serving)) return [];
    // Not an HA cluster (sdcadm lib/procedures/index.js): a lost dhcpd is
    // re-created by the restore; with nothing to re-create, no CN can PXE boot.
    if (restoring.length > 0) {
      return [{ severity: 'warning', code: 'NO_DHCPD_SURVIVOR', service: 'dhcpd', message: `no dhcpd runs on a live server (${where}): compute nodes cannot boot until the restore re-creates ${restoring.join(', ')} here`, fix: 'restore it first if compute nodes must boot soon (restore --only dhcpd needs assets, sapi and the APIs before it)' }];
    }
    // A stopped dhcpd on a live server is the quickest way back: start it.
    const stopped = facts.filter((f) => f.serverAlive && f.running === false);
    const startIt = stopped.map((f) => `on ${f.hostname}: vmadm start $(vmadm lookup -1 alias=${f.alias})`).join('; ');
    return [{ severity: 'critical', code: 'NO_DHCPD_SURVIVOR', service: 'dhcpd', message: `no dhcpd runs on a live server (${where}) and the restore cannot re-create one: compute nodes cannot boot`, fix: startIt ? `${startIt}; or ${fix}` : fix }];
  }
  const exposed = hns.filter((h) => !facts.some((f) => f.serverUuid !== h.uuid && serving(f)));
  if (exposed.length === 0) return [];
  return [
    {
      severity: 'warning',
      code: 'NO_DHCPD_SURVIVOR',
      service: 'dhcpd',
      message: `if ${exposed.map((h) => h.hostname).join(' or ')} died, no dhcpd would survive (${where}): compute nodes could not boot`,
      fix: `run a dhcpd zone on every headnode (RFD 67): ${sdcadmCreateDhcpd('<headnode uuid>').join(' ')}`,
    },
  ];
}

/**
 * Readiness: RFD 67 wants a dhcpd zone on every headnode, so that compute nodes
 * boot whichever headnode is lost. One warning naming each live headnode
 * without a running one (a zone whose state could not be asked counts as
 * running), and whose loss would leave none at all.
 */
export function dhcpdReadinessProblems(facts: readonly DhcpdFact[], hns: readonly HeadnodeFact[]): Problem[] {
  const serving = (f: DhcpdFact): boolean => f.serverAlive && f.running !== false;
  const lacking = hns
    .filter((h) => h.state === 'alive')
    .map((h) => ({ h, mine: facts.filter((f) => f.serverUuid === h.uuid) }))
    .filter(({ mine }) => !mine.some(serving));
  if (lacking.length === 0) return dhcpdProblems(facts, 'readiness', hns);
  const exposed = hns.filter((h) => !facts.some((f) => f.serverUuid !== h.uuid && serving(f)));
  const where = facts.map((f) => `${f.alias} on ${f.hostname}`).join(', ') || 'none';
  const names = lacking.map(({ h }) => h.hostname);
  const details = lacking.map(({ h, mine }) => (mine.length > 0 ? `${mine.map((f) => f.alias).join(', ')} on ${h.hostname} not running` : `none on ${h.hostname}`));
  const fixes = lacking.map(({ h, mine }) =>
    mine.length > 0
      ? `on ${h.hostname}: ${mine.map((f) => `vmadm start $(vmadm lookup -1 alias=${f.alias})`).join('; ')}`
      : `on ${h.hostname}: ${sdcadmCreateDhcpd(h.uuid).join(' ')}`,
  );
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return [
    {
      severity: 'warning',
      code: 'NO_DHCPD_SURVIVOR',
      service: 'dhcpd',
      message:
        `no dhcpd runs on ${who} (${details.join('; ')}; dhcpd zones: ${where}): ` +
        (exposed.length > 0
          ? `if ${exposed.map((h) => h.hostname).join(' or ')} died, no dhcpd would survive and compute nodes could not boot`
          : 'RFD 67 wants one on every headnode, or losing the headnodes that have one leaves compute nodes unable to boot'),
      fix: fixes.join('; '),
    },
  ];
}

/**
 * What compute node setup fetches from assets, which serves /usbkey/extra:
 * joysetup/{node.config,joysetup.sh,agentsetup.sh} (sdc-cnapi
 * lib/workflows/server-setup.js), joysetup/cn_tools.tar.gz and agents/latest
 * (sdc-headnode scripts/agentsetup.sh). headnode.sh fills agents/ only when it
 * installs the agents itself, which a converted compute node skips (RFD 67 M0).
 */
export const USBKEY_EXTRA_NEEDED = ['joysetup/node.config', 'joysetup/joysetup.sh', 'joysetup/agentsetup.sh', 'joysetup/cn_tools.tar.gz', 'agents/latest'] as const;

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
export function usbkeyProblems(facts: readonly UsbkeyFact[], mode: Mode, servicesNeeding: readonly string[]): Problem[] {
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
        f.local && servicesNeeding.length > 0 ? `, so ${servicesNeeding.join(', ')} could not be restored from here` : ''
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
function extraProblems(f: UsbkeyFact, facts: readonly UsbkeyFact[], mode: Mode, servicesNeeding: readonly string[]): Problem[] {
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
  const donor = facts.find((o) => o !== f && o.present === true && (o.extraMissing ?? []).length === 0 && (o.extraUnknown ?? []).length === 0);
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
        (assetsHere ? `, so the assets restored on ${f.hostname} would answer 404` : `, so an assets zone on ${f.hostname} could not set up new compute nodes`),
      fix: fixes.join('; '),
    },
  ];
}
