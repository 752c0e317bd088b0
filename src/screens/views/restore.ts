// The restore flow before the run: detection, pre-flight, strategy, plan review.
import { STRATEGY } from '../../state/strategies.js';
import { criticalCount, type ConsoleState } from '../../state/console/index.js';
import { describeAction } from '../../state/plan.js';
import { pointer } from '../theme.js';
import { headnodeLine } from './home.js';
import { blank, hardWrap, L, wrap, type Line, type ViewCtx } from './line.js';
import { problemHead, severityMark } from '../../state/problem.js';

/** Columns before a signal's detail: 6 spaces, the 5-wide word, a space, the 8-wide signal name. */
const EVIDENCE_INDENT = 20;

export function detectView(s: ConsoleState, c: ViewCtx): Line[] {
  const r = s.check;
  if (!r) return [L(`${s.loading ?? 'detecting'}...`, 'busy')];
  const out: Line[] = [L('Is the primary really dead? Every signal, with its evidence:'), blank];
  for (const h of r.headnodes) {
    out.push(headnodeLine(h));
    if (h.local) continue;
    for (const e of h.evidence) {
      // The evidence is what the operator judges "really dead" by: wrapped, never cut.
      const indent = ' '.repeat(EVIDENCE_INDENT);
      const [first = '', ...rest] = wrap(e.detail, c.width - 1, indent).flatMap((l) =>
        l.length > c.width - 1 ? hardWrap(l, c.width - 1) : [l],
      );
      out.push([
        { text: '      ' },
        {
          text: e.says === 'alive' ? 'ALIVE' : e.says === 'dead' ? 'dead ' : '  ?  ',
          tone: e.says === 'alive' ? 'ok' : e.says === 'dead' ? 'fail' : 'warn',
        },
        { text: ` ${e.signal.padEnd(8)}${first.trimStart()}` },
      ]);
      for (const l of rest) out.push(L(l));
    }
  }
  out.push(blank);
  const p = r.primary;
  if (p?.state === 'alive') out.push(L(`${p.hostname} is ALIVE: there is nothing to restore.`, 'ok'));
  else if (p?.state === 'uncertain')
    out.push(L(`The signals about ${p.hostname} disagree: you will be asked to confirm it is fenced.`, 'warn'));
  else if (p) out.push(L(`${p.hostname} is dead: independent signals agree.`, 'fail'));
  out.push(L('Enter: pre-flight checks', 'dim'));
  return out;
}

export function preflightView(s: ConsoleState, c: ViewCtx): Line[] {
  const r = s.check;
  if (!r) return [L(`${s.loading ?? 'checking'}...`, 'busy')];
  const out: Line[] = [
    L(
      `Pre-flight: ${r.problems.length} problem(s); admin IPs ${r.adminIps.needed} needed, ${r.adminIps.available} available`,
    ),
    blank,
  ];
  for (const sev of ['critical', 'warning'] as const) {
    for (const p of r.problems.filter((x) => x.severity === sev)) {
      out.push([
        { text: `${severityMark(p)} `, tone: sev === 'critical' ? 'fail' : 'warn', bold: true },
        { text: problemHead(p) },
      ]);
      for (const w of wrap(p.message, c.width - 2, '     ')) out.push(L(w));
      if (p.fix) for (const w of wrap(`fix: ${p.fix}`, c.width - 2, '     ')) out.push(L(w, 'dim'));
    }
  }
  if (r.problems.length === 0) out.push(L('No problems: everything a restore needs is at hand.', 'ok'));
  out.push(blank);
  out.push(
    criticalCount(s) > 0
      ? L('Critical problems: the restore cannot start until they are fixed (Esc: back).', 'fail')
      : L('Enter: choose the identity strategy', 'dim'),
  );
  return out;
}

const STRATEGIES = [
  { key: 'reuse' as const, title: `${STRATEGY.reuse.title} (default)`, says: STRATEGY.reuse.consequences },
  { key: 'new' as const, title: STRATEGY.new.title, says: STRATEGY.new.consequences },
];

export function strategyView(s: ConsoleState, c: ViewCtx): Line[] {
  const out: Line[] = [L('How should the lost zones be re-created?'), blank];
  STRATEGIES.forEach((st, i) => {
    const sel = s.strategy === st.key;
    out.push([{ text: `${pointer(sel)}${i + 1} ${st.title}`, inverse: sel, bold: sel }]);
    for (const w of wrap(st.says, c.width - 2, '      ')) out.push(L(w, sel ? 'plain' : 'dim'));
    out.push(blank);
  });
  out.push(L('Enter: build the plan with this strategy (nothing runs yet)', 'dim'));
  return out;
}

/** The whole plan as lines: every command, as it would be typed by hand. */
export function planLines(s: ConsoleState, c: ViewCtx): Line[] {
  const p = s.plan;
  if (!p) return [L(`${s.loading ?? 'building the plan'}...`, 'busy')];
  // Wrapped, never cut: "Nothing has run yet" is what the operator must not miss at 80 columns.
  const out: Line[] = wrap(
    `${p.steps.length} zone(s) of ${p.dead.hostname} re-created on ${p.local.hostname}, ${p.strategy} strategy. Nothing has run yet.`,
    c.width - 1,
  ).map((w) => L(w));
  for (const b of p.blocked) {
    const [first = '', ...rest] = wrap(`${b.code}: ${b.message}`, c.width - 9);
    out.push([{ text: 'BLOCKED ', tone: 'fail', bold: true }, { text: first }], ...rest.map((w) => L(`        ${w}`)));
  }
  p.steps.forEach((st, i) => {
    out.push(blank);
    out.push([
      { text: `${String(i + 1).padStart(2)}. ${st.service}`, bold: true },
      { text: `  ${st.alias} ${st.uuid} ${st.adminIp}` },
    ]);
    for (const n of st.notes) for (const w of wrap(`note: ${n}`, c.width - 2, '      ')) out.push(L(w, 'warn'));
    for (const a of st.actions)
      for (const w of hardWrap(`${a.host}$ ${describeAction(a)}`, c.width - 4)) out.push(L(`    ${w}`));
  });
  if (p.reconcile.length) {
    out.push(blank, L('Then reconcile:', 'plain'));
    for (const a of p.reconcile) for (const w of hardWrap(describeAction(a), c.width - 4)) out.push(L(`    ${w}`));
  }
  if (p.notRestored.length) {
    out.push(blank, L('Not restored:'));
    for (const n of p.notRestored)
      for (const w of wrap(`${n.alias}: ${n.why}`, c.width - 2, '    ')) out.push(L(w, 'dim'));
  }
  for (const n of p.notes) for (const w of wrap(`note: ${n}`, c.width - 2, '  ')) out.push(L(w, 'warn'));
  out.push(blank, L('Enter: start the restore (it asks before each zone)', 'dim'));
  return out;
}
