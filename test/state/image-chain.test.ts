import { describe, expect, it } from 'vitest';
import { imagesToAsk, missingImages, type Installed } from '../../src/state/image-chain.js';
import type { ImageData } from '../../src/state/restore-data.js';

const A = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'; // zone image
const B = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'; // its origin
const img = (uuid: string, origin: string | undefined, file = true): ImageData => ({
  uuid,
  manifest: { uuid, name: `n-${uuid.slice(0, 1)}`, version: '1', ...(origin ? { origin } : {}) },
  manifestPath: `/rd/images/${uuid}.json`,
  filePath: file ? `/rd/images/${uuid}.file` : undefined,
});
const yes: Installed = { state: 'yes' };
const no: Installed = { state: 'no' };

describe('image chains', () => {
  it('asks about each image and its origins once', () => {
    expect(imagesToAsk([A, A], new Map([[A, img(A, B)]]))).toEqual([A, B]);
  });

  it('installed: nothing to walk; in restore-data: the origin must be at hand too', () => {
    const rd = new Map([
      [A, img(A, B)],
      [B, img(B, undefined, false)],
    ]);
    expect(missingImages(A, new Map<string, Installed>([[A, yes]]), rd)).toEqual([]);
    expect(
      missingImages(
        A,
        new Map<string, Installed>([
          [A, no],
          [B, yes],
        ]),
        rd,
      ),
    ).toEqual([]);
    expect(
      missingImages(
        A,
        new Map<string, Installed>([
          [A, no],
          [B, no],
        ]),
        rd,
      ),
    ).toEqual([{ uuid: B, label: 'n-b@1', originOf: A, why: 'not installed; its file is missing from restore-data' }]);
  });

  it('an image nowhere, and imgadm giving no answer, say so', () => {
    expect(
      missingImages(
        A,
        new Map<string, Installed>([[A, { state: 'unknown', why: 'no answer within 5.0 s' }]]),
        new Map(),
      ),
    ).toEqual([
      {
        uuid: A,
        label: undefined,
        originOf: undefined,
        why: 'installed? unknown (no answer within 5.0 s); not in restore-data',
      },
    ]);
  });
});

describe('image chains that loop (issue 11, class 5)', () => {
  it('an image that is its own origin is a named problem, not a hang', () => {
    const rd = new Map([[A, img(A, A)]]);
    const m = missingImages(A, new Map<string, Installed>([[A, no]]), rd);
    expect(m).toHaveLength(1);
    expect(m[0]!.why).toContain(`cycle (${A} -> ${A})`);
    expect(imagesToAsk([A], rd)).toEqual([A]);
  });

  it('a cycle of origins names every image on it', () => {
    const rd = new Map([
      [A, img(A, B)],
      [B, img(B, A)],
    ]);
    const m = missingImages(
      A,
      new Map<string, Installed>([
        [A, no],
        [B, no],
      ]),
      rd,
    );
    expect(m.map((x) => x.why)).toEqual([
      `the origins in restore-data form a cycle (${A} -> ${B} -> ${A}): imgadm can install none of them`,
    ]);
  });
});
