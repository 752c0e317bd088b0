// The readiness inspection's report: per headnode, could its zones be restored
// from here, and the DC's problems; within 79 columns on any terminal.
import type { CnBootEntry, ServiceEntry } from '../../state/check-report.js';
import type { ConsoleState } from '../../state/console/index.js';
import type { HeadnodeReadiness } from '../../state/headnode-readiness.js';
import { blank, hardWrap, L, wrap, type Line, type ViewCtx } from './line.js';
import { problemLines, type Problem } from '../../state/problem.js';
import { dataDoubts } from '../../state/data-doubt.js';

/** Lines of this screen stay within 79 columns, whatever the terminal's width. */
const MAX_COLS = 79;

const ageText = (sec: number | null): string =>
  sec === null ? '-' : sec < 3600 ? `${Math.round(sec / 60)} min` : `${(sec / 3600).toFixed(1)} h`;
/** Word-wrapped; a word longer than the line (a path, a command) is cut, so no line is wider. */
const fitWrap = (text: string, width: number, indent = ''): string[] =>
  wrap(text, width, indent).flatMap((l) => (l.length > width ? hardWrap(l, width) : [l]));
const yesNo = (b: boolean | null): string => (b === null ? '-' : b ? 'yes' : 'NO');
/** When its dataset streams were last verified end to end, beside when synced: FAILED, never (-), or the age. */
const verifiedText = (d: { verifiedAgeSeconds?: number | null; verifiedOk?: boolean | null }): string =>
  d.verifiedOk === false ? 'FAILED' : ageText(d.verifiedAgeSeconds ?? null);

/**
 * Readiness mode: per headnode, "restorable from here: YES/NO" and its zones,
 * then the DC's problems. Disaster mode: what died, service by service, then
 * the same per-headnode verdicts in one line each.
 */
export function inspectView(s: ConsoleState, c: ViewCtx): Line[] {
  const r = s.check;
  if (!r) return [L(`${s.loading ?? 'checking'}...`, 'busy')];
  const width = Math.min(c.width, MAX_COLS);
  const here = r.headnodes.find((h) => h.local)?.hostname ?? 'here';
  const crit = r.problems.filter((p) => p.severity === 'critical').length;
  const out: Line[] = [];
  for (const w of fitWrap(
    `Could each headnode's zones be restored from ${here} now? Verdict ${r.verdict.toUpperCase()} (${r.mode} mode): ${crit} critical, ${r.problems.length - crit} warnings`,
    width,
  ))
    out.push(L(w));
  out.push(blank);
  if (r.mode === 'disaster') out.push(...serviceTable(r.services, r.problems, width), blank);
  for (const h of r.readiness ?? []) {
    if (r.mode === 'readiness') out.push(...headnodeBlock(h, width, r.problems), blank);
    else out.push(verdictLine(h, r.headnodes.find((x) => x.uuid === h.uuid)?.state ?? 'alive'));
  }
  if (r.mode === 'disaster' && (r.readiness ?? []).length > 0) out.push(blank);
  if ((r.computeNodes ?? []).length > 0) out.push(...computeNodeLines(r.computeNodes ?? [], width), blank);
  out.push(L(r.problems.length === 0 ? 'DC problems: none' : 'DC problems:'));
  for (const p of r.problems) {
    const tone = p.severity === 'critical' ? 'fail' : 'warn';
    const { line, fix } = problemLines(p);
    for (const w of fitWrap(line, width)) out.push(L(w, tone));
    if (fix) for (const w of fitWrap(fix, width, '     ')) out.push(L(w, 'dim'));
  }
  return out;
}

const verdictSeg = (ok: boolean): Line[number] => ({ text: ok ? 'YES' : 'NO', tone: ok ? 'ok' : 'fail' });
/** A headnode's own zones are restored by another headnode. */
const restorableFrom = (h: HeadnodeReadiness): string => (h.local ? 'from another headnode' : 'from here');

/** Disaster mode: one headnode's verdict in one line (home's headnodeLine shows its liveness). */
function verdictLine(h: HeadnodeReadiness, state: string): Line {
  return [
    {
      text: `${h.hostname.padEnd(12)} ${state === 'alive' ? '' : `${state.toUpperCase()}, `}restorable ${restorableFrom(h)}: `,
    },
    verdictSeg(h.restorable),
  ];
}

