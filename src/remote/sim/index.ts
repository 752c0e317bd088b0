// Opening the simulated datacenter: from a scenario file, or from a live-state
// file left by an earlier run (so a killed console resumes against the same DC).
import { simHostKey } from '../host-key-scan.js';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dc } from '../dc.js';
import { hasRestoreData, materializeRestoreData } from './restore-data.js';
import { loadScenarioFile, type Scenario } from './scenario.js';
import { SimHost, simTransport } from './sim-host.js';
import { SimWorld } from './world.js';
import { SimCoordination } from './coordination.js';
import type { Coordination } from '../coordination.js';

export interface SimOptions {
  /** --sim FILE; ignored when the state file already exists. */
  scenarioPath?: string;
  /** A parsed scenario instead of a file (tests). */
  scenario?: Scenario;
  /** --sim-state FILE: live state, created from the scenario if absent. */
  statePath?: string;
  /** --restore-data DIR; default: next to the state file, or a temp dir. */
  restoreDataDir?: string;
  /** --sim-speed */
  speed?: number;
  /** --sim-latencies: laid over the scenario's (and a resumed state's) latencyMs. */
  latencies?: Record<string, number>;
  /** Replaces the simulated binder lock (hidden --sim-binder: a real ensemble). */
  coordination?: (o?: { connectTimeoutMs?: number }) => Coordination;
}

export interface SimDc extends Dc {
  readonly world: SimWorld;
}

/** The scenario `--demo` uses: shipped with the package. */
export function builtinScenarioPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/remote/sim or src/remote/sim -> <package>/scenarios
  return resolve(here, '..', '..', '..', 'scenarios', 'primary-dead.json');
}

export async function openSim(opts: SimOptions): Promise<SimDc> {
  const statePath = opts.statePath ? resolve(opts.statePath) : undefined;
  let scenario: Scenario;
  if (statePath && existsSync(statePath)) scenario = await loadScenarioFile(statePath);
  else if (opts.scenario) scenario = opts.scenario;
  else scenario = await loadScenarioFile(opts.scenarioPath ?? builtinScenarioPath());
  if (opts.latencies) scenario = { ...scenario, latencyMs: { ...scenario.latencyMs, ...opts.latencies } };
  const world = new SimWorld(scenario, { speed: opts.speed ?? 1, ...(statePath ? { statePath } : {}) });
  world.commit();

  const restoreDataDir = resolve(
    opts.restoreDataDir ??
      (statePath
        ? join(dirname(statePath), `${stripJson(statePath)}.restore-data`)
        : await mkdtemp(join(tmpdir(), 'triton-recover-rd-'))),
  );
  if (!(await hasRestoreData(restoreDataDir))) await materializeRestoreData(world, restoreDataDir);

  const hosts = new Map<string, SimHost>();
  const hostFor = (hostname: string): SimHost => {
    let h = hosts.get(hostname);
    if (!h) hosts.set(hostname, (h = new SimHost(world, hostname, hostname === world.state.localServer)));
    return h;
  };
  return {
    label: `simulated: ${world.state.name}`,
    simulated: true,
    world,
    local: hostFor(world.state.localServer),
    peer: (hostname) => hostFor(hostname),
    async hostKey(hostname, adminIp) {
      if (!world.isAlive(hostname))
        throw new Error(`no host key from ${adminIp}:22: ${hostname} does not answer; check that it is up`);
      return { key: simHostKey(hostname), address: adminIp, port: 22 };
    },
    http: simTransport(world),
    // The scenario's binders decide the quorum; `members` (from restore-data) name the same ones.
    coordination: (_members, o) => (opts.coordination ? opts.coordination(o) : new SimCoordination(world)),
    restoreDataDir,
    async close() {},
  };
}

function stripJson(p: string): string {
  const base = p.split('/').pop() ?? 'sim-state';
  return base.replace(/\.json$/, '');
}
