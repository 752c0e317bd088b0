// Problems about the headnodes themselves: the primary's state, where the
// console runs, the run lock, how many headnodes there are. Pure: each takes
// facts already gathered. dhcpd survivors are dhcpd-problems.ts, /usbkey
// usbkey-problems.ts.
import type { Problem } from './problem.js';

/** Disaster: can what died be restored from here now? Readiness: could it be, if a headnode died now? */
export type Mode = 'readiness' | 'disaster';

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
  if (hns.length < 3)
    why.push(
      `the DC has ${hns.length} headnode${hns.length === 1 ? '' : 's'} (${hns.map((h) => h.hostname).join(', ')}), 3 wanted`,
    );
  if (mode === 'disaster' && alive.length < 2)
    why.push(
      `only ${alive.length} alive (${alive.map((h) => h.hostname).join(', ') || 'none'}): losing it too loses the control plane`,
    );
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
