// The recovery lock as a console on another headnode leaves it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDcLock, DC_LOCK_DIR } from '../../src/steps/dc-lock.js';
import { runRestore } from '../../src/steps/restore.js';
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

async function sim() {
  const t = await openTestSim(scenario(), 400);
  const opts = {
    dc: t.sim,
    journalDir: join(t.dir, 'journal'),
    strategy: 'reuse' as const,
    fenced: 'headnode0',
    timing,
    probeTimeoutMs: 500,
    command: 'x',
  };
  return { t, opts };
}

describe('recovery lock on every headnode', () => {
  it("another console's lock on this headnode: LOCK_HELD, nothing changes", async () => {
    const { t, opts } = await sim();
    const placed = await acquireDcLock([{ hostname: 'headnode1', host: t.host('headnode1') }], other, () => false);
    expect(placed.ok).toBe(true);
    const out = await runRestore(opts);
    expect(out.exitCode).toBe(2);
    const p = out.problems.find((x) => x.code === 'LOCK_HELD');
    expect(p?.message).toContain('alice on ops-console-2');
    expect(loadState(t.statePath).instances.filter((i) => i.server === 'headnode1')).toHaveLength(4);
  });

  it('a lock seen only on a peer headnode stops the run, and what was placed is taken back', async () => {
    const { t, opts } = await sim();
    await acquireDcLock([{ hostname: 'headnode2', host: t.host('headnode2') }], other, () => false);
    const out = await runRestore(opts);
    expect(out.exitCode).toBe(2);
    expect(out.message).toContain('seen on headnode2');
    expect(out.message).toContain('alice on ops-console-2');
    const files = loadState(t.statePath).servers.find((s) => s.hostname === 'headnode1')!.files ?? {};
    expect(Object.keys(files).filter((f) => f.startsWith(DC_LOCK_DIR))).toEqual([]);
  });

  it('a finished restore leaves no lock behind on any headnode', async () => {
    const { t, opts } = await sim();
    const out = await runRestore(opts);
    expect(out.exitCode).toBe(0);
    for (const s of loadState(t.statePath).servers) {
      expect(
        Object.keys(s.files ?? {}).filter((f) => f.startsWith(DC_LOCK_DIR)),
        s.hostname,
      ).toEqual([]);
    }
  });
});
