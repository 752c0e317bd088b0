// A stop asked for from outside the run (a signal, the console's quit): the
// restore stops before its next action, journals it, and says how to resume.

import { LockLost } from '../remote/coordination.js';

import { SIGNAL_EXIT, type SignalExit, type StopSignal } from '../state/exit-codes.js';

export { SIGNAL_EXIT, STOP_SIGNALS, type StopSignal } from '../state/exit-codes.js';

/** The reason an AbortController is aborted with when a signal arrives. */
export class StopRequest {
  constructor(readonly signal: StopSignal) {}
  get exitCode(): SignalExit {
    return SIGNAL_EXIT[this.signal];
  }
}

/** Thrown inside the run once a stop was asked for: unwinds to the stop, never counts as a failure. */
export class Interrupted extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'Interrupted';
  }
}

export function stopWhy(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof LockLost) return `the DC-wide lock was lost (${r.why})`;
  return r instanceof StopRequest ? `${r.signal} received` : 'stop asked for';
}

/** Rejects with Interrupted as soon as `signal` aborts (a confirmation nobody will answer now). */
export function unlessStopped<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Interrupted(stopWhy(signal)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Interrupted(stopWhy(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
