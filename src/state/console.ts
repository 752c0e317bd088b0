// The console's state and how it changes: pure, so every screen rule (which
// key does what, what a confirmation needs) is unit-tested without a terminal.
import { type CheckReport } from './check-report.js';
import type { Plan, Strategy } from './plan.js';
import { CONVERT_CHOICES, FAILURE_CHOICES, STEP_CHOICES, YES_NO, choiceByKey, type Choice } from './choices.js';
import { EXIT, runPhase } from './exit-codes.js';
import { blockingProblems, fencingNeed } from './restore-gate.js';

export type Screen = 'home' | 'detect' | 'preflight' | 'strategy' | 'plan' | 'run' | 'summary' | 'inspect' | 'convert';

export type ServiceStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RunService {
  key: string;
  service: string;
  alias: string;
  status: ServiceStatus;
  seconds?: number;
}

export interface Failure {
  what: string;
  host: string;
  command: string;
  output: string;
  hint: string;
}

export interface Outcome {
  exitCode: number;
  message: string;
  next?: string;
  report?: string;
}

export interface StepPrompt {
  kind: 'step';
  alias: string;
  service: string;
  index: number;
  total: number;
  choice: number;
}
export interface FailurePrompt {
  kind: 'failure';
  choice: number;
}

export type Prompt =
  /** Before each service: go, skip, all, pause. */
  | StepPrompt
  /** "all" is asked once more; back returns to the question it came from. */
  | { kind: 'all'; remaining: number; choice: number; from: StepPrompt }
  /** Identity-taking or uncertain: the dead primary's hostname, typed. */
  | { kind: 'hostname'; expected: string; typed: string; why: string; error?: string }
  | { kind: 'skip-reason'; alias: string; typed: string; from: StepPrompt | FailurePrompt }
  /** A step failed: retry, skip, stop. */
  | FailurePrompt
  | { kind: 'quit'; running: boolean; choice: number }
  /** Which compute node to convert: a hostname or UUID, typed. */
  | { kind: 'server'; typed: string }
  /** binder has no quorum: the per-headnode lock only if the operator types `word` after reading the risk. */
  | { kind: 'no-quorum'; risk: string; word: string; typed: string; error?: string }
  /** Before each conversion step: go or stop. */
  | { kind: 'convert-step'; title: string; index: number; total: number; choice: number; commands: string[] };

/** The conversion job: the server typed, its pre-checks and plan as text, then the run. */
export interface ConvertUi {
  phase: 'ask' | 'checking' | 'checked' | 'running' | 'done' | 'failed' | 'stopped';
  server: string;
  /** Pre-checks and the steps with their commands, as `convert SERVER` prints them. */
  text: string[];
  /** No critical problem and a plan (or a journaled conversion to finish). */
  runnable: boolean;
  steps: { title: string; status: ServiceStatus }[];
  current?: string;
  log: LogLine[];
  message?: string;
  next?: string;
}


/** A log line and how much it matters: a serial line shows only zone results and errors. */
export interface LogLine {
  text: string;
  level: 'detail' | 'result' | 'error';
}

export interface RunState {
  phase: 'idle' | 'running' | 'failed' | 'done' | 'stopped';
  services: RunService[];
  current?: { alias: string; summary: string; command: string; startedAt: number };
  phaseText?: string;
  log: LogLine[];
  startedAt?: number;
  failure?: Failure;
  outcome?: Outcome;
}

export interface ConsoleState {
  screen: Screen;
  /** Shown on home until the console ends (set by a 'notice' event). */
  notice?: string;
  /** Where Esc/q goes back to. */
  history: Screen[];
  help: boolean;
  label: string;
  check?: CheckReport;
  checkError?: string;
  loading?: string;
  strategy: Strategy;
  plan?: Plan;
  /** Cursor in the current menu or list; scroll offset for long views. */
  cursor: number;
  scroll: number;
  /** The current view's last scroll position, as the screen measured it. */
  maxScroll: number;
  prompt?: Prompt;
  run: RunState;
  convert: ConvertUi;
  now: number;
}

