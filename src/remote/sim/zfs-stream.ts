// The simulator's stand-in for a `zfs send` stream: a header line and payload
// bytes, so restore-data files are real files with a checkable size.

const MAGIC = 'SIMZFS1';

export function makeSimStream(dataset: string, snapshot: string, payloadBytes: number): Buffer {
  const header = JSON.stringify({ dataset, snapshot, bytes: payloadBytes });
  const body = Buffer.alloc(payloadBytes, 0x5a);
  return Buffer.concat([Buffer.from(`${MAGIC} ${header}\n`), body]);
}

export type StreamCheck =
  | { ok: true; dataset: string; snapshot: string; bytes: number }
  | { ok: false; reason: string };

export function parseSimStream(buf: Buffer): StreamCheck {
  const nl = buf.indexOf(0x0a);
  if (nl < 0 || !buf.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false, reason: 'bad magic number' };
  try {
    const h = JSON.parse(buf.subarray(MAGIC.length + 1, nl).toString('utf8')) as { dataset: string; snapshot: string; bytes: number };
    if (buf.length - nl - 1 !== h.bytes) return { ok: false, reason: `truncated: ${buf.length - nl - 1} of ${h.bytes} bytes` };
    return { ok: true, dataset: h.dataset, snapshot: h.snapshot, bytes: h.bytes };
  } catch {
    return { ok: false, reason: 'bad header' };
  }
}
