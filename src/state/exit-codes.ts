// The exit codes of the command-line contract (design section 7) and the
// words an operator reads for them, in one place: the CLI, the console and
// the report say the same thing for the same outcome.

export const EXIT = {
  /** Ready, or done. */
  ok: 0,
  /** Warnings only. */
  warnings: 1,
  /** Not ready or blocked: nothing changed (or the run stopped before a step, on request). */
  blocked: 2,
  /** A step failed: the journal says where; a rerun resumes. */
  failed: 3,
  usage: 64,
  internal: 70,
} as const;

/** The shell's convention, 128 + the signal number: the run stopped before its next action. */
export const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT;
export const STOP_SIGNALS = Object.keys(SIGNAL_EXIT) as StopSignal[];
export type SignalExit = (typeof SIGNAL_EXIT)[StopSignal];

/** How a restore or a conversion can end. */
export type RunExit = typeof EXIT.ok | typeof EXIT.blocked | typeof EXIT.failed | typeof EXIT.usage | SignalExit;

const signalOf = (exit: number): StopSignal | undefined => STOP_SIGNALS.find((s) => SIGNAL_EXIT[s] === exit);

/** The outcome in one word, for a summary line: DONE, STOPPED, NOT FINISHED, USAGE, INTERNAL ERROR. */
export function outcomeWord(exit: number): string {
  if (exit === EXIT.ok) return 'DONE';
  if (exit === EXIT.failed || signalOf(exit)) return 'STOPPED';
  if (exit === EXIT.usage) return 'USAGE';
  if (exit === EXIT.internal) return 'INTERNAL ERROR';
  return 'NOT FINISHED';
}

/** The outcome with its reason, for the CLI's last line: "STOPPED (a step failed): ...". */
export function outcomeLabel(exit: number): string {
  const sig = signalOf(exit);
  if (sig) return `STOPPED (${sig})`;
  if (exit === EXIT.failed) return 'STOPPED (a step failed)';
  if (exit === EXIT.blocked) return 'NOT STARTED / STOPPED';
  return outcomeWord(exit);
}

/** Where a run ended, as the console shows it. */
export function runPhase(exit: number): 'done' | 'failed' | 'stopped' {
  return exit === EXIT.ok ? 'done' : exit === EXIT.failed ? 'failed' : 'stopped';
}
