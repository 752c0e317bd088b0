// The conversion job: which server, its pre-checks and steps (the exact
// commands), then the steps as they run.
import type { ConsoleState } from '../../state/console/index.js';
import { fit } from '../theme.js';
import { blank, L, wrap, type Line, type ViewCtx } from './line.js';

const MARK: Record<string, string> = {
  pending: '    ',
  running: ' >> ',
  done: ' OK ',
  failed: 'FAIL',
  skipped: 'SKIP',
};

/** Everything before the run: scrolled by the frame. */
export function convertLines(s: ConsoleState, c: ViewCtx): Line[] {
  const v = s.convert;
  if (v.phase === 'ask') {
    const intro = [
      L('Turn a set-up compute node into a secondary headnode (RFD 67).'),
      blank,
      L('Its USB key is rewritten and it reboots twice; then the DC gets a binder,', 'dim'),
      L('manatee peer and moray on it if it lacks three, and a dhcpd on it.', 'dim'),
    ];
    // A conversion needs the core APIs the dead primary took down: say so before the wait.
    const p = s.check?.primary;
    if (p?.state === 'dead')
      intro.push(
        blank,
        ...wrap(
          `The primary ${p.hostname} is DEAD: a conversion needs CNAPI, SAPI and sdcadm. Restore first (home, 1).`,
          c.width,
        ).map((w) => L(w, 'warn')),
      );
    return intro;
  }
  if (v.phase === 'checking') return [L(`checking ${v.server}: CNAPI, SAPI, gz-tools, manatee, VMAPI...`, 'busy')];
  const out: Line[] = v.text.flatMap((t) =>
    t.length <= c.width
      ? [L(t, /^\s+CRIT/.test(t) ? 'fail' : /^\s+WARN/.test(t) ? 'warn' : 'plain')]
      : wrap(t, c.width).map((w) => L(w)),
  );
  out.push(blank);
  out.push(
    v.runnable
      ? L('Enter: run the steps (each asks first)   n: another server   Esc: back', 'ok')
      : L('Cannot convert as it is: fix what is listed, then try again (n: another server)', 'fail'),
  );
  return out;
}

/** The run: steps with their state, what runs now, the last log lines. */
export function convertRunView(s: ConsoleState, c: ViewCtx): Line[] {
  const v = s.convert;
  const out: Line[] = [L(`Converting ${v.server}`, 'plain')];
  v.steps.forEach((st, i) =>
    out.push([
      {
        text: `${MARK[st.status] ?? '    '} `,
        tone: st.status === 'done' ? 'ok' : st.status === 'failed' ? 'fail' : st.status === 'running' ? 'busy' : 'dim',
        bold: st.status === 'running',
      },
      { text: fit(`${i + 1}. ${st.title}`, c.width - 6) },
    ]),
  );
  out.push(blank);
  // Before "go": what the step will run, every command as it can be typed by hand.
  if (s.prompt?.kind === 'convert-step') {
    out.push(L(`Step ${s.prompt.index + 1} runs:`, 'plain'));
    for (const cmd of s.prompt.commands)
      for (const w of wrap(cmd, c.width - 2, '  '))
        out.push(L(`  ${w.trimStart()}`, cmd.startsWith('note:') ? 'dim' : 'plain'));
    return out.slice(0, c.height);
  }
  if (v.current) out.push(L(fit(`now: ${v.current}`, c.width), 'busy'));
  if (v.message) {
    for (const w of wrap(
      `${v.phase === 'done' ? 'DONE' : v.phase === 'failed' ? 'FAILED' : 'STOPPED'}: ${v.message}`,
      c.width,
    ))
      out.push(L(w, v.phase === 'done' ? 'ok' : 'fail'));
    if (v.next) for (const w of wrap(`next: ${v.next}`, c.width)) out.push(L(w, 'warn'));
    out.push(L('Enter: home', 'dim'));
  }
  const room = Math.max(0, c.height - out.length - 1);
  const log = v.log.slice(-room);
  if (log.length > 0) out.push(L('log:', 'dim'));
  for (const l of log.slice(-(room - 1)))
    out.push(L(fit(l.text, c.width), l.level === 'error' ? 'fail' : l.level === 'result' ? 'plain' : 'dim'));
  return out;
}
