// A drill's DC: a scenario (a capture of a live DC, or any other) with one
// headnode dead, as a disaster leaves it: the server answers nothing and its
// zones are lost with it (a dead server keeps no live state, world.ts). The
// console moves to another live headnode if it was the dead one.
import { ScenarioError, parseScenario, type Scenario } from './scenario.js';

export function withDeadHeadnode(s: Scenario, dead: string, file = 'scenario'): Scenario {
  const srv = s.servers.find((x) => x.hostname === dead);
  const headnodes = s.servers.filter((x) => x.headnode).map((x) => x.hostname);
  if (!srv || !srv.headnode)
    throw new ScenarioError(
      file,
      'servers',
      `--dead ${dead}: not a headnode of this scenario (its headnodes: ${headnodes.join(', ')})`,
    );
  const copy = structuredClone(s);
  // A fresh scenario: no live-state bookkeeping of an earlier run, no drill knobs.
  delete copy.sim;
  copy.faults = [];
  const dying = copy.servers.find((x) => x.hostname === dead)!;
  dying.alive = false;
  delete dying.partitioned;
  for (const i of copy.instances) if (i.server === dead) delete i.state;
  copy.restoreData.on = copy.restoreData.on.filter((h) => h !== dead);
  if (copy.localServer === dead) {
    // The console runs where restore-data is held, on a live headnode.
    const next =
      copy.servers.find((x) => x.headnode && x.alive && copy.restoreData.on.includes(x.hostname)) ??
      copy.servers.find((x) => x.headnode && x.alive);
    if (!next) throw new ScenarioError(file, 'servers', `--dead ${dead}: no other live headnode to run the console on`);
    copy.localServer = next.hostname;
  }
  copy.name = `${s.name}-drill-${dead}`;
  copy.description = `Drill: ${dead} dead, the console on ${copy.localServer}. ${s.description}`.trim();
  return parseScenario(copy, file);
}