const CONVERT_IDLE: ConvertUi = { phase: 'ask', server: '', text: [], runnable: false, steps: [], log: [] };

export const LOG_KEEP = 200;

export function initialState(label: string, now: number): ConsoleState {
  return { screen: 'home', history: [], help: false, label, strategy: 'reuse', cursor: 0, scroll: 0, maxScroll: 0, run: { phase: 'idle', services: [], log: [] }, convert: CONVERT_IDLE, now };
}

/** Semantic input: what a key means, whatever terminal it came from. */
export type Input =
  | { t: 'up' }
  | { t: 'down' }
  | { t: 'pageUp' }
  | { t: 'pageDown' }
  | { t: 'top' }
  | { t: 'bottom' }
  | { t: 'enter' }
  | { t: 'back' }
  | { t: 'help' }
  | { t: 'quit' }
  | { t: 'digit'; n: number }
  | { t: 'char'; c: string }
  | { t: 'backspace' };

export type Event =
  | { t: 'input'; input: Input }
  | { t: 'tick'; now: number }
  | { t: 'viewport'; maxScroll: number }
  | { t: 'loading'; what: string | undefined }
  | { t: 'checked'; report: CheckReport }
  | { t: 'checkFailed'; error: string }
  | { t: 'planned'; plan: Plan }
  | { t: 'runStarted'; services: RunService[]; now: number }
  | { t: 'phase'; text: string }
  | { t: 'serviceStart'; key: string; now: number }
  | { t: 'actionStart'; alias: string; summary: string; command: string; now: number }
  | { t: 'log'; lines: string[]; level?: LogLine['level'] }
  /** Something about the console itself the operator must see on home (the terminal's unknown size). */
  | { t: 'notice'; text: string }
  | { t: 'serviceEnd'; key: string; status: ServiceStatus; seconds?: number }
  | { t: 'ask'; prompt: Prompt }
  | { t: 'failed'; failure: Failure }
  | { t: 'finished'; outcome: Outcome }
  | { t: 'convertChecked'; text: string[]; runnable: boolean }
  | { t: 'convertStarted'; steps: string[]; done: number[] }
  | { t: 'convertStep'; index: number; status: ServiceStatus }
  | { t: 'convertAction'; summary: string | undefined }
  | { t: 'convertLog'; lines: string[]; level?: LogLine['level'] }
  | { t: 'convertFinished'; exitCode: number; message: string; next?: string };

/** What the session (the I/O side) must do in answer to the operator. */
export type Effect =
  | { t: 'check' }
  | { t: 'plan'; strategy: Strategy }
  | { t: 'startRun'; fenced: string | undefined }
  | { t: 'answer'; answer: 'go' | 'skip' | 'all' | 'pause'; reason?: string }
  | { t: 'failureChoice'; choice: 'retry' | 'skip' | 'stop'; reason?: string }
  | { t: 'convertCheck'; server: string }
  | { t: 'startConvert' }
  | { t: 'convertAnswer'; answer: 'go' | 'stop' }
  | { t: 'noQuorumAnswer'; yes: boolean }
  | { t: 'exit' };

export const HOME_ITEMS = ['Restore after a dead primary', 'Secondary-headnode conversion', 'Restore-readiness inspection', 'Quit'] as const;

const clamp = (n: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, n));

function go(s: ConsoleState, screen: Screen): ConsoleState {
  return { ...s, history: [...s.history, s.screen], screen, cursor: 0, scroll: 0 };
}

function back(s: ConsoleState): ConsoleState {
  const prev = s.history.at(-1);
  if (!prev) return s;
  return { ...s, screen: prev, history: s.history.slice(0, -1), cursor: 0, scroll: 0 };
}

/**
 * The dead primary's hostname is typed before any run: reuse takes over its
 * identities, weak evidence needs a person's word, and every restore ends by
 * releasing its records in NAPI and CNAPI.
 */
export function fencingReason(s: ConsoleState): string {
  return fencingNeed(s.check?.primary ?? undefined, s.strategy).why;
}

