// What reaches the console (keys as semantic inputs, the engine's events) and
// what it asks the session to do (effects). Each reducer handles a slice of
// Event; index.ts routes each one to its reducer.
import type { FenceMethod } from '../fence.js';
import type { CheckReport } from '../check-report.js';
import type { Problem } from '../problem.js';
import type { Plan, Strategy } from '../plan.js';
import type { ConsoleState, Failure, LogLine, Outcome, Prompt, RunService, ServiceStatus } from './state.js';

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

/** The restore's events: the check, the plan and the run (restore-run.ts). */
export type RestoreEvent =
  | { t: 'checked'; report: CheckReport }
  | { t: 'checkFailed'; error: string }
  | { t: 'planned'; plan: Plan }
  | { t: 'runStarted'; services: RunService[]; now: number }
  | { t: 'phase'; text: string }
  | { t: 'serviceStart'; key: string; now: number }
  | { t: 'actionStart'; alias: string; summary: string; command: string; now: number }
  | { t: 'log'; lines: string[]; level?: LogLine['level'] }
  | { t: 'serviceEnd'; key: string; status: ServiceStatus; seconds?: number }
  | { t: 'failed'; failure: Failure }
  | { t: 'finished'; outcome: Outcome };

/** The conversion's events (convert-job.ts). */
export type ConvertEvent =
  | { t: 'convertChecked'; text: string[]; runnable: boolean }
  | { t: 'convertStarted'; steps: string[]; done: number[] }
  | { t: 'convertStep'; index: number; status: ServiceStatus }
  | { t: 'convertAction'; summary: string | undefined }
  | { t: 'convertLog'; lines: string[]; level?: LogLine['level'] }
  | { t: 'convertFinished'; exitCode: number; message: string; next?: string };

export type Event =
  | { t: 'input'; input: Input }
  | { t: 'tick'; now: number }
  | { t: 'viewport'; maxScroll: number }
  | { t: 'loading'; what: string | undefined }
  /** Something about the console itself the operator must see on home (the terminal's unknown size). */
  | { t: 'notice'; text: string }
  | { t: 'ask'; prompt: Prompt }
  /** The fenced primary seen alive again, during a restore (its watch) or after (a re-check): PRIMARY_RETURNED. */
  | { t: 'primaryReturned'; problem: Problem }
  | RestoreEvent
  | ConvertEvent;

/** What the session (the I/O side) must do in answer to the operator. */
export type Effect =
  | { t: 'check' }
  | { t: 'plan'; strategy: Strategy }
  | { t: 'startRun'; fenced: string | undefined; fenceMethod?: FenceMethod }
  | { t: 'answer'; answer: 'go' | 'skip' | 'all' | 'pause'; reason?: string }
  | { t: 'failureChoice'; choice: 'retry' | 'skip' | 'stop'; reason?: string }
  | { t: 'convertCheck'; server: string }
  | { t: 'startConvert' }
  | { t: 'convertAnswer'; answer: 'go' | 'stop' }
  | { t: 'noQuorumAnswer'; yes: boolean }
  /** Journal the acceptance of the change still in effect called `word` (typed), then check again. */
  | { t: 'acceptChange'; word: string }
  | { t: 'exit' };

export interface Result {
  state: ConsoleState;
  effects: Effect[];
}

export const only = (state: ConsoleState, ...effects: Effect[]): Result => ({ state, effects });
