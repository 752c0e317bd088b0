// The run: every service with its state, what runs now and for how long, the
// command output, and the clock against RFD 67's one-hour goal.
import type { ConsoleState } from '../../state/console/index.js';
import { clock, fit, STATUS_TONE, STATUS_WORD } from '../theme.js';
import { blank, hardWrap, L, wrap, type Line, type ViewCtx } from './line.js';
import { EXIT, outcomeWord } from '../../state/exit-codes.js';

export function runClock(s: ConsoleState, withSeconds: boolean, compact = false): string {
  const t = s.run.startedAt ? s.now - s.run.startedAt : 0;
  return compact ? `${clock(t, withSeconds)} / 1h goal` : `${clock(t, withSeconds)} of the 1 h goal`;
}

/** Lines of the log pane: on a serial line a short page of zone results (each new line rewrites one row), elsewhere the scrolling tail. */
function logPane(s: ConsoleState, c: ViewCtx, room: number): Line[] {
  const tone = (l: { level: string }) => (l.level === 'error' ? ('fail' as const) : 'plain');
  if (c.theme.serial) {
    const lines = s.run.log.filter((l) => l.level !== 'detail');
    const page = Math.max(1, Math.min(room, 4));
    const start = Math.floor(Math.max(0, lines.length - 1) / page) * page;
    // Status and alias only: the uuids and details are in the journal.
    const short = (l: { text: string; level: string }): string =>
      l.level === 'result' ? l.text.split(/\s+/).slice(0, 2).join(' ') : l.text;
    return lines.slice(start, start + page).map((l) => L(fit(short(l), c.width), tone(l)));
  }
  const end = Math.max(0, s.run.log.length - s.scroll);
  return s.run.log.slice(Math.max(0, end - room), end).map((l) => L(fit(l.text, c.width), tone(l)));
}

export function runView(s: ConsoleState, c: ViewCtx, promptLines: number): Line[] {
  const r = s.run;
  const out: Line[] = [];
  // Services in columns: "[ OK ] sapi0" is 6 + 1 + alias.
  const cellW = 6 + 1 + Math.max(8, ...r.services.map((x) => x.alias.length)) + 2;
  const cols = Math.max(1, Math.floor(c.width / cellW));
  const rows = Math.ceil(r.services.length / cols);
  for (let row = 0; row < rows; row++) {
    const line: Line = [];
    for (let col = 0; col < cols; col++) {
      const svc = r.services[col * rows + row];
      if (!svc) continue;
      line.push(
        { text: '[' },
        { text: STATUS_WORD[svc.status], tone: STATUS_TONE[svc.status], bold: svc.status === 'running' },
        { text: `] ${svc.alias}`.padEnd(cellW - 5) },
      );
    }
    out.push(line);
  }
  const done = r.services.filter((x) => x.status === 'done').length;
  out.push(
    L(
      `${done}/${r.services.length} done${r.phaseText && r.phase === 'running' && !r.current ? `   ${r.phaseText}` : ''}`,
      'dim',
    ),
  );
  // The current action: on a serial line only once it has run a second or more,
  // so a flash of quick steps does not fill the line.
  const cur = r.current && r.phase === 'running' ? r.current : undefined;
  const secs = cur ? Math.max(0, Math.floor((s.now - cur.startedAt) / 1000)) : 0;
  if (cur && (!c.theme.serial || secs >= 1)) {
    if (c.theme.serial) out.push(L(fit(`now ${secs}s: ${cur.command}`, c.width)));
    else {
      // The elapsed time is never the part cut off: a long summary gives way first.
      const took = ` (${secs} s)`;
      out.push(
        [
          { text: '', spinner: true },
          { text: ' now: ', bold: true },
          { text: `${fit(cur.summary, c.width - 8 - took.length)}${took}` },
        ],
        L(fit(`  ${cur.command}`, c.width), 'dim'),
      );
    }
  } else out.push(...(c.theme.serial ? [blank] : [blank, blank]));
  const room = Math.max(0, c.height - out.length - promptLines - 1);
  out.push(
    L(
      c.theme.serial ? '-- zones done (full log: the journal) --' : '-- log ' + '-'.repeat(Math.max(0, c.width - 8)),
      'dim',
    ),
  );
  out.push(...logPane(s, c, room));
  return out;
}

export function summaryView(s: ConsoleState, c: ViewCtx): Line[] {
  const o = s.run.outcome;
  if (!o) return [L('no run yet')];
  const out: Line[] = [
    [
      { text: outcomeWord(o.exitCode), tone: o.exitCode === EXIT.ok ? 'ok' : 'fail', bold: true },
      { text: `  (exit ${o.exitCode})` },
    ],
    blank,
  ];
  for (const l of o.message.split('\n')) for (const w of wrap(l, c.width - 1)) out.push(L(w));
  const r = s.run;
  const count = (st: string): number => r.services.filter((x) => x.status === st).length;
  out.push(
    blank,
    L(
      `${count('done')} done, ${count('skipped')} skipped, ${count('failed')} failed, ${count('pending')} not started   ${runClock(s, true)}`,
    ),
  );
  if (o.report)
    out.push(
      blank,
      L('Report (Markdown, with a JSON twin):'),
      ...hardWrap(o.report, c.width - 2).map((w) => L(`  ${w}`)),
    );
  if (o.bundle)
    out.push(
      blank,
      L('Incident bundle (copy it off this headnode):'),
      ...hardWrap(o.bundle.path, c.width - 2).map((w) => L(`  ${w}`)),
      L('Status (for a status page):'),
      ...o.bundle.status.flatMap((l) => wrap(l, c.width - 2, '  ').map((w) => L(w))),
    );
  if (o.next) out.push(blank, L('Next:'), ...wrap(o.next, c.width - 2, '  ').map((w) => L(w, 'warn')));
  out.push(blank, L('Enter: home', 'dim'));
  return out;
}
