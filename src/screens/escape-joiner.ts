// A stdin for ink that keeps escape sequences whole on slow lines. ink 6.8
// flushes a lone ESC on setImmediate, so an arrow key whose ESC and `[B`
// arrive 1 ms or more apart (one byte at 9600 baud) becomes Escape plus the
// letters "[B". Here an incomplete trailing sequence is held for up to waitMs
// (ink 7 waits 20 ms; ncurses 1 s) and sent on with the rest as one chunk; a
// lone ESC still reaches ink as Escape once the wait is over.
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const ESC = '\u001b';
// ESC alone, or a CSI (ESC [, or ESC [[ on the Linux console) with its
// parameter and intermediate bytes so far, or SS3 (ESC O): no final byte yet.
const INCOMPLETE = /^\u001b(?:\[\[?[\u0020-\u003f]*|O)?$/;

/**
 * Splits off a trailing escape sequence that has not finished arriving.
 * Returns [what can go to ink now, what to hold].
 */
export function splitTrailingEscape(s: string): [string, string] {
  const at = s.lastIndexOf(ESC);
  if (at === -1 || !INCOMPLETE.test(s.slice(at))) return [s, ''];
  return [s.slice(0, at), s.slice(at)];
}

/** What the wrapper needs of the real stdin (process.stdin satisfies it). */
export type EscapeSource = NodeJS.ReadableStream & {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  ref?(): unknown;
  unref?(): unknown;
};

export interface EscapeJoinerOptions {
  /** How long a lone ESC waits for the rest of its sequence. */
  waitMs?: number;
}

export const DEFAULT_ESCAPE_WAIT_MS = 60;

export class EscapeJoiner extends Readable {
  private readonly decoder = new StringDecoder('utf8');
  private readonly waitMs: number;
  private held = '';
  private holdTimer: NodeJS.Timeout | undefined;
  // Data that arrived after a lone ESC: sent one timer turn after the ESC so
  // ink flushes the ESC as Escape first instead of reading ESC+j as Alt-j.
  private deferred: string | undefined;
  private deferTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly source: EscapeSource,
    opts: EscapeJoinerOptions = {},
  ) {
    super();
    this.waitMs = opts.waitMs ?? DEFAULT_ESCAPE_WAIT_MS;
  }

  get isTTY(): boolean {
    return this.source.isTTY === true;
  }

  get isRaw(): boolean {
    return this.source.isRaw === true;
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    return this;
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  /** For render({stdin}): ink only uses the tty.ReadStream members proxied here. */
  asStdin(): NodeJS.ReadStream {
    return this as unknown as NodeJS.ReadStream;
  }

  /** Stops reading the source (leaves it paused) and drops timers. */
  detach(): void {
    this.source.removeListener('data', this.onData);
    this.source.removeListener('end', this.onEnd);
    this.source.pause();
    clearTimeout(this.holdTimer);
    clearTimeout(this.deferTimer);
    this.started = false;
  }

  // Start reading only when ink first asks, so the source stays untouched
  // (and does not keep the process alive) until then.
  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.source.on('data', this.onData);
      this.source.on('end', this.onEnd);
    }
    this.source.resume();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.detach();
    cb(err);
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const s = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (this.deferred !== undefined) this.deferred += s;
    else this.accept(s);
  };

  private readonly onEnd = (): void => {
    clearTimeout(this.holdTimer);
    clearTimeout(this.deferTimer);
    const rest = this.held + (this.deferred ?? '') + this.decoder.end();
    this.held = '';
    this.deferred = undefined;
    if (rest) this.push(rest);
    this.push(null);
  };

  private accept(input: string): void {
    let s = input;
    if (s === '') return;
    if (this.held) {
      clearTimeout(this.holdTimer);
      const held = this.held;
      this.held = '';
      if (held === ESC && s[0] !== '[' && s[0] !== 'O') {
        // Not a sequence after all: the operator pressed Escape.
        this.send(held);
        this.deferred = s;
        this.deferTimer = setTimeout(() => {
          const d = this.deferred ?? '';
          this.deferred = undefined;
          this.accept(d);
        }, 0);
        return;
      }
      s = held + s;
    }
    const [now, hold] = splitTrailingEscape(s);
    if (now) this.send(now);
    if (hold) {
      this.held = hold;
      this.holdTimer = setTimeout(() => {
        const h = this.held;
        this.held = '';
        if (h) this.send(h);
      }, this.waitMs);
    }
  }

  private send(s: string): void {
    if (!this.push(s)) this.source.pause();
  }
}

/** Wraps stdin (process.stdin by default) for ink's render({stdin}). */
export function joinEscapes(source: EscapeSource = process.stdin, opts: EscapeJoinerOptions = {}): NodeJS.ReadStream {
  return new EscapeJoiner(source, opts).asStdin();
}
