// The primary watch looks beyond the ping: a returned primary whose GZ drops
// ICMP but whose CNAPI heartbeat (or SSH, binder, manatee peer) is back is seen
// by its deeper look, which runs at a slower pace and never holds a zone back.
import { describe, expect, it } from 'vitest';
import { PrimaryWatch } from '../../src/steps/primary-watch.js';
import type { Signal } from '../../src/state/detection.js';
import { FakeHost } from '../support/fake-host.js';
import { until } from '../support/sim-dc.js';

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
