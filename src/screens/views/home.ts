// Home: the DC at a glance, then the three jobs.
import { ACCEPT_KEY, HOME_ITEMS, type ConsoleState } from '../../state/console/index.js';
import type { ChangeInEffect } from '../../state/changes-in-effect.js';
import type { HeadnodeEntry } from '../../state/check-report.js';
import { pointer } from '../theme.js';
import { blank, L, type Line, type ViewCtx } from './line.js';

export function headnodeLine(h: HeadnodeEntry): Line {
  const word = h.state === 'alive' ? ' OK ' : h.state === 'dead' ? 'DEAD' : ' ?? ';
  const tags = [h.primary ? 'primary' : '', h.local ? 'this headnode' : ''].filter(Boolean).join(', ');
  const dead = h.evidence.filter((e) => e.says === 'dead').length;
  const why = h.local ? '' : h.state === 'alive' ? '' : `  ${dead} of ${h.evidence.length} signals say dead`;
  return [
    { text: '  [' },
    { text: word, tone: h.state === 'alive' ? 'ok' : h.state === 'dead' ? 'fail' : 'warn' },
    { text: `] ${h.hostname.padEnd(11)} ${(h.adminIp ?? '-').padEnd(15)} ${tags}${why}` },
  ];
}

/** What a killed or stopped run left half-done: before anything else is chosen. */
function changesView(changes: readonly ChangeInEffect[]): Line[] {
  if (changes.length === 0) return [];
  return [
    blank,
    [
      { text: 'CHANGES STILL IN EFFECT', tone: 'warn', bold: true },
      { text: ` (${changes.length}): a run stopped before it finished them` },
    ],
    ...changes.map((c): Line => [{ text: `  [${c.word}] `, bold: true }, { text: `${c.host}: ${c.what}` }]),
    L(
      `  finish: rerun the run (1 resumes a restore; see \`check\` for each command)   ${ACCEPT_KEY}: accept one as it is`,
      'dim',
    ),
  ];
}

export function homeView(s: ConsoleState, _c: ViewCtx): Line[] {
  const out: Line[] = [];
  const r = s.check;
  if (!r) {
    out.push(
      L(
        s.checkError ? `Could not check the DC: ${s.checkError}` : `${s.loading ?? 'checking'}...`,
        s.checkError ? 'fail' : 'busy',
      ),
    );
  } else {
    out.push(L('Headnodes:'));
    for (const h of r.headnodes) out.push(headnodeLine(h));
    const p = r.primary;
    const crit = r.problems.filter((x) => x.severity === 'critical').length;
    const warn = r.problems.length - crit;
    out.push(blank);
    out.push([
      { text: 'Primary: ' },
      p
        ? {
            text: `${p.hostname} ${p.state.toUpperCase()}`,
            tone: p.state === 'alive' ? 'ok' : p.state === 'dead' ? 'fail' : 'warn',
            bold: true,
          }
        : { text: 'unknown', tone: 'warn' },
      { text: `   (${r.mode} mode)` },
    ]);
    out.push([
      { text: 'Restore readiness: ' },
      {
        text: r.verdict.toUpperCase(),
        tone: r.verdict === 'ready' ? 'ok' : r.verdict === 'degraded' ? 'warn' : 'fail',
        bold: true,
      },
      { text: `   ${crit} critical, ${warn} warning${warn === 1 ? '' : 's'}` },
    ]);
    if (r.mode === 'disaster' && p?.state === 'dead')
      out.push(L('The primary is dead: choose 1 to restore its services on this headnode.', 'warn'));
    out.push(...changesView(r.changesInEffect ?? []));
  }
  out.push(blank);
  HOME_ITEMS.forEach((item, i) => {
    const sel = s.cursor === i;
    const note =
      item === 'Secondary-headnode conversion' && s.convert.phase === 'running'
        ? '  (in progress: back to it)'
        : item.startsWith('Restore after') && (s.run.phase === 'running' || s.run.phase === 'failed')
          ? '  (in progress: back to it)'
          : '';
    out.push([
      { text: `${pointer(sel)}${i + 1} ${item}`, inverse: sel },
      { text: note, tone: 'dim' },
    ]);
  });
  if (s.notice) out.push(blank, L(s.notice, 'warn'));
  return out;
}
