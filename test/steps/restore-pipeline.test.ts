// Zones prepared ahead of their turn (src/steps/zone-preparer.ts): with "all"
// the next zones are created stopped and their data received while earlier
// ones boot; asked zone by zone, nothing of a zone exists before its "go"; a
// stop lets what runs ahead finish and journal its end, and the rerun repeats
// nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { runRestore, type Answer, type RestoreOptions } from '../../src/steps/restore.js';
import { openTestSim, scenario } from '../support/sim-dc.js';
import { loadState, RESTORED, violations } from '../support/restore-oracle.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

interface Line {
  t: string;
  id?: string;
  ok?: boolean;
  skipped?: boolean;
  service?: string;
  decision?: string;
}

function journal(dir: string): Line[] {
  return readFileSync(join(dir, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

async function restore(s: Scenario, o: Partial<RestoreOptions> = {}) {
  const t = await openTestSim(s, SPEED);
  const journalDir = join(t.dir, 'journal');
  const run = (more: Partial<RestoreOptions> = {}) =>
    runRestore({
      dc: t.sim,
      journalDir,
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'triton-recover restore --yes --fenced headnode0',
      ...o,
      ...more,
    });
  return { t, journalDir, run };
}

/** Where in the journal a line is: its index, -1 when absent. */
const at = (lines: Line[], pred: (l: Line) => boolean): number => lines.findIndex(pred);

describe('restore: zones prepared ahead', () => {
  it('with --yes, the next zone is created stopped and its data received while the zone before it boots', async () => {
    // A first boot as long as a real one (20 s) against an 8 s create + receive: preparing keeps ahead.
    const { run, journalDir, t } = await restore(scenario((x) => (x.latencyMs['zone first boot'] = 20_000)));
    // What the operator sees stays in zone order: every action's start, end and output under its own zone.
    let current = '';
    const misplaced: string[] = [];
    let zones = new Set<string>();
    // Shown when the restore reaches the zone, and said to have run ahead.
    const ranAhead: string[] = [];
    const mine = (id: string, what: string): void => {
      const zone = id.split('/').slice(0, 2).join('/');
      if (zones.has(zone) && zone !== current) misplaced.push(`${what} ${id} during ${current}`);
    };
    const out = await run({
      events: {
        plan: (p) => (zones = new Set(p.steps.map((x) => `${x.service}/${x.alias}`))),
        serviceStart: (step) => (current = `${step.service}/${step.alias}`),
        actionStart: (a) => mine(a.id, 'start'),
        actionEnd: (a, r) => {
          mine(a.id, 'end');
          if (r.ranAhead) ranAhead.push(a.id);
        },
        output: (a) => mine(a.id, 'output'),
      },
    });
    expect(misplaced).toEqual([]);
    expect(ranAhead.filter((id) => id.endsWith('/create-vm')).length).toBeGreaterThan(0);
    expect(ranAhead.filter((id) => /\/(start-vm|wait-healthy)$/.test(id))).toEqual([]);
    expect(out.exitCode, out.message).toBe(0);
    expect(violations(t.statePath)).toEqual([]);
    const lines = journal(journalDir);
    const aliases = out.plan!.steps.map((s) => `${s.service}/${s.alias}`);
    // For each zone after the first: did its create-vm start before the previous zone was healthy?
    const ahead = aliases.slice(1).filter((k, i) => {
      const created = at(lines, (l) => l.t === 'start' && l.id === `${k}/create-vm`);
      const prevHealthy = at(lines, (l) => l.t === 'end' && l.id === `${aliases[i]}/wait-healthy`);
      return created >= 0 && prevHealthy >= 0 && created < prevHealthy;
    });
    expect(ahead.length, `prepared ahead: ${ahead.join(', ')}`).toBeGreaterThanOrEqual(
      Math.floor((aliases.length - 1) / 2),
    );
    // Nothing started out of order: each zone's vmadm start follows the previous zone's health.
    aliases.slice(1).forEach((k, i) => {
      const started = at(lines, (l) => l.t === 'start' && l.id === `${k}/start-vm`);
      const prevHealthy = at(lines, (l) => l.t === 'end' && l.id === `${aliases[i]}/wait-healthy`);
      expect(started, k).toBeGreaterThan(prevHealthy);
    });
  });

  it('asked zone by zone, nothing of a zone exists before its "go", and a skipped zone is never created', async () => {
    const { run, journalDir, t } = await restore(scenario());
    const seenAtQuestion: string[] = [];
    let order: string[] = [];
    const out = await run({
      events: { plan: (p) => (order = p.steps.map((x) => `${x.service}/${x.alias}`)) },
      confirm: async (step): Promise<Answer> => {
        // At the question, no action of this zone or a later one may have started.
        const lines = journal(journalDir);
        const later = new Set(order.slice(order.indexOf(`${step.service}/${step.alias}`)));
        for (const l of lines)
          if (l.t === 'start' && l.id && later.has(l.id.split('/').slice(0, 2).join('/')))
            seenAtQuestion.push(`${step.alias}: ${l.id}`);
        return step.service === 'cmon' ? 'skip' : 'go';
      },
      skipReason: async () => 'not needed tonight',
    });
    expect(seenAtQuestion).toEqual([]);
    expect(out.exitCode, out.message).toBe(0);
    const cmon = loadState(t.statePath).instances.filter((i) => i.service === 'cmon' && i.server === 'headnode1');
    expect(cmon).toEqual([]);
    expect(
      violations(
        t.statePath,
        RESTORED.filter((s) => s !== 'cmon'),
      ),
    ).toEqual([]);
  });

  it('a failure stops the run with every zone prepared ahead journaled to its end, left stopped; the rerun repeats nothing', async () => {
    const ufds = scenario().instances.find((i) => i.alias === 'ufds0')!.uuid;
    // ufds0's start hangs until the command's deadline: long enough for the zones after it to be prepared.
    const s = scenario((x) => (x.faults = [{ command: 'vmadm start', match: ufds, effect: 'hang', times: 1 }]));
    const { run, journalDir, t } = await restore(s);
    const first = await run();
    expect(first.exitCode, first.message).toBe(3);
    expect(first.message).toContain('ufds0');
    const lines = journal(journalDir);
    const started = lines.filter((l) => l.t === 'start').map((l) => l.id);
    const ended = new Set(lines.filter((l) => l.t === 'end').map((l) => l.id));
    expect(started.filter((id) => !ended.has(id))).toEqual([]);
    // Zones after ufds were prepared ahead (this is what the test is about) and none was started.
    const after = first.plan!.steps.slice(first.plan!.steps.findIndex((x) => x.alias === 'ufds0') + 1);
    const prepared = after.filter((x) =>
      lines.some((l) => l.t === 'end' && l.ok && l.id === `${x.service}/${x.alias}/create-vm`),
    );
    expect(prepared.length).toBeGreaterThan(0);
    const st = loadState(t.statePath);
    for (const x of after) {
      const vm = st.instances.find((i) => i.uuid === x.uuid && i.server === 'headnode1');
      if (vm) expect(vm.state, x.alias).toBe('stopped');
    }
    // The rerun finds the zones prepared before the failure done: shown as found, not as prepared ahead.
    const skippedAhead: string[] = [];
    let skips = 0;
    const second = await run({
      events: {
        actionEnd: (a, r) => {
          if (r.skipped) skips++;
          if (r.skipped && r.ranAhead) skippedAhead.push(a.id);
        },
      },
    });
    expect(second.exitCode, second.message).toBe(0);
    expect(skips).toBeGreaterThan(0);
    expect(skippedAhead).toEqual([]);
    expect(violations(t.statePath)).toEqual([]);
    const all = journal(journalDir);
    const okEnds = new Map<string, number>();
    // (A health wait is a look, not a change: the rerun checks finished zones again.)
    for (const l of all)
      if (l.t === 'end' && l.ok && !l.skipped && l.id && !l.id.endsWith('/wait-healthy'))
        okEnds.set(l.id, (okEnds.get(l.id) ?? 0) + 1);
    expect([...okEnds].filter(([, n]) => n > 1)).toEqual([]);
  });
});
