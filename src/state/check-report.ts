// The `check` report (contract section 7) and how it reads as text. Pure.
import type { Signal } from './detection.js';
import type { HeadnodeReadiness } from './headnode-readiness.js';
import { displayLines } from './display-text.js';
import { problemLines, type Problem } from './problem.js';
import { EXIT } from './exit-codes.js';
import { acceptCommand, type ChangeInEffect } from './changes-in-effect.js';

export interface HeadnodeEntry {
  hostname: string;
  uuid: string;
  adminIp: string | null;
  state: 'alive' | 'dead' | 'uncertain';
  local: boolean;
  primary: boolean;
  evidence: Signal[];
}

export interface ServiceEntry {
  name: string;
  onDeadHeadnode: boolean;
  restoreData: {
    present: boolean;
    ageSeconds: number | null;
    image: boolean;
    dataset: boolean | null;
    /** Since the oldest last end-to-end verification of its dataset streams (null: none verified, or no dataset). Added field. */
    verifiedAgeSeconds?: number | null;
    /** Every dataset's last verification passed (null: none verified, or no dataset). Added field. */
    verifiedOk?: boolean | null;
  };
  ready: boolean;
}

export interface CheckReport {
  mode: 'readiness' | 'disaster';
  verdict: 'ready' | 'degraded' | 'not-ready';
  primary: { hostname: string; uuid: string; state: 'alive' | 'dead' | 'uncertain'; evidence: Signal[] } | null;
  headnodes: HeadnodeEntry[];
  services: ServiceEntry[];
  adminIps: { needed: number; available: number };
  problems: Problem[];
  /**
   * Per headnode: could what it runs be restored from this headnode now?
   * Added to the contract (extra field); runCheck always sets it.
   */
  readiness?: HeadnodeReadiness[];
  /**
   * Per compute node: would it PXE boot again with what runs now (a dhcpd
   * answering from its booter cache, its platform under that headnode's
   * /usbkey/os)? boots null: cannot be told. Added to the contract (extra field).
   */
  computeNodes?: CnBootEntry[];
  /**
   * What a killed or stopped run changed and did not finish (state/changes-in-effect.ts),
   * each with how to finish, undo or accept it. Added to the contract (extra field).
   */
  changesInEffect?: ChangeInEffect[];
}

export interface CnBootEntry {
  hostname: string;
  uuid: string;
  boots: boolean | null;
  why: string;
}

export function verdictOf(problems: readonly Problem[]): CheckReport['verdict'] {
  if (problems.some((p) => p.severity === 'critical')) return 'not-ready';
  return problems.length > 0 ? 'degraded' : 'ready';
}

/** Contract exit codes: 0 ready, 1 warnings only, 2 not ready. */
export function exitCodeOf(
  report: Pick<CheckReport, 'verdict'>,
): typeof EXIT.ok | typeof EXIT.warnings | typeof EXIT.blocked {
  return report.verdict === 'ready' ? EXIT.ok : report.verdict === 'degraded' ? EXIT.warnings : EXIT.blocked;
}

const mark = (state: string): string => (state === 'alive' ? 'OK  ' : state === 'dead' ? 'DEAD' : '??  ');

/** Plain text for a terminal or a log: words, not colours. */
export function formatCheckText(r: CheckReport, title: string): string {
  const out: string[] = [];
  out.push(`triton-recover check: ${title}`);
  out.push(`mode: ${r.mode}   verdict: ${r.verdict.toUpperCase()}`);
  out.push('');
  out.push('Headnodes:');
  for (const h of r.headnodes) {
    const tags = [h.primary ? 'primary' : '', h.local ? 'this one' : ''].filter(Boolean).join(', ');
    out.push(
      `  [${mark(h.state)}] ${h.hostname.padEnd(12)} ${(h.adminIp ?? '-').padEnd(15)} ${h.state}${tags ? ` (${tags})` : ''}`,
    );
    if (!h.local)
      for (const e of h.evidence) out.push(`           ${e.ok ? '+' : '-'} ${e.signal.padEnd(7)} ${e.detail}`);
  }
  if (r.services.length > 0) {
    const lost = r.services.filter((s) => s.onDeadHeadnode);
    out.push('');
    out.push(`Services: ${r.services.length} known, ${lost.length} lost with a dead headnode`);
    // Fresh is not verified: when the dataset streams held were last checked end to end (zstreamdump).
    const checked = r.services.filter((s) => s.restoreData.dataset !== null && s.restoreData.verifiedOk !== undefined);
    if (checked.length > 0) {
      const hours = (sec: number | null | undefined): string =>
        sec == null ? '-' : sec < 3600 ? `${Math.round(sec / 60)} min` : `${(sec / 3600).toFixed(1)} h`;
      out.push('Dataset streams, synced / last verified:');
      for (const s of checked) {
        const v =
          s.restoreData.verifiedOk === null
            ? 'never verified'
            : `verified ${hours(s.restoreData.verifiedAgeSeconds)} ago${s.restoreData.verifiedOk ? '' : ' and FAILED'}`;
        out.push(`  ${s.name.padEnd(12)} synced ${hours(s.restoreData.ageSeconds)} ago, ${v}`);
      }
    }
  }
  const here = r.headnodes.find((h) => h.local)?.hostname ?? 'here';
  if (r.readiness && r.readiness.length > 0) {
    out.push('');
    out.push(`Restorable from ${here}:`);
    for (const h of r.readiness) {
      const from = h.local ? 'from another headnode' : 'from here';
      out.push(`  ${h.hostname.padEnd(12)} ${from}: ${h.restorable ? 'YES' : 'NO'}${h.why ? ` (${h.why})` : ''}`);
      for (const s of h.services.filter((x) => !x.ready))
        out.push(`      NO  ${s.alias} (${s.name}): ${s.why ?? 'not ready'}`);
    }
  }
  if (r.computeNodes && r.computeNodes.length > 0) {
    out.push('');
    out.push('Compute nodes, would each PXE boot again now:');
    for (const c of r.computeNodes)
      out.push(`  ${c.hostname.padEnd(12)} ${c.boots === null ? '??' : c.boots ? 'YES' : 'NO'} (${c.why})`);
  }
  if (r.changesInEffect && r.changesInEffect.length > 0) {
    out.push('');
    out.push(`Changes still in effect (${r.changesInEffect.length}), made by a run that did not finish them:`);
    out.push(...changeLines(r.changesInEffect));
  }
  out.push('');
  out.push(`Admin IPs: ${r.adminIps.needed} needed, ${r.adminIps.available} available`);
  out.push('');
  if (r.problems.length === 0) out.push('Problems: none');
  else {
    out.push('Problems:');
    for (const p of r.problems) {
      const { line, fix } = problemLines(p);
      out.push(`  ${line}`);
      if (fix) out.push(`       ${fix}`);
    }
  }
  return displayLines(out) + '\n';
}

/** Each change still in effect: what, where, since when, and how to finish, undo or accept it. */
export function changeLines(changes: readonly ChangeInEffect[]): string[] {
  return changes.flatMap((c) => [
    `  [${c.word}] ${c.host}: ${c.what}`,
    `      since ${c.since}; finish: ${c.finish}`,
    ...(c.undo ? [`      undo: ${c.undo}`] : []),
    `      accept as it is: ${acceptCommand(c)}`,
  ]);
}
