// Changes still in effect, judged from journals alone: each rule of
// state/changes-in-effect.ts, one test each.
import { describe, expect, it } from 'vitest';
import {
  ACCEPT_DECISION,
  changesInEffect,
  changesProblems,
  type ChangeFacts,
  type JournalSource,
  type LeftLock,
} from '../../src/state/changes-in-effect.js';
import { parseJournal } from '../../src/state/journal.js';

const RUN = 'run-1';
const UUID = '1aec4f59-36a6-5a00-ad08-b36157eb094d';
const UUID2 = '67be4635-bfdb-527a-8b91-44daa9249090';
const COMMAND = 'triton-recover restore --yes --fenced headnode0';
const ZA = `zone:assets/assets0:${UUID}`;
const ZS = `zone:sapi/sapi0:${UUID2}`;

let clock = 0;
const ts = (): string => new Date(Date.UTC(2026, 11, 2, 10, 0, 0, clock++)).toISOString();

type Line = Record<string, unknown>;
const run = (run = RUN, pid = 100): Line => ({
  t: 'run',
  run,
  command: COMMAND,
  who: 'root',
  host: 'hn1',
  pid,
  job: 'restore',
});
const plan = (assets = UUID): Line => ({
  t: 'plan',
  plan: {
    steps: [
      { service: 'assets', alias: 'assets0', uuid: assets },
      { service: 'sapi', alias: 'sapi0', uuid: UUID2 },
    ],
    reconcile: [
      {
        id: 'reconcile/headnode0/release-nic/0c:bd:b7:27:b3:a0',
        summary: "release headnode0's admin NIC (10.99.99.7)",
      },
    ],
  },
});
const start = (id: string, kind: string, r = RUN): Line => ({
  t: 'start',
  run: r,
  id,
  kind,
  service: id.split('/')[0],
  host: 'headnode1',
});
const end = (id: string, ok = true, r = RUN): Line => ({ t: 'end', run: r, id, ok, detail: 'ok', durationMs: 1 });
const done = (key: string, status = 'done'): Line => ({ t: 'service', run: RUN, service: key, status, detail: '' });
const accept = (id: string): Line => ({
  t: 'decision',
  run: 'acc',
  service: id,
  decision: ACCEPT_DECISION,
  detail: '',
});
const close = (): Line => ({ t: 'close', run: RUN, reason: 'done' });

function journal(lines: Line[], path = '/j/journal.jsonl'): JournalSource {
  return { path, parsed: parseJournal(lines.map((l) => JSON.stringify({ ts: ts(), run: RUN, ...l })).join('\n')) };
}

const facts = (restore: Line[], more: Partial<ChangeFacts> = {}): ChangeFacts => ({
  restore: [journal(restore)],
  convert: [],
  leftLocks: [],
  ...more,
});

const created = [run(), plan(), start('assets/assets0/create-vm', 'create-vm'), end('assets/assets0/create-vm')];

