import { describe, expect, it } from 'vitest';
import { clock } from '../../src/screens/theme.js';

describe('the run clock', () => {
  it('with seconds: hh:mm:ss', () => {
    expect(clock(3_700_000)).toBe('01:01:40');
  });
  it('without seconds (a serial line): hours and minutes say so, so 0h00m never reads as a stopped mm:ss', () => {
    expect(clock(10_000, false)).toBe('0h00m');
    expect(clock(65_000, false)).toBe('0h01m');
    expect(clock(3_700_000, false)).toBe('1h01m');
  });
});
