import { describe, expect, it } from 'vitest';
import {
  CONVERT_CHOICES,
  FAILURE_CHOICES,
  STEP_CHOICES,
  YES_NO,
  choiceByKey,
  choiceHints,
  type Choice,
} from '../../src/state/choices.js';

const TABLES: [string, readonly Choice[]][] = [
  ['step', STEP_CHOICES],
  ['failure', FAILURE_CHOICES],
  ['convert', CONVERT_CHOICES],
  ['yes/no', YES_NO],
];

describe("the console's choice tables", () => {
  it.each(TABLES)(
    '%s: every letter picks exactly one choice, and none is a key the console keeps for itself',
    (_n, list) => {
      const letters = list.flatMap((c) => [...c.keys]);
      expect(new Set(letters).size).toBe(letters.length);
      for (const c of list) for (const k of c.keys) expect(list[choiceByKey(list, k)]).toBe(c);
      // ? opens help and digits pick by number in every question.
      expect(letters.filter((l) => l === '?' || /\d/.test(l))).toEqual([]);
    },
  );

  it('the hints are made from the same table the reducer reads', () => {
    expect(choiceHints(STEP_CHOICES)).toBe('g go  s skip (asks why)  a all the rest  p pause');
    expect(choiceHints(FAILURE_CHOICES, ', ')).toBe('r retry, s skip, x stop');
    expect(choiceByKey(FAILURE_CHOICES, 'T')).toBe(2);
  });
});
