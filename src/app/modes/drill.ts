// `drill --sim FILE --dead HOSTNAME`: rehearse the whole restore on a copy of a
// scenario (a capture of this DC, typically) with that headnode dead, in the
// simulator; the report and the incident bundle give the timings scaled back
// from --sim-speed to the scenario's latencies, against the 1 h goal.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { withDeadHeadnode } from '../../remote/sim/drill.js';
import { openSim } from '../../remote/sim/index.js';
import { loadLatencyProfile } from '../../remote/sim/latency-profile.js';
import { loadScenarioFile } from '../../remote/sim/scenario.js';
import { EXIT } from '../../state/exit-codes.js';
import { restoreOn, type RestoreCliOptions } from './restore.js';

export async function drill(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<RestoreCliOptions & { dead: string; drillDir?: string }>();
  if (!o.sim) {
    process.stderr.write(
      'triton-recover drill: give the scenario to rehearse on: --sim FILE (write one of this DC with: triton-recover capture --out FILE)\n',
    );
    return EXIT.usage;
  }
  // The drill's journal (its restored-from record, its changes) must never land where the real
  // console keeps its own: `check` there would take the drill's dead headnode for a fenced primary.
  if (o.journalDir || o.restoreData) {
    process.stderr.write(
      `triton-recover drill: ${o.journalDir ? '--journal-dir' : '--restore-data'} is for the real DC; a drill keeps everything in its drill directory.\n  Give --drill-dir DIR instead (or leave it out for a new temporary one)\n`,
    );
    return EXIT.usage;
  }
  if (!o.yes && !process.stdin.isTTY) {
    process.stderr.write(
      'triton-recover drill: standard input is not a terminal, so nobody can answer the confirmations.\n' +
        '  Run it from a terminal, or say yes up front: triton-recover drill --sim FILE --dead HOSTNAME --yes\n',
    );
    return EXIT.blocked;
  }
  const file = resolve(o.sim);
  const scenario = withDeadHeadnode(await loadScenarioFile(file), o.dead, file);
  // Everything of the drill in one directory: its scenario, the simulated DC's state, journal, report, bundle.
  const dir = o.drillDir ? resolve(o.drillDir) : mkdtempSync(join(tmpdir(), `triton-recover-drill-${o.dead}-`));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A drill directory with a simulated DC in it: a rerun resumes that drill (as a
  // rerun of restore does), never another one over it.
  const resuming = existsSync(join(dir, 'state.json'));
  if (resuming) {
    const was = await loadScenarioFile(join(dir, 'drill-scenario.json')).catch(() => undefined);
    if (was?.name !== scenario.name) {
      process.stderr.write(
        `triton-recover drill: ${dir} holds another drill (${was?.name ?? 'unreadable drill-scenario.json'}), not ${scenario.name}.\n  Give a new directory: --drill-dir DIR (or leave it out for a new temporary one)\n`,
      );
      return EXIT.usage;
    }
  } else writeFileSync(join(dir, 'drill-scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`, { mode: 0o600 });
  const speed = o.simSpeed ?? 1;
  const dc = await openSim({
    scenario,
    statePath: join(dir, 'state.json'),
    speed,
    ...(o.simLatencies ? { latencies: (await loadLatencyProfile(o.simLatencies)).latencyMs } : {}),
  });
  const journalDir = join(dir, 'journal');
  mkdirSync(journalDir, { recursive: true, mode: 0o700 });
  process.stdout.write(
    `drill: ${o.dead} dead, ${resuming ? 'resuming the restore' : 'restoring'} on ${scenario.localServer} in the simulator at --sim-speed ${speed}; everything is in ${dir}\n`,
  );
  return restoreOn(dc, { ...o, fenced: o.dead, strategy: o.strategy ?? 'reuse', timeScale: speed }, journalDir);
}
