// The watch on the dead primary during a restore: probes one after another,
// and a zone's start waits only until a probe begun at most two periods ago
// has completed (usually at once), never on a look older than that.
// Its deeper look: a returned primary whose GZ drops ICMP but whose CNAPI
// heartbeat (or SSH, binder, manatee peer) is back is seen at a slower pace,
// and never holds a zone back.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host, RunResult } from '../../src/remote/host.js';
import { PrimaryWatch } from '../../src/steps/primary-watch.js';
import type { Signal } from '../../src/state/detection.js';
import { FakeHost } from '../support/fake-host.js';
import { until } from '../support/sim-dc.js';

/**
 * A GZ whose `ping` takes durations[i] for the i-th probe (the last one repeats; 'throw' fails
 * to run at once) and says dead unless alive; `ends` holds when each ping ended.
 */
function fakeGz(durations: (number | 'throw')[], state = { alive: false }): Host & { pings: number; ends: number[] } {
  const host = {
    name: 'headnode1',
    pings: 0,
    ends: [] as number[],
    async run(): Promise<RunResult> {
      const ms = durations[Math.min(host.pings, durations.length - 1)]!;
      host.pings++;
      if (ms === 'throw') {
        host.ends.push(Date.now());
        throw new Error('ping: cannot run');
      }
      await sleep(ms);
      host.ends.push(Date.now());
      return { code: state.alive ? 0 : 1, stdout: '', stderr: '', durationMs: ms };
    },
    async close(): Promise<void> {},
  };
  return host;
}

const watches: PrimaryWatch[] = [];
afterEach(async () => {
  for (const w of watches.splice(0)) await w.stop();
});
const watch = (h: Host, gapMs: number): PrimaryWatch => {
  const w = new PrimaryWatch(h, '10.99.99.7', gapMs);
  watches.push(w);
  return w;
};

it('a look completed within two periods lets a start go at once: no new probe is waited for', async () => {
  const gz = fakeGz([30]);
  const w = watch(gz, 30);
  await w.probed();
  const pingsBefore = gz.pings;
  const t = Date.now();
  await w.recent();
  expect(Date.now() - t).toBeLessThan(15);
  expect(gz.pings).toBe(pingsBefore);
});

it('a look older than two periods is not enough: it waits for a probe begun recently', async () => {
  // The second ping hangs for 400 ms: after 200 ms, the last completed look began at 0.
  const gz = fakeGz([20, 400, 20]);
  const w = watch(gz, 20);
  await sleep(250);
  expect(gz.pings).toBe(2);
  await w.recent();
  // Not the hung probe (begun too long ago) but the one after it, begun after the call.
  expect(gz.pings).toBeGreaterThanOrEqual(3);
  expect(gz.ends.length).toBeGreaterThanOrEqual(3);
});

it('a ping that could not run is no look: nobody is let go on it, and three in a row make the watch blind', async () => {
  const gz = fakeGz(['throw']);
  const w = watch(gz, 30);
  await w.recent();
  // Released only when the watch gave up, not on the first failed ping.
  expect(gz.pings).toBe(3);
  expect(w.blind()).toMatch(
    /^ping 10\.99\.99\.7 could not run in headnode1's global zone 3 times in a row \(ping: cannot run\)$/,
  );
  expect(w.returned()).toBeUndefined();
  await w.probed();
});

it('a failed ping between looks lets nobody go; the next look does, and the watch is not blind', async () => {
  const gz = fakeGz([20, 'throw', 20]);
  const w = watch(gz, 20);
  await sleep(5);
  await w.probed();
  // Asked during the first ping: the failed second one did not count, the third did.
  expect(gz.pings).toBeGreaterThanOrEqual(3);
  expect(w.blind()).toBeUndefined();
});

it('a primary that answers ends the watch: recent() and probed() resolve, returned() says when', async () => {
  const state = { alive: false };
  const gz = fakeGz([20], state);
  const w = watch(gz, 20);
  await w.probed();
  expect(w.returned()).toBeUndefined();
  state.alive = true;
  await w.probed();
  expect(w.returned()).toBeInstanceOf(Date);
  await w.recent();
  await w.probed();
});

const heartbeat: Signal = {
  signal: 'cnapi',
  says: 'alive',
  ok: true,
  detail: 'CNAPI heartbeat from 65cfe27b-76b2-5bf2-af14-58bdb727b3a0 2 s ago',
  durationMs: 3,
};

describe('PrimaryWatch', () => {
  it('no ping answers, but the deeper look sees the heartbeat: returned, with what answered, reported once', async () => {
    const host = new FakeHost({ code: 1, stdout: 'no answer from 10.99.99.7' });
    let looks = 0;
    const heard: Signal[] = [];
    const w = new PrimaryWatch(host, '10.99.99.7', 2, {
      deeper: { probe: async () => (++looks >= 3 ? heartbeat : undefined), everyMs: 10 },
      onReturned: (seen) => heard.push(seen),
    });
    await until('returned', () => w.returned() !== undefined, 2_000);
    expect(w.what()).toBe(`cnapi: ${heartbeat.detail}`);
    await w.probed(); // nobody waits for a fresh look once it is back
    await w.stop();
    expect(heard).toEqual([heartbeat]);
    expect(looks).toBe(3);
    expect(host.calls.every((c) => c.argv[0] === 'ping')).toBe(true);
  });

  it('the ping answering is what answered when it comes first', async () => {
    const w = new PrimaryWatch(new FakeHost({ code: 0 }), '10.99.99.7', 2, {
      deeper: { probe: async () => undefined, everyMs: 1_000 },
    });
    await until('returned', () => w.returned() !== undefined, 2_000);
    expect(w.what()).toBe('ping: 10.99.99.7 answers ping');
    await w.stop();
  });

  it('nothing answers: never returned', async () => {
    const w = new PrimaryWatch(new FakeHost({ code: 1 }), '10.99.99.7', 2, {
      deeper: { probe: async () => undefined, everyMs: 5 },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(w.returned()).toBeUndefined();
    await w.stop();
  });
});
