// The restore and readiness with the DC-wide lock in binder (the simulated
// ensemble): another console's lock is named by `check` from any headnode; a
// lock lost mid-run stops the restore before its next zone; no quorum refuses
// unless the operator confirms the per-headnode fallback.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockLost, type Coordination } from '../../src/remote/coordination.js';
import { SimCoordination } from '../../src/remote/sim/coordination.js';
import { DC_LOCK_DIR } from '../../src/steps/dc-lock.js';
import { runCheck } from '../../src/steps/check.js';
import { runRestore } from '../../src/steps/restore.js';
import { readJournal } from '../../src/steps/journal.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';

const other = {
  who: 'alice',
  host: 'ops-console-2',
  pid: 4242,
  since: '2026-11-21T03:12:00.000Z',
  command: 'triton-recover restore',
};
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

describe('the DC-wide lock in binder', () => {
  it("another console's binder lock: check names the holder (LOCK_HELD), and a restore changes nothing", async () => {
    const t = await openTestSim(scenario(), 400);
    const held = await new SimCoordination(t.sim.world).take(JSON.stringify(other));
    expect(held.kind).toBe('taken');
    const chk = await runCheck(t.sim, { journalDir: join(t.dir, 'journal'), timeoutMs: 500 });
    const p = chk.report.problems.find((x) => x.code === 'LOCK_HELD');
    expect(p?.message).toContain('DC-wide lock in binder (/triton-recover/lock');
    expect(p?.message).toContain('alice on ops-console-2, pid 4242');
    const out = await runRestore({
      dc: t.sim,
      journalDir: join(t.dir, 'journal'),
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
    });
    expect(out.exitCode).toBe(2);
    expect(loadState(t.statePath).instances.filter((i) => i.server === 'headnode1')).toHaveLength(4);
  });

  it('the lock lost mid-run (binder session gone): the restore stops before its next zone, journaled and resumable', async () => {
    const t = await openTestSim(scenario(), 400);
    const lost = new AbortController();
    let released = 0;
    const fake: Coordination = {
      where: 'binder (test)',
      take: async () => ({ kind: 'taken', lock: { lost: lost.signal, release: async () => void released++ } }),
      holder: async () => ({ kind: 'free' }),
    };
    const dc = { ...t.sim, coordination: () => fake };
    let started = 0;
    const out = await runRestore({
      dc,
      journalDir: join(t.dir, 'journal'),
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
      events: { serviceStart: () => void (++started === 2 && lost.abort(new LockLost('the binder session expired'))) },
    });
    expect(out.exitCode).toBe(2);
    expect(out.message).toContain('the DC-wide lock was lost (the binder session expired)');
    expect(started).toBe(2);
    expect(released).toBe(1);
    const j = readJournal(join(t.dir, 'journal'));
    expect(j.plan).toBeDefined();
  });

  it('no quorum: refused (nothing changed) unless confirmed; confirmed, the per-headnode lock is placed and journaled', async () => {
    const t = await openTestSim(scenario(), 400);
    const fake: Coordination = {
      where: 'binder (test)',
      take: async () => ({ kind: 'unavailable', reason: '1 of 3 members reachable' }),
      holder: async () => ({ kind: 'unavailable', reason: 'x' }),
    };
    const dc = { ...t.sim, coordination: () => fake };
    const base = {
      dc,
      journalDir: join(t.dir, 'journal'),
      strategy: 'reuse' as const,
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'triton-recover restore',
    };
    let asked = '';
    const refused = await runRestore({ ...base, confirmNoQuorum: async (risk) => ((asked = risk), false) });
    expect(refused.exitCode).toBe(2);
    expect(asked).toMatch(/restore the same zones at the same time/);
    expect(refused.next).toContain('triton-recover restore --without-binder-quorum');
    expect(
      loadState(t.statePath)
        .sim.events.map((e) => e.what)
        .filter((w) => /vmadm create/.test(w)),
    ).toEqual([]);
    let seen: string[] = [];
    const ok = await runRestore({
      ...base,
      confirmNoQuorum: async () => true,
      events: {
        serviceStart: () =>
          void (seen = Object.keys(
            loadState(t.statePath).servers.find((s) => s.hostname === 'headnode2')!.files ?? {},
          )),
      },
    });
    expect(ok.exitCode, ok.message).toBe(0);
    expect(seen.some((f) => f.startsWith(DC_LOCK_DIR))).toBe(true);
  });
});
