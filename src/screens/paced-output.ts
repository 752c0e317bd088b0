// Output paced at a serial line's rate. A 9600-baud line carries ~960 bytes a
// second whatever we write; written faster, the bytes wait in the kernel and
// node's synchronous tty writes block the event loop, so keys wait behind
// output (tui-notes 2.2: 16.7 s). Paced here, the loop stays free for input and
// no second carries more than the line can.
import { EventEmitter } from 'node:events';

// ink brackets each frame with DEC mode 2026 (synchronized output). A VT100 or
// a serial console ignores it, and at 9600 baud the pair's 16 bytes are ~17 ms
// of line time a frame: dropped here, the only place output meets a slow line.
const SYNC_MARKERS = /\u001b\[\?2026[hl]/g;

export interface PacedOptions {
  bytesPerSecond: number;
  /** Flush granularity. */
  tickMs?: number;
}

/** A stdout stand-in for ink: same size and tty facts, writes go out paced. */
export class PacedOutput extends EventEmitter {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly perTick: number;
  private readonly tickMs: number;
  private lastTickAt = 0;
  private readonly onResize = (): void => void this.emit('resize');

  constructor(
    private readonly out: NodeJS.WriteStream,
    o: PacedOptions,
  ) {
    super();
    // 20 ms slices: a frame goes out in its own transmission time, not in 100 ms steps.
    this.tickMs = o.tickMs ?? 20;
    this.perTick = Math.max(1, Math.floor((o.bytesPerSecond * this.tickMs) / 1000));
    out.on('resize', this.onResize);
  }

  get columns(): number {
    return this.out.columns;
  }
  get rows(): number {
    return this.out.rows;
  }
  get isTTY(): boolean {
    return this.out.isTTY;
  }

  write(chunk: string | Uint8Array): boolean {
    // ink writes strings; bytes pass as they are (a split UTF-8 sequence stays whole).
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk.replace(SYNC_MARKERS, '')) : Buffer.from(chunk);
    if (bytes.length === 0) return true;
    this.queue.push(bytes);
    if (!this.timer) {
      // An idle line sends the first slice now (a key's answer should not wait a
      // tick), but never sooner than a tick after the last one: no second carries more.
      if (Date.now() - this.lastTickAt >= this.tickMs) this.tick();
      if (this.queue.length > 0) this.timer ??= setInterval(() => this.tick(), this.tickMs);
    }
    return true;
  }

  /** Bytes waiting to go out. */
  pending(): number {
    return this.queue.reduce((n, b) => n + b.length, 0);
  }

  private tick(): void {
    this.lastTickAt = Date.now();
    let left = this.perTick;
    const parts: Buffer[] = [];
    while (left > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.length <= left) {
        parts.push(head);
        left -= head.length;
        this.queue.shift();
      } else {
        parts.push(head.subarray(0, left));
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    if (parts.length > 0) this.out.write(Buffer.concat(parts));
    if (this.queue.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Everything still queued, at the line's pace; resolves when it is out. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await new Promise((r) => setTimeout(r, this.tickMs));
  }

  detach(): void {
    this.out.off('resize', this.onResize);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
