// Every screen of the console in one table: its title, its key hints, and how
// its body is drawn ('view': it scrolls itself or fits; 'frame': the frame
// pages it with j/k). Adding a screen means one entry here, and the compiler
// asks for it (Record over every Screen).
import { ACCEPT_KEY, type ConsoleState } from '../state/console/index.js';
import { convertLines, convertRunView } from './views/convert.js';
import { homeView } from './views/home.js';
import type { Line, ViewCtx } from './views/line.js';
import { inspectView } from './views/inspect.js';
import { detectView, planLines, preflightView, strategyView } from './views/restore.js';
import { runView, summaryView } from './views/run.js';

type Screen = ConsoleState['screen'];

export interface ScreenSpec {
  title: string;
  /** The footer's key hints while no prompt or help is open. */
  footer: (s: ConsoleState) => string;
  /** 'frame': the frame cuts the lines to the screen and shows where the reader is; 'view': the view does. */
  body: (s: ConsoleState, ctx: ViewCtx) => { lines: Line[]; scroll: 'frame' | 'view' };
}

const READ_ON = '?:help  j/k:scroll  Enter:next  Esc/q:back';
const paged =
  (view: (s: ConsoleState, c: ViewCtx) => Line[]): ScreenSpec['body'] =>
  (s, c) => ({ lines: view(s, c), scroll: 'frame' });
const own =
  (view: (s: ConsoleState, c: ViewCtx) => Line[]): ScreenSpec['body'] =>
  (s, c) => ({ lines: view(s, c), scroll: 'view' });

export const SCREENS: Record<Screen, ScreenSpec> = {
  home: {
    title: 'HOME',
    footer: (s) =>
      (s.check?.changesInEffect ?? []).length > 0
        ? `?:help  j/k:move  1-4 or Enter:choose  ${ACCEPT_KEY}:accept a change  q:quit`
        : '?:help  j/k:move  1-4 or Enter:choose  q:quit',
    body: own(homeView),
  },
  detect: { title: 'RESTORE 1/4: DETECTION', footer: () => READ_ON, body: paged(detectView) },
  preflight: { title: 'RESTORE 2/4: PRE-FLIGHT', footer: () => READ_ON, body: paged(preflightView) },
  strategy: { title: 'RESTORE 3/4: STRATEGY', footer: () => READ_ON, body: own(strategyView) },
  plan: { title: 'RESTORE 4/4: PLAN', footer: () => READ_ON, body: paged(planLines) },
  run: {
    title: 'RESTORE: RUNNING',
    footer: (s) => (s.run.phase === 'running' ? '?:help  k/j:scroll log  q:quit (safe, resumable)' : '?:help  q:back'),
    body: own((s, c) => runView(s, c, 0)),
  },
  summary: { title: 'RESTORE: SUMMARY', footer: () => READ_ON, body: paged(summaryView) },
  inspect: { title: 'READINESS', footer: () => READ_ON, body: paged(inspectView) },
  convert: {
    title: 'SECONDARY-HEADNODE CONVERSION',
    footer: (s) =>
      s.convert.phase === 'running'
        ? '?:help  q:quit (safe, resumable)'
        : '?:help  j/k:scroll  Enter:next  n:another server  Esc/q:back',
    // While it runs, the step list draws itself; before and after, the text is paged.
    body: (s, c) =>
      s.convert.steps.length > 0
        ? { lines: convertRunView(s, c), scroll: 'view' }
        : { lines: convertLines(s, c), scroll: 'frame' },
  },
};
