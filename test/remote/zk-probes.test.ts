// Detection's binder signal and readiness's quorum check, through the real
// `nc` on this machine, against a real three-member ZooKeeper ensemble: all
// up, one member down (quorum kept), two down (no quorum); and a newer
// ZooKeeper that refuses four-letter words not in its whitelist.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dc } from '../../src/remote/dc.js';
import { openRealDc } from '../../src/remote/real-dc.js';
import { zkRuok, zkStat } from '../../src/remote/triton/zookeeper.js';
import { binderProblems } from '../../src/state/cluster-health.js';
import type { Inventory } from '../../src/state/inventory.js';
import { binderSignal } from '../../src/steps/detect.js';
import { zkMembers } from '../../src/steps/readiness-probes.js';
import { findProgram } from '../support/programs.js';
import { useZkEnsemble, zookeeperProgram } from '../support/zk-ensemble.js';

const zk = zookeeperProgram();
const nc = findProgram('nc', 'netcat-openbsd');
const skip = zk.skip || nc.skip;

function inventory(ips: string[]): Inventory {
  return {
    servers: ips.map((_, i) => ({
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      hostname: `headnode${i}`,
      headnode: true,
      adminIp: `10.0.0.${i + 1}`,
    })),
    instances: ips.map((ip, i) => ({
      service: 'binder',
      uuid: `10000000-0000-4000-8000-00000000000${i}`,
      alias: `binder${i}`,
      serverUuid: `00000000-0000-4000-8000-00000000000${i}`,
      adminIp: ip,
      image: undefined,
      delegatedDataset: false,
    })),
  };
}

let dir: string;
let dc: Dc;
const codes = async (ips: string[]): Promise<string[]> =>
  binderProblems(
    await zkMembers({
      dc,
      inv: inventory(ips),
      localUuid: '00000000-0000-4000-8000-000000000000',
      dead: new Set(),
      timeoutMs: 5_000,
    }),
  ).map((p) => p.code);

describe.skipIf(skip)('binder probes against a real ensemble, through nc', () => {
  const ens = useZkEnsemble(zk.java);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'triton-recover-zkp-'));
    dc = openRealDc({ restoreDataDir: dir });
  });
  afterAll(async () => {
    await dc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('all up: each member answers imok and serves; no binder problem', async () => {
    for (const [i, ip] of ens().ips.entries()) {
      const s = await binderSignal(dc.local, { alias: `binder${i}`, ip }, 5_000);
      expect(s.says, s.detail).toBe('alive');
    }
    const modes = await Promise.all(ens().ips.map(async (ip) => (await zkStat(dc.local, ip))?.mode));
    expect(modes.sort()).toEqual(['follower', 'follower', 'leader']);
    expect(await codes(ens().ips)).toEqual([]);
  });

  it('one member down: detection says it is dead, readiness BINDER_DEGRADED', async () => {
    await ens().kill(0);
    const s = await binderSignal(dc.local, { alias: 'binder0', ip: ens().ips[0]! }, 5_000);
    expect(s.says).toBe('dead');
    expect(s.detail).toContain('does not answer');
    await ens().waitForQuorum([1, 2]);
    expect(await codes(ens().ips)).toEqual(['BINDER_DEGRADED']);
  });

  it('two down: BINDER_NO_QUORUM; the survivor is up but not serving', async () => {
    await ens().kill(1);
    await ens().waitForNotServing(2);
    expect((await binderSignal(dc.local, { alias: 'binder1', ip: ens().ips[1]! }, 5_000)).says).toBe('dead');
    expect((await zkStat(dc.local, ens().ips[2]!))?.mode).toBe('not-serving');
    expect(await codes(ens().ips)).toEqual(['BINDER_NO_QUORUM']);
  });
});

describe.skipIf(skip)('a ZooKeeper that answers only whitelisted four-letter words (3.5 and later)', () => {
  const ens = useZkEnsemble(zk.java, { whitelist: 'srvr' });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'triton-recover-zkp-'));
    dc = openRealDc({ restoreDataDir: dir });
  });
  afterAll(async () => {
    await dc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ruok and stat refused: the member is up (not dead), and readiness says four-letter words are disabled', async () => {
    expect(await zkRuok(dc.local, ens().ips[0]!)).toBe('disabled');
    expect((await zkStat(dc.local, ens().ips[0]!))?.mode).toBe('four-letter-words-disabled');
    const s = await binderSignal(dc.local, { alias: 'binder0', ip: ens().ips[0]! }, 5_000);
    expect(s.says).toBe('alive');
    expect(s.detail).toContain('four-letter words are disabled');
    const problems = binderProblems(
      await zkMembers({
        dc,
        inv: inventory(ens().ips),
        localUuid: '00000000-0000-4000-8000-000000000000',
        dead: new Set(),
        timeoutMs: 5_000,
      }),
    );
    expect(problems.map((p) => p.code)).toEqual(['BINDER_4LW_DISABLED']);
    expect(problems[0]!.message).toContain('binder answers but four-letter words are disabled');
  });
});