/** What blocks a restore here: the console always asks for the fence before it runs, so what fencing answers does not count. */
export function criticalCount(s: ConsoleState): number {
  return blockingProblems(s.check?.problems ?? [], { fenced: true }).length;
}

export interface Result {
  state: ConsoleState;
  effects: Effect[];
}

const only = (state: ConsoleState, ...effects: Effect[]): Result => ({ state, effects });

export function reduce(s: ConsoleState, e: Event): Result {
  switch (e.t) {
    case 'tick':
      return only({ ...s, now: e.now });
    case 'viewport':
      return e.maxScroll === s.maxScroll ? only(s) : only({ ...s, maxScroll: e.maxScroll, scroll: Math.min(s.scroll, e.maxScroll) });
    case 'loading':
      return only({ ...s, ...(e.what === undefined ? { loading: undefined } : { loading: e.what }) });
    case 'checked':
      return only({ ...s, check: e.report, checkError: undefined, loading: undefined } as ConsoleState);
    case 'checkFailed':
      return only({ ...s, checkError: e.error, loading: undefined } as ConsoleState);
    case 'planned':
      return only({ ...s, plan: e.plan, loading: undefined } as ConsoleState);
    case 'runStarted':
      return only({ ...s, screen: 'run', history: ['home'], prompt: undefined, run: { phase: 'running', services: e.services, log: s.run.log, startedAt: s.run.startedAt ?? e.now } } as ConsoleState);
    case 'phase':
      return only({ ...s, run: { ...s.run, phaseText: e.text } });
    case 'serviceStart':
      return only({ ...s, now: Math.max(s.now, e.now), run: { ...s.run, services: s.run.services.map((x) => (x.key === e.key ? { ...x, status: 'running' } : x)) } });
    case 'actionStart':
      return only({ ...s, now: Math.max(s.now, e.now), run: { ...s.run, current: { alias: e.alias, summary: e.summary, command: e.command, startedAt: e.now } } });
    case 'notice':
      return only({ ...s, notice: e.text });
    case 'log': {
      const level = e.level ?? 'detail';
      return only({ ...s, run: { ...s.run, log: [...s.run.log, ...e.lines.map((text) => ({ text, level }))].slice(-LOG_KEEP) } });
    }
    case 'serviceEnd': {
      // The zone is finished: nothing of it is "now" any more.
      const { current: _done, ...run } = s.run;
      return only({
        ...s,
        run: {
          ...run,
          services: s.run.services.map((x) => (x.key === e.key ? { ...x, status: e.status, ...(e.seconds !== undefined ? { seconds: e.seconds } : {}) } : x)),
        },
      });
    }
    case 'ask':
      return only({ ...s, prompt: e.prompt });
    case 'failed':
      return only({ ...s, run: { ...s.run, phase: 'failed', failure: e.failure }, prompt: { kind: 'failure', choice: 0 } });
    case 'finished': {
      const phase = e.outcome.exitCode === EXIT.ok ? 'done' : 'stopped';
      // Nothing runs any more: no current action.
      const run: RunState = { phase, services: s.run.services, log: s.run.log, outcome: e.outcome, ...(s.run.startedAt !== undefined ? { startedAt: s.run.startedAt } : {}) };
      return only({ ...s, prompt: undefined, screen: 'summary', history: ['home'], run } as ConsoleState);
    }
    case 'convertChecked':
      return only({ ...s, convert: { ...s.convert, phase: 'checked', text: e.text, runnable: e.runnable } });
    case 'convertStarted':
      return only({ ...s, convert: { ...s.convert, phase: 'running', steps: e.steps.map((title, i) => ({ title, status: e.done.includes(i) ? 'done' : 'pending' })) } });
    case 'convertStep':
      return only({ ...s, convert: { ...s.convert, steps: s.convert.steps.map((x, i) => (i === e.index ? { ...x, status: e.status } : x)) } });
    case 'convertAction': {
      const { current: _c, ...rest } = s.convert;
      return only({ ...s, convert: e.summary === undefined ? rest : { ...s.convert, current: e.summary } });
    }
    case 'convertLog': {
      const level = e.level ?? 'detail';
      return only({ ...s, convert: { ...s.convert, log: [...s.convert.log, ...e.lines.map((text) => ({ text, level }))].slice(-LOG_KEEP) } });
    }
    case 'convertFinished': {
      const phase = runPhase(e.exitCode);
      const { current: _c, ...rest } = s.convert;
      return only({ ...s, prompt: s.prompt?.kind === 'convert-step' ? undefined : s.prompt, convert: { ...rest, phase, message: e.message, ...(e.next ? { next: e.next } : {}) } } as ConsoleState);
    }
    case 'input':
      return onInput(s, e.input);
  }
}

