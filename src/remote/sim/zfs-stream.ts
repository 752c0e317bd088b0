// The simulator's stand-in for a `zfs send` stream: a header line and payload
// bytes, so restore-data files are real files with a checkable size. An
// incremental stream names the snapshot it applies on top of (`from`).
// Like a real stream's END record (fletcher-4 of the whole stream, checked by
// `zfs receive` and zstreamdump: illumos usr/src/cmd/zstreamdump), the header
// carries a checksum of the payload (sha256 here): a flipped byte anywhere fails
// receive and zstreamdump alike.
import { createHash } from 'node:crypto';

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
  /** sha256 of the payload, hex (64 characters). */
  cksum?: string;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export function makeSimStream(dataset: string, snapshot: string, payloadBytes: number, from?: string): Buffer {
  const body = Buffer.alloc(payloadBytes, 0x5a);
  const h: SimStreamHeader = { dataset, snapshot, bytes: payloadBytes, ...(from ? { from } : {}), cksum: sha(body) };
  return Buffer.concat([Buffer.from(`${MAGIC} ${JSON.stringify(h)}\n`), body]);
}

/** Bytes of the stream file makeSimStream would produce (header included), without building it. */
export function simStreamLength(dataset: string, snapshot: string, payloadBytes: number, from?: string): number {
  const h: SimStreamHeader = {
    dataset,
    snapshot,
    bytes: payloadBytes,
    ...(from ? { from } : {}),
    cksum: '0'.repeat(64),
  };
  return Buffer.byteLength(`${MAGIC} ${JSON.stringify(h)}\n`) + payloadBytes;
}

/**
 * Payload of an incremental send: what changed between the two snapshots, at
 * the dataset's change rate over the simulated time between them (never more
 * than the whole dataset).
 */
export function incrementalPayload(
  fromAt: number,
  toAt: number,
  speed: number,
  ratePerSecond: number,
  datasetBytes: number,
): number {
  const simulatedSeconds = Math.max(0, ((toAt - fromAt) * speed) / 1000);
  return Math.min(datasetBytes, SIM_INCREMENTAL_MIN_BYTES + Math.round(ratePerSecond * simulatedSeconds));
}

export type StreamCheck =
  { ok: true; dataset: string; snapshot: string; bytes: number; from?: string } | { ok: false; reason: string };

export function parseSimStream(buf: Buffer): StreamCheck {
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || !buf.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC)))
    return { ok: false, reason: 'bad magic number' };
  try {
    const h = JSON.parse(buf.subarray(MAGIC.length + 1, nl).toString('utf8')) as SimStreamHeader;
    if (buf.length - nl - 1 !== h.bytes)
      return { ok: false, reason: `truncated: ${buf.length - nl - 1} of ${h.bytes} bytes` };
    if (h.cksum !== undefined && sha(buf.subarray(nl + 1)) !== h.cksum)
      return { ok: false, reason: 'checksum mismatch' };
    return {
      ok: true,
      dataset: h.dataset,
      snapshot: h.snapshot,
      bytes: h.bytes,
      ...(typeof h.from === 'string' ? { from: h.from } : {}),
    };
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

/**
 * `zstreamdump` reading a stream on stdin (illumos usr/src/cmd/zstreamdump):
 * the BEGIN record, "END checksum = ..." and a SUMMARY. A bad magic number
 * ends it with exit 1; a checksum that does not match is only printed
 * ("Expected checksum differs from computed checksum") and a stream cut short
 * just lacks its END record, both with exit 0 (not confirmed for every
 * platform: the harsher reading for the product, which must read the output).
 */
export function zstreamdumpOutput(buf: Buffer): { code: number; stdout: string; stderr: string } {
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || !buf.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC)))
    return { code: 1, stdout: '', stderr: 'Invalid stream (bad magic number)\n' };
  let h: SimStreamHeader;
  try {
    h = JSON.parse(buf.subarray(MAGIC.length + 1, nl).toString('utf8')) as SimStreamHeader;
  } catch {
    return { code: 1, stdout: '', stderr: 'Invalid stream (bad magic number)\n' };
  }
  const payload = buf.subarray(nl + 1);
  const begin = `BEGIN record\n\thdrtype = 1\n\tfeatures = 4\n\tmagic = 2f5bacbac\n\ttype = 2\n\tflags = 0x0\n\ttoname = ${h.snapshot}\n`;
  const summary = (ends: number): string =>
    `SUMMARY:\n\tTotal DRR_BEGIN records = 1\n\tTotal DRR_END records = ${ends}\n\tTotal write size = ${payload.length} (0x${payload.length.toString(16)})\n\tTotal stream length = ${buf.length} (0x${buf.length.toString(16)})\n`;
  if (payload.length < h.bytes) return { code: 0, stdout: begin + summary(0), stderr: '' };
  const computed = sha(payload.subarray(0, h.bytes));
  const end = `END checksum = ${h.cksum ?? computed}\n`;
  const differs =
    h.cksum !== undefined && computed !== h.cksum ? 'Expected checksum differs from computed checksum\n' : '';
  return { code: 0, stdout: begin + end + differs + summary(1), stderr: '' };
}
