// The incident summary from a journal alone: timings per zone and in total
// against the 1 h goal, and the three status lines for a failed, a stopped, a
// finished restore and a conversion.
import { describe, expect, it } from 'vitest';
import { confirmationsText, statusText, summarizeIncident, timingsText } from '../../src/state/incident.js';
import type { JournalEntry } from '../../src/state/journal.js';

const run = 'r1';
const at = (min: number): string => new Date(Date.UTC(2026, 11, 2, 3, 0) + min * 60_000).toISOString();
const plan = {
  dead: { hostname: 'headnode0' },
  local: { hostname: 'headnode1' },
  steps: [
    { service: 'sapi', alias: 'sapi0', actions: [{ id: 'sapi0-create' }, { id: 'sapi0-start' }] },
    { service: 'ufds', alias: 'ufds0', actions: [{ id: 'ufds0-create' }] },
    { service: 'vmapi', alias: 'vmapi0', actions: [{ id: 'vmapi0-create' }] },
  ],
};
const identity = {
  dc: { name: 'us-east-1', uuid: null },
  dead: { hostname: 'headnode0', uuid: 'u' },
  strategy: 'reuse' as const,
  only: null,
  restoreData: '/rd',
};

function journal(tail: JournalEntry[]): JournalEntry[] {
  return [
    {
      ts: at(0),
      run,
      t: 'run',
      command: 'triton-recover restore',
      who: 'ops',
      host: 'headnode1',
      pid: 1,
      job: 'restore',
      identity,
    },
    { ts: at(0), run, t: 'plan', plan },
    { ts: at(1), run, t: 'decision', service: 'sapi', decision: 'go', detail: 'before sapi0' },
    { ts: at(1), run, t: 'start', id: 'sapi0-create', service: 'sapi', kind: 'create-vm', host: 'headnode1' },
    { ts: at(3), run, t: 'end', id: 'sapi0-create', ok: true, detail: '', durationMs: 120_000 },
    { ts: at(3), run, t: 'start', id: 'sapi0-start', service: 'sapi', kind: 'start-vm', host: 'headnode1' },
    { ts: at(4), run, t: 'end', id: 'sapi0-start', ok: true, detail: '', durationMs: 60_000 },
    { ts: at(5), run, t: 'service', service: 'sapi/sapi0', status: 'done', detail: '' },
    { ts: at(5), run, t: 'start', id: 'ufds0-create', service: 'ufds', kind: 'create-vm', host: 'headnode1' },
    ...tail,
  ];
}

