// The DC-wide recovery lock a restore or a conversion takes before it changes
// anything: an ephemeral node in binder's ZooKeeper (remote/coordination.ts),
// which a console on the minority side of a partition cannot take. When binder
// has no quorum (or cannot be reached) the lock cannot be had, and neither can
// the knowledge that nobody else holds it: the per-headnode lock (dc-lock.ts)
// is then the fallback, and only after the operator confirmed what is at risk.
import type { BinderMember } from '../remote/coordination.js';
import { COORDINATION_LOCK, LockLost } from '../remote/coordination.js';
import type { Dc } from '../remote/dc.js';
import type { Inventory } from '../state/inventory.js';
import { binderLockProblem } from '../state/headnode-problems.js';
import type { Problem } from '../state/problem.js';
import { acquireDcLock, releaseDcLock, type Place } from './dc-lock.js';
import { isOwnOrStale, parseLockInfo, type LockInfo } from './lock.js';

/** The command-line spelling of the confirmation (design.md section 7: an addition). */
export const NO_QUORUM_FLAG = '--without-binder-quorum';
/** The word typed in the console for the same confirmation. */
export const NO_QUORUM_WORD = 'NO-QUORUM';

export type RecoveryLock =
  | {
      ok: true;
      /** 'binder': the DC-wide lock; 'headnodes': the confirmed fallback. */
      via: 'binder' | 'headnodes';
      /** Aborts when binder's session is lost: start nothing new after it. */
      lost?: AbortSignal;
      /** For the journal: how the lock was had. */
      notes: string[];
      release(): Promise<void>;
    }
  | { ok: false; message: string; next?: string; problems: Problem[] };

export interface RecoveryLockOptions {
  dc: Dc;
  binders: BinderMember[];
  info: LockInfo;
  /** Where the fallback lock goes: every headnode reachable from here. */
  places: Place[];
  /** The operator's answer to "binder has no quorum: take the per-headnode lock?"; absent = no. */
  confirmNoQuorum?: (atRisk: string) => Promise<boolean>;
  /** The command, to say how to run it again with the confirmation. */
  command: string;
  timeoutMs?: number;
}

/** binder's members as restore-data lists them. */
export function bindersOf(inv: Inventory): BinderMember[] {
  return inv.instances
    .filter((i) => i.service === 'binder' && i.adminIp)
    .map((i) => ({ alias: i.alias, ip: i.adminIp! }));
}

/** What the fallback puts at risk, said before the operator confirms it. */
export function noQuorumRisk(reason: string): string {
  return (
    `binder has no quorum from here, so the DC-wide lock cannot be taken (${reason}). ` +
    'If this headnode is on the minority side of a network partition, a console on the other side can take the lock and ' +
    'restore the same zones at the same time: two copies of each zone with the same IPs, and diverging data. ' +
    'Go on only if you know no other console runs (every headnode is reachable from here, or you checked each one).'
  );
}

export async function takeRecoveryLock(o: RecoveryLockOptions): Promise<RecoveryLock> {
  const coord = o.dc.coordination(o.binders);
  const r = await coord.take(JSON.stringify(o.info));
  if (r.kind === 'taken') {
    // Placed on the headnodes too: a console that falls back (no quorum on its
    // side) still sees this run there, and one that fell back earlier stops us.
    const placed = await acquireDcLock(o.places, o.info, isOwnOrStale, o.timeoutMs);
    if (!placed.ok) {
      await r.lock.release();
      return heldOnHeadnode(placed.holder, placed.seenOn);
    }
    const notes = [`DC-wide lock ${COORDINATION_LOCK} taken in ${coord.where}`];
    if (placed.unreachable.length > 0)
      notes.push(`per-headnode lock not placed on ${placed.unreachable.join(', ')} (unreachable)`);
    return {
      ok: true,
      via: 'binder',
      lost: r.lock.lost,
      notes,
      release: async () => {
        await releaseDcLock(o.places, o.info, o.timeoutMs);
        await r.lock.release();
      },
    };
  }
  if (r.kind === 'held') {
    const h = parseLockInfo(r.data) ?? {
      who: 'unknown',
      host: 'unknown',
      pid: 0,
      since: 'unknown',
      command: r.data.slice(0, 200),
    };
    const problems = binderLockProblem(h, `${COORDINATION_LOCK} in ${coord.where}`);
    return {
      ok: false,
      message: `${problems[0]!.message}; nothing was changed`,
      next: `talk to ${h.who} first`,
      problems,
    };
  }
  const risk = noQuorumRisk(r.reason);
  const yes = o.confirmNoQuorum ? await o.confirmNoQuorum(risk) : false;
  if (!yes) {
    return {
      ok: false,
      message: `${risk} Nothing was changed.`,
      next: `bring binder's quorum back (see \`triton-recover check\`), or, knowing the risk: ${o.command} ${NO_QUORUM_FLAG}`,
      problems: [
        {
          severity: 'critical',
          code: 'BINDER_NO_QUORUM',
          service: 'binder',
          message: `the DC-wide lock in binder cannot be taken: ${r.reason}`,
          fix: `bring binder's quorum back; or confirm the risk with ${NO_QUORUM_FLAG} (console: type ${NO_QUORUM_WORD})`,
        },
      ],
    };
  }
  const placed = await acquireDcLock(o.places, o.info, isOwnOrStale, o.timeoutMs);
  if (!placed.ok) return heldOnHeadnode(placed.holder, placed.seenOn);
  const notes = [
    `binder lock unavailable (${r.reason}); the operator confirmed the per-headnode lock`,
    `lock placed on ${placed.placed.join(', ') || 'no headnode'}`,
  ];
  if (placed.unreachable.length > 0) notes.push(`lock not placed on ${placed.unreachable.join(', ')} (unreachable)`);
  return { ok: true, via: 'headnodes', notes, release: () => releaseDcLock(o.places, o.info, o.timeoutMs) };
}

function heldOnHeadnode(h: LockInfo, seenOn: string): RecoveryLock {
  return {
    ok: false,
    message: `another recovery holds the lock (seen on ${seenOn}): ${h.who} on ${h.host} (pid ${h.pid}) since ${h.since}, running "${h.command}"; nothing was changed`,
    next: `talk to ${h.who} first`,
    problems: [],
  };
}

/** Another console's binder lock, as any headnode sees it; undefined when free or binder cannot tell (readiness says why). */
export async function binderLockHolder(
  dc: Dc,
  binders: BinderMember[],
  timeoutMs: number,
): Promise<{ holder: LockInfo; where: string } | undefined> {
  if (binders.length === 0) return undefined;
  const coord = dc.coordination(binders, { connectTimeoutMs: timeoutMs });
  const h = await coord.holder();
  if (h.kind !== 'held') return undefined;
  const info = parseLockInfo(h.data);
  return info && !isOwnOrStale(info) ? { holder: info, where: `${COORDINATION_LOCK} in ${coord.where}` } : undefined;
}

/** The run's stop signal, also aborted when the binder lock is lost. */
export function withLockLoss(signal: AbortSignal | undefined, lost: AbortSignal | undefined): AbortSignal | undefined {
  if (!lost) return signal;
  return signal ? AbortSignal.any([signal, lost]) : lost;
}

export { LockLost };
