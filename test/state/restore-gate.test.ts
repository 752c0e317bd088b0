// The restore's gate, one case per refusal: each says why nothing changed,
// and each would let a restore begin if its rule were gone.
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/state/problem.js';
import {
  blockingProblems,
  fencingNeed,
  restoreGate,
  type GateOptions,
  type GatePrimary,
} from '../../src/state/restore-gate.js';

const dead: GatePrimary = { hostname: 'headnode0', state: 'dead', local: false };
const opts = (o: Partial<GateOptions> = {}): GateOptions => ({
  strategy: 'reuse',
  fenced: 'headnode0',
  command: 'triton-recover restore',
  ...o,
});
const critical = (code: Problem['code'], service?: string): Problem => ({
  severity: 'critical',
  code,
  message: `${code} here`,
  ...(service ? { service } : {}),
});

describe('restoreGate', () => {
  it('lets a fenced restore of a dead primary with no critical problem begin', () => {
    expect(restoreGate({ primary: dead, problems: [] }, opts())).toEqual({ ok: true, primary: dead, fenced: true });
  });

  it('refuses when no primary could be identified', () => {
    const v = restoreGate({ primary: undefined, problems: [] }, opts());
    expect(v).toEqual({
      ok: false,
      exitCode: 2,
      message: 'no primary headnode could be identified (no restore-data, no CNAPI)',
      problems: [],
    });
  });

  it('refuses a live primary, with PRIMARY_ALIVE first among the problems', () => {
    const other = critical('IMAGE_MISSING');
    const v = restoreGate(
      { primary: { ...dead, state: 'alive' }, problems: [critical('PRIMARY_ALIVE'), other] },
      opts(),
    );
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toBe('the primary headnode0 is ALIVE: nothing was changed');
    expect(v.next).toContain('only for a dead primary');
    expect(v.problems.map((p) => p.code)).toEqual(['PRIMARY_ALIVE', 'IMAGE_MISSING']);
    expect(v.problems[0]!.message).toContain('would run them twice');
  });

  it('refuses to run on the primary itself', () => {
    const v = restoreGate({ primary: { ...dead, local: true }, problems: [] }, opts());
    expect(v).toMatchObject({
      ok: false,
      exitCode: 2,
      message: 'this is the primary headnode itself: run the restore on a surviving secondary',
    });
  });

  it('refuses --fenced naming another host, even when fencing is not required', () => {
    const v = restoreGate({ primary: dead, problems: [] }, opts({ strategy: 'new', fenced: 'headnode9' }));
    expect(v).toMatchObject({
      ok: false,
      message: '--fenced headnode9 does not name the dead primary (headnode0): nothing was changed',
    });
  });

  it('refuses the reuse strategy without the fence confirmed, saying the command that confirms it', () => {
    const { fenced: _, ...unfenced } = opts();
    const v = restoreGate({ primary: dead, problems: [] }, unfenced);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toMatch(/Nothing was changed: confirm the fence with --fenced headnode0$/);
    expect(v.next).toBe('triton-recover restore --fenced headnode0');
  });

  it('refuses uncertain evidence without the fence, even for the new strategy', () => {
    const v = restoreGate(
      { primary: { ...dead, state: 'uncertain' }, problems: [] },
      { strategy: 'new', command: 'triton-recover restore' },
    );
    expect(v).toMatchObject({ ok: false, message: expect.stringContaining('is not conclusive') });
    // The new strategy on a dead primary needs no fence.
    expect(restoreGate({ primary: dead, problems: [] }, { strategy: 'new', command: 'x' })).toMatchObject({
      ok: true,
      fenced: false,
    });
  });

  it('refuses critical problems, listing only those; the fence answers PRIMARY_UNCERTAIN', () => {
    const problems = [
      critical('PRIMARY_UNCERTAIN'),
      critical('IMAGE_MISSING', 'sapi'),
      { ...critical('RESTORE_DATA_STALE'), severity: 'warning' as const },
    ];
    const v = restoreGate({ primary: { ...dead, state: 'uncertain' }, problems }, opts());
    expect(v).toMatchObject({
      ok: false,
      exitCode: 2,
      message: 'not ready to restore (1 critical problem(s)); nothing was changed',
      next: 'fix the problems listed, then run again',
    });
    if (!v.ok) expect(v.problems.map((p) => p.code)).toEqual(['IMAGE_MISSING']);
  });

  it('--only: a critical problem of another service does not block', () => {
    const problems = [critical('IMAGE_MISSING', 'sapi')];
    expect(restoreGate({ primary: dead, problems }, opts({ only: ['assets'] }))).toMatchObject({ ok: true });
    expect(restoreGate({ primary: dead, problems }, opts({ only: ['sapi'] }))).toMatchObject({ ok: false });
  });
});

describe('the pieces the console asks', () => {
  it('fencingNeed: reuse always, new only on uncertain evidence', () => {
    expect(fencingNeed(dead, 'reuse').required).toBe(true);
    expect(fencingNeed(dead, 'new').required).toBe(false);
    expect(fencingNeed({ ...dead, state: 'uncertain' }, 'new')).toEqual({
      required: true,
      why: expect.stringContaining('headnode0 is not conclusive'),
    });
    expect(fencingNeed(undefined, 'reuse').why).toContain('the dead primary');
  });

  it('blockingProblems: unfenced, PRIMARY_UNCERTAIN blocks too', () => {
    const problems = [critical('PRIMARY_UNCERTAIN')];
    expect(blockingProblems(problems, { fenced: false })).toHaveLength(1);
    expect(blockingProblems(problems, { fenced: true })).toEqual([]);
  });
});