describe('incident summary', () => {
  it('a failed zone: timings per zone, the numbers, and what to fix', () => {
    const s = summarizeIncident(
      journal([
        { ts: at(7), run, t: 'end', id: 'ufds0-create', ok: false, detail: 'vmadm create failed', durationMs: 120_000 },
        { ts: at(7), run, t: 'service', service: 'ufds/ufds0', status: 'failed', detail: 'vmadm create failed' },
        { ts: at(8), run, t: 'stop', reason: 'ufds0: vmadm create failed on headnode1', exitCode: 3 },
      ]),
    );
    expect(s.steps.map((x) => [x.label, x.status, x.actionSeconds, x.wallSeconds])).toEqual([
      ['sapi0', 'done', 180, 240],
      ['ufds0', 'failed', 120, 120],
      ['vmapi0', 'pending', 0, null],
    ]);
    expect(s.totalSeconds).toBe(480);
    expect(statusText(s)).toEqual([
      'Datacenter us-east-1: primary headnode headnode0 is dead; its core zones are being restored on headnode1 since 2026-12-02 03:00 UTC.',
      'Restore FAILED: 1 of 3 zones restored, 1 failed, 0 skipped, 1 pending; 8 min 0 s elapsed of the 1 h goal.',
      'Next: fix what failed (ufds0: vmadm create failed on headnode1), then rerun the same triton-recover restore to resume.',
    ]);
    expect(timingsText(s)).toMatch(/goal: 1 h \(RFD 67\): within it, 52 min 0 s to spare/);
    expect(confirmationsText(journal([]))).toMatch(
      /RUN triton-recover restore {2}\(by ops on headnode1, pid 1\)\n.*sapi: go: before sapi0\n$/,
    );
  });

  it('a drill at --sim-speed 10: every time scaled back to the scenario latencies, against the goal', () => {
    const [head, ...rest] = journal([
      { ts: at(7), run, t: 'end', id: 'ufds0-create', ok: true, detail: '', durationMs: 120_000 },
      { ts: at(7), run, t: 'service', service: 'ufds/ufds0', status: 'done', detail: '' },
      { ts: at(8), run, t: 'stop', reason: 'stopped', exitCode: 130 },
    ]);
    const s = summarizeIncident([{ ...head!, t: 'run', timeScale: 10 } as JournalEntry, ...rest]);
    expect(s.timeScale).toBe(10);
    expect(statusText(s)[0]).toMatch(
      /^DRILL in the simulator, not an outage: Datacenter us-east-1: primary headnode headnode0 is dead/,
    );
    expect(s.steps.slice(0, 2).map((x) => [x.label, x.actionSeconds, x.wallSeconds])).toEqual([
      ['sapi0', 1800, 2400],
      ['ufds0', 1200, 1200],
    ]);
    expect(s.totalSeconds).toBe(4800);
    expect(timingsText(s)).toMatch(
      /--sim-speed 10: every time here is scaled back \(x10\)[^]*goal: 1 h \(RFD 67\): over by 20 min 0 s/,
    );
  });

  it('stopped over the goal, and done', () => {
    const stopped = summarizeIncident(journal([{ ts: at(75), run, t: 'stop', reason: 'SIGINT', exitCode: 130 }]));
    expect(stopped.outcome).toBe('stopped');
    expect(statusText(stopped)[1]).toBe(
      'Restore STOPPED: 1 of 3 zones restored, 0 failed, 0 skipped, 2 pending; 75 min 0 s elapsed of the 1 h goal (over by 15 min 0 s).',
    );
    expect(statusText(stopped)[2]).toBe('Next: rerun the same triton-recover restore to resume (stopped: SIGINT).');
    const done = summarizeIncident(journal([{ ts: at(9), run, t: 'close', reason: 'all done' }]));
    expect(done.outcome).toBe('done');
    expect(statusText(done)[2]).toMatch(/^Next: verify the services/);
    expect(summarizeIncident([]).outcome).toBe('not started');
  });

  it('a conversion: its steps by id, its target', () => {
    const s = summarizeIncident([
      {
        ts: at(0),
        run,
        t: 'run',
        command: 'triton-recover convert cn0',
        who: 'ops',
        host: 'headnode1',
        pid: 1,
        job: 'convert',
      },
      {
        ts: at(0),
        run,
        t: 'plan',
        plan: {
          target: { hostname: 'cn0' },
          steps: [
            { id: 'pack', title: 'pack the USB key', actions: [{ id: 'a1' }] },
            { id: 'boot', title: 'reboot', actions: [] },
          ],
        },
      },
      { ts: at(1), run, t: 'start', id: 'a1', service: 'pack', kind: 'x', host: 'cn0' },
      { ts: at(2), run, t: 'end', id: 'a1', ok: true, detail: '', durationMs: 60_000 },
      { ts: at(2), run, t: 'service', service: 'pack', status: 'done', detail: '' },
    ]);
    expect(statusText(s)[0]).toBe(
      'The datacenter: compute node cn0 is being turned into a secondary headnode since 2026-12-02 03:00 UTC.',
    );
    expect(statusText(s)[1]).toMatch(
      /^Conversion UNDER WAY: 1 of 2 steps done, 0 failed, 1 not done; 2 min 0 s elapsed/,
    );
  });
});
