// Watches the dead primary for the whole restore: a ping after another, in the
// background. A primary that answers again must stop the restore before the
// next change, since its old zones share UUIDs and IPs with the restored ones.
// Besides the ping (fast: each zone's start waits for a recent one), a deeper
// look at a slower pace asks what detection asks (SSH, CNAPI's heartbeat of its
// server uuid, its binder and manatee peer): a primary whose GZ drops ICMP but
// whose agents heartbeat again is caught too. Nothing waits for the deeper look.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../remote/host.js';
import type { Signal } from '../state/detection.js';

/** `ping HOST 1`: a dead host's probe takes this long. */
const PING_TIMEOUT_MS = 1_000;
/** Pings in a row that could not run before the watch says it is blind (and the restore stops). */
const BLIND_AFTER = 3;

export interface PrimaryWatchOptions {
  /** A slower look beyond the ping: the sign of life it got (a signal that says alive), or undefined. */
  deeper?: { probe: () => Promise<Signal | undefined>; everyMs: number };
  /** Called once, when the primary is first seen alive again, with what answered. */
  onReturned?: (seen: Signal, at: Date) => void;
}

export class PrimaryWatch {
  private answeredAt: Date | undefined;
  private seen: Signal | undefined;
  /** Why the watch cannot see the primary: its ping could not run several times in a row. */
  private blindWhy: string | undefined;
  private stopped = false;
  /** Waiters for a probe to complete: [first probe number that counts, resolve]. */
  private waiting: [number, () => void][] = [];
  private begun = 0;
  /** When the probe in flight (or the last one) began, and when the last completed one began. */
  private lastBeganAt = 0;
  private lastDoneBeganAt: number | undefined;
  /** How long the last completed probe took (a dead host's ping: its timeout). */
  private lastDurationMs = 0;
  private readonly loop: Promise<void>;
  /** Completed probes, for the report (how closely it was watched). */
  probes = 0;

  constructor(
    private readonly host: Host,
    private readonly ip: string,
    /** The least time between the starts of two probes. */
    private readonly gapMs: number,
    private readonly opts: PrimaryWatchOptions = {},
  ) {
    this.loop = this.run();
    if (opts.deeper) void this.runDeeper(opts.deeper);
  }

  private answered(seen: Signal): void {
    if (this.answeredAt) return;
    this.answeredAt = new Date();
    this.seen = seen;
    this.opts.onReturned?.(seen, this.answeredAt);
  }

  /** Not awaited by stop(): a look in flight when the run ends is let lapse, its answer unused. */
  private async runDeeper(d: NonNullable<PrimaryWatchOptions['deeper']>): Promise<void> {
    while (!this.stopped && !this.answeredAt) {
      await sleep(d.everyMs);
      if (this.stopped || this.answeredAt) return;
      const what = await d.probe().catch(() => undefined);
      if (what !== undefined && !this.stopped) {
        this.answered(what);
        // Anyone waiting for a fresh look learns it now, not at the next ping.
        for (const [, w] of this.waiting.splice(0)) w();
      }
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped && !this.answeredAt) {
      const n = ++this.begun;
      const began = Date.now();
      this.lastBeganAt = began;
      let looked = false;
      let error = '';
      try {
        // illumos ping: `ping HOST TIMEOUT`; exit 0 = "HOST is alive".
        const r = await this.host.run(['ping', this.ip, `${PING_TIMEOUT_MS / 1000}`], { timeoutMs: 5_000 });
        looked = true;
        if (r.code === 0)
          this.answered({
            signal: 'ping',
            says: 'alive',
            ok: true,
            detail: `${this.ip} answers ping`,
            durationMs: r.durationMs,
          });
      } catch (err) {
        // Not "no answer" (that is exit 1): the ping itself did not run or did not end in time.
        error = (err as Error).message;
      }
      this.probes++;
      // A ping that could not run is no look at the primary: nobody waiting is let go on it.
      if (looked) {
        failures = 0;
        this.lastDoneBeganAt = began;
        this.lastDurationMs = Date.now() - began;
        const ready = this.waiting.filter(([from]) => from <= n);
        this.waiting = this.waiting.filter(([from]) => from > n);
        for (const [, w] of ready) w();
      } else if (++failures >= BLIND_AFTER) {
        this.blindWhy = `ping ${this.ip} could not run in ${this.host.name}'s global zone ${failures} times in a row (${error})`;
        break;
      }
      // Probes begin at most once per gapMs: a dead host's ping (its 1 s timeout) already
      // paces them, and a ping that fails at once (no route) does not spin.
      if (!this.answeredAt && !this.stopped) await sleep(Math.max(0, this.gapMs - (Date.now() - began)));
    }
    // Answered, blind or stopped: nobody waits for a probe that will not come.
    for (const [, w] of this.waiting.splice(0)) w();
  }

  /**
   * Resolves after a probe that began after this call has completed (at once
   * when the watch ended): a change made then was preceded by a fresh look, so
   * a primary back before it is seen before it.
   */
  probed(): Promise<void> {
    if (this.stopped || this.answeredAt || this.blindWhy) return Promise.resolve();
    return new Promise((r) => this.waiting.push([this.begun + 1, r]));
  }

  /**
   * The time between the starts of two probes: the gap, or a dead host's ping
   * when that is longer (its timeout paces the loop).
   */
  periodMs(): number {
    // Capped at the ping's own timeout: a probe slowed by our GZ must not widen the window.
    return Math.max(this.gapMs, Math.min(this.lastDurationMs, PING_TIMEOUT_MS));
  }

  /**
   * Resolves once a probe that began at most two probe periods before this
   * call has completed (at once when the watch ended, or when such a look is
   * there already: the watch probes continuously, so usually nothing waits).
   * A change made then is blind to the primary for at most two periods and a
   * ping (~3 s on a real headnode: 1 s polls, 1 s ping timeout), where waiting
   * for a probe begun after the call would cost a period and a half before
   * every zone's start.
   */
  recent(): Promise<void> {
    if (this.stopped || this.answeredAt || this.blindWhy) return Promise.resolve();
    const since = Date.now() - 2 * this.periodMs();
    if (this.lastDoneBeganAt !== undefined && this.lastDoneBeganAt >= since) return Promise.resolve();
    // The probe in flight counts if it began recently enough; else the next one.
    const inFlight = this.begun > this.probes && this.lastBeganAt >= since;
    return new Promise((r) => this.waiting.push([inFlight ? this.begun : this.begun + 1, r]));
  }

  /**
   * Why the watch is blind, once it is: no change may follow (the caller stops),
   * since a primary back now would not be seen.
   */
  blind(): string | undefined {
    return this.blindWhy;
  }

  /** When the primary answered again, if it did. */
  returned(): Date | undefined {
    return this.answeredAt;
  }

  /** What answered ("ping: 10.99.99.7 answers ping"), once it did. */
  what(): string | undefined {
    return this.seen ? `${this.seen.signal}: ${this.seen.detail}` : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The loop releases every waiter as it ends.
    await this.loop;
  }
}
