// The jobs never overlap: a restore waits for a sync to let go of
// restore-data (and refuses if it does not), and a conversion sees a restore's
// DC-wide lock placed on another headnode.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DC_LOCK_DIR } from '../../src/steps/dc-lock.js';
import { runConvert } from '../../src/steps/convert-run.js';
import { runRestore } from '../../src/steps/restore.js';
import { syncLockDir } from '../../src/steps/sync/locks.js';
import { openTestSim, scenario } from '../support/sim-dc.js';

/** A process that lives while the test runs: a lock naming it is not stale. */
function livePid(): { pid: number; stop: () => void } {
  const p = spawn('sleep', ['30'], { stdio: 'ignore' });
  return { pid: p.pid!, stop: () => p.kill() };
}
const lock = (pid: number, command: string): string =>
  JSON.stringify({ who: 'someone', host: hostname(), pid, since: '2026-11-21T10:00:00.000Z', command }) + '\n';

describe('jobs and their locks', () => {
  it('a restore waits for a running sync, and refuses when it does not let go, changing nothing', async () => {
    const t = await openTestSim(scenario(), 400);
    const live = livePid();
    try {
      mkdirSync(syncLockDir(t.sim.restoreDataDir), { recursive: true });
      writeFileSync(join(syncLockDir(t.sim.restoreDataDir), 'lock.json'), lock(live.pid, 'triton-recover sync'));
      const before = JSON.stringify(t.sim.world.state.instances);
      const out = await runRestore({
        dc: t.sim,
        journalDir: join(t.dir, 'j'),
        strategy: 'reuse',
        fenced: 'headnode0',
        timing: { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 300 },
        probeTimeoutMs: 500,
        command: 'x',
      });
      expect(out.exitCode).toBe(2);
      expect(out.message).toContain(`a sync is still writing restore-data: pid ${live.pid}`);
      expect(JSON.stringify(t.sim.world.state.instances)).toBe(before);
    } finally {
      live.stop();
    }
  });

  it('a conversion refuses while a restore started elsewhere holds the DC-wide lock', async () => {
    const t = await openTestSim(
      scenario((s) => void (s.servers[0]!.alive = true)),
      400,
    );
    const live = livePid();
    try {
      const h2 = t.host('headnode2');
      expect((await h2.run(['mkdir', '-p', DC_LOCK_DIR], { timeoutMs: 2_000 })).code).toBe(0);
      expect(
        (
          await h2.run(['tee', `${DC_LOCK_DIR}/holder.json`], {
            timeoutMs: 2_000,
            stdin: lock(live.pid, 'triton-recover restore'),
          })
        ).code,
      ).toBe(0);
      const out = await runConvert({
        dc: t.sim,
        journalDir: join(t.dir, 'j'),
        server: 'cn0',
        command: 'x',
        probeTimeoutMs: 1_000,
      });
      expect(out.exitCode).toBe(2);
      expect(out.message).toContain('another recovery holds the lock (seen on headnode2)');
      expect(t.sim.world.server('cn0')?.headnodeKey).toBeUndefined();
    } finally {
      live.stop();
    }
  });
});
