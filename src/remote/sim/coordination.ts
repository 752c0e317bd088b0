// binder's lock in the simulated DC, with ZooKeeper's two rules:
// - a session (and so any create or read) needs a quorum: a MAJORITY of the
//   whole ensemble up and reachable from the console's headnode (ZooKeeper's
//   QuorumMaj; a member behind a partition counts as missing, world.isAlive);
// - the lock is an EPHEMERAL node: it vanishes with its session. A session is
//   a console process here: the node names its pid, and a node whose process
//   is gone is gone (so two consoles sharing --sim-state see one lock, and a
//   killed console's lock disappears, as at its session timeout).
// The node is a file beside the sim state created with O_EXCL: atomic, so
// exactly one of two racing consoles takes it, as with ZooKeeper's create.
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { type Coordination, type HeldLock, type HolderResult, LockLost, type TakeResult } from '../coordination.js';
import type { SimWorld } from './world.js';

interface Node {
  data: string;
  pid: number;
  session: string;
}

/** Sessions of this process still open (several consoles may share one process in tests). */
const openSessions = new Set<string>();
/** In-memory nodes of a sim without a state file. */
const memory = new WeakMap<SimWorld, Node>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sessionAlive(n: Node): boolean {
  return n.pid === process.pid ? openSessions.has(n.session) : processAlive(n.pid);
}

export function simLockPath(statePath: string): string {
  return `${statePath.replace(/\.json$/, '')}.binder-lock.json`;
}

export class SimCoordination implements Coordination {
  readonly where: string;

  constructor(
    private readonly world: SimWorld,
    private readonly pollMs = 100,
  ) {
    this.where = `binder (ZooKeeper) at ${
      world
        .zkMembers()
        .map((m) => m.inst.adminIp)
        .join(', ') || 'no member'
    } (simulated)`;
  }

  private quorumProblem(): string | undefined {
    this.world.settle();
    if (this.world.zkQuorum()) return undefined;
    const ms = this.world.zkMembers();
    const up = ms.filter((m) => m.up);
    const need = Math.floor(ms.length / 2) + 1;
    return `no binder member granted a session: ${up.length} of ${ms.length} members reachable from ${this.world.state.localServer}, ${need} needed for a quorum (${ms.map((m) => `${m.inst.alias} ${m.inst.adminIp}: ${m.up ? 'up, not serving (no quorum)' : 'no answer'}`).join('; ')})`;
  }

  private read(): Node | undefined {
    const path = this.world.statePath;
    let n: Node | undefined;
    if (!path) n = memory.get(this.world);
    else {
      try {
        n = JSON.parse(readFileSync(simLockPath(path), 'utf8')) as Node;
      } catch {
        n = undefined;
      }
    }
    return n && sessionAlive(n) ? n : undefined;
  }

  /** O_EXCL create; a node of a dead session is removed first (it had vanished). */
  private create(n: Node): boolean {
    const path = this.world.statePath;
    if (!path) {
      if (this.read()) return false;
      memory.set(this.world, n);
      return true;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(simLockPath(path), JSON.stringify(n) + '\n', { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (this.read()) return false;
        this.remove();
      }
    }
    return false;
  }

  private remove(session?: string): void {
    const path = this.world.statePath;
    if (!path) {
      if (!session || memory.get(this.world)?.session === session) memory.delete(this.world);
      return;
    }
    try {
      if (session) {
        const n = JSON.parse(readFileSync(simLockPath(path), 'utf8')) as Node;
        if (n.session !== session) return;
      }
      unlinkSync(simLockPath(path));
    } catch {
      /* already gone */
    }
  }

  async take(data: string): Promise<TakeResult> {
    const no = this.quorumProblem();
    if (no) return { kind: 'unavailable', reason: no };
    const node: Node = { data, pid: process.pid, session: randomUUID() };
    openSessions.add(node.session);
    if (this.create(node)) return { kind: 'taken', lock: this.held(node) };
    openSessions.delete(node.session);
    const h = this.read();
    return h
      ? { kind: 'held', data: h.data }
      : { kind: 'unavailable', reason: 'the lock node changed hands while being read; try again' };
  }

  /** Lost when the quorum goes (the session cannot be kept; ZooKeeper expires it). */
  private held(node: Node): HeldLock {
    const ac = new AbortController();
    const timer = setInterval(() => {
      const no = this.quorumProblem();
      if (!no) return;
      clearInterval(timer);
      openSessions.delete(node.session);
      ac.abort(new LockLost(`the binder session was lost: ${no}`));
    }, this.pollMs);
    timer.unref();
    return {
      lost: ac.signal,
      release: async () => {
        clearInterval(timer);
        openSessions.delete(node.session);
        this.remove(node.session);
      },
    };
  }

  async holder(): Promise<HolderResult> {
    const no = this.quorumProblem();
    if (no) return { kind: 'unavailable', reason: no };
    const h = this.read();
    return h ? { kind: 'held', data: h.data } : { kind: 'free' };
  }
}
