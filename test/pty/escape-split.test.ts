// An arrow key whose ESC and `[B` arrive apart, as on a 9600-baud line (one
// byte = 1.04 ms), through a real pty into ink reading via the escape joiner.
// The fixture imports dist/screens/escape-joiner.js: it needs `npm run build`,
// which `npm test` runs before vitest.
import { existsSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { describePty, fixture, pause, startPty } from '../support/pty.js';

const ESC = '\u001b';
const app = fixture('escape-app.mjs');
const built = existsSync(new URL('../../dist/screens/escape-joiner.js', import.meta.url));

describePty('split escape sequences in a real pty', () => {
  beforeAll(() => {
    if (!built) throw new Error('dist/screens/escape-joiner.js is missing: run `npm run build` first');
  });

  // 50 ms (just under the 60 ms wait) is covered with fake timers in
  // test/screens/escape-joiner.test.ts; here it would race a loaded machine.
  it.each([1, 10])('ESC, %d ms, then [B moves the selection down', async (gap) => {
    const s = startPty({ entry: app, args: [] });
    await s.waitFor('> Alpha');
    s.press(ESC);
    await pause(gap);
    s.press('[B');
    await s.waitFor('> Bravo');
    expect(s.screen()[0]).toBe('joiner on escapes=0 typed=[]');
    s.press('q');
    expect(await s.exit()).toBe(0);
  });

  it('a lone ESC still arrives as Escape, and j after it still moves', async () => {
    const s = startPty({ entry: app, args: [] });
    await s.waitFor('> Alpha');
    s.press(ESC);
    await s.waitFor('escapes=1');
    s.press(ESC);
    await pause(10);
    s.press('j');
    await s.waitFor('> Bravo');
    expect(s.screen()[0]).toBe('joiner on escapes=2 typed=[]');
  });

  // The control: without the joiner ink 6.8 loses the key, which shows the
  // gap really reaches the app split (if this starts failing, ink fixed it).
  it('without the joiner the same split arrow is lost', async () => {
    const s = startPty({ entry: app, args: ['--no-joiner'] });
    await s.waitFor('> Alpha');
    s.press(ESC);
    await pause(10);
    s.press('[B');
    await s.waitFor('typed=[[B]');
    expect(s.screen()[0]).toBe('joiner off escapes=1 typed=[[B]');
    expect(s.text()).toContain('> Alpha');
  });
});
