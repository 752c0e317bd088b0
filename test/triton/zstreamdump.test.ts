// How zstreamdump's answer is judged (src/remote/triton/zstreamdump.ts): a
// mismatch printed with exit 0 still fails, so does a stream without its END record.
import { describe, expect, it } from 'vitest';
import { judgeZstreamdump } from '../../src/remote/triton/zstreamdump.js';

const OK =
  'BEGIN record\n\ttoname = zones/x/data@a\nEND checksum = 1a2b/3c4d/5e6f/7a8b\nSUMMARY:\n\tTotal DRR_END records = 1\n';

describe('judgeZstreamdump', () => {
  it('passes a whole stream', () => expect(judgeZstreamdump(0, OK, '')).toEqual({ ok: true }));
  it('fails a checksum mismatch even with exit 0', () =>
    expect(judgeZstreamdump(0, `${OK}Expected checksum differs from computed checksum\n`, '')).toEqual({
      ok: false,
      why: 'Expected checksum differs from computed checksum',
    }));
  it('fails a stream cut short (no END record)', () =>
    expect(judgeZstreamdump(0, 'BEGIN record\nSUMMARY:\n', '').ok).toBe(false));
  it('fails a non-zero exit, naming its last error line', () =>
    expect(judgeZstreamdump(1, '', 'Invalid stream (bad magic number)\n')).toEqual({
      ok: false,
      why: 'exit 1: Invalid stream (bad magic number)',
    }));
});
