// Home: the DC at a glance, then the three jobs.
import { ACCEPT_KEY, HOME_ITEMS, type ConsoleState } from '../../state/console/index.js';
import type { ChangeInEffect } from '../../state/changes-in-effect.js';
import type { HeadnodeEntry } from '../../state/check-report.js';
import { fit, pointer } from '../theme.js';
import { blank, L, wrap, type Line, type ViewCtx } from './line.js';

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

/** At most this many changes on home (two lines each), under the menu; `check` lists them all. */
const CHANGES_SHOWN = 3;

/** Above the menu: that a killed or stopped run left changes half-done, before anything is chosen. */
function changesHead(changes: readonly ChangeInEffect[]): Line[] {
  if (changes.length === 0) return [];
  return [
    blank,
    [
      { text: `CHANGES STILL IN EFFECT (${changes.length})`, tone: 'warn', bold: true },
      { text: ': a run stopped before finishing them (below)' },
    ],
  ];
}

/** Under the menu: each change with the word that accepts it. */
function changesList(changes: readonly ChangeInEffect[], width: number): Line[] {
  if (changes.length === 0) return [];
  const more = changes.length - CHANGES_SHOWN;
  return [
    blank,
    ...changes.slice(0, CHANGES_SHOWN).flatMap((c): Line[] => {
      const [first, second, ...rest] = wrap(`[${c.word}] ${c.host}: ${c.what}`, width - 1, '    ');
      const lines = [
        first ?? '',
        ...(second !== undefined ? [rest.length > 0 ? fit(`${second} ...`, width - 1) : second] : []),
      ];
      return lines.map((l, i): Line => (i === 0 ? [{ text: `  ${l.trim()}`, bold: true }] : L(l)));
    }),
    L(
      more > 0
        ? `  ... and ${more} more; ${ACCEPT_KEY}: accept one; all, and how to finish each: triton-recover check`
        : `  ${ACCEPT_KEY}: accept one as it is; how to finish or undo each: triton-recover check`,
      'dim',
    ),
  ];
}

export function homeView(s: ConsoleState, c: ViewCtx): Line[] {
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
    out.push(...changesHead(r.changesInEffect ?? []));
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
  out.push(...changesList(s.check?.changesInEffect ?? [], c.width));
  // Wrapped, not cut: a notice says what failed and what to do, to its end.
  if (s.notice) out.push(blank, ...wrap(s.notice, c.width - 1, '  ').map((l) => L(l, 'warn')));
  return out;
}
