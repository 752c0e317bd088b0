// A full and an incremental sync of the reference scenario (its primary alive),
// at a fast --sim-speed: wall time and bytes, in-process and over the
// simulator's SSH server (the streams then cross a real ssh2 wire). The
// incremental comes "5 minutes" (simulated) after the full.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dc } from '../remote/dc.js';
import { builtinScenarioPath, openSim, type SimDc } from '../remote/sim/index.js';
import { loadScenarioFile } from '../remote/sim/scenario.js';
import { serveSimOverSshWithFreshKeys } from '../remote/sim/serve-ssh.js';
import { formatBytes, type SyncReport } from '../state/sync-report.js';
import { runSync } from '../steps/sync/run.js';
import { syncTimingFor } from '../steps/sync/timing.js';

const INTERVAL_MS = 5 * 60_000;

async function healthySim(speed: number): Promise<{ sim: SimDc; dir: string }> {
  const s = await loadScenarioFile(builtinScenarioPath());
  for (const srv of s.servers) srv.alive = true;
  s.restoreData.on = [];
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-sync-'));
  return { sim: await openSim({ scenario: s, statePath: join(dir, 'state.json'), speed }), dir };
}

function line(what: string, r: SyncReport, wallMs: number): string {
  const streams = r.bytes.full + r.bytes.incremental;
  return `  ${what.padEnd(12)} ${String(Math.round(wallMs)).padStart(5)} ms   streams ${formatBytes(streams).padStart(9)} (${r.services.flatMap((s) => s.datasets).length} datasets)   images ${formatBytes(r.bytes.images).padStart(9)}   total ${formatBytes(r.bytes.total).padStart(9)}   exit ${r.exitCode}`;
}

async function fullThenIncremental(sim: SimDc, dc: Dc, dir: string, speed: number): Promise<string[]> {
  const o = { dc, journalDir: join(dir, 'journal'), command: 'bench', timing: syncTimingFor(speed), minFreeMb: 0 };
  let t0 = performance.now();
  const full = await runSync(o);
  const fullMs = performance.now() - t0;
  sim.world.backdateSnapshots(INTERVAL_MS);
  t0 = performance.now();
  const inc = await runSync(o);
  const incMs = performance.now() - t0;
  return [line('full', full, fullMs), line('incremental', inc, incMs)];
}

export async function benchSync(speed = 100): Promise<string[]> {
  const a = await healthySim(speed);
  const inProcess = await fullThenIncremental(a.sim, a.sim, a.dir, speed);

  const b = await healthySim(speed);
  const svc = await serveSimOverSshWithFreshKeys(b.sim, b.dir);
  let overSsh: string[];
  try {
    overSsh = await fullThenIncremental(b.sim, svc.dc, b.dir, speed);
  } finally {
    await svc.close();
  }
  return [
    `sync of the reference scenario, primary alive (--sim-speed ${speed}; incremental ${INTERVAL_MS / 60_000} simulated min after the full):`,
    '  in-process:',
    ...inProcess.map((l) => `  ${l}`),
    '  peers over SSH (127.0.0.1):',
    ...overSsh.map((l) => `  ${l}`),
  ];
}
