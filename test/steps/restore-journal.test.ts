// The journal is a hint about this restore, not the truth about the DC: another
// run's journal is set aside, a damaged plan is refused, garbage lines are
// reported, and "done" is checked against the zones that are there.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSim } from '../../src/remote/sim/index.js';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { readJournal } from '../../src/steps/journal.js';
import { argvOf, httpOf, stdinOf, type PlanAction } from '../../src/state/plan-action.js';
import type { Plan } from '../../src/state/plan.js';
import { runRestore, type RestoreOptions } from '../../src/steps/restore.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { loadState, RESTORED, violations } from '../support/restore-oracle.js';
import { REF } from '../support/reference.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

async function setup(s: Scenario = scenario()) {
  const t = await openTestSim(s, SPEED);
  const journalDir = join(t.dir, 'journal');
  const notices: string[] = [];
  const opts = (o: Partial<RestoreOptions> = {}): RestoreOptions => ({
    dc: t.sim,
    journalDir,
    strategy: 'reuse',
    fenced: 'headnode0',
    timing,
    probeTimeoutMs: 500,
    command: 'triton-recover restore --yes --fenced headnode0',
    events: { notice: (n) => notices.push(n) },
    ...o,
  });
  return { t, journalDir, notices, opts, journalPath: join(journalDir, 'journal.jsonl') };
}

const asideFiles = (dir: string): string[] => readdirSync(dir).filter((f) => /^journal-.+\.jsonl$/.test(f));

