// One live probe under its own deadline: past it, or on any error, the probe
// yields "could not tell, because ..." instead of stalling or throwing, so the
// check always finishes and says what it could not find out.

import { RemoteError } from '../remote/errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

export async function withDeadline<T>(timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
  const ac = new AbortController();
  const late = `no answer within ${(timeoutMs / 1000).toFixed(1)} s`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => {
      ac.abort();
      resolve({ ok: false, why: late });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      fn(ac.signal).then(
        (value): Outcome<T> => ({ ok: true, value }),
        (err: unknown): Outcome<T> => ({ ok: false, why: whyOf(err, late) }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The host's own timeout at the same deadline reads the same as ours. */
function whyOf(err: unknown, late: string): string {
  if (err instanceof RemoteError && (err.kind === 'timeout' || err.kind === 'aborted')) return late;
  return err instanceof Error ? err.message : String(err);
}
