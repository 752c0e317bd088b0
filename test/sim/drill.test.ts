// A drill's DC: the scenario with one headnode dead, its zones lost with it.
import { describe, expect, it } from 'vitest';
import { withDeadHeadnode } from '../../src/remote/sim/drill.js';
import { ScenarioError, type Scenario } from '../../src/remote/sim/scenario.js';
import { scenario } from '../support/sim-dc.js';

function allAlive(): Scenario {
  return scenario((s) => {
    s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
    for (const i of s.instances) i.state = 'running';
    s.faults = [{ command: 'vmadm create', effect: 'fail', times: 1 }];
  });
}

describe('withDeadHeadnode', () => {
  it('kills the headnode and loses its zones; no fault of the original rides along', () => {
    const d = withDeadHeadnode(allAlive(), 'headnode2');
    expect(d.servers.find((x) => x.hostname === 'headnode2')!.alive).toBe(false);
    expect(d.instances.filter((i) => i.server === 'headnode2').every((i) => i.state === undefined)).toBe(true);
    expect(d.instances.filter((i) => i.server === 'headnode0').every((i) => i.state === 'running')).toBe(true);
    expect(d.restoreData.on).toEqual(['headnode1']);
    expect(d.faults).toEqual([]);
    expect(d.localServer).toBe('headnode1');
    expect(d.name).toBe('primary-dead-drill-headnode2');
  });

  it("the console's own headnode dead: the console moves to a live headnode that holds restore-data", () => {
    const d = withDeadHeadnode(allAlive(), 'headnode1');
    expect(d.localServer).toBe('headnode2');
    expect(d.servers.find((x) => x.hostname === 'headnode1')!.alive).toBe(false);
  });

  it('refuses a compute node or an unknown name, naming the headnodes', () => {
    expect(() => withDeadHeadnode(allAlive(), 'cn0')).toThrow(ScenarioError);
    expect(() => withDeadHeadnode(allAlive(), 'nosuch')).toThrow(/its headnodes: headnode0, headnode1, headnode2/);
  });
});