function onInput(s: ConsoleState, i: Input): Result {
  if (s.help) return only({ ...s, help: false });
  if (s.prompt) return onPrompt(s, s.prompt, i);
  if (i.t === 'help') return only({ ...s, help: true });
  if (i.t === 'quit') {
    if ((s.screen === 'run' && s.run.phase === 'running') || (s.screen === 'convert' && s.convert.phase === 'running')) return only({ ...s, prompt: { kind: 'quit', running: true, choice: 0 } });
    if (s.screen === 'home') return only(s, { t: 'exit' });
    return only(back(s));
  }
  if (i.t === 'back') return only((s.screen === 'run' && s.run.phase === 'running') || (s.screen === 'convert' && s.convert.phase === 'running') ? s : back(s));
  switch (s.screen) {
    case 'home':
      return onHome(s, i);
    case 'detect':
      return i.t === 'enter' ? only(go(s, 'preflight')) : scroll(s, i, 100);
    case 'preflight':
      if (i.t === 'enter') return criticalCount(s) > 0 ? only(s) : only(go(s, 'strategy'));
      return scroll(s, i, (s.check?.problems.length ?? 0) * 2);
    case 'strategy': {
      if (i.t === 'up' || i.t === 'down') return only({ ...s, strategy: s.strategy === 'reuse' ? 'new' : 'reuse' });
      if (i.t === 'digit' && (i.n === 1 || i.n === 2)) return only({ ...s, strategy: i.n === 1 ? 'reuse' : 'new' });
      if (i.t === 'enter') return only({ ...go(s, 'plan'), plan: undefined, loading: 'building the plan' } as ConsoleState, { t: 'plan', strategy: s.strategy });
      return only(s);
    }
    case 'plan':
      if (i.t === 'enter' && s.plan) {
        if (s.plan.steps.length === 0) return only(s);
        return only({ ...s, prompt: { kind: 'hostname', expected: s.check?.primary?.hostname ?? '', typed: '', why: fencingReason(s) } });
      }
      return scroll(s, i, 10_000);
    case 'run':
      return scroll(s, i, s.run.log.length);
    case 'summary':
      if (i.t === 'enter') return only({ ...s, screen: 'home', history: [], cursor: 0 });
      return scroll(s, i, 100);
    case 'inspect':
      return scroll(s, i, 1000);
    case 'convert': {
      const c = s.convert;
      if (i.t === 'enter' && c.phase === 'checked' && c.runnable) return only({ ...s, scroll: 0, convert: { ...c, phase: 'running', steps: [] } }, { t: 'startConvert' });
      if (i.t === 'enter' && (c.phase === 'done' || c.phase === 'failed' || c.phase === 'stopped')) return only({ ...s, screen: 'home', history: [], cursor: 0 });
      if (i.t === 'char' && i.c === 'n' && c.phase !== 'running' && c.phase !== 'checking') return only({ ...s, scroll: 0, convert: CONVERT_IDLE, prompt: { kind: 'server', typed: '' } });
      return scroll(s, i, c.phase === 'running' ? c.log.length : 10_000);
    }
  }
}

