// Watches the dead primary for the whole restore: a ping after another, in the
// background. A primary that answers again must stop the restore before the
// next change, since its old zones share UUIDs and IPs with the restored ones.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../remote/host.js';

export class PrimaryWatch {
  private answeredAt: Date | undefined;
  private stopped = false;
  private readonly waiting: (() => void)[] = [];
  private readonly loop: Promise<void>;
  /** Completed probes, for the report (how closely it was watched). */
  probes = 0;

  constructor(
    private readonly host: Host,
    private readonly ip: string,
    private readonly gapMs: number,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.answeredAt) {
      try {
        // illumos ping: `ping HOST TIMEOUT`; exit 0 = "HOST is alive".
        const r = await this.host.run(['ping', this.ip, '1'], { timeoutMs: 5_000 });
        if (r.code === 0) this.answeredAt = new Date();
      } catch {
        /* no answer is what we hope for */
      }
      this.probes++;
      for (const w of this.waiting.splice(0)) w();
      if (!this.answeredAt && !this.stopped) await sleep(this.gapMs);
    }
  }

  /**
   * Resolves after the next completed probe (at once when the watch ended): a
   * change made right after it is at most one probe late if the primary is back.
   */
  probed(): Promise<void> {
    if (this.stopped || this.answeredAt) return Promise.resolve();
    return new Promise((r) => this.waiting.push(r));
  }

  /** When the primary answered again, if it did. */
  returned(): Date | undefined {
    return this.answeredAt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    for (const w of this.waiting.splice(0)) w();
  }
}
