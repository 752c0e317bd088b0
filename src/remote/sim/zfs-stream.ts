// The simulator's stand-in for a `zfs send` stream: a header line and payload
// bytes, so restore-data files are real files with a checkable size. An
// incremental stream names the snapshot it applies on top of (`from`).

const MAGIC = 'SIMZFS1';

/** A delegated dataset's data when the scenario does not say (a full send carries this much). */
export const SIM_DATASET_BYTES = 2 * 1024 * 1024;
/** How fast a delegated dataset changes when the scenario does not say, in bytes per simulated second. */
export const SIM_CHANGE_BYTES_PER_SECOND = 64;
/** What an incremental stream carries even when nothing changed (stream records, metadata). */
export const SIM_INCREMENTAL_MIN_BYTES = 1024;

export interface SimStreamHeader {
  dataset: string;
  snapshot: string;
  bytes: number;
  /** Incremental streams only: the snapshot (ds@name) the receiver must have as its newest. */
  from?: string;
}

export function makeSimStream(dataset: string, snapshot: string, payloadBytes: number, from?: string): Buffer {
  const h: SimStreamHeader = { dataset, snapshot, bytes: payloadBytes, ...(from ? { from } : {}) };
  const body = Buffer.alloc(payloadBytes, 0x5a);
  return Buffer.concat([Buffer.from(`${MAGIC} ${JSON.stringify(h)}\n`), body]);
}

/** Bytes of the stream file makeSimStream would produce (header included), without building it. */
export function simStreamLength(dataset: string, snapshot: string, payloadBytes: number, from?: string): number {
  const h: SimStreamHeader = { dataset, snapshot, bytes: payloadBytes, ...(from ? { from } : {}) };
  return Buffer.byteLength(`${MAGIC} ${JSON.stringify(h)}\n`) + payloadBytes;
}

/**
 * Payload of an incremental send: what changed between the two snapshots, at
 * the dataset's change rate over the simulated time between them (never more
 * than the whole dataset).
 */
export function incrementalPayload(fromAt: number, toAt: number, speed: number, ratePerSecond: number, datasetBytes: number): number {
  const simulatedSeconds = Math.max(0, ((toAt - fromAt) * speed) / 1000);
  return Math.min(datasetBytes, SIM_INCREMENTAL_MIN_BYTES + Math.round(ratePerSecond * simulatedSeconds));
}

export type StreamCheck =
  | { ok: true; dataset: string; snapshot: string; bytes: number; from?: string }
  | { ok: false; reason: string };

export function parseSimStream(buf: Buffer): StreamCheck {
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || !buf.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false, reason: 'bad magic number' };
  try {
    const h = JSON.parse(buf.subarray(MAGIC.length + 1, nl).toString('utf8')) as SimStreamHeader;
    if (buf.length - nl - 1 !== h.bytes) return { ok: false, reason: `truncated: ${buf.length - nl - 1} of ${h.bytes} bytes` };
    return { ok: true, dataset: h.dataset, snapshot: h.snapshot, bytes: h.bytes, ...(typeof h.from === 'string' ? { from: h.from } : {}) };
  } catch {
    return { ok: false, reason: 'bad header' };
  }
}

/**
 * `zfs send -c` (illumos 7252, compressed zfs send/receive: in illumos-gate
 * by April 2017, when FreeBSD imported it from there) sends blocks as stored,
 * compressed: the sim's core zone data compresses 2:1 (lz4 on text and JSON).
 * Platforms built before this date have no -c (an approximate date: the
 * product does not rely on it, it asks zfs).
 */
export const SIM_SEND_C_SINCE = '20170501T000000Z';
export const SIM_COMPRESS_RATIO = 2;
