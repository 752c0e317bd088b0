// Lines above every screen's body that must not scroll away: the old primary
// answering again after a restore (PRIMARY_RETURNED: what duplicates what, and
// what to do before anything else), and the fence the operator stated for the
// run, on each of that run's screens.
import type { ConsoleState } from '../../state/console/index.js';
import { fit } from '../theme.js';
import { L, wrap, type Line, type ViewCtx } from './line.js';

/** A returned primary's banner stays short: the rest is in check's text and the help. */
const MESSAGE_LINES = 3;
const FIX_LINES = 2;

export function bannerView(s: ConsoleState, c: ViewCtx): Line[] {
  const out: Line[] = [];
  // Seen during or after a restore in this console, else by the check at its start.
  const back = s.returned ?? s.check?.problems.find((p) => p.code === 'PRIMARY_RETURNED');
  if (back) {
    out.push([
      { text: 'PRIMARY RETURNED', tone: 'fail', bold: true, inverse: true },
      { text: ' CRIT: before anything else', tone: 'fail', bold: true },
    ]);
    out.push(
      ...wrap(back.message, c.width - 1)
        .slice(0, MESSAGE_LINES)
        .map((w) => L(w, 'fail')),
    );
    if (back.fix)
      out.push(
        ...wrap(`do: ${back.fix}`, c.width - 1)
          .slice(0, FIX_LINES)
          .map((w) => L(w, 'warn')),
      );
  }
  if (s.run.fence && (s.screen === 'run' || s.screen === 'summary')) out.push(L(fit(`Fence: ${s.run.fence}`, c.width)));
  return out;
}
