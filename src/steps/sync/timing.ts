// How long sync waits for each kind of remote work. Every command has a
// deadline; a stream is given up on when it stops moving, not only at its
// (long) overall deadline.

export interface SyncTiming {
  /** vmadm get, zfs list/snapshot/destroy, sysinfo, a lock look. */
  commandTimeoutMs: number;
  /** A zfs send or an image download that sends nothing for this long has hung. */
  sendStallMs: number;
  /** A whole zfs send. */
  sendTimeoutMs: number;
  /** One API call (image files: sendTimeoutMs). */
  httpTimeoutMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  commandTimeoutMs: 60_000,
  sendStallMs: 120_000,
  sendTimeoutMs: 4 * 60 * 60_000,
  httpTimeoutMs: 60_000,
};

/** Scaled like the simulated DC's latencies (--sim-speed), with floors a loaded machine still meets. */
export function syncTimingFor(speed: number): SyncTiming {
  const s = speed > 0 ? speed : 1;
  return {
    commandTimeoutMs: Math.max(2_000, DEFAULT_SYNC_TIMING.commandTimeoutMs / s),
    sendStallMs: Math.max(2_000, DEFAULT_SYNC_TIMING.sendStallMs / s),
    sendTimeoutMs: Math.max(10_000, DEFAULT_SYNC_TIMING.sendTimeoutMs / s),
    httpTimeoutMs: Math.max(2_000, DEFAULT_SYNC_TIMING.httpTimeoutMs / s),
  };
}

/** The free space a sync leaves where restore-data lives (--min-free-mb). */
export const DEFAULT_MIN_FREE_MB = 2048;
