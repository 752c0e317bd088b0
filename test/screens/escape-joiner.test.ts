import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EscapeJoiner, splitTrailingEscape } from '../../src/screens/escape-joiner.js';

const ESC = '\u001b';

// A stand-in for a tty stdin: a stream plus the tty members ink calls.
class FakeTty extends PassThrough {
  isTTY = true;
  isRaw = false;
  calls: string[] = [];
  setRawMode(mode: boolean) {
    this.isRaw = mode;
    this.calls.push(`raw:${mode}`);
    return this;
  }
  ref() {
    this.calls.push('ref');
    return this;
  }
  unref() {
    this.calls.push('unref');
    return this;
  }
}

// Reads the way ink 6.8 does: setEncoding, then read() until null on each 'readable'.
function inkLikeReader(j: EscapeJoiner): string[] {
  const reads: string[] = [];
  j.setEncoding('utf8');
  j.on('readable', () => {
    let chunk: string | null;
    while ((chunk = j.read() as string | null) !== null) reads.push(chunk);
  });
  return reads;
}

const ticks = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => process.nextTick(r));
};

describe('splitTrailingEscape', () => {
  it.each([
    ['abc', 'abc', ''],
    [`a${ESC}`, 'a', ESC],
    [`${ESC}[`, '', `${ESC}[`],
    [`x${ESC}[1;5`, 'x', `${ESC}[1;5`],
    [`${ESC}[[`, '', `${ESC}[[`],
    [`${ESC}O`, '', `${ESC}O`],
    [`${ESC}[B`, `${ESC}[B`, ''],
    [`${ESC}OA`, `${ESC}OA`, ''],
    [`${ESC}j`, `${ESC}j`, ''],
    [`${ESC}[A${ESC}`, `${ESC}[A`, ESC],
  ])('%j -> %j + %j', (s, now, hold) => {
    expect(splitTrailingEscape(s)).toEqual([now, hold]);
  });
});

describe('EscapeJoiner', () => {
  let src: FakeTty;
  let j: EscapeJoiner;
  let reads: string[];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    src = new FakeTty();
    j = new EscapeJoiner(src, { waitMs: 60 });
    reads = inkLikeReader(j);
  });
  afterEach(() => {
    j.destroy();
    vi.useRealTimers();
  });

  it.each([1, 10, 50])('joins ESC and [B that arrive %d ms apart into one down-arrow chunk', async (gap) => {
    src.write(ESC);
    await ticks();
    vi.advanceTimersByTime(gap);
    await ticks();
    expect(reads).toEqual([]);
    src.write('[B');
    await ticks();
    expect(reads).toEqual([`${ESC}[B`]);
  });

  it('joins a CSI split inside its parameters', async () => {
    src.write(`${ESC}[1;`);
    await ticks();
    vi.advanceTimersByTime(20);
    src.write('5A');
    await ticks();
    expect(reads).toEqual([`${ESC}[1;5A`]);
  });

  it('passes whole sequences and plain keys straight through', async () => {
    src.write(`j${ESC}[Bk`);
    await ticks();
    expect(reads).toEqual([`j${ESC}[Bk`]);
  });

  it('sends a lone ESC on its own once the wait is over', async () => {
    src.write(`q${ESC}`);
    await ticks();
    expect(reads).toEqual(['q']);
    vi.advanceTimersByTime(59);
    await ticks();
    expect(reads).toEqual(['q']);
    vi.advanceTimersByTime(1);
    await ticks();
    expect(reads).toEqual(['q', ESC]);
  });

  it('sends ESC then a key that is no sequence as two reads, the key a timer turn later', async () => {
    src.write(ESC);
    await ticks();
    vi.advanceTimersByTime(10);
    src.write('j');
    await ticks();
    expect(reads).toEqual([ESC]);
    src.write('k');
    vi.advanceTimersByTime(0);
    await ticks();
    expect(reads).toEqual([ESC, 'jk']);
  });

  it('treats a second ESC as a second Escape, not as Alt', async () => {
    src.write(ESC);
    await ticks();
    vi.advanceTimersByTime(5);
    src.write(ESC);
    await ticks();
    expect(reads).toEqual([ESC]);
    vi.advanceTimersByTime(60);
    await ticks();
    expect(reads).toEqual([ESC, ESC]);
  });

  it('keeps a UTF-8 character split across chunks whole', async () => {
    const e = Buffer.from('é');
    src.write(e.subarray(0, 1));
    src.write(e.subarray(1));
    await ticks();
    expect(reads.join('')).toBe('é');
  });

  it('sends what it holds and ends when the source ends', async () => {
    const ended = new Promise<void>((r) => j.on('end', () => r()));
    src.write(`a${ESC}`);
    await ticks();
    src.end();
    await ended;
    expect(reads).toEqual(['a', ESC]);
  });

  it('proxies the tty members ink uses', () => {
    expect(j.isTTY).toBe(true);
    j.setRawMode(true).ref();
    expect(j.isRaw).toBe(true);
    j.unref();
    expect(src.calls).toEqual(['raw:true', 'ref', 'unref']);
    expect(new EscapeJoiner(new PassThrough()).isTTY).toBe(false);
  });

  it('does not read the source until it is read from', () => {
    const quiet = new FakeTty();
    const k = new EscapeJoiner(quiet);
    expect(quiet.listenerCount('data')).toBe(0);
    k.destroy();
  });
});