describe('changes still in effect', () => {
  it('lists a zone created and not started, with its host, run, and how to finish, undo or accept it', () => {
    const [c, ...rest] = changesInEffect(facts(created));
    expect(rest).toEqual([]);
    expect(c).toMatchObject({
      id: ZA,
      kind: 'zone',
      host: 'headnode1',
      zone: { service: 'assets', alias: 'assets0', uuid: UUID },
      action: 'assets/assets0/create-vm',
      run: RUN,
      journal: '/j/journal.jsonl',
      undo: `on headnode1: vmadm delete ${UUID}`,
      word: 'assets0',
    });
    expect(c!.what).toContain('created (stopped), not started');
    expect(c!.finish).toContain(COMMAND);
  });

  it('says a create without an end may have happened', () => {
    const [c] = changesInEffect(facts([run(), plan(), start('assets/assets0/create-vm', 'create-vm')]));
    expect(c!.what).toContain('may exist');
  });

  it('lists nothing for image installs and health polls alone: they change no zone', () => {
    expect(
      changesInEffect(
        facts([run(), plan(), start('image/abc/install-image', 'install-image'), end('image/abc/install-image')]),
      ),
    ).toEqual([]);
  });

  it('drops a zone its run finished (seen healthy after the last change)', () => {
    expect(changesInEffect(facts([...created, done('assets/assets0')]))).toEqual([]);
  });

  it('keeps a zone whose step failed or was skipped after it was changed', () => {
    expect(changesInEffect(facts([...created, done('assets/assets0', 'failed')]))[0]!.what).toContain('failed');
    expect(changesInEffect(facts([...created, done('assets/assets0', 'skipped')]))[0]!.what).toContain('skipped');
  });

  it('drops a zone that is no longer on its host (undone), keeps one still there or not asked', () => {
    expect(changesInEffect(facts(created, { zones: new Map([[UUID, 'absent']]) }))).toEqual([]);
    expect(changesInEffect(facts(created, { zones: new Map([[UUID, 'present']]) }))).toHaveLength(1);
    expect(changesInEffect(facts(created, { zones: new Map() }))).toHaveLength(1);
  });

  it('drops a zone accepted after its last change, lists it again when a later run changes it', () => {
    expect(changesInEffect(facts([...created, accept(ZA)]))).toEqual([]);
    const again = [...created, accept(ZA), start('assets/assets0/start-vm', 'start-vm')];
    const [c] = changesInEffect(facts(again));
    expect(c!.what).toContain('started, not yet seen healthy');
  });

  it('an acceptance in a later journal counts for a change of a set-aside one', () => {
    const f: ChangeFacts = {
      restore: [journal(created, '/j/journal-old.jsonl'), journal([accept(ZA)])],
      convert: [],
      leftLocks: [],
    };
    expect(changesInEffect(f)).toEqual([]);
  });

  it('a later run finishing the zone closes what an earlier, set-aside journal left', () => {
    const f: ChangeFacts = {
      restore: [journal(created, '/j/journal-old.jsonl'), journal([run('run-2'), plan(), done('assets/assets0')])],
      convert: [],
      leftLocks: [],
    };
    expect(changesInEffect(f)).toEqual([]);
  });

  it('a zone of a set-aside `new` run stays listed, by its own UUID, when the next run makes the same alias anew', () => {
    const B = '0b5e9a4e-8d0c-4b1e-9d6f-0f6f2b1f7c11';
    const old = journal(created, '/j/journal-old.jsonl');
    const again = [run('run-2'), plan(B), start('assets/assets0/create-vm', 'create-vm', 'run-2')];
    // The new run finished B: A, abandoned, is still there.
    const finished = { restore: [old, journal([...again, done('assets/assets0')])], convert: [], leftLocks: [] };
    const zones = new Map<string, 'present' | 'absent'>([[UUID, 'present']]);
    const [a, ...rest] = changesInEffect({ ...finished, zones });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ id: ZA, zone: { uuid: UUID }, journal: '/j/journal-old.jsonl', word: 'assets0' });
    // B gone says nothing of A.
    const bGone = new Map<string, 'present' | 'absent'>([[B, 'absent']]);
    expect(changesInEffect({ ...finished, zones: bGone }).map((c) => c.zone?.uuid)).toEqual([UUID]);
    // Both left: two changes, two words.
    const both = changesInEffect({ restore: [old, journal(again)], convert: [], leftLocks: [] });
    expect(both.map((c) => [c.zone?.uuid, c.word])).toEqual([
      [UUID, 'assets0'],
      [B, 'assets0-2'],
    ]);
  });

  it('a release begun in a set-aside journal stays listed when another journal closes', () => {
    const nic = 'reconcile/headnode0/release-nic/0c:bd:b7:27:b3:a0';
    const f: ChangeFacts = {
      restore: [
        journal([run(), plan(), start(nic, 'release-nic')], '/j/journal-old.jsonl'),
        journal([run('run-2'), plan(), close()]),
      ],
      convert: [],
      leftLocks: [],
    };
    const [c, ...rest] = changesInEffect(f);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ kind: 'napi-release', journal: '/j/journal-old.jsonl' });
    expect(c!.what).toContain('begun, its end not journaled');
  });

  it('a SAPI instance record made before its zone stays listed when the zone is absent, with the DELETE of it', () => {
    const url = 'http://10.99.99.30/instances';
    const record: Line = {
      ...start('assets/assets0/sapi-instance', 'sapi-instance'),
      http: { method: 'POST', url, body: { service_uuid: 's', uuid: UUID, params: {} } },
    };
    const lines = [run(), plan(), record, end('assets/assets0/sapi-instance')];
    const [c, ...rest] = changesInEffect(facts(lines, { zones: new Map([[UUID, 'absent']]) }));
    expect(rest).toEqual([]);
    expect(c!.what).toContain('its SAPI instance record created, the zone not yet');
    expect(c!.what).toContain('vmadm get on headnode1: no such zone');
    expect(c!.undo).toBe(`delete its SAPI instance record: on headnode1: curl -sS -X DELETE ${url}/${UUID}`);
    expect(c!.finish).toContain(COMMAND);
    // Its UUID is read from the record when the plan does not name it.
    const [noPlan] = changesInEffect(facts([run(), record], { zones: new Map([[UUID, 'present']]) }));
    expect(noPlan!.zone?.uuid).toBe(UUID);
    expect(noPlan!.undo).toContain(`vmadm delete ${UUID}, then its SAPI instance record`);
  });

  it('the same zone (its UUID) in two journals is one change', () => {
    const f: ChangeFacts = {
      restore: [journal(created, '/j/journal-a.jsonl'), journal(created, '/j/journal-b.jsonl')],
      convert: [],
      leftLocks: [],
    };
    expect(changesInEffect(f).map((c) => c.word)).toEqual(['assets0']);
  });

  it('leaves out the actions of the run under way now (the lock holder alive), not those a killed run left', () => {
    const lines = [
      ...created,
      run('run-2', 200),
      start('sapi/sapi0/create-vm', 'create-vm', 'run-2'),
      end('sapi/sapi0/create-vm', true, 'run-2'),
    ];
    expect(changesInEffect(facts(lines)).map((c) => c.id)).toEqual([ZA, ZS]);
    // The run entry says host hn1, pid 200: that process holds the lock now.
    const live = changesInEffect(facts(lines, { live: { host: 'hn1', pid: 200 } }));
    expect(live.map((c) => c.id)).toEqual([ZA]);
  });

  it('lists a NAPI record released by an unfinished reconcile until the run closes', () => {
    const nic = 'reconcile/headnode0/release-nic/0c:bd:b7:27:b3:a0';
    const released = [run(), plan(), start(nic, 'release-nic'), end(nic)];
    const [c, ...rest] = changesInEffect(facts(released));
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ kind: 'napi-release', word: 'release-0c:bd:b7:27:b3:a0' });
    expect(c!.what).toContain("release headnode0's admin NIC (10.99.99.7) (done)");
    expect(changesInEffect(facts([...released, close()]))).toEqual([]);
    expect(changesInEffect(facts([...released, accept(`reconcile:${nic}`)]))).toEqual([]);
  });

  it('lists the other reconcile updates as one change', () => {
    const ids = ['reconcile/assets0/update-sapi-instance', 'reconcile/sapi0/update-sapi-instance'];
    const lines = [
      run(),
      plan(),
      start(ids[0]!, 'update-sapi-instance'),
      end(ids[0]!),
      start(ids[1]!, 'update-sapi-instance'),
    ];
    const c = changesInEffect(facts(lines));
    expect(c.map((x) => x.kind)).toEqual(['reconcile']);
    expect(c[0]!.what).toContain('1 update(s) done');
  });

  it('lists a conversion begun and not finished; not one whose steps all finished', () => {
    const convPlan: Line = {
      t: 'plan',
      plan: {
        target: { hostname: 'cn0', uuid: 'cn0-uuid' },
        steps: [
          { id: 'usbkey-data', title: 'copy the USB key data' },
          { id: 'prepare', title: 'prepare' },
        ],
      },
    };
    const begun = [
      { ...run(), command: 'triton-recover convert cn0', job: 'convert' },
      convPlan,
      start('usbkey-data/mkdir', 'mkdir'),
      end('usbkey-data/mkdir'),
      done('usbkey-data'),
    ];
    const f = (lines: Line[]): ChangeFacts => ({
      restore: [],
      convert: [journal(lines, '/j/convert-x/journal.jsonl')],
      leftLocks: [],
    });
    const [c] = changesInEffect(f(begun));
    expect(c).toMatchObject({
      kind: 'conversion',
      host: 'cn0',
      finish: 'triton-recover convert cn0',
      word: 'convert-cn0',
    });
    expect(c!.what).toContain('1 of 2 step(s) done, next: prepare');
    expect(changesInEffect(f([...begun, done('prepare')]))).toEqual([]);
  });

  it('lists a lock left by a gone process; a peer one pauses the sync there; accepted, it is not listed', () => {
    const lock = (on: string, local: boolean): LeftLock => ({
      on,
      local,
      where: '/var/sdcadm/triton-recover.lock',
      holder: { who: 'root', host: 'hn1', pid: 100, since: '2026-12-02T10:00:00.000Z', command: COMMAND },
    });
    const [here, peer] = changesInEffect(facts([], { leftLocks: [lock('headnode1', true), lock('headnode2', false)] }));
    expect(here).toMatchObject({
      kind: 'lock',
      host: 'headnode1',
      word: 'lock-headnode1',
      journal: '/j/journal.jsonl',
    });
    expect(here!.what).toContain('takes it over');
    expect(peer!.what).toContain('sync on headnode2 is paused');
    expect(peer!.undo).toBe('on headnode2: rm -rf /var/sdcadm/triton-recover.lock');
    const acc = changesInEffect(
      facts([accept(peer!.id)], { leftLocks: [lock('headnode1', true), lock('headnode2', false)] }),
    );
    expect(acc.map((c) => c.word)).toEqual(['lock-headnode1']);
  });

  it('is a CHANGES_IN_EFFECT warning per change, saying how to finish, undo or accept it', () => {
    const [p] = changesProblems(changesInEffect(facts(created)));
    expect(p).toMatchObject({ severity: 'warning', code: 'CHANGES_IN_EFFECT', service: 'assets' });
    expect(p!.fix).toContain(COMMAND);
    expect(p!.fix).toContain(`vmadm delete ${UUID}`);
    expect(p!.fix).toContain('triton-recover accept assets0');
  });
});
