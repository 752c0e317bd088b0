// The point of sync: after the primary dies, a restore from what sync wrote
// completes, and each zone's data is the last synced snapshot (chain applied).
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeAction } from '../../src/state/plan.js';
import { paths } from '../../src/state/restore-data-layout.js';
import { runCheck } from '../../src/steps/check.js';
import { readRestoreData } from '../../src/steps/restore-data.js';
import { runRestore } from '../../src/steps/restore.js';
import { runSync } from '../../src/steps/sync/run.js';
import { loadState, violations } from '../support/restore-oracle.js';
import { inst, openHealthy, syncOpts } from '../support/sync-dc.js';
import { REF } from '../support/reference.js';
import { restoreIn } from '../support/sim-dc.js';

const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

describe('restore from synced restore-data', () => {
  it('the primary dies after two syncs; a restore from that data completes with the synced snapshots', async () => {
    const t = await openHealthy();
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    const rd = await readRestoreData(t.sim.restoreDataDir);
    const synced = new Map(
      [...rd.services.values()].flatMap((s) =>
        s.datasets.filter((d) => d.meta).map((d) => [d.instanceUuid, d.meta!.snapshot] as const),
      ),
    );
    expect(synced.size).toBe(11);

    t.sim.world.killServer('headnode0');
    const journalDir = join(t.dir, 'journal');
    const out = await restoreIn(t, {
      journalDir,
      command: 'triton-recover restore --yes --fenced headnode0',
    });
    expect(out.problems).toEqual([]);
    expect(out.message).toMatch(/21 of 21 zone\(s\) restored and healthy/);
    expect(out.exitCode).toBe(0);
    expect(violations(t.statePath)).toEqual([]);

    // Every stream of the chain is received, in order, with its own command shown in the plan.
    const sapiStep = out.plan!.steps.find((s) => s.service === 'sapi')!;
    const recvs = sapiStep.actions.filter((a) => a.kind === 'receive-dataset');
    expect(recvs.map((a) => a.id)).toEqual(['sapi/sapi0/receive-dataset', 'sapi/sapi0/receive-dataset-i1']);
    expect(recvs.map((a) => describeAction(a))).toEqual([
      expect.stringMatching(
        new RegExp(`^zfs recv -F zones/${sapiStep.uuid}/data < \\S+/svc-sapi/dataset-${inst('sapi0').uuid}\\.zfs$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^zfs recv -F zones/${sapiStep.uuid}/data < \\S+/svc-sapi/dataset-${inst('sapi0').uuid}\\.i1\\.zfs$`,
        ),
      ),
    ]);

    // The received data is the last synced snapshot of the old zone.
    const st = loadState(t.statePath);
    for (const step of out.plan!.steps.filter((s) => s.delegatedDataset)) {
      const now = st.instances.find((i) => i.uuid === step.uuid && i.server === 'headnode1')!;
      const want = synced.get(step.old.uuid)!;
      expect(now.receivedSnapshot, step.alias).toBe(`zones/${step.uuid}/data@${want.split('@')[1]}`);
      expect(now.snapshots?.length, step.alias).toBe(2);
    }

    // And the cycle goes on: the next sync pulls the restored zones from here, incrementally on
    // top of the snapshot they were restored from; the dead server's HA members are skipped.
    const after = await runSync(syncOpts(t, { journalDir }));
    expect(after.services.filter((s) => !s.ok)).toEqual([]);
    expect(after.exitCode).toBe(0);
    const sapiAfter = after.services.find((s) => s.service === 'sapi')!;
    expect(sapiAfter.datasets).toEqual([
      expect.objectContaining({ alias: 'sapi0', uuid: sapiStep.uuid, kind: 'incremental' }),
    ]);
    // The snapshots received into the restored datasets are this headnode's own: that sync kept
    // only its new base, so they count against the zone's quota only until the next sync.
    const st2 = loadState(t.statePath);
    for (const step of out.plan!.steps.filter((s) => s.delegatedDataset && s.alias === 'sapi0')) {
      const now = st2.instances.find((i) => i.uuid === step.uuid && i.server === 'headnode1')!;
      expect(
        now.snapshots?.map((x) => x.name),
        step.alias,
      ).toHaveLength(1);
      expect(now.snapshots?.[0]?.name).not.toBe(synced.get(step.old.uuid)!.split('@')[1]);
    }
    const manateeAfter = after.services.find((s) => s.service === 'manatee')!;
    expect(manateeAfter.warnings.join()).toContain(
      `manatee0 (${inst('manatee0').uuid}) is on headnode0, which CNAPI shows as unknown`,
    );
    const rd2 = await readRestoreData(t.sim.restoreDataDir);
    expect(rd2.services.get('sapi')!.vms.map((v) => `${v.alias}@${v.server_uuid}`)).toEqual([
      `sapi0@${REF.headnode1.uuid}`,
    ]);
    expect([...rd2.services.values()].flatMap((s) => s.problems)).toEqual([]);
  });

  it('a truncated incremental is a DATASET_MISSING problem: the restore refuses rather than restore old data', async () => {
    const t = await openHealthy();
    await runSync(syncOpts(t));
    await runSync(syncOpts(t));
    const uuid = inst('imgapi0').uuid;
    const inc = join(t.sim.restoreDataDir, paths.datasetIncrement('imgapi', uuid, 1));
    truncateSync(inc, 100);
    t.sim.world.killServer('headnode0');
    const chk = await runCheck(t.sim, { strategy: 'reuse', timeoutMs: 500 });
    const p = chk.report.problems.find((x) => x.code === 'DATASET_MISSING');
    expect(p).toMatchObject({ severity: 'critical', service: 'imgapi' });
    expect(p!.message).toContain('i1.zfs is 100 bytes');
    const svc = chk.report.services.find((s) => s.name === 'imgapi');
    expect(svc?.restoreData.dataset).toBe(false);
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
    expect(out.problems.map((x) => x.code)).toContain('DATASET_MISSING');
    expect(loadState(t.statePath).instances.filter((i) => i.server === 'headnode1').length).toBe(4);
  });
});
