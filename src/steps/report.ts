// The final report for the incident review: Markdown for people, JSON for tools.
// Root only and redacted: failure details may quote API answers that hold
// passwords, and the report is the file most likely to be passed around.
import { join } from 'node:path';
import { writePrivateFileSync } from '../remote/private-files.js';
import type { CheckReport } from '../state/check-report.js';
import type { Plan } from '../state/plan.js';
import { redact } from '../state/redact.js';
import { displayLines } from '../state/display-text.js';
import { fenceText, type FenceMethod } from '../state/fence.js';
import { GOAL_SECONDS } from '../state/incident.js';

export interface ServiceOutcome {
  service: string;
  alias: string;
  uuid: string;
  adminIp: string;
  status: 'done' | 'failed' | 'skipped' | 'pending';
  detail: string;
  seconds: number | null;
}

export interface RestoreReport {
  dc: string;
  strategy: Plan['strategy'];
  dead: Plan['dead'];
  local: Plan['local'];
  fencedBy: string | null;
  /** How it was fenced, as the operator said (null: not stated, or no fence needed). */
  fenceMethod: FenceMethod | null;
  startedAt: string;
  endedAt: string;
  wallSeconds: number;
  /** A simulated drill at --sim-speed N: the run took wallSeconds, a real DC at its latencies N times that. */
  timeScale?: number;
  outcome: 'done' | 'failed' | 'stopped';
  message: string;
  services: ServiceOutcome[];
  reconcile: { summary: string; status: string }[];
  notRestored: Plan['notRestored'];
  notes: string[];
  journal: string;
  /** What the run found about the journal: set aside, damaged lines, done steps redone. */
  journalNotes: string[];
}

/** A drill's run scaled back to the scenario's latencies, against the goal. */
function drillLine(wallSeconds: number, scale: number): string {
  const real = wallSeconds * scale;
  const m = `${Math.floor(real / 60)} min ${Math.round(real % 60)} s`;
  return `- Drill at --sim-speed ${scale}: at the scenario's latencies this run takes ${m}, ${real <= GOAL_SECONDS ? 'within' : 'OVER'} the 1 h goal`;
}

export function writeReport(dir: string, report: RestoreReport): { md: string; json: string } {
  const r = redact(report);
  const stamp = r.endedAt.replace(/[:.]/g, '-');
  const json = join(dir, `report-${stamp}.json`);
  const md = join(dir, `report-${stamp}.md`);
  writePrivateFileSync(json, JSON.stringify(r, null, 2) + '\n');
  const lines = [
    `# Headnode restore report: ${r.dc}`,
    '',
    `- Outcome: **${r.outcome.toUpperCase()}**: ${r.message}`,
    `- Dead headnode: ${r.dead.hostname} (${r.dead.uuid}, ${r.dead.adminIp ?? 'no admin IP known'})`,
    `- Restored on: ${r.local.hostname} (${r.local.uuid}), strategy ${r.strategy}`,
    `- Fencing confirmed by: ${r.fencedBy ? `${r.fencedBy}: ${fenceText(r.dead.hostname, r.fenceMethod)}` : 'not needed'}`,
    `- Started ${r.startedAt}, ended ${r.endedAt}: ${Math.floor(r.wallSeconds / 60)} min ${Math.round(r.wallSeconds % 60)} s this run (RFD 67 goal: 1 h)`,
    ...(r.timeScale !== undefined ? [drillLine(r.wallSeconds, r.timeScale)] : []),
    `- Journal: ${r.journal}`,
    ...r.journalNotes.map((n) => `- Journal: ${n}`),
    '',
    '## Services',
    '',
    '| service | alias | uuid | admin IP | status | seconds | detail |',
    '|---|---|---|---|---|---|---|',
    ...r.services.map(
      (s) =>
        `| ${s.service} | ${s.alias} | ${s.uuid} | ${s.adminIp} | ${s.status} | ${s.seconds ?? ''} | ${s.detail.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Reconcile',
    '',
    ...(r.reconcile.length ? r.reconcile.map((x) => `- ${x.summary}: ${x.status}`) : ['- nothing']),
    '',
    '## Not restored',
    '',
    ...(r.notRestored.length ? r.notRestored.map((n) => `- ${n.alias} (${n.service}): ${n.why}`) : ['- nothing']),
    '',
    '## Notes and follow-ups',
    '',
    ...(r.notes.length ? r.notes.map((n) => `- ${n}`) : ['- none']),
    '',
  ];
  writePrivateFileSync(md, displayLines(lines));
  return { md, json };
}

/** What the check found before the run changed anything, for the incident bundle (redacted, root only). */
export function writeCheckRecord(dir: string, report: CheckReport, at: Date = new Date()): string {
  const path = join(dir, `check-${at.toISOString().replace(/[:.]/g, '-')}.json`);
  writePrivateFileSync(path, JSON.stringify(redact(report), null, 2) + '\n');
  return path;
}
