// Zones prepared ahead of their turn. While zone N boots and is checked, the
// next zones' images, stopped zones and received datasets are made ready, one
// zone after another, so only `vmadm start` waits for the order: the restore
// costs the first zone's preparation plus each zone's start and first boot,
// not the sum of everything.
//
// Each action still goes through the journaled runner (prepare looks first,
// start and end are journaled), so a kill -9 while a zone is prepared ahead is
// met on the rerun like any other: prepare finds the stopped zone or the
// received snapshot and nothing is done twice. What ran ahead is shown when the
// restore reaches that zone, in order, as if it had run then.
import { preparationLength, type PlanAction, type PlanStep } from '../state/plan.js';
import type { ActionResult } from './procedure/run-action.js';

/** Where a step's action starts and ends are shown (the restore's events). */
export interface PreparationSink {
  start?(a: PlanAction): void;
  end?(a: PlanAction, r: ActionResult): void;
  output?(a: PlanAction, stdout: string, stderr: string): void;
}

type Held =
  | { kind: 'start'; a: PlanAction }
  | { kind: 'end'; a: PlanAction; r: ActionResult }
  | { kind: 'output'; a: PlanAction; out: string; err: string };

export interface Prepared {
  /** An action of the step ran in this run: what follows is known not done. */
  executed: boolean;
  /** How many of the step's first actions are done; the restore goes on from there. */
  count: number;
}

export interface PreparerDeps {
  /** One action through the journaled runner; true when it executed (not found done). */
  run(a: PlanAction, step: PlanStep, knownNotDone: boolean, sink: Required<PreparationSink>): Promise<boolean>;
  /** Resolves when the image is installed (staged in the background), rejects with its failure. */
  imageReady(image: string): Promise<void>;
  /** False once nothing more may start ahead: a stop was asked for, or the dead primary answers. */
  mayGoOn(): boolean;
  /**
   * Resolves when the next change ahead may be made: after a fresh look at the
   * dead primary, so work running ahead of the order changes at most one thing
   * after it answers again, as the restore itself does.
   */
  fresh(): Promise<void>;
}

/** One step's preparation: its events held until the restore reaches the step, then passed on live. */
class StepPreparation {
  private held: Held[] = [];
  private sink: PreparationSink | undefined;
  /** Actions that began before the restore reached the step: their results say they ran ahead. */
  private readonly begunAhead = new Set<string>();
  /** A result of an action begun ahead, unless prepare found it done (nothing ran, ahead or not). */
  private mark(a: PlanAction, r: ActionResult): ActionResult {
    return this.begunAhead.has(a.id) && !r.skipped ? { ...r, ranAhead: true } : r;
  }
  readonly events: Required<PreparationSink> = {
    start: (a) => {
      if (this.sink) return this.sink.start?.(a);
      this.begunAhead.add(a.id);
      this.held.push({ kind: 'start', a });
    },
    end: (a, r) => (this.sink ? this.sink.end?.(a, this.mark(a, r)) : this.held.push({ kind: 'end', a, r })),
    output: (a, out, err) =>
      this.sink ? this.sink.output?.(a, out, err) : this.held.push({ kind: 'output', a, out, err }),
  };
  constructor(readonly done: Promise<Prepared>) {
    done.catch(() => {}); // surfaced by attach(), never as an unhandled rejection
  }

  /** The restore reached the step: what ran so far is shown, the rest as it happens. */
  attach(sink: PreparationSink): Promise<Prepared> {
    for (const e of this.held) {
      if (e.kind === 'start') sink.start?.(e.a);
      else if (e.kind === 'end') sink.end?.(e.a, this.mark(e.a, e.r));
      else sink.output?.(e.a, e.out, e.err);
    }
    this.held = [];
    this.sink = sink;
    return this.done;
  }
}

export class ZonePreparer {
  private readonly preps = new Map<number, StepPreparation>();
  private chain: Promise<unknown> = Promise.resolve();
  private queuedUpTo = -1;
  private halted = false;

  constructor(
    private readonly steps: readonly PlanStep[],
    private readonly deps: PreparerDeps,
  ) {}

  /**
   * Queues the preparation of steps up to `last` (inclusive) that `eligible`
   * accepts and that are not queued yet, each after the one before: one zone
   * is received at a time, so a zone's first boot shares the pool with one
   * stream, not many.
   */
  through(last: number, eligible: (i: number) => boolean): void {
    for (let i = this.queuedUpTo + 1; i <= Math.min(last, this.steps.length - 1); i++) {
      this.queuedUpTo = i;
      if (!eligible(i)) continue;
      const step = this.steps[i]!;
      let prep: StepPreparation | undefined;
      const done = this.chain.then(() => this.prepare(step, prep!));
      prep = new StepPreparation(done);
      this.preps.set(i, prep);
      // A failure halts what comes after it: the restore stops at that zone.
      this.chain = done.catch(() => {
        this.halted = true;
      });
    }
  }

  /** The step's preparation, when it was queued. */
  of(i: number): StepPreparation | undefined {
    return this.preps.get(i);
  }

  /** Nothing new starts ahead; what runs is let finish (no zone left half-created). */
  halt(): void {
    this.halted = true;
  }

  /** Every queued preparation has ended, its journal lines written. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.preps.values()].map((p) => p.done));
  }

  private async prepare(step: PlanStep, prep: StepPreparation): Promise<Prepared> {
    const n = preparationLength(step.actions);
    let executed = false;
    let count = 0;
    for (const a of step.actions.slice(0, n)) {
      if (this.halted || !this.deps.mayGoOn()) break;
      if (a.kind === 'install-image') await this.deps.imageReady(a.image);
      else {
        await this.deps.fresh();
        if (this.halted || !this.deps.mayGoOn()) break;
        executed = (await this.deps.run(a, step, executed, prep.events)) || executed;
      }
      count++;
    }
    return { executed, count };
  }
}
