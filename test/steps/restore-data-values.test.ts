// Issue 11, class 4: values from restore-data go through the schemas before
// they are used, and text shown to a person has no control characters.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheckText } from '../../src/state/check-report.js';
import { blocksRestore } from '../../src/state/problem.js';
import { sanitizeForDisplay } from '../../src/state/display-text.js';
import { formatPlanText } from '../../src/state/plan.js';
import { runCheck } from '../../src/steps/check.js';
import { buildPlan } from '../../src/steps/plan.js';
import { writeReport, type RestoreReport } from '../../src/steps/report.js';
import { runRestore } from '../../src/steps/restore.js';
import { openTestSim, tempDir, type TestSim } from '../support/sim-dc.js';
import { loadState } from '../support/restore-oracle.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };
const FORGED = 'x\n\u001b[2KDONE: all restored\r\u009b2J\u202e';

function editJson(path: string, edit: (v: Record<string, unknown>) => void): void {
  const v = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(v);
  writeFileSync(path, JSON.stringify(v));
}
const vmDump = (t: TestSim, svc: string): string => {
  const dir = join(t.sim.restoreDataDir, `svc-${svc}`);
  return join(
    dir,
    readdirSync(dir).find((f) => f.startsWith('vm-'))!,
  );
};
const noForgery = (text: string): void => {
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  expect(text).not.toMatch(/^DONE/m);
};

describe('display text (issue 11, class 4)', () => {
  it('sanitizeForDisplay removes escape sequences and controls; a newline only where kept', () => {
    expect(sanitizeForDisplay('sapi0\n\u001b[2KDONE')).toBe('sapi0 DONE');
    expect(sanitizeForDisplay('a\u001b]0;title\u0007b\u009b31mc\u0000d\te')).toBe('abc d e');
    expect(sanitizeForDisplay('one\ntwo\r', { keepNewlines: true })).toBe('one\ntwo ');
  });

  it('the report for the incident review never carries a forged line', () => {
    const dir = tempDir();
    const host = { hostname: 'headnode0', uuid: 'u', adminIp: null };
    // Typed, not cast: a field the report gains must be given here too.
    const r: RestoreReport = {
      dc: FORGED,
      strategy: 'reuse',
      dead: host,
      local: host,
      fencedBy: null,
      fenceMethod: null,
      startedAt: 'a',
      endedAt: 'b',
      wallSeconds: 1,
      outcome: 'failed',
      message: FORGED,
      journal: dir,
      journalNotes: [FORGED],
      reconcile: [],
      notRestored: [],
      notes: [FORGED],
      services: [
        { service: 'sapi', alias: FORGED, uuid: 'u', adminIp: 'ip', status: 'failed', detail: FORGED, seconds: null },
      ],
    };
    noForgery(readFileSync(writeReport(dir, r).md, 'utf8'));
  });
});

describe('restore-data values go through the schemas (issue 11, class 4)', () => {
  it('an admin IP "10.99.99.30; touch x" is refused before any vmadm create: exit 2, named', async () => {
    const t = await openTestSim(undefined, SPEED);
    editJson(vmDump(t, 'sapi'), (v) => {
      const nics = v['nics'] as Record<string, unknown>[];
      nics.find((n) => n['nic_tag'] === 'admin')!['ip'] = '10.99.99.30; touch /tmp/x';
    });
    const chk = await runCheck(t.sim, { timeoutMs: 500 });
    const p = chk.report.problems.find((x) => x.service === 'sapi' && x.code === 'RESTORE_DATA_MISSING')!;
    expect(p.severity).toBe('critical');
    expect(p.message).toMatch(/nics\.\d\.ip: not an IPv4 address/);
    const out = await runRestore({
      dc: t.sim,
      journalDir: join(t.dir, 'j'),
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
    });
    expect(out.exitCode).toBe(2);
    expect(
      loadState(t.statePath)
        .sim.events.map((e) => e.what)
        .filter((w) => /vmadm create/.test(w)),
    ).toEqual([]);
  });

  it('a forged alias, nic tag or SAPI instance alias: the dump is unusable, named, never shown raw', async () => {
    const t = await openTestSim(undefined, SPEED);
    editJson(vmDump(t, 'sapi'), (v) => (v['alias'] = FORGED));
    editJson(vmDump(t, 'napi'), (v) => ((v['nics'] as Record<string, unknown>[])[0]!['nic_tag'] = 'admin -o x'));
    const si = join(t.sim.restoreDataDir, 'svc-ufds', 'sapi-instances.json');
    writeFileSync(
      si,
      JSON.stringify(
        (JSON.parse(readFileSync(si, 'utf8')) as { params: Record<string, unknown> }[]).map((r) => ({
          ...r,
          params: { ...r.params, alias: FORGED },
        })),
      ),
    );
    // A hostname is shown as it is (not a command value here): the display must clean it.
    const servers = join(t.sim.restoreDataDir, 'dc', 'servers.json');
    const list = JSON.parse(readFileSync(servers, 'utf8')) as Record<string, unknown>[];
    list.find((s) => s['hostname'] === 'headnode2')!['hostname'] = `headnode2${FORGED}`;
    writeFileSync(servers, JSON.stringify(list));

    const chk = await runCheck(t.sim, { timeoutMs: 500 });
    const crit = (svc: string) =>
      chk.report.problems.find((x) => x.service === svc && x.severity === 'critical')?.message ?? '';
    expect(crit('sapi')).toMatch(/at alias: not a valid alias/);
    expect(crit('napi')).toMatch(/nics\.0\.nic_tag: not a nic tag/);
    expect(crit('ufds')).toMatch(/params\.alias: not a valid alias/);
    const text = formatCheckText(chk.report, 'forged');
    expect(text).toContain('headnode2x DONE: all restored');
    noForgery(text);

    const blocked = chk.report.problems.filter(blocksRestore);
    const plan = await buildPlan(t.sim, {
      rd: chk.restoreData,
      inv: chk.inventory,
      det: chk.detection,
      strategy: 'reuse',
      ipCandidates: chk.ipCandidates,
      blocked,
      timeoutMs: 500,
    });
    noForgery(formatPlanText(plan));
    expect(blocked.length).toBeGreaterThan(0);
  });
});
