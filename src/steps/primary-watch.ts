// Watches the dead primary for the whole restore: a ping after another, in the
// background. A primary that answers again must stop the restore before the
// next change, since its old zones share UUIDs and IPs with the restored ones.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../remote/host.js';

export class PrimaryWatch {
  private answeredAt: Date | undefined;
  private stopped = false;
  /** Waiters for a probe that begins after they asked: [first probe number that counts, resolve]. */
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
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.answeredAt) {
      const n = ++this.begun;
      const began = Date.now();
      this.lastBeganAt = began;
      try {
        // illumos ping: `ping HOST TIMEOUT`; exit 0 = "HOST is alive".
        const r = await this.host.run(['ping', this.ip, '1'], { timeoutMs: 5_000 });
        if (r.code === 0) this.answeredAt = new Date();
      } catch {
        /* no answer is what we hope for */
      }
      this.probes++;
      this.lastDoneBeganAt = began;
      this.lastDurationMs = Date.now() - began;
      const ready = this.waiting.filter(([from]) => from <= n);
      this.waiting = this.waiting.filter(([from]) => from > n);
      for (const [, w] of ready) w();
      // Probes begin at most once per gapMs: a dead host's ping (its 1 s timeout) already
      // paces them, and a ping that fails at once (no route) does not spin.
      if (!this.answeredAt && !this.stopped) await sleep(Math.max(0, this.gapMs - (Date.now() - began)));
    }
    // Answered (or stopped): nobody waits for a probe that will not come.
    for (const [, w] of this.waiting.splice(0)) w();
  }

  /**
   * Resolves after a probe that began after this call has completed (at once
   * when the watch ended): a change made then was preceded by a fresh look, so
   * a primary back before it is seen before it.
   */
  probed(): Promise<void> {
    if (this.stopped || this.answeredAt) return Promise.resolve();
    return new Promise((r) => this.waiting.push([this.begun + 1, r]));
  }

  /**
   * The time between the starts of two probes: the gap, or a dead host's ping
   * when that is longer (its timeout paces the loop).
   */
  periodMs(): number {
    return Math.max(this.gapMs, this.lastDurationMs);
  }

  /**
   * Resolves once a completed probe began at most two probe periods ago (at
   * once when the watch ended). The watch probes continuously, so a look that
   * recent is usually there already and nothing waits; a change made then is
   * blind to the primary for at most two periods and a ping (~3 s on a real
   * headnode), where waiting for a probe begun after the call would cost a
   * period and a half before every zone's start.
   */
  recent(): Promise<void> {
    if (this.stopped || this.answeredAt) return Promise.resolve();
    const since = Date.now() - 2 * this.periodMs();
    if (this.lastDoneBeganAt !== undefined && this.lastDoneBeganAt >= since) return Promise.resolve();
    // The probe in flight counts if it began recently enough; else the next one.
    const inFlight = this.begun > this.probes && this.lastBeganAt >= since;
    return new Promise((r) => this.waiting.push([inFlight ? this.begun : this.begun + 1, r]));
  }

  /** When the primary answered again, if it did. */
  returned(): Date | undefined {
    return this.answeredAt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The loop releases every waiter as it ends.
    await this.loop;
  }
}
