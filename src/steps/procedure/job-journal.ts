// What a job (restore, conversion) writes to its journal besides its actions'
// start and end lines (those are run-action.ts's): who ran it, its plan, each
// decision, each step's outcome, output, and how it stopped or closed. The
// jobs call these; only this folder writes journal entries.
import { hostname, userInfo } from 'node:os';
import type { RunIdentity } from '../../state/run-identity.js';
import type { Journal } from '../journal.js';

/** Output kept per action in the transcript. */
const OUTPUT_KEEP = 20_000;

export interface RunStart {
  command: string;
  who: string;
  job: 'restore' | 'convert';
  strategy?: 'reuse' | 'new';
  identity?: RunIdentity;
  /** A drill's --sim-speed (1 too): the run is a drill, its timings read N times longer (state/journal.ts). */
  timeScale?: number;
}

/** Who runs this: the operator behind sudo, else the login. */
export function operatorName(): string {
  return process.env['SUDO_USER'] ?? userInfo().username;
}

export class JobJournal {
  constructor(readonly journal: Journal) {}

  /** The run begins: who, from where, which process. */
  started(r: RunStart): void {
    this.journal.append({
      t: 'run',
      command: r.command,
      who: r.who,
      host: hostname(),
      pid: process.pid,
      job: r.job,
      ...(r.strategy ? { strategy: r.strategy } : {}),
      ...(r.identity ? { identity: r.identity } : {}),
      ...(r.timeScale !== undefined ? { timeScale: r.timeScale } : {}),
    });
  }

  /** The plan, kept whole: a rerun executes this one, not one rebuilt from restore-data. */
  planned(plan: unknown): void {
    this.journal.append({ t: 'plan', plan });
  }

  /** A decision: the operator's answer, a skip, a lock taken over, a re-check. */
  decided(decision: string, detail: string, service?: string): void {
    this.journal.append({ t: 'decision', ...(service !== undefined ? { service } : {}), decision, detail });
  }

  /** A step (a zone, a conversion step) ended. */
  stepEnded(service: string, status: 'done' | 'failed' | 'skipped', detail: string): void {
    this.journal.append({ t: 'service', service, status, detail });
  }

  /** An action's output, for the transcript (already redacted by the caller). */
  output(id: string, stdout: string, stderr: string): void {
    this.journal.append({
      t: 'output',
      id,
      stdout: stdout.slice(0, OUTPUT_KEEP),
      stderr: stderr.slice(0, OUTPUT_KEEP),
    });
  }

  /** The run stopped (done, failed, asked to stop): the journal stays open for a rerun. */
  stopped(reason: string, exitCode: number): void {
    this.journal.append({ t: 'stop', reason, exitCode });
  }

  /** Everything finished: this journal is history, the next run starts afresh. */
  closed(reason: string): void {
    this.journal.append({ t: 'close', reason });
  }
}
