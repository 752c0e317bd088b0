// Shared setup for sync tests: a healthy DC (every server alive, no restore-data
// yet), fast timings, and a byte-for-byte picture of a restore-data directory.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import type { SyncOptions } from '../../src/steps/sync/run.js';
import { openTestSim, scenario, type TestSim } from './sim-dc.js';

export const SPEED = 1000;
export const TIMING = { commandTimeoutMs: 2_000, sendStallMs: 1_000, sendTimeoutMs: 5_000, httpTimeoutMs: 2_000 };

/** The reference scenario with the primary alive and nothing synced yet. */
export function healthy(edit?: (s: Scenario) => void): Scenario {
  return scenario((s) => {
    for (const srv of s.servers) srv.alive = true;
    s.restoreData.on = [];
    edit?.(s);
  });
}

export function openHealthy(edit?: (s: Scenario) => void, speed = SPEED): Promise<TestSim> {
  return openTestSim(healthy(edit), speed);
}

export function syncOpts(t: TestSim, extra: Partial<SyncOptions> = {}): SyncOptions {
  return {
    dc: t.sim,
    journalDir: join(t.dir, 'journal'),
    command: 'triton-recover sync (test)',
    timing: TIMING,
    minFreeMb: 0,
    ...extra,
  };
}

/** Instance of the reference scenario by alias. */
export function inst(alias: string): Scenario['instances'][number] {
  const i = scenario().instances.find((x) => x.alias === alias);
  if (!i) throw new Error(`no instance ${alias}`);
  return i;
}

/** relative path -> sha1 of every file under dir (the sync lock left out). */
export function picture(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!p.includes('.sync-lock'))
        out.set(relative(dir, p), createHash('sha1').update(readFileSync(p)).digest('hex'));
    }
  };
  try {
    statSync(dir);
    walk(dir);
  } catch {
    /* no dir: empty picture */
  }
  return out;
}

export function readJsonFile<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
