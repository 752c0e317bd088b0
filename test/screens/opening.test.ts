// The console's first words: they must never wrap, or erasing them (cursor up
// by their count) would leave a line behind above the home screen.
import { expect, it } from 'vitest';
import { eraseOpening, openingLines } from '../../src/screens/opening.js';

it('says what it opens and that nothing changes yet', () => {
  const lines = openingLines({ version: '1.2.3', dc: { kind: 'demo' }, cols: 80 });
  expect(lines[0]).toBe('triton-recover 1.2.3: opening the simulated DC (built-in drill scenario)...');
  expect(lines.join('\n')).toContain('Nothing changes until you choose a job and confirm it.');
  expect(openingLines({ version: '1', dc: { kind: 'real' }, cols: 80 })[0]).toContain("this headnode's DC");
});

it('never wider than the terminal, so each is one screen line', () => {
  const file = `/very/long/${'path/'.repeat(30)}scenario.json`;
  for (const cols of [20, 40, 80]) {
    const lines = openingLines({ version: '1.2.3', dc: { kind: 'sim', file }, cols });
    for (const l of lines) expect(l.length).toBeLessThan(cols);
    expect(eraseOpening(lines.length)).toBe(`\r\x1b[${lines.length}A\x1b[J`);
  }
  expect(eraseOpening(0)).toBe('');
});

it('a path with wide characters or control characters stays one ASCII line', () => {
  const lines = openingLines({
    version: '1',
    dc: { kind: 'sim', file: '/drills/\u6771\u4eac\u30c7\u30fc\u30bf\u30bb\u30f3\u30bf\u30fc/\x1b[2Jx\ny.json' },
    cols: 80,
  });
  expect(lines).toHaveLength(2);
  for (const l of lines) expect(l).toMatch(/^[\x20-\x7e]*$/);
});
