// What a restore cannot go below, from its plan and the simulator's latencies.
// A zone's preparation is its image installs, `vmadm create` and `zfs recv`;
// its run is `vmadm start` with its first boot (the simulator counts the boot
// from the start command, so the longer of the two), then one round of health
// checks (vmadm get; setup marker and svcs together; zlogin ipadm; the ping).
// Serial: every zone's preparation and run, one after another. Pipelined: the
// first zone's preparation, then every zone's run (later preparations hide
// behind earlier boots).
import { preparationLength, type PlanStep } from '../state/plan.js';

/** A scaled latency by key (the simulator's lookup: the key, its tool, the default). */
export type LatencyOf = (key: string) => number;

export interface RestoreFloors {
  serialFloorMs: number;
  pipelinedFloorMs: number;
}

const PREP_KEY: Record<string, string> = {
  'install-image': 'imgadm install',
  'create-vm': 'vmadm create',
  'receive-dataset': 'zfs recv',
};

export function prepMs(step: PlanStep, lat: LatencyOf): number {
  return step.actions
    .slice(0, preparationLength(step.actions))
    .reduce((sum, a) => sum + lat(PREP_KEY[a.kind] ?? 'default'), 0);
}

export function runMs(step: PlanStep, lat: LatencyOf): number {
  const health = step.actions.find((a) => a.kind === 'wait-healthy');
  const round =
    lat('vmadm get') + Math.max(lat('test -f'), lat('svcs -xz')) + lat('zlogin') + (health?.http ? lat('http') : 0);
  return Math.max(lat('vmadm start'), lat('zone first boot')) + round;
}

export function restoreFloors(steps: readonly PlanStep[], lat: LatencyOf): RestoreFloors {
  const runs = steps.reduce((sum, s) => sum + runMs(s, lat), 0);
  return {
    serialFloorMs: steps.reduce((sum, s) => sum + prepMs(s, lat), 0) + runs,
    pipelinedFloorMs: (steps[0] ? prepMs(steps[0], lat) : 0) + runs,
  };
}
