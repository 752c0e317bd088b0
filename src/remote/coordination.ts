// The DC-wide recovery lock, held in binder (ZooKeeper) as an EPHEMERAL node:
// it exists while the session of the console that made it lives, and every
// headnode's console reads the same node. ZooKeeper only answers with a
// quorum (a majority of the ensemble), so a console on the minority side of a
// partition cannot take it. What is stored is opaque here (steps/ knows it is
// a LockInfo); results are values, never exceptions.

/** The lock node and its parent (the parent is persistent, the lock ephemeral). */
export const COORDINATION_ROOT = '/triton-recover';
export const COORDINATION_LOCK = `${COORDINATION_ROOT}/lock`;

/** A binder member as detection and readiness know it (restore-data / inventory). */
export interface BinderMember {
  alias: string;
  ip: string;
}

/** Taken: hold it until release(); `lost` aborts when the session is gone. */
export interface HeldLock {
  /** Aborts (reason: LockLost) when the session expired or could not be kept. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export type TakeResult =
  | { kind: 'taken'; lock: HeldLock }
  | { kind: 'held'; data: string }
  /** No quorum, or nothing reachable: the lock cannot be taken (nor known to be free). */
  | { kind: 'unavailable'; reason: string };

export type HolderResult = { kind: 'free' } | { kind: 'held'; data: string } | { kind: 'unavailable'; reason: string };

export interface Coordination {
  /** "binder (ZooKeeper) at 10.99.99.11, 10.99.99.12" — for messages. */
  readonly where: string;
  take(data: string): Promise<TakeResult>;
  holder(): Promise<HolderResult>;
}

/** Why a held lock was lost: the abort reason of HeldLock.lost. */
export class LockLost extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'LockLost';
  }
}
