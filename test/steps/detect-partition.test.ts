// Detection is not fooled by this headnode's own isolation (issue 16 item 3):
// compute nodes are asked over SSH whether they reach the primary, and a
// primary only we are cut off from is never "dead".
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { verdict, vantageSignal } from '../../src/state/detection.js';
import { runCheck } from '../../src/steps/check.js';
import { openTestSim, scenario } from '../support/sim-dc.js';

const T = 400;
const server = (s: Scenario, hostname: string) => s.servers.find((x) => x.hostname === hostname)!;

async function primaryOf(edit: (s: Scenario) => void) {
  const t = await openTestSim(scenario(edit), 1000);
  const r = await runCheck(t.sim, { timeoutMs: T });
  return r;
}

describe('detection with partitions[]', () => {
  it('the primary alive but cut off from this headnode only: alive (compute nodes reach it), never dead; a restore gate stays shut', async () => {
    const r = await primaryOf((s) => {
      server(s, 'headnode0').alive = true;
      s.partitions = [{ from: 'headnode1', to: 'headnode0' }];
    });
    const p = r.report.primary!;
    expect(p.state).not.toBe('dead');
    expect(p.state).toBe('alive');
    // Our own probes see nothing; the compute nodes see it.
    expect(p.evidence.find((e) => e.signal === 'ping')!.ok).toBe(false);
    const v = p.evidence.find((e) => e.signal === 'vantage')!;
    expect(v.ok).toBe(true);
    expect(v.detail).toMatch(/cn0, cn1 and headnode2 reach 10\.99\.99\.7 by ping/);
  });

  it('a dead primary stays dead: the compute nodes do not reach it either', async () => {
    const r = await primaryOf(() => undefined);
    const p = r.report.primary!;
    expect(p.state).toBe('dead');
    expect(p.evidence.find((e) => e.signal === 'vantage')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/cn0, cn1 and headnode2 do not reach 10\.99\.99\.7 either/),
    });
  });

  it('cut off, and the compute nodes cannot be asked (both down): uncertain at worst, not dead', async () => {
    const r = await primaryOf((s) => {
      server(s, 'headnode0').alive = true;
      server(s, 'cn0').alive = false;
      server(s, 'cn1').alive = false;
      s.partitions = [{ from: 'headnode1', to: 'headnode0' }];
    });
    // headnode2 is asked as well and reaches it.
    expect(r.report.primary!.state).toBe('alive');
  });
});

describe('vantageSignal (pure)', () => {
  it('one server that reaches it is a sign of life; all asked and none reach it is dead; none asked is unknown', () => {
    expect(
      vantageSignal(
        '10.0.0.1',
        [
          { from: 'cn0', reached: false },
          { from: 'cn1', reached: true },
        ],
        0,
      ).says,
    ).toBe('alive');
    expect(
      vantageSignal(
        '10.0.0.1',
        [
          { from: 'cn0', reached: false },
          { from: 'cn1', reached: undefined, why: 'unreachable' },
        ],
        0,
      ).says,
    ).toBe('dead');
    expect(vantageSignal('10.0.0.1', [{ from: 'cn0', reached: undefined, why: 'timeout' }], 0).says).toBe('unknown');
    expect(vantageSignal('10.0.0.1', [], 0).says).toBe('unknown');
  });

  it('our ping and CNAPI say dead, but a compute node reaches it: the verdict is alive', () => {
    const dead = [
      { signal: 'ping' as const, says: 'dead' as const, ok: false, detail: '', durationMs: 0 },
      { signal: 'cnapi' as const, says: 'dead' as const, ok: false, detail: '', durationMs: 0 },
    ];
    expect(verdict(dead)).toBe('dead');
    expect(verdict([...dead, vantageSignal('10.0.0.1', [{ from: 'cn0', reached: true }], 0)])).toBe('alive');
  });
});
