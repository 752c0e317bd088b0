import { describe, expect, it } from 'vitest';
import type { ManateeShow } from '../../src/remote/triton/manatee.js';
import { binderProblems, manateeProblems, morayProblems, type ZkMember } from '../../src/state/cluster-health.js';

const m = (alias: string, uuid: string, alive = true) => ({ alias, uuid, hostname: `hn-${alias}`, alive });
const members = [m('manatee0', 'aaaaaaaa-0', false), m('manatee1', 'bbbbbbbb-1'), m('manatee2', 'cccccccc-2')];
const show = (peers: ManateeShow['peers'], mode: ManateeShow['mode'] = 'normal'): ManateeShow => ({
  zookeeper: '10.0.0.1',
  cluster: 'sdc',
  generation: 2,
  mode,
  frozen: false,
  peers,
  warnings: [],
  errors: [],
});
// A primary that answers replicates to its sync as "sync" (manatee-adm's REPL column) unless told otherwise.
const peer = (
  role: ManateeShow['peers'][number]['role'],
  id: string,
  pg: 'ok' | 'fail' = 'ok',
  repl: string | null = role === 'primary' && pg === 'ok' ? 'sync' : null,
) => ({ role, peer: id, pg, repl, lag: null });
const answer = (s: ManateeShow) => ({ alias: 'manatee1', hostname: 'hn-manatee1', show: s });

describe('manateeProblems', () => {
  it('healthy 3-peer shard: nothing', () => {
    const s = show([peer('primary', 'aaaaaaaa'), peer('sync', 'bbbbbbbb'), peer('async', 'cccccccc')]);
    expect(
      manateeProblems({ answer: answer(s), failures: [], members: members.map((x) => ({ ...x, alive: true })) }),
    ).toEqual([]);
  });

  it('after a takeover: writable but degraded (deposed, no async)', () => {
    const s = show([peer('primary', 'bbbbbbbb'), peer('sync', 'cccccccc'), peer('deposed', 'aaaaaaaa', 'fail')]);
    const [p] = manateeProblems({ answer: answer(s), failures: [], members });
    expect(p).toMatchObject({ code: 'MANATEE_DEGRADED', severity: 'warning', service: 'manatee' });
    expect(p!.message).toContain('deposed: aaaaaaaa (manatee0)');
    expect(p!.fix).toContain('manatee-adm reap');
  });

  it('2 peers, primary lost: no writes, and the fix says an operator must promote or rebuild', () => {
    const two = members.slice(0, 2);
    const s = show([peer('primary', 'aaaaaaaa', 'fail'), peer('sync', 'bbbbbbbb')]);
    const [p] = manateeProblems({ answer: answer(s), failures: [], members: two });
    expect(p).toMatchObject({ code: 'MANATEE_NO_WRITES', severity: 'critical' });
    expect(p!.message).toContain('with only 2 peers, losing the primary manatee0 leaves no takeover');
    expect(p!.fix).toMatch(/operator .* promote .* rebuild/);
  });

  it("primary and sync up, but the sync replicates as async: no writes, with manatee-adm's error and a fix naming the sync", () => {
    const alive = members.map((x) => ({ ...x, alive: true }));
    const s = {
      ...show([
        peer('primary', 'aaaaaaaa', 'ok', 'async'),
        peer('sync', 'bbbbbbbb', 'ok', 'async'),
        peer('async', 'cccccccc'),
      ]),
      errors: ['peer "aaaaaaaa": expected downstream replication to be "sync", but found "async"'],
    };
    const [p, more] = manateeProblems({ answer: answer(s), failures: [], members: alive });
    expect(more).toBeUndefined();
    expect(p).toMatchObject({ code: 'MANATEE_NO_WRITES', severity: 'critical', service: 'manatee' });
    expect(p!.message).toContain('the primary replicates to the sync as async');
    expect(p!.message).toContain(
      'manatee-adm says: peer "aaaaaaaa": expected downstream replication to be "sync", but found "async"',
    );
    expect(p!.fix).toContain('the sync manatee1 on hn-manatee1 does not replicate synchronously');
    expect(p!.fix).toContain('svcs -xz bbbbbbbb-1');
  });

  it('an error line alone (downstream not connected) is enough to say no writes', () => {
    const alive = members.map((x) => ({ ...x, alive: true }));
    const s = {
      ...show([peer('primary', 'aaaaaaaa'), peer('sync', 'bbbbbbbb'), peer('async', 'cccccccc')]),
      errors: ['peer "aaaaaaaa": downstream replication peer not connected'],
    };
    const [p] = manateeProblems({ answer: answer(s), failures: [], members: alive });
    expect(p).toMatchObject({ code: 'MANATEE_NO_WRITES', severity: 'critical' });
    expect(p!.message).toContain('manatee-adm says: peer "aaaaaaaa": downstream replication peer not connected');
  });

  it('singleton mode writes with the primary alone, but is degraded', () => {
    const [p] = manateeProblems({
      answer: answer(show([peer('primary', 'bbbbbbbb')], 'singleton')),
      failures: [],
      members,
    });
    expect(p).toMatchObject({ code: 'MANATEE_DEGRADED' });
    expect(p!.message).toContain('singleton mode, no replica');
  });

  it('no survivor answered: no writes, with why for each peer asked', () => {
    const [p] = manateeProblems({
      answer: undefined,
      failures: ['manatee1 on hn-manatee1: no answer within 5.0 s'],
      members,
    });
    expect(p).toMatchObject({ code: 'MANATEE_NO_WRITES', severity: 'critical' });
    expect(p!.message).toContain('manatee1 on hn-manatee1: no answer within 5.0 s');
  });
});