function onHome(s: ConsoleState, i: Input): Result {
  const n = HOME_ITEMS.length;
  if (i.t === 'up') return only({ ...s, cursor: (s.cursor + n - 1) % n });
  if (i.t === 'down') return only({ ...s, cursor: (s.cursor + 1) % n });
  const pick = i.t === 'digit' ? i.n - 1 : i.t === 'enter' ? s.cursor : -1;
  if (pick < 0 || pick >= n) return only(s);
  switch (HOME_ITEMS[pick]) {
    case 'Restore after a dead primary':
      if (s.run.phase === 'running' || s.run.phase === 'failed') return only({ ...s, screen: 'run', history: ['home'] });
      return only({ ...go(s, 'detect'), cursor: pick });
    case 'Restore-readiness inspection':
      return only(go(s, 'inspect'));
    case 'Secondary-headnode conversion':
      // A conversion under way is shown again; otherwise: which server?
      if (s.convert.phase === 'running') return only({ ...go(s, 'convert'), cursor: 0 });
      return only({ ...go(s, 'convert'), convert: CONVERT_IDLE, prompt: { kind: 'server', typed: '' } });
    default:
      return only(s, { t: 'exit' });
  }
}

/** `cap`: a bound for views whose length the screen has not measured (the run's log). */
function scroll(s: ConsoleState, i: Input, cap: number): Result {
  const page = 10;
  const max = s.screen === 'run' ? cap : s.maxScroll;
  const to = (n: number): Result => only({ ...s, scroll: clamp(n, 0, Math.max(0, max)) });
  switch (i.t) {
    case 'up':
      return to(s.scroll - 1);
    case 'down':
      return to(s.scroll + 1);
    case 'pageUp':
      return to(s.scroll - page);
    case 'pageDown':
      return to(s.scroll + page);
    case 'top':
      return to(0);
    case 'bottom':
      return to(max);
    default:
      return only(s);
  }
}

/** Moving the highlighted choice: arrows, or k/j (which arrive as letters inside a question). */
function choose(choice: number, n: number, i: Input): number {
  if (i.t === 'up' || (i.t === 'char' && i.c === 'k')) return (choice + n - 1) % n;
  if (i.t === 'down' || (i.t === 'char' && i.c === 'j')) return (choice + 1) % n;
  return choice;
}

/** A choice picked by Enter (the highlighted one), its number, or one of its letters. */
function picked(i: Input, choice: number, list: readonly Choice[]): number {
  if (i.t === 'enter') return choice;
  if (i.t === 'digit') return i.n - 1;
  if (i.t === 'char') return choiceByKey(list, i.c);
  return -1;
}

/** y/n questions: y/Enter-on-yes confirm; n, Esc, Enter-on-no decline. */
function yesNo(i: Input, choice: number): 'yes' | 'no' | undefined {
  const letter = i.t === 'char' ? YES_NO[choiceByKey(YES_NO, i.c)]?.id : undefined;
  if (letter === 'yes' || (i.t === 'enter' && YES_NO[choice]?.id === 'yes')) return 'yes';
  if (letter === 'no' || (i.t === 'enter' && YES_NO[choice]?.id === 'no') || i.t === 'back' || i.t === 'quit') return 'no';
  return undefined;
}

