// sync over the simulator's real SSH server (127.0.0.1): zfs send streams and
// vmadm dumps of the other headnodes cross a real ssh2 wire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveSimOverSshWithFreshKeys, type SimSshService } from '../../src/remote/sim/serve-ssh.js';
import { parseSimStream } from '../../src/remote/sim/zfs-stream.js';
import { readRestoreData } from '../../src/steps/restore-data.js';
import { runSync } from '../../src/steps/sync/run.js';
import { tempDir, type TestSim } from '../support/sim-dc.js';
import { inst, openHealthy, picture, syncOpts, TIMING } from '../support/sync-dc.js';

const serve = (t: TestSim): Promise<SimSshService> =>
  serveSimOverSshWithFreshKeys(t.sim, tempDir(), { connectTimeoutMs: 2_000 });

describe('sync over SSH', () => {
  let svc: SimSshService | undefined;
  afterEach(async () => {
    await svc?.close();
    svc = undefined;
  });

  it('pulls full then incremental streams across the wire intact; a dropped link fails only that service', async () => {
    const t = await openHealthy();
    svc = await serve(t);
    // SSH handshakes on a loaded machine: roomier deadlines than in-process.
    const o = { ...syncOpts(t, { timing: { ...TIMING, commandTimeoutMs: 5_000, sendStallMs: 5_000 } }), dc: svc.dc };
    const first = await runSync(o);
    expect(first.exitCode).toBe(0);
    const rd = await readRestoreData(t.sim.restoreDataDir);
    expect([...rd.services.values()].flatMap((s) => s.problems)).toEqual([]);
    const imgapi = inst('imgapi0');
    const ds = rd.services.get('imgapi')!.datasets[0]!;
    // Byte for byte what headnode0's zfs send wrote: header, and a payload of the stated size.
    expect(parseSimStream(readFileSync(ds.streamPath!))).toMatchObject({
      ok: true,
      dataset: `zones/${imgapi.uuid}/data`,
      snapshot: ds.meta!.snapshot,
    });

    const second = await runSync(o);
    expect(second.exitCode).toBe(0);
    expect(second.services.flatMap((s) => s.datasets).every((d) => d.kind === 'incremental')).toBe(true);

    const dir = join(t.sim.restoreDataDir, 'svc-imgapi');
    const before = picture(dir);
    t.sim.world.state.faults.push({ command: 'zfs send', match: imgapi.uuid, effect: 'disconnect' });
    const third = await runSync(o);
    expect(third.exitCode).toBe(1);
    const failed = third.services.filter((s) => !s.ok);
    expect(failed.map((s) => s.service)).toEqual(['imgapi']);
    expect(failed[0]!.error).toMatch(
      /^headnode0: zfs send .*: connection to headnode0@127\.0\.0\.1:\d+ lost while the command ran/,
    );
    const after = picture(dir);
    for (const p of [before, after]) p.delete('synced.json');
    expect(after).toEqual(before);
    // The other services on headnode0 went on over a fresh connection.
    expect(third.services.find((s) => s.service === 'sapi')).toMatchObject({
      ok: true,
      datasets: [{ kind: 'incremental' }],
    });
  });
});
