// `capture --out FILE`: the live DC read on a normal day, written as a scenario
// file the simulator loads, secrets left out, so `drill` can rehearse a restore
// on this DC's exact shape. Reads only; works on --sim/--demo as on a real DC.
import { renameSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Dc } from '../../remote/dc.js';
import { writePrivateFileSync } from '../../remote/private-files.js';
import { loadLatencyProfile } from '../../remote/sim/latency-profile.js';
import { parseScenario, type Scenario } from '../../remote/sim/scenario.js';
import { scenarioFromReadings } from '../../state/capture.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { EXIT } from '../../state/exit-codes.js';
import { readDc } from '../../steps/capture/read-dc.js';
import { SyncStepError } from '../../steps/sync/errors.js';
import { syncTimingFor } from '../../steps/sync/timing.js';
import type { GlobalOptions } from '../open-dc.js';
import { globals, openDc } from './shared.js';

/** The latencies capture observes itself; every other one of a restore comes from a real headnode's profile. */
const OBSERVED = new Set(['default', 'http', 'ssh connect']);

export interface CaptureOptions {
  /** A simulated DC runs this many times fast: observed times are multiplied back. */
  speed: number;
  name?: string;
  sapiUrl?: string;
}

/** The DC read and turned into a scenario the simulator's schema accepts. */
export async function captureScenario(dc: Dc, o: CaptureOptions): Promise<{ scenario: Scenario; notes: string[] }> {
  const profile = await loadLatencyProfile('real');
  const unobserved = Object.fromEntries(Object.entries(profile.latencyMs).filter(([k]) => !OBSERVED.has(k)));
  const speed = dc.simulated ? o.speed : 1;
  const { readings, notes } = await readDc({
    dc,
    timing: syncTimingFor(speed),
    timeScale: speed,
    unobserved,
    ...(o.sapiUrl ? { sapiUrl: o.sapiUrl } : {}),
  });
  const out = scenarioFromReadings(readings, o.name ?? `captured-${readings.datacenter.name}`);
  return { scenario: parseScenario(out.scenario, 'the captured scenario'), notes: [...notes, ...out.notes] };
}

export async function capture(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { out: string; name?: string; sapiUrl?: string }>();
  const dc = await openDc(globals(cmd));
  try {
    let result: { scenario: Scenario; notes: string[] };
    try {
      result = await captureScenario(dc, {
        speed: o.simSpeed ?? 1,
        ...(o.name ? { name: o.name } : {}),
        ...(o.sapiUrl ? { sapiUrl: o.sapiUrl } : {}),
      });
    } catch (e) {
      if (!(e instanceof SyncStepError)) throw e;
      process.stderr.write(
        `triton-recover capture: could not read the DC on ${clean(e.host)}: ${clean(e.command)}: ${clean(e.detail)}\n  next: ${clean(e.next)}\n` +
          '  (capture reads a DC on a normal day: SAPI, CNAPI and NAPI must answer; during an outage, drill on a capture made before it)\n',
      );
      return EXIT.blocked;
    }
    const file = resolve(o.out);
    const tmp = `${file}.tmp-${process.pid}`;
    writePrivateFileSync(tmp, `${JSON.stringify(result.scenario, null, 2)}\n`);
    renameSync(tmp, file);
    for (const n of result.notes) process.stderr.write(`NOTE ${clean(n)}\n`);
    const s = result.scenario;
    process.stdout.write(
      `captured ${s.servers.length} servers, ${s.instances.length} core zones, ${s.images.length} images of ${clean(s.datacenter.name)} into ${file} (no secrets)\n` +
        `next: rehearse a restore on it: triton-recover drill --sim ${file} --dead <headnode> --sim-speed 20 --yes\n`,
    );
    return EXIT.ok;
  } finally {
    await dc.close();
  }
}