function onPrompt(s: ConsoleState, p: Prompt, i: Input): Result {
  const set = (prompt: Prompt | undefined): ConsoleState => ({ ...s, prompt } as ConsoleState);
  const textField = p.kind === 'hostname' || p.kind === 'skip-reason' || p.kind === 'server' || p.kind === 'no-quorum';
  if (!textField && ((i.t === 'char' && i.c === '?') || i.t === 'help')) return only({ ...s, help: true });
  switch (p.kind) {
    case 'step': {
      const pick = picked(i, p.choice, STEP_CHOICES);
      if (pick < 0 || pick >= STEP_CHOICES.length) return only(set({ ...p, choice: choose(p.choice, STEP_CHOICES.length, i) }));
      const a = STEP_CHOICES[pick]!.id;
      if (a === 'all') return only(set({ kind: 'all', remaining: p.total - p.index, choice: 0, from: p }));
      if (a === 'skip') return only(set({ kind: 'skip-reason', alias: p.alias, typed: '', from: p }));
      return only(set(undefined), { t: 'answer', answer: a });
    }
    case 'all': {
      const yn = yesNo(i, p.choice);
      if (yn === 'yes') return only(set(undefined), { t: 'answer', answer: 'all' });
      if (yn === 'no') return only(set(p.from));
      return only(set({ ...p, choice: choose(p.choice, 2, i) }));
    }
    case 'no-quorum': {
      // Esc declines: the run refuses and nothing changes.
      if (i.t === 'back') return only(set(undefined), { t: 'noQuorumAnswer', yes: false });
      if (i.t === 'char' || i.t === 'digit') return only(set({ ...p, typed: p.typed + (i.t === 'char' ? i.c : String(i.n)) }));
      if (i.t === 'backspace') return only(set({ ...p, typed: p.typed.slice(0, -1) }));
      if (i.t !== 'enter') return only(s);
      if (p.typed.trim() !== p.word) return only(set({ ...p, typed: '', error: `"${p.typed.trim()}" is not ${p.word} (Esc: do not restore)` }));
      return only(set(undefined), { t: 'noQuorumAnswer', yes: true });
    }
    case 'hostname':
    case 'skip-reason': {
      if (i.t === 'back') return only(set(p.kind === 'skip-reason' ? p.from : undefined));
      if (i.t === 'char' || i.t === 'digit') return only(set({ ...p, typed: p.typed + (i.t === 'char' ? i.c : String(i.n)) }));
      if (i.t === 'backspace') return only(set({ ...p, typed: p.typed.slice(0, -1) }));
      if (i.t !== 'enter') return only(s);
      if (p.kind === 'skip-reason') {
        const reason = p.typed.trim() || 'skipped by the operator';
        return only(set(undefined), p.from.kind === 'failure' ? { t: 'failureChoice', choice: 'skip', reason } : { t: 'answer', answer: 'skip', reason });
      }
      if (p.typed.trim() !== p.expected) return only(set({ ...p, typed: '', error: `"${p.typed.trim()}" is not ${p.expected}` }));
      return only(set(undefined), { t: 'startRun', fenced: p.expected });
    }
    case 'failure': {
      const pick = picked(i, p.choice, FAILURE_CHOICES);
      if (pick < 0 || pick >= FAILURE_CHOICES.length) return only(set({ ...p, choice: choose(p.choice, FAILURE_CHOICES.length, i) }));
      const c = FAILURE_CHOICES[pick]!.id;
      if (c === 'skip') return only(set({ kind: 'skip-reason', alias: s.run.failure?.what ?? '', typed: '', from: p }));
      return only({ ...set(undefined), run: { ...s.run, phase: 'running' } }, { t: 'failureChoice', choice: c });
    }
    case 'server': {
      if (i.t === 'back') return only({ ...back(s), prompt: undefined } as ConsoleState);
      if (i.t === 'char' || i.t === 'digit') return only(set({ ...p, typed: p.typed + (i.t === 'char' ? i.c : String(i.n)) }));
      if (i.t === 'backspace') return only(set({ ...p, typed: p.typed.slice(0, -1) }));
      if (i.t !== 'enter' || p.typed.trim() === '') return only(s);
      const server = p.typed.trim();
      return only({ ...set(undefined), scroll: 0, convert: { ...CONVERT_IDLE, phase: 'checking', server } }, { t: 'convertCheck', server });
    }
    case 'convert-step': {
      const pick = picked(i, p.choice, CONVERT_CHOICES);
      if (pick < 0 || pick >= CONVERT_CHOICES.length) return only(set({ ...p, choice: choose(p.choice, CONVERT_CHOICES.length, i) }));
      return only(set(undefined), { t: 'convertAnswer', answer: CONVERT_CHOICES[pick]!.id });
    }
    case 'quit': {
      const yn = yesNo(i, p.choice);
      if (yn === 'yes') return only(set(undefined), { t: 'exit' });
      if (yn === 'no') return only(set(undefined));
      return only(set({ ...p, choice: choose(p.choice, 2, i) }));
    }
  }
}
