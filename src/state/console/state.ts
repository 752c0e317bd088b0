// The console's state: what every screen reads. Plain data, so the reducers
// (navigation, prompts, restore-run, convert-job) and the views share one shape.
import type { Problem } from '../problem.js';
import type { CheckReport } from '../check-report.js';
import type { Plan, Strategy } from '../plan.js';

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
  /** The incident bundle made at the run's end, and its three-line status text. */
  bundle?: { path: string; status: string[] };
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
  /** After the hostname: how it was fenced (journaled, in the report, shown on the run's screens). */
  | {
      kind: 'fence-method';
      hostname: string;
      /** -1 until the operator moves to or picks one: nothing is preselected. */
      choice: number;
      /** Said when Enter came with nothing picked. */
      error?: string;
      from: { kind: 'hostname'; expected: string; typed: string; why: string };
    }
  | { kind: 'skip-reason'; alias: string; typed: string; from: StepPrompt | FailurePrompt }
  /** A step failed: retry, skip, stop. */
  | FailurePrompt
  | { kind: 'quit'; running: boolean; choice: number }
  /** Which compute node to convert: a hostname or UUID, typed. */
  | { kind: 'server'; typed: string }
  /** binder has no quorum: the per-headnode lock only if the operator types `word` after reading the risk. */
  | { kind: 'no-quorum'; risk: string; word: string; typed: string; error?: string }
  /** Accept a change still in effect as it is: the operator types the word shown beside it. */
  | { kind: 'accept-change'; words: string[]; typed: string; error?: string }
  /** Before each conversion step: go or stop. */
  | { kind: 'convert-step'; title: string; index: number; total: number; choice: number; commands: string[] };

/** A log line and how much it matters: a serial line shows only zone results and errors. */
export interface LogLine {
  text: string;
  level: 'detail' | 'result' | 'error';
}

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

export interface RunState {
  phase: 'idle' | 'running' | 'failed' | 'done' | 'stopped';
  services: RunService[];
  current?: { alias: string; summary: string; command: string; startedAt: number };
  phaseText?: string;
  log: LogLine[];
  startedAt?: number;
  failure?: Failure;
  outcome?: Outcome;
  /** "headnode0 fenced: powered off through its BMC": said before the run, shown on its every screen. */
  fence?: string;
}

export interface ConsoleState {
  screen: Screen;
  /** Shown on home until the console ends (set by a 'notice' event). */
  notice?: string;
  /** PRIMARY_RETURNED seen during or after a restore in this console (the banner on every screen). */
  returned?: Problem;
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

export const CONVERT_IDLE: ConvertUi = { phase: 'ask', server: '', text: [], runnable: false, steps: [], log: [] };

/** The run's and the conversion's logs keep this many lines. */
export const LOG_KEEP = 200;

export function initialState(label: string, now: number): ConsoleState {
  return {
    screen: 'home',
    history: [],
    help: false,
    label,
    strategy: 'reuse',
    cursor: 0,
    scroll: 0,
    maxScroll: 0,
    run: { phase: 'idle', services: [], log: [] },
    convert: CONVERT_IDLE,
    now,
  };
}

/** Appends lines to a log, keeping the last LOG_KEEP. */
export function appendLog(
  log: readonly LogLine[],
  lines: readonly string[],
  level: LogLine['level'] = 'detail',
): LogLine[] {
  return [...log, ...lines.map((text) => ({ text, level }))].slice(-LOG_KEEP);
}
