import { describe, expect, it } from 'vitest';
import { ageSeconds, formatAge, formatUtc, isStale } from '../../src/state/restore-age.js';

const NOW = Date.parse('2026-09-02T10:00:00Z');

describe('restore-data age', () => {
  it('ages in seconds, never negative when the other clock runs ahead', () => {
    expect(ageSeconds('2026-09-01T08:00:00Z', NOW)).toBe(26 * 3600);
    expect(ageSeconds('2026-09-02T10:00:05Z', NOW)).toBe(0);
  });

  it('reads in the unit an operator expects', () => {
    expect([45, 300, 7200, 93_600, 4 * 86_400].map(formatAge)).toEqual(['45 s', '5 min', '2 h', '26 h', '4 d']);
  });

  it('says the time, and the date when it is not today (UTC)', () => {
    expect(formatUtc('2026-09-02T08:10:59Z', NOW)).toBe('08:10 UTC');
    expect(formatUtc('2026-09-01T08:10:00Z', NOW)).toBe('2026-09-01 08:10 UTC');
  });

  it('is stale only past the allowed age', () => {
    expect(isStale(30 * 60, 30)).toBe(false);
    expect(isStale(30 * 60 + 1, 30)).toBe(true);
  });
});
