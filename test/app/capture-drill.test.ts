// Issue 16 item 8, done when: `capture` of the simulated reference DC (every
// headnode alive), replayed with headnode0 dead, restores like the reference
// scenario itself: the same zones, in the same order, with the same IPs and
// NICs, done. The engine in-process, as `capture` and `drill` drive it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureScenario } from '../../src/app/modes/capture.js';
import { withDeadHeadnode } from '../../src/remote/sim/drill.js';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { readJournal } from '../../src/steps/journal.js';
import { runRestore } from '../../src/steps/restore.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { loadState, RESTORED, violations } from '../support/restore-oracle.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

/** The reference DC on a normal day: headnode0 alive, its zones running. */
export function aliveReference(): Scenario {
  return scenario((s) => {
    s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
    for (const i of s.instances) if (i.server === 'headnode0') i.state = 'running';
  });
}

/** A whole restore with headnode0 dead; what it re-created, in order, and each zone's NICs. */
async function restoreOf(s: Scenario) {
  const t = await openTestSim(s, SPEED);
  const journalDir = join(t.dir, 'journal');
  const out = await runRestore({
    dc: t.sim,
    journalDir,
    strategy: 'reuse',
    fenced: 'headnode0',
    timing,
    probeTimeoutMs: 500,
    command: 'triton-recover drill --dead headnode0 --yes',
  });
  const order = [...readJournal(journalDir).finished.keys()];
  const st = loadState(t.statePath);
  const nics = Object.fromEntries(
    st.instances
      .filter((i) => i.server === st.localServer && i.payload)
      .map((i) => [
        `${i.alias} ${i.uuid}`,
        (i.payload!['nics'] as Record<string, unknown>[]).map((n) => ({
          tag: n['nic_tag'],
          ip: n['ip'],
          mac: n['mac'],
          primary: n['primary'] === true,
        })),
      ]),
  );
  return { out, order, nics, statePath: t.statePath };
}

describe('capture, then a drill with headnode0 dead (issue 16 item 8)', () => {
  it('restores like the reference scenario itself: same zones, order, IPs and NICs, done', async () => {
    const live = await openTestSim(aliveReference(), SPEED);
    const { scenario: captured, notes } = await captureScenario(live.sim, { speed: SPEED, name: 'captured' });
    await live.sim.close();
    // Only sync's own remark that VMAPI (on headnode0) is found by its setup-time address.
    expect(notes.filter((n) => !n.startsWith('no admin NIC known for a vmapi instance'))).toEqual([]);
    expect(captured.localServer).toBe('headnode1');
    expect(captured.servers.every((s) => s.alive)).toBe(true);
    expect(captured.manatee).toMatchObject({ primary: 'manatee0', sync: 'manatee1', async: ['manatee2'] });

    const drill = await restoreOf(withDeadHeadnode(captured, 'headnode0'));
    const ref = await restoreOf(scenario());
    expect(ref.out.exitCode).toBe(0);
    expect(drill.out.exitCode, drill.out.message).toBe(0);
    expect(drill.out.message).toMatch(/21 of 21 zone\(s\) restored and healthy/);
    expect(violations(drill.statePath)).toEqual([]);
    expect(drill.order.map((k) => k.split('/')[0])).toEqual(RESTORED);
    expect(drill.order).toEqual(ref.order);
    expect(drill.nics).toEqual(ref.nics);
  }, 120_000);
});