describe('binderProblems', () => {
  const zk = (alias: string, state: ZkMember['state'], alive = true): ZkMember => ({
    ...m(alias, `${alias}-uuid`, alive),
    ip: '10.0.0.9',
    state,
  });
  const ok = (mode: 'leader' | 'follower') => ({ kind: 'answered' as const, mode });

  it('3 of 3: nothing; 2 of 3: degraded; 1 of 3: no quorum', () => {
    expect(binderProblems([zk('b0', ok('leader')), zk('b1', ok('follower')), zk('b2', ok('follower'))])).toEqual([]);
    expect(
      binderProblems([zk('b0', { kind: 'server-down' }, false), zk('b1', ok('leader')), zk('b2', ok('follower'))])[0],
    ).toMatchObject({ code: 'BINDER_DEGRADED', severity: 'warning' });
    const [p] = binderProblems([
      zk('b0', { kind: 'server-down' }, false),
      zk('b1', { kind: 'answered', mode: 'not-serving' }),
      zk('b2', { kind: 'no-answer', why: 'timeout' }),
    ]);
    expect(p).toMatchObject({ code: 'BINDER_NO_QUORUM', severity: 'critical' });
    expect(p!.message).toContain('0 of 3 members serve, 2 needed');
  });

  it('5 members need 3; a standalone member of an ensemble does not count', () => {
    const five = [
      zk('b0', ok('leader')),
      zk('b1', ok('follower')),
      zk('b2', { kind: 'answered', mode: 'standalone' }),
      zk('b3', { kind: 'server-down' }, false),
      zk('b4', { kind: 'server-down' }, false),
    ];
    expect(binderProblems(five)[0]).toMatchObject({ code: 'BINDER_NO_QUORUM' });
    expect(binderProblems([zk('b0', { kind: 'answered', mode: 'standalone' })])).toEqual([]);
  });

  it('no binder known at all is critical', () => {
    expect(binderProblems([])[0]).toMatchObject({ code: 'BINDER_NO_QUORUM', severity: 'critical' });
  });
});

describe('morayProblems', () => {
  it('one healthy moray on a live server is enough', () => {
    expect(
      morayProblems([
        { ...m('moray0', 'x', false), health: { ok: false, why: 'its server is down' } },
        { ...m('moray1', 'y'), health: { ok: true } },
      ]),
    ).toEqual([]);
    const [p] = morayProblems([{ ...m('moray1', 'y'), health: { ok: false, why: 'zone stopped' } }]);
    expect(p).toMatchObject({ code: 'MORAY_DOWN', severity: 'critical', service: 'moray' });
    expect(p!.fix).toContain('vmadm start y');
  });
});
