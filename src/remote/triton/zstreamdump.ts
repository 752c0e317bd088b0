// `zstreamdump` (illumos usr/src/cmd/zstreamdump) reading a zfs send stream
// file on stdin: it walks every record and compares the END record's checksum
// with the one it computes. A stream passes only when it exits 0, has its END
// record, and no "differs from computed checksum" or invalid checksum line is
// printed (some builds print a mismatch and still exit 0).
import { createReadStream } from 'node:fs';
import type { Host } from '../host.js';

export type StreamVerdict = { ok: true } | { ok: false; why: string };

export function judgeZstreamdump(code: number, stdout: string, stderr: string): StreamVerdict {
  if (code !== 0)
    return {
      ok: false,
      why: `exit ${code}: ${stderr.trim().split('\n').pop() || stdout.trim().split('\n').pop() || 'no output'}`,
    };
  const bad = /^.*(differs from computed checksum|invalid checksum|checksum mismatch).*$/im.exec(stdout);
  if (bad) return { ok: false, why: bad[0].trim() };
  if (!/^END checksum = /m.test(stdout)) return { ok: false, why: 'the stream ends before its END record (cut short)' };
  return { ok: true };
}

/** Runs zstreamdump on `host` (the headnode holding the file) with the file on stdin. */
export async function zstreamdumpFile(host: Host, file: string, timeoutMs: number): Promise<StreamVerdict> {
  const r = await host.run(['zstreamdump'], { timeoutMs, stdin: createReadStream(file) });
  return judgeZstreamdump(r.code, r.stdout, r.stderr);
}
