// Detection and restore on the reference scenario with a real headnode's
// latencies (scenarios/latencies-real-headnode.json) at a --sim-speed, against
// what cannot be made faster: the slowest probe for detection; for the
// restore, the serial and the pipelined floor (restore-floors.ts). The wall
// time runs from the first action to the last zone found healthy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinScenarioPath, openSim } from '../remote/sim/index.js';
import { loadLatencyProfile } from '../remote/sim/latency-profile.js';
import { loadScenarioFile } from '../remote/sim/scenario.js';
import { runRestore } from '../steps/restore.js';
import { detect } from '../steps/detect.js';
import { inventoryFromRestoreData, readRestoreData } from '../steps/restore-data.js';
import { restoreFloors } from './restore-floors.js';

export interface RestoreBench {
  speed: number;
  profile: string;
  zones: number;
  exitCode: number;
  wallMs: number;
  serialFloorMs: number;
  pipelinedFloorMs: number;
  /** The wall time over the pipelined floor, in %. */
  overPipelinedFloorPct: number;
  /** What pipelining saves against the serial floor, in ms. */
  savedVsSerialMs: number;
  detection: { wallMs: number; slowestSignalMs: number; overPct: number };
}

export async function benchRestore(speed = 20): Promise<RestoreBench> {
  const s = await loadScenarioFile(builtinScenarioPath());
  const profile = await loadLatencyProfile('real');
  s.latencyMs = { ...s.latencyMs, ...profile.latencyMs };
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-restore-'));
  const sim = await openSim({ scenario: s, statePath: join(dir, 'state.json'), speed });
  const probeTimeoutMs = 5_000 / speed;

  const inv = inventoryFromRestoreData(await readRestoreData(sim.restoreDataDir));
  const det = await detect(sim, inv, { timeoutMs: probeTimeoutMs });
  const slowest = Math.max(...det.headnodes.flatMap((h) => h.evidence.map((e) => e.durationMs)));

  let firstAction = 0;
  let lastHealthy = 0;
  const out = await runRestore({
    dc: sim,
    journalDir: join(dir, 'journal'),
    strategy: 'reuse',
    fenced: 'headnode0',
    timing: { pollMs: 1_000 / speed, healthTimeoutMs: 600_000 / speed, commandTimeoutMs: 600_000 / speed },
    probeTimeoutMs,
    command: 'bench',
    events: {
      actionStart: () => (firstAction ||= Date.now()),
      serviceEnd: () => (lastHealthy = Date.now()),
    },
  });
  const steps = out.plan?.steps ?? [];
  const floors = restoreFloors(steps, (k) => sim.world.latency(k));
  const wallMs = lastHealthy - firstAction;
  return {
    speed,
    profile: profile.profile,
    zones: steps.length,
    exitCode: out.exitCode,
    wallMs,
    ...floors,
    overPipelinedFloorPct: (wallMs / floors.pipelinedFloorMs - 1) * 100,
    savedVsSerialMs: floors.serialFloorMs - wallMs,
    detection: { wallMs: det.wallMs, slowestSignalMs: slowest, overPct: (det.wallMs / slowest - 1) * 100 },
  };
}

export function restoreLines(r: RestoreBench): string[] {
  const min = (ms: number): string => `${((ms * r.speed) / 60_000).toFixed(1)} min`;
  return [
    `detection on the reference scenario (--sim-speed ${r.speed}):`,
    `  wall ${r.detection.wallMs} ms vs slowest signal ${r.detection.slowestSignalMs} ms (${r.detection.overPct.toFixed(1)} % over; goal within 10 %)`,
    `restore of ${r.zones} zones, ${r.profile} latencies at --sim-speed ${r.speed}, exit ${r.exitCode}:`,
    `  wall ${r.wallMs} ms (first action to last zone healthy); at speed 1: ${min(r.wallMs)}`,
    `  pipelined floor ${Math.round(r.pipelinedFloorMs)} ms (${min(r.pipelinedFloorMs)}): wall is ${r.overPipelinedFloorPct.toFixed(1)} % over it (goal: within 10 %)`,
    `  serial floor ${Math.round(r.serialFloorMs)} ms (${min(r.serialFloorMs)}): preparing ahead saves ${Math.round(r.savedVsSerialMs)} ms (${min(r.savedVsSerialMs)} at speed 1)`,
  ];
}
