// The DC-wide lock against a real three-member ZooKeeper ensemble: atomic
// take on any interleaving, the holder seen from another session, the node
// gone with its session, and no lock without a quorum (a partition's minority).
import { execa } from 'execa';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BinderMember, HeldLock } from '../../src/remote/coordination.js';
import { ZkCoordination } from '../../src/remote/zk-coordination.js';
import { useZkEnsemble, zookeeperProgram, type ZkEnsemble } from '../support/zk-ensemble.js';

const zk = zookeeperProgram();
const repo = resolve(import.meta.dirname, '..', '..');
let ens: () => ZkEnsemble;

const SESSION_MS = 2_000;
function members(idx = [0, 1, 2]): BinderMember[] {
  return idx.map((i) => ({ alias: `binder${i}`, ip: ens().ips[i]! }));
}
function console_(idx?: number[]): ZkCoordination {
  return new ZkCoordination(members(idx), { sessionTimeoutMs: SESSION_MS, connectTimeoutMs: 3_000 });
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFree(c: ZkCoordination, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await c.holder()).kind === 'free') return Date.now() - start;
    await sleep(50);
  }
  throw new Error(`lock still held after ${timeoutMs} ms`);
}

describe.skipIf(zk.skip)('the DC-wide lock in a real ZooKeeper ensemble', () => {
  ens = useZkEnsemble(zk.java);

  it('two consoles at once: exactly one takes it, on every interleaving; a third sees the holder; release frees it', async () => {
    for (let round = 0; round < 20; round++) {
      const [a, b, third] = [console_(), console_(), console_()];
      const go = (c: ZkCoordination, who: string) => sleep(Math.random() * 15).then(() => c.take(who));
      const [ra, rb] = await Promise.all([go(a, `a${round}`), go(b, `b${round}`)]);
      const won = [ra, rb].filter((r) => r.kind === 'taken');
      expect(won, `round ${round}: ${ra.kind}/${rb.kind}`).toHaveLength(1);
      const winner = ra.kind === 'taken' ? `a${round}` : `b${round}`;
      const loser = ra.kind === 'taken' ? rb : ra;
      expect(loser).toEqual({ kind: 'held', data: winner });
      expect(await third.holder()).toEqual({ kind: 'held', data: winner });
      const lock = (won[0] as { lock: HeldLock }).lock;
      await lock.release();
      expect(await third.holder()).toEqual({ kind: 'free' });
      expect(lock.lost.aborted).toBe(false);
    }
  }, 60_000);

  it('a console killed while holding it: the node is gone once its session times out', async () => {
    // A separate process that takes the lock and is then killed without closing its session.
    // The product's own code (dist/: `npm test` builds it first), in a process killed without closing its session.
    const script = `import { ZkCoordination } from './dist/remote/zk-coordination.js';
      const c = new ZkCoordination(${JSON.stringify(members())}, { sessionTimeoutMs: ${SESSION_MS} });
      const r = await c.take('crashed');
      console.log(r.kind === 'taken' ? 'TAKEN' : 'ERR ' + JSON.stringify(r));`;
    const child = execa('node', ['--input-type=module', '-e', script], { cwd: repo, reject: false });
    await new Promise<void>((r) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('TAKEN') && r()));
    const other = console_();
    expect(await other.take('late')).toEqual({ kind: 'held', data: 'crashed' });
    child.kill('SIGKILL');
    await child;
    const gone = await waitFree(other, 4 * SESSION_MS);
    // Not before the session's timeout (less the time the kill took to land), not long after.
    expect(gone).toBeGreaterThan(SESSION_MS / 2);
    const r = await other.take('now');
    expect(r.kind).toBe('taken');
    if (r.kind === 'taken') await r.lock.release();
  }, 30_000);

  it('one member down: quorum kept, the lock works; two down: it refuses, saying no quorum', async () => {
    await ens().kill(0);
    const r = await console_().take('one-down');
    expect(r.kind).toBe('taken');
    if (r.kind === 'taken') await r.lock.release();

    await ens().kill(1);
    await ens().waitForNotServing(2);
    const refused = await console_().take('two-down');
    expect(refused.kind).toBe('unavailable');
    if (refused.kind === 'unavailable') {
      expect(refused.reason).toContain(`${ens().ips[2]}: up, not serving (no quorum)`);
      expect(refused.reason).toContain(`${ens().ips[0]}: no answer`);
    }
    expect((await console_().holder()).kind).toBe('unavailable');
    ens().start(0);
    ens().start(1);
    await ens().waitForQuorum([0, 1, 2]);
  }, 40_000);

  it('partition: the holder loses its session when its side has no quorum, and the minority side cannot take it', async () => {
    const holder = console_();
    const r = await holder.take('holder');
    expect(r.kind).toBe('taken');
    if (r.kind !== 'taken') return;
    await ens().kill(0);
    await ens().kill(1);
    const lostIn = Date.now();
    await new Promise<void>((res) =>
      r.lock.lost.aborted ? res() : r.lock.lost.addEventListener('abort', () => res()),
    );
    expect(Date.now() - lostIn).toBeLessThan(3 * SESSION_MS);
    expect(String((r.lock.lost.reason as Error).message)).toMatch(/lost contact with binder|expired/);
    const minority = console_([2]);
    const refused = await minority.take('minority');
    expect(refused.kind).toBe('unavailable');
    await r.lock.release();
    // The majority back: the old holder's node went with its session.
    ens().start(0);
    ens().start(1);
    await ens().waitForQuorum([0, 1, 2]);
    await waitFree(console_(), 4 * SESSION_MS);
  }, 40_000);
});
