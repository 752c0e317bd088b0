// Shared setup for simulator tests: the reference scenario, a fresh sim in a
// temp dir, and small wrappers to run commands and HTTP calls.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Host } from '../../src/remote/host.js';
import { openSim, type SimDc } from '../../src/remote/sim/index.js';
import { parseScenario, type Scenario } from '../../src/remote/sim/scenario.js';
import { runRestore, type RestoreOptions, type RestoreOutcome } from '../../src/steps/restore.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const contractScenarioPath = resolve(repoRoot, 'test', 'fixtures', 'contract', 'scenario.example.json');
export const builtinPath = resolve(repoRoot, 'scenarios', 'primary-dead.json');

export function rawScenario(): Record<string, unknown> {
  return JSON.parse(readFileSync(builtinPath, 'utf8')) as Record<string, unknown>;
}

/** The reference scenario, parsed, with an optional edit applied first. */
export function scenario(edit?: (s: Scenario) => void): Scenario {
  const s = parseScenario(rawScenario());
  edit?.(s);
  return parseScenario(s);
}

export function tempDir(prefix = 'tr-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestSim {
  sim: SimDc;
  dir: string;
  statePath: string;
  host(name: string): Host;
  run(name: string, argv: string[], stdin?: string | Buffer, timeoutMs?: number): ReturnType<Host['run']>;
  http(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<{ status: number; json: unknown }>;
}

/** The timing of in-process restores on a fast test simulator. */
export const RESTORE_TIMING = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

/**
 * The restore engine as `restore --yes --fenced headnode0` drives it, in-process on a test
 * simulator (journal in its dir, fast timing); `over` adds or replaces options.
 */
export function restoreIn(
  t: Pick<TestSim, 'sim' | 'dir'>,
  over: Partial<RestoreOptions> = {},
): Promise<RestoreOutcome> {
  return runRestore({
    dc: t.sim,
    journalDir: join(t.dir, 'journal'),
    strategy: 'reuse',
    fenced: 'headnode0',
    timing: RESTORE_TIMING,
    probeTimeoutMs: 500,
    command: 'triton-recover restore --yes --fenced headnode0',
    ...over,
  });
}

/** Fast by default: latencies divided by 1000. */
export async function openTestSim(s: Scenario = scenario(), speed = 1000): Promise<TestSim> {
  const dir = tempDir();
  const statePath = join(dir, 'state.json');
  const sim = await openSim({ scenario: s, statePath, speed });
  return {
    sim,
    dir,
    statePath,
    host: (name) => sim.peer(name, ''),
    run: (name, argv, stdin, timeoutMs = 5_000) =>
      sim.peer(name, '').run(argv, { timeoutMs, ...(stdin !== undefined ? { stdin } : {}) }),
    http: async (method, url, body, timeoutMs = 5_000) => {
      const r = await sim.http({ method, url, timeoutMs, ...(body !== undefined ? { body } : {}) });
      return { status: r.status, json: r.body ? (JSON.parse(r.body) as unknown) : null };
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until fn() is true (polling), or fail with what was awaited. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Reboots every headnode but the local one in the simulated DC at `statePath`
 * (SmartOS: /root empties, the boot restores what config.inc names) and waits
 * until each is back; `back` looks at each one once it is. Returns their names.
 */
export async function rebootOtherHeadnodes(
  statePath: string,
  back?: (sim: SimDc, hostname: string) => void,
): Promise<string[]> {
  const sim = await openSim({ statePath, speed: 200 });
  const peers = sim.world.state.servers.filter((s) => s.headnode && s.hostname !== sim.world.state.localServer);
  for (const p of peers) {
    const booted = p.bootedAt;
    const r = await sim.peer(p.hostname, '').run(['reboot'], { timeoutMs: 5000 });
    if (r.code !== 0) throw new Error(`reboot of ${p.hostname} exited ${r.code}: ${r.stderr}`);
    await until(
      `${p.hostname} back`,
      () => {
        sim.world.settle();
        return sim.world.server(p.hostname)!.bootedAt !== booted;
      },
      10_000,
    );
    back?.(sim, p.hostname);
  }
  await sim.close();
  return peers.map((p) => p.hostname);
}
