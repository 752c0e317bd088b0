// The real-headnode latency profile: every figure has its source, it reaches
// the simulator through --sim-latencies, and a profile without sources is refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadLatencyProfile, realHeadnodeProfilePath } from '../../src/remote/sim/latency-profile.js';
import { openSim } from '../../src/remote/sim/index.js';
import { scenario, tempDir } from '../support/sim-dc.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');

describe('latency profiles', () => {
  it('the real-headnode profile names a source for each figure, and is slower than the reference scenario where it matters', async () => {
    const p = await loadLatencyProfile('real');
    expect(Object.keys(p.sources).sort()).toEqual(Object.keys(p.latencyMs).sort());
    const ref = scenario().latencyMs;
    for (const k of ['zone first boot', 'imgadm install', 'ssh connect', 'default'])
      expect(p.latencyMs[k]!, k).toBeGreaterThan(ref[k]!);
    expect(p.sources['zone first boot']).toMatch(/headnode\.sh/);
  });

  it("laid over the scenario, a first boot takes the profile's time (scaled), not the scenario's", async () => {
    const p = await loadLatencyProfile('real');
    const sim = await openSim({
      scenario: scenario(),
      statePath: join(tempDir(), 's.json'),
      speed: 10,
      latencies: p.latencyMs,
    });
    expect(sim.world.latency('zone first boot')).toBe(p.latencyMs['zone first boot']! / 10);
    expect(sim.world.latency('vmadm get')).toBe(p.latencyMs['default']! / 10);
  });

  it('a profile with a figure and no source is refused, naming it', async () => {
    const f = join(tempDir(), 'p.json');
    const p = JSON.parse(readFileSync(realHeadnodeProfilePath(), 'utf8')) as { latencyMs: Record<string, number> };
    p.latencyMs['zfs send'] = 5000;
    writeFileSync(f, JSON.stringify(p));
    await expect(loadLatencyProfile(f)).rejects.toThrow(/no source for zfs send/);
  });

  it('--sim-latencies real reaches the live state of a demo', async () => {
    const state = join(tempDir(), 's.json');
    const r = await execa(
      bin,
      ['--demo', '--sim-state', state, '--sim-latencies', 'real', '--sim-speed', '1000', 'plan', '--json'],
      { reject: false },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const live = JSON.parse(readFileSync(state, 'utf8')) as { latencyMs: Record<string, number> };
    expect(live.latencyMs['zone first boot']).toBe(20000);
  });
});
