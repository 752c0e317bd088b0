// The simulated stream checksum: a byte flipped in a stream file fails
// `zstreamdump` (the checksum line) and `zfs receive`, as on illumos.
import { describe, expect, it } from 'vitest';
import { makeSimStream, parseSimStream } from '../../src/remote/sim/zfs-stream.js';
import { openTestSim } from '../support/sim-dc.js';

const DS = 'zones/11111111-2222-3333-4444-555555555555/data';

describe('simulated zstreamdump and the stream checksum', () => {
  it('a whole stream: END checksum, no complaint, exit 0', async () => {
    const t = await openTestSim();
    const r = await t.run('headnode1', ['zstreamdump'], makeSimStream(DS, `${DS}@a`, 5000));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^END checksum = [0-9a-f]{64}$/m);
    expect(r.stdout).not.toContain('differs');
  });

  it('a flipped byte: "Expected checksum differs from computed checksum"; receive refuses it', async () => {
    const t = await openTestSim();
    const bad = makeSimStream(DS, `${DS}@a`, 5000);
    const at = bad.length - 100;
    bad.writeUInt8(bad.readUInt8(at) ^ 0xff, at);
    const r = await t.run('headnode1', ['zstreamdump'], bad);
    expect(r.stdout).toContain('Expected checksum differs from computed checksum');
    expect(parseSimStream(bad)).toEqual({ ok: false, reason: 'checksum mismatch' });
  });

  it('a stream cut short has no END record; garbage has a bad magic number (exit 1)', async () => {
    const t = await openTestSim();
    const whole = makeSimStream(DS, `${DS}@a`, 5000);
    const cut = await t.run('headnode1', ['zstreamdump'], whole.subarray(0, 3000));
    expect(cut.stdout).not.toMatch(/^END checksum/m);
    expect(cut.stdout).toContain('Total DRR_END records = 0');
    expect((await t.run('headnode1', ['zstreamdump'], Buffer.from('garbage'))).code).toBe(1);
  });
});
