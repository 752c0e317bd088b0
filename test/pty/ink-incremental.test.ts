// Regression test for ink 6.8's incrementalRendering drawing one row too low
// when the frame is shorter than the screen (#910, fixed by
// patches/ink+6.8.0.patch). Without the patch, a header tick leaves the header
// on rows 0 and 1, and `j` leaves the old selection behind.
import { expect, it } from 'vitest';
import { measurePty } from '../../src/bench/pty-bytes.js';
import { describePty, fixture, startPty } from '../support/pty.js';

const app = fixture('incremental-app.mjs');
const header = (n: number) => `Header tick ${n}`;

describePty('ink incrementalRendering in a real pty (#910 patch)', () => {
  it('keeps the header on row 0 while it ticks, and moves the selection in place', async () => {
    const s = startPty({ entry: app, args: [], env: { FIXTURE_TICKS: '4', FIXTURE_TICK_MS: '120' } });
    await s.waitFor('done');
    let rows = s.screen();
    expect(rows[0]).toBe(`${header(4)} done`);
    expect(rows.filter((r) => r.startsWith('Header'))).toHaveLength(1);
    expect(rows.slice(1, 11)).toEqual(['> Item 1', ...Array.from({ length: 9 }, (_, i) => `  Item ${i + 2}`)]);

    s.press('j');
    await s.waitFor('> Item 2');
    s.press('j');
    await s.waitFor('> Item 3');
    rows = s.screen();
    expect(rows[0]).toBe(`${header(4)} done`);
    expect(rows[1]).toBe('  Item 1');
    expect(rows[2]).toBe('  Item 2');
    expect(rows[3]).toBe('> Item 3');
    expect(rows.filter((r) => r.startsWith('>'))).toEqual(['> Item 3']);
    expect(rows[11]).toBe('');

    s.press('q');
    expect(await s.exit()).toBe(0);
  });

  // The patch erases the rest of a line only when the new one is shorter, and
  // moves to column 0 only after a cursor-up: a shorter header must leave
  // nothing of the longer one behind, and the longer one must come back whole.
  it('a shorter line leaves nothing of the longer one; a longer one covers the shorter', async () => {
    const s = startPty({ entry: app, args: [], env: { FIXTURE_TICKS: '4', FIXTURE_TICK_MS: '50' } });
    await s.waitFor('done');
    s.press('s');
    await s.waitFor((rows) => rows[0]!.startsWith('H4'));
    expect(s.screen()[0]).toBe('H4');
    s.press('j');
    await s.waitFor('> Item 2');
    s.press('s');
    await s.waitFor('Header tick 4 done');
    const rows = s.screen();
    expect(rows[0]).toBe(`${header(4)} done`);
    expect(rows.slice(1, 4)).toEqual(['  Item 1', '> Item 2', '  Item 3']);
    // No line begins with a stray column move: after a newline the cursor is in column 0.
    expect(s.raw()).not.toMatch(/\n\u001b\[1G/);
    s.press('q');
    expect(await s.exit()).toBe(0);
  });

  // A width table and the terminal may disagree (VS16 emoji, ambiguous widths):
  // only a printable-ASCII line is trusted to cover the old one without an erase.
  it('a line of characters whose width is in doubt is erased after, whatever a width table says', async () => {
    const s = startPty({ entry: app, args: [], env: { FIXTURE_TICKS: '1', FIXTURE_TICK_MS: '20' } });
    await s.waitFor('done');
    s.press('w');
    await s.waitFor((rows) => rows[0] === 'ab');
    s.press('w');
    await s.waitFor((rows) => rows[0]!.startsWith('\u26a0'));
    expect(s.screen()[0]).not.toContain('b');
    s.press('q');
    expect(await s.exit()).toBe(0);
  });

  // Also exercises the bench's measurePty. Patched or not, a tick rewrites one
  // line (~85 B here); a full repaint of this frame would be ~160 B.
  it('costs one line per change and nothing while idle', async () => {
    const r = await measurePty({
      entry: app,
      args: [],
      env: { FIXTURE_TICKS: '10', FIXTURE_TICK_MS: '100' },
      script: [
        { waitFor: 'done' },
        { keys: 'j', delayMs: 100 },
        { keys: 'j', delayMs: 100 },
        { keys: 'j' },
        { waitFor: '> Item 4' },
      ],
      idleSeconds: 1,
      timeoutMs: 15_000,
    });
    expect(r.firstScreenMs).toBeGreaterThan(0);
    expect(r.idleBytesPerSec).toBe(0);
    expect(r.totalBytes).toBeLessThan(200 + 13 * 110);
    expect(r.worstSecondBytes).toBeLessThanOrEqual(r.totalBytes);
    expect(r.finalScreen[4]).toBe('> Item 4');
  });
});
