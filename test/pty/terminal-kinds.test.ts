// Terminals the console meets at 3 a.m.: a dumb one, and a serial line nobody
// ran stty on (a tty that reports no size).
import { expect, it } from 'vitest';
import { describePty, fixture, startPty } from '../support/pty.js';

describePty('terminal kinds (real pty)', () => {
  it('TERM=dumb: the linear console, not one escape sequence; q quits', async () => {
    const p = startPty({ args: ['--demo'], term: 'dumb' });
    await p.waitFor('== HOME ==', 15_000);
    await p.waitFor('The primary is dead', 15_000);
    p.press('q\r');
    expect(await p.exit()).toBe(0);
    expect(p.raw()).toContain('> 1 Restore after a dead primary');
    expect(p.raw()).not.toContain('\u001b');
  });

  it('a tty that reports no size: the console runs at 24x80 and says how to set the size', async () => {
    const p = startPty({ entry: fixture('unsized-tty.mjs'), args: ['--demo', '--sim-speed', '50'], term: 'vt100' });
    await p.waitFor((s) => s.join('\n').includes('stty rows 24 cols 80'), 15_000);
    expect(p.text()).toContain('HOME');
    p.press('q');
  });

  it('the first words come before the DC and ink load, and the home screen takes their place', async () => {
    const p = startPty({ args: ['--demo', '--sim-speed', '50'], term: 'xterm-256color', scrollback: 100 });
    await p.waitFor('Restore after a dead primary', 15_000);
    // Written before anything else: what runs, what it opens, that nothing changes yet.
    expect(p.raw().startsWith('triton-recover ')).toBe(true);
    expect(p.raw().split('\n')[0]).toContain('opening the simulated DC (built-in drill scenario)');
    // Erased, not left above the frame nor pushed into the scrollback by it.
    expect([...p.scrolledOff(), ...p.screen()].join('\n')).not.toContain('opening the simulated DC');
    expect(p.screen()[0]).toContain('HOME');
    p.press('q');
  });
});
