// After the restore (issue 16 item 1): the restore records whose zones it
// re-created and how that server was fenced (item 2); `check` then watches
// that server, and any sign of life from it is a critical PRIMARY_RETURNED. The
// record is copied to the other live headnodes, whose check reads it the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESTORED_FROM_FILE } from '../../src/state/fence.js';
import { formatPrometheus } from '../../src/state/prometheus.js';
import { runCheck } from '../../src/steps/check.js';
import { runRestore } from '../../src/steps/restore.js';
import { openTestSim, scenario, restoreIn } from '../support/sim-dc.js';
import { RESTORED } from '../support/restore-oracle.js';

const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };
const LAST = RESTORED[RESTORED.length - 1]!;

describe('PRIMARY_RETURNED after a restore', () => {
  it('the primary comes back after the last zone is restored: check says PRIMARY_RETURNED (critical, not-ready) with what to do; the fence method is journaled and reported', async () => {
    const t = await openTestSim(
      scenario((x) => (x.faults = [{ event: 'primary-returns', after: LAST }])),
      400,
    );
    const journalDir = join(t.dir, 'journal');
    const out = await runRestore({
      dc: t.sim,
      journalDir,
      strategy: 'reuse',
      fenced: 'headnode0',
      fenceMethod: 'bmc-off',
      timing,
      probeTimeoutMs: 500,
      command: 'triton-recover restore --yes --fenced headnode0 --fence-method bmc-off',
    });
    // Whether the watch saw it before the run ended or not, the record is there.
    expect([0, 3]).toContain(out.exitCode);
    const record = JSON.parse(readFileSync(join(journalDir, RESTORED_FROM_FILE), 'utf8'));
    expect(record).toMatchObject({
      hostname: 'headnode0',
      uuid: '65cfe27b-76b2-5bf2-af14-58bdb727b3a0',
      adminIp: '10.99.99.7',
      fenceMethod: 'bmc-off',
      restoredOn: 'headnode1',
    });
    // The same record in the same directory on the other live headnode, so check there says it too.
    const copy = t.sim.world.server('headnode2')!.files?.[join(journalDir, RESTORED_FROM_FILE)];
    expect(copy && JSON.parse(copy)).toEqual(record);
    expect(t.sim.world.server('cn0')!.files?.[join(journalDir, RESTORED_FROM_FILE)]).toBeUndefined();
    const journal = readFileSync(join(journalDir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/confirmed headnode0 fenced: powered off through its BMC/);
    expect(readFileSync(out.report!.md, 'utf8')).toMatch(
      /Fencing confirmed by: .*: headnode0 fenced: powered off through its BMC/,
    );

    const r = await runCheck(t.sim, { timeoutMs: 400, journalDir });
    const p = r.report.problems.filter((x) => x.code === 'PRIMARY_RETURNED');
    expect(p).toHaveLength(1);
    expect(p[0]!.severity).toBe('critical');
    expect(p[0]!.message).toMatch(
      /the old primary headnode0 .*10\.99\.99\.7.* answers again after its zones were re-created on headnode1/,
    );
    expect(p[0]!.message).toContain('duplicate the re-created ones');
    expect(p[0]!.fix).toMatch(/power headnode0 off .*BMC.* or boot it without importing its zones pool/);
    expect(r.report.problems[0]!.code).toBe('PRIMARY_RETURNED');
    expect(r.report.verdict).toBe('not-ready');
    expect(formatPrometheus(r.report, new Date(), { maxAgeMinutes: 30 })).toContain(
      'triton_recover_problems{code="PRIMARY_RETURNED",severity="critical"} 1',
    );
  });

  it('after a restore, a primary that stays dead raises nothing; without a restore record a live primary is no PRIMARY_RETURNED', async () => {
    const t = await openTestSim(scenario(), 400);
    const journalDir = join(t.dir, 'journal');
    const out = await restoreIn(t, {
      journalDir,
      command: 'triton-recover restore --yes --fenced headnode0',
    });
    expect(out.exitCode).toBe(0);
    // No method given: the record says so rather than guess one.
    expect(JSON.parse(readFileSync(join(journalDir, RESTORED_FROM_FILE), 'utf8')).fenceMethod).toBeNull();
    expect(readFileSync(join(journalDir, 'journal.jsonl'), 'utf8')).toContain('method not stated');
    const r = await runCheck(t.sim, { timeoutMs: 400, journalDir });
    expect(r.report.problems.map((x) => x.code)).not.toContain('PRIMARY_RETURNED');

    const alive = await openTestSim(
      scenario((x) => (x.servers.find((s) => s.hostname === 'headnode0')!.alive = true)),
      400,
    );
    const r2 = await runCheck(alive.sim, { timeoutMs: 400, journalDir: join(alive.dir, 'journal') });
    expect(r2.report.problems.map((x) => x.code)).not.toContain('PRIMARY_RETURNED');
  });
});
