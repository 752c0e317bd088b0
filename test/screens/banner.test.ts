// The PRIMARY_RETURNED banner above every screen, and the run's stated fence on
// its screens (issue 16 items 1-2), through the frame the console draws.
import { describe, expect, it } from 'vitest';
import { frameLines } from '../../src/screens/App.js';
import type { Theme } from '../../src/screens/theme.js';
import type { CheckReport } from '../../src/state/check-report.js';
import { initialState, type ConsoleState } from '../../src/state/console/index.js';
import { primaryReturnedProblem } from '../../src/state/fence.js';
import { signal } from '../../src/state/detection.js';
import { runCheck } from '../../src/steps/check.js';
import { writeRestoredFrom } from '../../src/steps/restored-from.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const theme: Theme = { color: false, ascii: true, serial: true, tickMs: 5_000 };
const returned = primaryReturnedProblem(
  {
    hostname: 'headnode0',
    uuid: 'u0',
    adminIp: '10.99.99.7',
    fenceMethod: 'bmc-off',
    fencedBy: 'root',
    restoredOn: 'headnode1',
    at: '2026-12-01T10:00:00Z',
  },
  [signal('ping', 'alive', '10.99.99.7 answers ping', 0)],
);
const report = (problems = returned): CheckReport => ({
  mode: 'readiness',
  verdict: 'not-ready',
  primary: { hostname: 'headnode0', uuid: 'u0', state: 'alive', evidence: [] },
  headnodes: [],
  services: [],
  adminIps: { needed: 0, available: 0 },
  problems,
});
const text = (s: ConsoleState): string => {
  const f = frameLines(s, theme, 24, 80);
  return f.body.map((l) => l.map((seg) => seg.text).join('')).join('\n');
};

describe('the console banner', () => {
  it('PRIMARY_RETURNED is on top of every screen: what duplicates what, and what to do first', () => {
    for (const screen of ['home', 'detect', 'plan', 'inspect'] as const) {
      const s: ConsoleState = { ...initialState('sim', 0), screen, check: report() };
      const t = text(s);
      expect(t.split('\n')[0]).toContain('PRIMARY RETURNED CRIT: before anything else');
      expect(t).toMatch(/old primary headnode0 .*answers again/);
      expect(t.replace(/\s+/g, ' ')).toMatch(/do: before anything else, power headnode0 off/);
    }
  });

  it('no banner without the problem; the stated fence shows on the run and summary screens only', () => {
    const fence = 'headnode0 fenced: its network cables pulled';
    const base: ConsoleState = {
      ...initialState('sim', 0),
      check: report([]),
      run: { phase: 'running', services: [], log: [], fence },
    };
    expect(text(base)).not.toContain('PRIMARY RETURNED');
    expect(text(base)).not.toContain('Fence:');
    expect(text({ ...base, screen: 'run' }).split('\n')[0]).toBe(`Fence: ${fence}`);
    expect(text({ ...base, screen: 'summary' })).toContain(`Fence: ${fence}`);
  });

  it('from a real check: the simulated primary back after a restore puts the banner on the home screen', async () => {
    const t = await openTestSim(
      scenario((x) => (x.servers.find((v) => v.hostname === 'headnode0')!.alive = true)),
      1000,
    );
    const journalDir = join(t.dir, 'journal');
    mkdirSync(journalDir);
    writeRestoredFrom(journalDir, {
      hostname: 'headnode0',
      uuid: '65cfe27b-76b2-5bf2-af14-58bdb727b3a0',
      adminIp: '10.99.99.7',
      fenceMethod: 'no-pool-import',
      fencedBy: 'root',
      restoredOn: 'headnode1',
      at: '2026-12-01T10:00:00.000Z',
    });
    const r = await runCheck(t.sim, { timeoutMs: 400, journalDir });
    const t2 = text({ ...initialState('sim', 0), check: r.report });
    expect(t2.split('\n')[0]).toContain('PRIMARY RETURNED');
    expect(t2).toMatch(/old primary headnode0 \(65cfe27b/);
  });
});
