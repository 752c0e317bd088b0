// The restore plan is built purely: the same facts give the same plan, and
// what the headnode already has (installed images) only removes actions.
import { beforeAll, describe, expect, it } from 'vitest';
import { healthChecks } from '../../src/steps/plan.js';
import { runCheck, type CheckResult } from '../../src/steps/check.js';
import { imagesWanted, planRestore, type RestorePlanInput } from '../../src/state/restore-plan.js';
import { openTestSim } from '../support/sim-dc.js';

let chk: CheckResult;
beforeAll(async () => {
  const t = await openTestSim(undefined, 400);
  chk = await runCheck(t.sim, { timeoutMs: 500 });
});

function input(over: Partial<RestorePlanInput> = {}): RestorePlanInput {
  let n = 0;
  return {
    rd: chk.restoreData,
    inv: chk.inventory,
    det: chk.detection,
    strategy: 'reuse',
    ipCandidates: chk.ipCandidates,
    blocked: [],
    installed: new Map(),
    newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    now: new Date('2026-12-02T03:00:00Z'),
    healthChecks,
    ...over,
  };
}

describe('planRestore (pure)', () => {
  it('the same facts give the same plan, twice', () => {
    expect(planRestore(input())).toEqual(planRestore(input()));
    expect(planRestore(input()).createdAt).toBe('2026-12-02T03:00:00.000Z');
  });

  it('each image is installed once, before the first zone that needs it; installed ones are not', () => {
    const all = planRestore(input());
    const installs = all.steps
      .flatMap((s) => s.actions)
      .filter((a) => a.kind === 'install-image')
      .map((a) => a.image);
    expect(new Set(installs).size).toBe(installs.length);
    expect(new Set(installs)).toEqual(new Set(imagesWanted(input())));
    const have = new Map(imagesWanted(input()).map((u) => [u, true]));
    const none = planRestore(input({ installed: have }));
    expect(none.steps.flatMap((s) => s.actions).filter((a) => a.kind === 'install-image')).toEqual([]);
    // Nothing else changes.
    const strip = (p: typeof all) => p.steps.map((s) => s.actions.filter((a) => a.kind !== 'install-image'));
    expect(strip(none)).toEqual(strip(all));
  });

  it('--only narrows the zones and the images', () => {
    const p = planRestore(input({ only: ['sapi'] }));
    expect(p.steps.map((s) => s.service)).toEqual(['sapi']);
    expect(imagesWanted(input({ only: ['sapi'] }))).toEqual(p.steps[0]!.images);
    expect(p.steps[0]!.images.at(-1)).toBe(p.steps[0]!.image);
  });

  it('a wait-healthy action carries the checks it polls, in order', () => {
    const wait = planRestore(input()).steps[1]!.actions.find((a) => a.kind === 'wait-healthy')!;
    expect(wait.checks?.map((c) => c[0])).toEqual(['test', 'svcs', 'zlogin']);
  });
});
