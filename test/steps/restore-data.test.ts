import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryFromRestoreData, readRestoreData } from '../../src/steps/restore-data.js';
import { primaryOf } from '../../src/state/inventory.js';
import { openTestSim, scenario, tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

describe('restore-data as the simulator writes it and the console reads it', () => {
  it('the reference scenario reads back whole: every service, vm, dataset and image', async () => {
    const t = await openTestSim();
    const rd = await readRestoreData(t.sim.restoreDataDir);
    expect(rd.present).toBe(true);
    expect(rd.dcProblems).toEqual([]);
    expect(rd.services.size).toBe(25);
    for (const s of rd.services.values()) expect(s.problems).toEqual([]);
    expect(rd.services.get('manatee')!.vms).toHaveLength(3);
    expect(rd.services.get('sapi')!.datasets[0]!.streamBytes).toBeGreaterThan(4096);
    expect(rd.images.size).toBe(26);
    expect(rd.dc.recoveryIps).toHaveLength(30);
    const inv = inventoryFromRestoreData(rd);
    expect(primaryOf(inv)?.hostname).toBe('headnode0');
    expect(inv.instances.find((i) => i.alias === 'sapi0')).toMatchObject({
      adminIp: REF.sapi0.adminIp,
      delegatedDataset: true,
    });
  });

  it('a corrupt file is a problem for its service, the rest still reads', async () => {
    const t = await openTestSim(scenario((s) => (s.restoreData.services['ufds'] = { corrupt: 'sapi-instances.json' })));
    const rd = await readRestoreData(t.sim.restoreDataDir);
    const ufds = rd.services.get('ufds')!;
    expect(ufds.problems).toHaveLength(1);
    expect(ufds.problems[0]).toMatchObject({ file: 'svc-ufds/sapi-instances.json', kind: 'corrupt' });
    expect(ufds.problems[0]!.detail).toContain('invalid JSON');
    expect(ufds.vms).toHaveLength(1);
    expect(rd.services.get('sapi')!.problems).toEqual([]);
  });

  it('a vm dump of the wrong shape names the field', async () => {
    const t = await openTestSim();
    const f = join(t.sim.restoreDataDir, 'svc-mahi', `vm-${REF.mahi0.uuid}.json`);
    writeFileSync(
      f,
      JSON.stringify({ uuid: REF.mahi0.uuid, brand: 'joyent-minimal', state: 'running', nics: [{ mac: 'zz' }] }),
    );
    const rd = await readRestoreData(t.sim.restoreDataDir);
    const p = rd.services.get('mahi')!.problems[0]!;
    expect(p.kind).toBe('corrupt');
    expect(p.detail).toMatch(/at nics\.0\.mac/);
  });

  it('missing service data, dataset streams and images are seen as missing', async () => {
    const t = await openTestSim(
      scenario((s) => {
        s.restoreData.services['papi'] = { missing: true };
        s.restoreData.services['imgapi'] = { missingDataset: true };
        s.restoreData.services['vmapi'] = { missingImage: true };
      }),
    );
    const rd = await readRestoreData(t.sim.restoreDataDir);
    expect(rd.services.has('papi')).toBe(false);
    const imgapi = rd.services.get('imgapi')!;
    expect(imgapi.datasets[0]!.streamPath).toBeUndefined();
    expect(imgapi.problems[0]).toMatchObject({ kind: 'missing', file: `svc-imgapi/dataset-${REF.imgapi0.uuid}.zfs` });
    expect(rd.images.has(REF.vmapi0.image)).toBe(false);
  });

  it('no restore-data at all is one clear problem, not an exception', async () => {
    const rd = await readRestoreData(join(tempDir(), 'nothing-here'));
    expect(rd.present).toBe(false);
    expect(rd.dcProblems[0]).toMatchObject({ file: 'LAYOUT', kind: 'missing' });
  });
});
