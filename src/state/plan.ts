// The restore plan: for each lost instance, the exact actions (argv or HTTP
// call) that will run, in order. `plan` prints it; `restore` executes it. Pure.
import { formatCommand } from '../values/shell-quote.js';
import type { Problem } from './problem.js';
import { redact } from './redact.js';
import { displayLines } from './display-text.js';
import { STRATEGY } from './strategies.js';

import { argvOf, httpOf, stdinOf, type ActionKind, type HttpCall, type PlanAction } from './plan-action.js';
import type { Strategy } from './strategies.js';
export type { Strategy };
export type { ActionKind, HttpCall, PlanAction } from './plan-action.js';

/**
 * Actions that may run ahead of their zone's turn, while earlier zones boot:
 * nothing on the network can observe them (an image in the local pool, a zone
 * created stopped with autoboot off and no address up, its dataset received).
 * A step's preparation is the run of these at its start; `vmadm start` and
 * everything after it wait for the order.
 */
export const PREPARED_AHEAD: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'install-image',
  'create-vm',
  'receive-dataset',
]);

/** How many of the step's first actions are its preparation (see PREPARED_AHEAD). */
export function preparationLength(actions: readonly { kind: ActionKind }[]): number {
  const n = actions.findIndex((a) => !PREPARED_AHEAD.has(a.kind));
  return n < 0 ? actions.length : n;
}

export interface PlanStep {
  service: string;
  alias: string;
  uuid: string;
  adminIp: string;
  old: { uuid: string; alias: string; adminIp: string };
  image: string;
  delegatedDataset: boolean;
  /** Images this step needs installed (origins first). */
  images: string[];
  actions: PlanAction[];
  notes: string[];
}

export interface NotRestored {
  service: string;
  alias: string;
  why: string;
}

export interface Plan {
  /** 2: typed actions (issue 14); a journal of version 1 is refused on resume. */
  version: 2;
  strategy: Strategy;
  createdAt: string;
  local: { hostname: string; uuid: string };
  dead: { hostname: string; uuid: string; adminIp: string | null };
  steps: PlanStep[];
  reconcile: PlanAction[];
  notRestored: NotRestored[];
  notes: string[];
  blocked: Problem[];
}

/** An HTTP call as the curl command that makes it (copy, paste, run); secrets in its body redacted. */
export function curlOf(h: HttpCall): string {
  const argv = ['curl', '-sS', ...(h.tls === 'accept-self-signed' ? ['-k'] : []), '-X', h.method, h.url];
  if (h.body !== undefined) argv.push('-H', 'content-type: application/json', '-d', JSON.stringify(redact(h.body)));
  return formatCommand(argv);
}

/** How an action reads for a person, as a line they could run by hand. */
export function describeAction(a: PlanAction): string {
  if (a.kind === 'wait-healthy') {
    // The order the restore checks in: setup finished (headnode.sh's signal), then SMF,
    // then its addresses are its own (not duplicate), then the ping.
    const checks = [...a.checks.map((c) => formatCommand(c)), ...(a.http ? [curlOf(a.http)] : [])];
    return `${checks.join('; ')}   # until healthy; stops on setup_failed or SMF maintenance`;
  }
  const http = httpOf(a);
  if (http) return curlOf(http);
  const argv = argvOf(a);
  if (!argv) return a.summary;
  const cmd = formatCommand(argv);
  const stdin = stdinOf(a);
  if (stdin && 'file' in stdin) return `${cmd} < ${formatCommand([stdin.file])}`;
  if (stdin) return `${cmd} < payload.json   # ${payloadSummary(stdin.json)}`;
  return cmd;
}

/** The payload fields an operator checks at a glance. */
export function payloadSummary(p: Record<string, unknown>): string {
  const nics = Array.isArray(p['nics']) ? (p['nics'] as Record<string, unknown>[]) : [];
  const nic = nics
    .map((n) => `${String(n['nic_tag'])} ${String(n['ip'] ?? 'dhcp')}${n['mac'] ? ` ${String(n['mac'])}` : ''}`)
    .join(', ');
  return [
    `image ${String(p['image_uuid'] ?? '?').slice(0, 8)}`,
    p['delegate_dataset'] ? 'delegated dataset' : '',
    p['autoboot'] === false ? 'autoboot off' : '',
    nic ? `nics: ${nic}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The contract's `plan --json` shape, with our extra fields alongside. Redacted:
 * create-vm payloads carry sapi0's usbkey_config and UFDS passwords (the restore
 * runs the journaled plan, never this output).
 */
export function planJson(p: Plan): Record<string, unknown> {
  return redact(planShape(p));
}

function planShape(p: Plan): Record<string, unknown> {
  // The contract's fields, derived from the typed action: kind, host, argv?, http?, stdin?, stdinFile?, summary.
  const action = (a: PlanAction): Record<string, unknown> => {
    const argv = argvOf(a);
    const http = httpOf(a);
    const stdin = stdinOf(a);
    return {
      kind: a.kind,
      host: a.host,
      ...(argv ? { argv } : {}),
      ...(http ? { http } : {}),
      ...(stdin && 'json' in stdin ? { stdin: stdin.json } : {}),
      ...(stdin && 'file' in stdin ? { stdinFile: stdin.file } : {}),
      summary: a.summary,
    };
  };
  return {
    strategy: p.strategy,
    blocked: p.blocked,
    steps: p.steps.map((s) => ({
      service: s.service,
      alias: s.alias,
      uuid: s.uuid,
      adminIp: s.adminIp,
      old: s.old,
      notes: s.notes,
      actions: s.actions.map(action),
    })),
    reconcile: p.reconcile.map(action),
    notRestored: p.notRestored,
    notes: p.notes,
    dead: p.dead,
    local: p.local,
  };
}

export function formatPlanText(p: Plan): string {
  const out: string[] = [];
  out.push(
    `Restore plan (${p.strategy} strategy): ${p.steps.length} zone(s) lost with ${p.dead.hostname}, re-created on ${p.local.hostname}`,
  );
  out.push(`${STRATEGY[p.strategy].title}. ${STRATEGY[p.strategy].consequences}`);
  if (p.blocked.length > 0) {
    out.push('', 'BLOCKED: nothing will run until these are fixed:');
    for (const b of p.blocked)
      out.push(
        `  ${b.code}${b.service ? ` [${b.service}]` : ''}: ${b.message}`,
        ...(b.fix ? [`      fix: ${b.fix}`] : []),
      );
  }
  p.steps.forEach((s, i) => {
    out.push(
      '',
      `${String(i + 1).padStart(2)}. ${s.service}: ${s.alias} ${s.uuid} ${s.adminIp}${p.strategy === 'new' ? ` (was ${s.old.alias} ${s.old.uuid} ${s.old.adminIp})` : ''}`,
    );
    for (const n of s.notes) out.push(`      note: ${n}`);
    for (const a of s.actions) out.push(`      ${a.host}$ ${describeAction(a)}`);
  });
  if (p.reconcile.length > 0) {
    out.push('', 'Then reconcile:');
    for (const a of p.reconcile) out.push(`      ${describeAction(a)}   # ${a.summary}`);
  }
  if (p.notRestored.length > 0) {
    out.push('', 'Not restored:');
    for (const n of p.notRestored) out.push(`  ${n.alias} (${n.service}): ${n.why}`);
  }
  if (p.notes.length > 0) {
    out.push('', 'Notes:');
    for (const n of p.notes) out.push(`  - ${n}`);
  }
  return displayLines(out) + '\n';
}
