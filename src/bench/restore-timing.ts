// Detection and restore on the reference scenario at a fixed --sim-speed,
// against what cannot be made faster: the slowest probe for detection; for the
// restore, each zone's create, receive, start and first boot, one after another.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinScenarioPath, openSim } from '../remote/sim/index.js';
import { loadScenarioFile } from '../remote/sim/scenario.js';
import { runRestore } from '../steps/restore.js';
import { detect } from '../steps/detect.js';
import { inventoryFromRestoreData, readRestoreData } from '../steps/restore-data.js';

export async function benchRestore(speed = 20): Promise<string[]> {
  const s = await loadScenarioFile(builtinScenarioPath());
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-restore-'));
  const sim = await openSim({ scenario: s, statePath: join(dir, 'state.json'), speed });
  const probeTimeoutMs = 5_000 / speed;

  const inv = inventoryFromRestoreData(await readRestoreData(sim.restoreDataDir));
  const det = await detect(sim, inv, { timeoutMs: probeTimeoutMs });
  const slowest = Math.max(...det.headnodes.flatMap((h) => h.evidence.map((e) => e.durationMs)));

  const l = s.latencyMs;
  const lat = (k: string): number => (l[k] ?? l['default'] ?? 0) / speed;
  let firstAction = 0;
  let lastAction = 0;
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
      actionEnd: () => (lastAction = Date.now()),
    },
  });
  const steps = out.plan?.steps ?? [];
  const floor = steps.reduce(
    (sum, st) => sum + lat('vmadm create') + (st.delegatedDataset ? lat('zfs recv') : 0) + lat('vmadm start') + lat('zone first boot'),
    0,
  );
  const wall = lastAction - firstAction;
  return [
    `detection on the reference scenario (--sim-speed ${speed}, probe deadline ${probeTimeoutMs} ms):`,
    `  wall ${det.wallMs} ms vs slowest signal ${slowest} ms (${((det.wallMs / slowest - 1) * 100).toFixed(1)} % over)`,
    `restore of ${steps.length} zones (--sim-speed ${speed}), exit ${out.exitCode}:`,
    `  wall ${wall} ms (first action to last) vs ${Math.round(floor)} ms of create + recv + start + first boot in series`,
    `  = ${((wall / floor - 1) * 100).toFixed(1)} % over the floor (goal: within 10 %); at speed 1 this is ${(wall * speed / 60_000).toFixed(1)} min`,
  ];
}
