// The simulated binder lock follows ZooKeeper's rules: a majority of the whole
// ensemble reachable from the console's headnode, and an ephemeral node that
// goes with its session (a console process).
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimCoordination, simLockPath } from '../../src/remote/sim/coordination.js';
import { writeFileSync } from 'node:fs';
import { openTestSim, scenario, until } from '../support/sim-dc.js';

const info = (who: string): string => JSON.stringify({ who, host: 'hn', pid: 1, since: 'now', command: 'x' });

describe('simulated binder lock', () => {
  it('2 of 3 members (the primary lost its binder): quorum, one of two consoles takes it, a third sees it, release frees it', async () => {
    const t = await openTestSim(scenario());
    const [a, b, c] = [
      new SimCoordination(t.sim.world),
      new SimCoordination(t.sim.world),
      new SimCoordination(t.sim.world),
    ];
    const [ra, rb] = await Promise.all([a.take(info('a')), b.take(info('b'))]);
    expect([ra.kind, rb.kind].sort()).toEqual(['held', 'taken']);
    const h = await c.holder();
    expect(h.kind).toBe('held');
    const won = ra.kind === 'taken' ? ra : rb.kind === 'taken' ? rb : undefined;
    await won!.lock.release();
    expect(await c.holder()).toEqual({ kind: 'free' });
  });

  it('1 of 3 (headnode2 down too): no quorum, the lock refuses and says which members answer', async () => {
    const t = await openTestSim(scenario((s) => (s.servers.find((x) => x.hostname === 'headnode2')!.alive = false)));
    const r = await new SimCoordination(t.sim.world).take(info('a'));
    expect(r.kind).toBe('unavailable');
    if (r.kind === 'unavailable') expect(r.reason).toMatch(/1 of 3 members reachable from headnode1, 2 needed/);
  });

  it('a partition that cuts headnode2 off from this headnode: its binder does not count, no quorum here', async () => {
    const t = await openTestSim(
      scenario((s) => (s.servers.find((x) => x.hostname === 'headnode2')!.partitioned = true)),
    );
    expect((await new SimCoordination(t.sim.world).take(info('a'))).kind).toBe('unavailable');
    expect((await new SimCoordination(t.sim.world).holder()).kind).toBe('unavailable');
  });

  it('holding it, then the quorum goes: the lock is lost (its session expires)', async () => {
    const t = await openTestSim(scenario());
    const r = await new SimCoordination(t.sim.world, 10).take(info('a'));
    expect(r.kind).toBe('taken');
    if (r.kind !== 'taken') return;
    t.sim.world.killServer('headnode2');
    await until('lock lost', () => r.lock.lost.aborted);
    expect(String((r.lock.lost.reason as Error).message)).toContain('session was lost');
    await r.lock.release();
  });

  it("another console process's node is held while that process lives, and gone with it", async () => {
    const t = await openTestSim(scenario());
    const other = execa('sleep', ['30']);
    writeFileSync(simLockPath(t.statePath), JSON.stringify({ data: info('other'), pid: other.pid, session: 's' }));
    expect(simLockPath(t.statePath)).toBe(join(t.dir, 'state.binder-lock.json'));
    const c = new SimCoordination(t.sim.world);
    expect(await c.take(info('me'))).toEqual({ kind: 'held', data: info('other') });
    other.kill('SIGKILL');
    await other.catch(() => undefined);
    const r = await c.take(info('me'));
    expect(r.kind).toBe('taken');
    if (r.kind === 'taken') await r.lock.release();
  });
});