/**
 * READY: NO when something blocks the restore; yes* when it restores, but not
 * as it was (a stale, unverified or failed-verification copy: data-doubt.ts).
 */
function readyCell(ready: boolean, doubted: boolean, pad: number): Line[number] {
  if (!ready) return { text: 'NO'.padEnd(pad), tone: 'fail' };
  return doubted ? { text: 'yes*'.padEnd(pad), tone: 'warn' } : { text: 'yes'.padEnd(pad), tone: 'ok' };
}

function headnodeBlock(h: HeadnodeReadiness, width: number, problems: readonly Problem[]): Line[] {
  const out: Line[] = [
    [
      { text: `${h.hostname}${h.local ? ' (this one)' : ''}: restorable ${restorableFrom(h)}: ` },
      verdictSeg(h.restorable),
    ],
  ];
  if (h.why) for (const w of fitWrap(h.why, width, '  ')) out.push(L(w, 'dim'));
  if (h.services.length === 0) return [...out, L('  no zones known on it', 'dim')];
  out.push(L('  SERVICE    READY DATA AGE     VERIFIED IMAGE DATASET ZONE', 'dim'));
  for (const svc of h.services) {
    const name = `  ${svc.name.padEnd(10)} `;
    if (!svc.restored) {
      // "manatee is an HA cluster member: ..." -> the part before the colon.
      out.push(L(`${name}-     ${svc.alias} not re-created: ${(svc.why ?? '').split(':')[0]}`.slice(0, width), 'dim'));
      continue;
    }
    const d = svc.restoreData;
    out.push([
      { text: name },
      readyCell(svc.ready, dataDoubts(problems, svc.name).length > 0, 5),
      {
        text: ` ${yesNo(d.present).padEnd(4)} ${ageText(d.ageSeconds).padEnd(7)} ${verifiedText(d).padEnd(8)} ${yesNo(d.image).padEnd(5)} ${yesNo(d.dataset).padEnd(7)} ${svc.alias}`,
      },
    ]);
    if (svc.why)
      for (const w of fitWrap(`${svc.ready ? 'note' : 'why'}: ${svc.why}`, width, '             '))
        out.push(L(w, svc.ready ? 'warn' : 'fail'));
  }
  return out;
}

/** Would each compute node PXE boot again now: YES / NO / ?? and why, wrapped under it. */
function computeNodeLines(cns: readonly CnBootEntry[], width: number): Line[] {
  const out: Line[] = [L('Compute nodes, would each PXE boot again now:')];
  for (const c of cns) {
    const mark =
      c.boots === null
        ? { text: '??', tone: 'warn' as const }
        : c.boots
          ? { text: 'YES', tone: 'ok' as const }
          : { text: 'NO', tone: 'fail' as const };
    out.push([{ text: `  ${c.hostname.padEnd(12)} ` }, mark]);
    for (const w of fitWrap(c.why, width, '      ')) out.push(L(w, c.boots === false ? 'fail' : 'dim'));
  }
  return out;
}

/** Disaster mode: every service with what restore-data holds for it. */
function serviceTable(services: readonly ServiceEntry[], problems: readonly Problem[], width: number): Line[] {
  const out: Line[] = [L('SERVICE      READY  DATA  AGE        VERIFIED IMAGE  DATASET', 'dim')];
  const doubted: string[] = [];
  for (const svc of services) {
    const doubts = dataDoubts(problems, svc.name);
    if (svc.ready && doubts.length > 0) doubted.push(`${svc.name}: ${doubts.join(', ')}`);
    const ds = svc.restoreData.dataset === null ? 'n/a' : svc.restoreData.dataset ? 'yes' : 'NO';
    out.push([
      { text: `${svc.name.padEnd(12)} ` },
      readyCell(svc.ready, doubts.length > 0, 6),
      {
        text: ` ${(svc.restoreData.present ? 'yes' : 'NO').padEnd(5)} ${ageText(svc.restoreData.ageSeconds).padEnd(10)} ${verifiedText(svc.restoreData).padEnd(8)} ${(svc.restoreData.image ? 'yes' : 'NO').padEnd(6)} ${ds}`,
      },
    ]);
  }
  if (doubted.length > 0)
    for (const w of fitWrap(`* restores, but not as it was: ${doubted.join('; ')}`, width, '  '))
      out.push(L(w, 'warn'));
  return out;
}