describe('restore journal: whose it is, and how far it is trusted', () => {
  it('a full restore after a finished --only run starts afresh (the old journal kept beside it), not "DONE: 2 of 2"', async () => {
    const { t, journalDir, notices, opts } = await setup();
    const first = await runRestore(opts({ only: ['assets', 'sapi'] }));
    expect(first.message).toMatch(/^2 of 2 zone/);
    expect(readJournal(journalDir).closed).toBeDefined();
    const full = await runRestore(opts());
    expect(full.exitCode).toBe(0);
    expect(full.message).toMatch(/^21 of 21 zone\(s\) restored and healthy/);
    expect(violations(t.statePath)).toEqual([]);
    expect(asideFiles(journalDir)).toHaveLength(1);
    expect(notices.join('\n')).toMatch(/set aside as .*journal-.*\.jsonl: its run finished/);
    expect(readFileSync(full.report!.md, 'utf8')).toMatch(/- Journal: the journal .* was set aside/);
  });

  it('the same run (its --only set in any order) resumes its unfinished journal: nothing set aside', async () => {
    const s = scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'sapi0', effect: 'fail', times: 1 }]));
    const { journalDir, notices, opts } = await setup(s);
    expect((await runRestore(opts({ only: ['assets', 'sapi'] }))).exitCode).toBe(3);
    const again = await runRestore(opts({ only: ['sapi', 'assets'] }));
    expect(again.message).toMatch(/^2 of 2 zone/);
    expect(asideFiles(journalDir)).toEqual([]);
    expect(readJournal(journalDir).runs).toHaveLength(2);
    expect(notices).toEqual([]);
  });

  it('a journal of another dead server (an earlier incident) is set aside, not resumed', async () => {
    const { journalDir, journalPath, notices, opts } = await setup(
      scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'ufds0', effect: 'fail', times: 1 }])),
    );
    expect((await runRestore(opts())).exitCode).toBe(3);
    // The same journal, as if an earlier incident had lost another server.
    writeFileSync(
      journalPath,
      readFileSync(journalPath, 'utf8').replaceAll(REF.headnode0.uuid, '00000000-0000-4000-8000-000000000001'),
    );
    const out = await runRestore(opts());
    expect(out.exitCode).toBe(0);
    expect(notices.join('\n')).toContain(
      'it is for another run (dead server headnode0 (00000000-0000-4000-8000-000000000001), now headnode0 (65cfe27b',
    );
    expect(asideFiles(journalDir)).toHaveLength(1);
  });

  it('--only with an unknown service is a usage error (64) naming the valid ones; nothing is journaled', async () => {
    const { journalPath, opts } = await setup();
    const out = await runRestore(opts({ only: ['asets'] }));
    expect(out.exitCode).toBe(64);
    expect(out.message).toContain('no service named "asets"');
    expect(out.message).toMatch(/valid names: .*assets.*sapi/);
    expect(existsSync(journalPath)).toBe(false);
  });

  it('a journaled plan that does not parse is refused (exit 2), saying the line and the field', async () => {
    const { journalPath, opts, t } = await setup(
      scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'ufds0', effect: 'fail', times: 1 }])),
    );
    expect((await runRestore(opts())).exitCode).toBe(3);
    const lines = readFileSync(journalPath, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"t":"plan"'));
    const entry = JSON.parse(lines[at]!) as { plan: { steps: { uuid: string }[] } };
    entry.plan.steps[2]!.uuid = 'amonredis; rm -rf /';
    lines[at] = JSON.stringify(entry);
    writeFileSync(journalPath, lines.join('\n'));
    const before = loadState(t.statePath).instances.length;
    const out = await runRestore(opts());
    expect(out.exitCode).toBe(2);
    expect(out.message).toContain(`journal.jsonl line ${at + 1}) does not parse: plan.steps.2.uuid: not a UUID`);
    expect(out.next).toContain('mv ');
    expect(loadState(t.statePath).instances.length).toBe(before);
  });

  it('a plan journaled by the previous version (untyped actions, version 1) is refused the same way, not run', async () => {
    const { journalPath, opts, t } = await setup(
      scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'ufds0', effect: 'fail', times: 1 }])),
    );
    expect((await runRestore(opts())).exitCode).toBe(3);
    const lines = readFileSync(journalPath, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"t":"plan"'));
    const entry = JSON.parse(lines[at]!) as { plan: Plan };
    // The shape version 1 journaled: argv, stdinJson, stdinFile beside the summary.
    const v1 = (a: PlanAction) => {
      const stdin = stdinOf(a);
      return {
        id: a.id,
        kind: a.kind,
        host: a.host,
        argv: argvOf(a),
        http: httpOf(a),
        ...(stdin && 'json' in stdin ? { stdinJson: stdin.json } : {}),
        ...(stdin && 'file' in stdin ? { stdinFile: stdin.file } : {}),
        summary: a.summary,
      };
    };
    const old = {
      ...entry.plan,
      version: 1,
      steps: entry.plan.steps.map((st) => ({ ...st, actions: st.actions.map(v1) })),
      reconcile: entry.plan.reconcile.map(v1),
    };
    lines[at] = JSON.stringify({ ...entry, plan: old });
    writeFileSync(journalPath, lines.join('\n'));
    const before = loadState(t.statePath).instances.length;
    const out = await runRestore(opts());
    expect(out.exitCode).toBe(2);
    expect(out.message).toContain(
      `journal.jsonl line ${at + 1}) does not parse: plan.version: a plan of another triton-recover version (this one reads version 2)`,
    );
    expect(out.message).toContain('so nothing was changed rather than guess');
    expect(loadState(t.statePath).instances.length).toBe(before);
  });

  it('garbage lines are counted and reported (notice and report), and the run resumes', async () => {
    const { journalPath, notices, opts } = await setup(
      scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'ufds0', effect: 'fail', times: 1 }])),
    );
    expect((await runRestore(opts())).exitCode).toBe(3);
    appendFileSync(journalPath, 'garbage here\n{"t":"service","service":"ufds/ufds0"}\n');
    const out = await runRestore(opts());
    expect(out.exitCode).toBe(0);
    const n = notices.join('\n');
    expect(n).toMatch(
      /has 2 unreadable line\(s\), ignored .*line \d+: not JSON \(garbage here\).*line \d+: not a journal entry/,
    );
    expect(readFileSync(out.report!.md, 'utf8')).toContain('2 unreadable line(s)');
  });

  it('"done" in the journal is a hint: a zone deleted since is restored again, not reported DONE', async () => {
    const s = scenario((x) => (x.faults = [{ command: 'vmadm create', match: 'ufds0', effect: 'fail', times: 1 }]));
    const { t, journalDir, notices, opts } = await setup(s);
    expect((await runRestore(opts())).exitCode).toBe(3);
    expect([...readJournal(journalDir).finished.keys()]).toContain('sapi/sapi0');
    // Someone deleted sapi0 since (vmadm delete): the journal still says done.
    await t.sim.close();
    const st = loadState(t.statePath);
    st.instances = st.instances.filter((i) => !(i.alias === 'sapi0' && i.server === 'headnode1'));
    writeFileSync(t.statePath, JSON.stringify(st));
    const dc = await openSim({ scenario: s, statePath: t.statePath, speed: SPEED });
    const out = await runRestore(opts({ dc }));
    expect(out.exitCode).toBe(0);
    expect(violations(t.statePath, RESTORED)).toEqual([]);
    expect(notices.join('\n')).toContain(
      `the journal says sapi0 is done, but on headnode1 vmadm get ${REF.sapi0.uuid}: no such VM`,
    );
    await dc.close();
  });
});
