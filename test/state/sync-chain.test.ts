// The stream chain's decisions: full or incremental, what the source keeps.
import { describe, expect, it } from 'vitest';
import { DatasetMeta } from '../../src/state/restore-data-layout.js';
import {
  DEFAULT_CHAIN_POLICY,
  decideSend,
  linksAllowed,
  metaAfterFull,
  metaAfterIncremental,
  snapshotName,
  snapshotsToDestroy,
  strayIncrements,
} from '../../src/state/sync-chain.js';
import { REF } from '../support/reference.js';

const U = REF.sapi0.uuid;
const DS = `zones/${U}/data`;
const T = '2026-09-01T10:00:00.000Z';
const ME = REF.headnode1.uuid;
const OTHER = REF.headnode2.uuid;
const s = (n: number, owner = ME): string => `${DS}@triton-recover-${owner}-2026090${n}T000000.000Z`;

function chain(links: number, incBytes = 10, fullBytes = 1000): DatasetMeta {
  let m = metaAfterFull(s(0), T, fullBytes);
  for (let i = 1; i <= links; i++)
    m = metaAfterIncremental(m, U, { from: s(i - 1), snapshot: s(i), bytes: incBytes, time: T });
  return m;
}

describe('sync chain', () => {
  it('names snapshots with the prefix, sortable and valid for zfs', () => {
    expect(snapshotName(new Date('2026-09-01T10:10:10.123Z'), ME)).toBe(`triton-recover-${ME}-20260901T101010.123Z`);
  });

  it('a first sync, an old-format file, or a damaged chain is a full send', () => {
    expect(decideSend(undefined, false, [])).toMatchObject({ kind: 'full', why: 'first sync of this dataset' });
    expect(decideSend({ snapshot: s(0), time: T, bytes: 1 }, true, [s(0)]).kind).toBe('full');
    expect(decideSend(chain(1), false, [s(1)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('incomplete'),
    });
  });

  it('goes on from the newest snapshot held while the source still has it', () => {
    expect(decideSend(chain(0), true, [s(0)])).toEqual({ kind: 'incremental', from: s(0), n: 1 });
    expect(decideSend(chain(3), true, ['zones/x/data@other', s(3)])).toEqual({ kind: 'incremental', from: s(3), n: 4 });
  });

  it('falls back to a full send when the base snapshot is gone from the source', () => {
    expect(decideSend(chain(2), true, [s(1)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('gone from the source'),
    });
  });

  it('consolidates when the chain is long or outweighs the full stream', () => {
    expect(decideSend(chain(48), true, [s(48)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('48 incrementals'),
    });
    expect(decideSend(chain(3), true, [s(3)], { ...DEFAULT_CHAIN_POLICY, maxLinks: 3 }).kind).toBe('full');
    expect(decideSend(chain(2, 500), true, [s(2)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('outweigh'),
    });
    expect(decideSend(chain(2, 499), true, [s(2)]).kind).toBe('incremental');
  });

  it('records the chain: newest snapshot, total bytes, numbered files (schema-valid)', () => {
    const m = chain(2);
    expect(DatasetMeta.parse(m)).toEqual(m);
    expect(m).toMatchObject({ snapshot: s(2), bytes: 1020, base: { snapshot: s(0), bytes: 1000 } });
    expect(m.incrementals!.map((i) => i.file)).toEqual([`dataset-${U}.i1.zfs`, `dataset-${U}.i2.zfs`]);
    // A file name that is a path is refused by the schema.
    expect(
      DatasetMeta.safeParse({ ...m, incrementals: [{ ...m.incrementals![0]!, file: `../dataset-${U}.i1.zfs` }] })
        .success,
    ).toBe(false);
  });

  it("destroys only our older snapshots on the source, never anyone else's, nor another headnode's base", () => {
    expect(
      snapshotsToDestroy([`${DS}@manual`, s(0), s(1), `${DS}@zfs-auto-snap`, s(0, OTHER), s(2, OTHER)], s(1), ME),
    ).toEqual([s(0)]);
  });

  it('finds chain files the metadata no longer lists', () => {
    const files = [
      `dataset-${U}.zfs`,
      `dataset-${U}.i1.zfs`,
      `dataset-${U}.i2.zfs`,
      `dataset-${U}.i3.zfs`,
      `vm-${U}.json`,
    ];
    expect(strayIncrements(files, U, chain(2))).toEqual([`dataset-${U}.i3.zfs`]);
    expect(strayIncrements(files, U, chain(0))).toEqual([
      `dataset-${U}.i1.zfs`,
      `dataset-${U}.i2.zfs`,
      `dataset-${U}.i3.zfs`,
    ]);
  });
  it("a large dataset (imgapi's image files) is not re-sent whole for the count of its incrementals alone", () => {
    const GiB = 1024 ** 3;
    expect(linksAllowed(1000)).toBe(48);
    expect(linksAllowed(2 * GiB)).toBe(288);
    expect(decideSend(chain(48, 1000, 2 * GiB), true, [s(48)])).toMatchObject({ kind: 'incremental', n: 49 });
    expect(decideSend(chain(288, 10, 2 * GiB), true, [s(288)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('288 incrementals'),
    });
    // The ratio still holds: a chain that outweighs the full stream is consolidated whatever the size.
    expect(decideSend(chain(49, GiB / 16, 2 * GiB), true, [s(49)])).toMatchObject({
      kind: 'full',
      why: expect.stringContaining('outweigh'),
    });
  });
});
