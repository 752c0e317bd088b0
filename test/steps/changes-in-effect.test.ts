// What the list of changes still in effect asks the DC: is each zone still on
// its host (a zone deleted by hand is undone), and which recovery locks a gone
// process left on the headnodes. On the simulated DC.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChanges } from '../../src/steps/changes-in-effect.js';
import { acquireDcLock } from '../../src/steps/dc-lock.js';
import { Journal } from '../../src/steps/journal.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';

const HEADNODES = [
  { hostname: 'headnode1', local: true },
  { hostname: 'headnode2', local: false, adminIp: '10.99.99.42' },
];
/** Above any pid_max: no such process. */
const GONE_PID = 99_999_999;

/** A journal that created the zone `uuid` (alias x0) and stopped before starting it. */
function createdZone(dir: string, uuid: string, file = 'journal.jsonl'): void {
  const j = new Journal(dir, 'run-1', file);
  j.append({ t: 'run', command: 'triton-recover restore', who: 'root', host: 'hn', pid: GONE_PID, job: 'restore' });
  j.append({ t: 'plan', plan: { steps: [{ service: 'x', alias: 'x0', uuid }], reconcile: [] } });
  j.append({ t: 'start', id: 'x/x0/create-vm', service: 'x', kind: 'create-vm', host: 'headnode1' });
  j.append({ t: 'end', id: 'x/x0/create-vm', ok: true, detail: 'ok', durationMs: 1 });
  j.close();
}

const holder = (pid: number) => ({
  who: 'root',
  host: hostname(),
  pid,
  since: '2026-12-02T10:00:00.000Z',
  command: 'triton-recover restore',
});

describe('changes still in effect, asked of the DC', () => {
  it('a zone still on its host is listed; one no longer there (deleted by hand, or never made) is undone', async () => {
    const t = await openTestSim(scenario(), 400);
    const there = loadState(t.statePath).instances.find((i) => i.server === 'headnode1')!.uuid;
    const dir = join(t.dir, 'j-there');
    createdZone(dir, there);
    const listed = await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 });
    expect(listed.map((c) => c.word)).toEqual(['x0']);

    const gone = join(t.dir, 'j-gone');
    createdZone(gone, '00000000-0000-4000-8000-000000000001');
    expect(await readChanges(t.sim, { journalDir: gone, headnodes: HEADNODES, timeoutMs: 2_000 })).toEqual([]);
  });

  it("reads the set-aside journals with the current one, and the conversions' journals", async () => {
    const t = await openTestSim(scenario(), 400);
    const there = loadState(t.statePath).instances.find((i) => i.server === 'headnode1')!.uuid;
    const dir = join(t.dir, 'j');
    // An older run created the zone, and its journal was set aside: the zone is listed from it...
    createdZone(dir, there, 'journal-2026-12-01T00-00-00-000Z.jsonl');
    const [old] = await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 });
    expect(old).toMatchObject({ word: 'x0', journal: join(dir, 'journal-2026-12-01T00-00-00-000Z.jsonl') });
    // ...until the current journal's run finishes it (the same zone: its plan names the same UUID).
    const now = new Journal(dir, 'run-2');
    now.append({ t: 'plan', plan: { steps: [{ service: 'x', alias: 'x0', uuid: there }], reconcile: [] } });
    now.append({ t: 'service', service: 'x/x0', status: 'done', detail: 'healthy' });
    now.close();
    expect(await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 })).toEqual([]);

    const conv = new Journal(join(dir, 'convert-cn0-uuid'), 'run-3');
    conv.append({
      t: 'run',
      command: 'triton-recover convert cn0',
      who: 'root',
      host: 'hn',
      pid: GONE_PID,
      job: 'convert',
    });
    conv.append({
      t: 'plan',
      plan: { target: { hostname: 'cn0', uuid: 'cn0-uuid' }, steps: [{ id: 'prepare', title: 'prepare cn0' }] },
    });
    conv.append({ t: 'start', id: 'prepare/mkdir', service: 'prepare', kind: 'mkdir', host: 'cn0' });
    conv.close();
    const [c] = await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 });
    expect(c).toMatchObject({ kind: 'conversion', host: 'cn0', finish: 'triton-recover convert cn0' });
  });

  it("a lock of a gone process on a peer is listed (its sync is paused); a live holder's is not", async () => {
    const t = await openTestSim(scenario(), 400);
    const dir = join(t.dir, 'j');
    const peer = [{ hostname: 'headnode2', host: t.host('headnode2') }];
    expect((await acquireDcLock(peer, holder(GONE_PID), () => false)).ok).toBe(true);
    const [c, ...rest] = await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ kind: 'lock', host: 'headnode2', word: 'lock-headnode2' });
    expect(c!.what).toContain('sync on headnode2 is paused');

    // The same lock held by a process that runs (this test's parent): a run under way, not a change left.
    await t.run('headnode2', ['rm', '-rf', '/var/sdcadm/triton-recover.lock']);
    expect((await acquireDcLock(peer, holder(process.ppid), () => false)).ok).toBe(true);
    expect(await readChanges(t.sim, { journalDir: dir, headnodes: HEADNODES, timeoutMs: 2_000 })).toEqual([]);
  });
});
