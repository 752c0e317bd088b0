// Global options -> the DC the console talks to: the simulator (--sim/--demo)
// or the real one this headnode is part of.
import { resolve } from 'node:path';
import type { Dc } from './dc.js';
import { openRealDc } from './real-dc.js';
import { builtinScenarioPath, openSim } from './sim/index.js';
import { DEFAULT_RESTORE_DATA_DIR } from '../state/restore-data-layout.js';

export interface GlobalOptions {
  sim?: string;
  demo?: boolean;
  simState?: string;
  simSpeed?: number;
  restoreData?: string;
  journalDir?: string;
  maxAge?: number;
  serial?: boolean;
  ascii?: boolean;
  color?: boolean;
}

export async function openDc(g: GlobalOptions): Promise<Dc> {
  if (g.sim || g.demo || g.simState) {
    return openSim({
      scenarioPath: g.sim ? resolve(g.sim) : builtinScenarioPath(),
      ...(g.simState ? { statePath: g.simState } : {}),
      ...(g.restoreData ? { restoreDataDir: g.restoreData } : {}),
      speed: g.simSpeed ?? 1,
    });
  }
  return openRealDc({ restoreDataDir: g.restoreData ?? DEFAULT_RESTORE_DATA_DIR });
}
