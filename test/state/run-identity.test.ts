import { describe, expect, it } from 'vitest';
import { judgeJournal, type JournalFacts, type RunIdentity } from '../../src/state/run-identity.js';

const id: RunIdentity = {
  dc: { name: 'us-east-1', uuid: 'a1' },
  dead: { hostname: 'headnode0', uuid: 'd1' },
  strategy: 'reuse',
  only: null,
  restoreData: '/var/sdcadm/restore-data',
};
const facts = (f: Partial<JournalFacts> = {}): JournalFacts => ({
  empty: false,
  identity: id,
  closed: undefined,
  acted: true,
  ...f,
});

describe('judgeJournal: which journal a restore continues', () => {
  it('resumes only the same unfinished run', () => {
    expect(judgeJournal(facts({ empty: true, identity: undefined }), id)).toEqual({ t: 'fresh' });
    expect(judgeJournal(facts(), { ...id })).toEqual({ t: 'resume' });
    expect(judgeJournal(facts({ closed: { ts: 't', reason: '21 of 21' } }), id)).toMatchObject({
      t: 'set-aside',
      why: expect.stringContaining('finished'),
    });
    expect(judgeJournal(facts({ identity: undefined }), id)).toMatchObject({ t: 'set-aside' });
    expect(judgeJournal(facts(), { ...id, dc: { name: 'us-west-1', uuid: 'b2' } })).toMatchObject({
      t: 'set-aside',
      why: expect.stringContaining('datacenter us-east-1, now us-west-1'),
    });
    expect(judgeJournal(facts(), { ...id, only: ['sapi'] })).toMatchObject({
      t: 'set-aside',
      why: expect.stringContaining('all services, now --only sapi'),
    });
    expect(judgeJournal(facts(), { ...id, restoreData: '/tmp/rd' })).toMatchObject({ t: 'set-aside' });
  });

  it('refuses (asks) where starting afresh could create zones twice: a strategy switch half-way, or an unfinished new run', () => {
    expect(judgeJournal(facts(), { ...id, strategy: 'new' })).toMatchObject({
      t: 'refuse',
      why: 'strategy reuse, now new',
    });
    expect(
      judgeJournal(facts({ identity: { ...id, strategy: 'new' } }), { ...id, strategy: 'new', only: ['sapi'] }),
    ).toMatchObject({ t: 'refuse' });
    // Nothing acted yet: nothing to double.
    expect(judgeJournal(facts({ acted: false }), { ...id, strategy: 'new' })).toMatchObject({ t: 'set-aside' });
  });
});
