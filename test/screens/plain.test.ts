// The linear console's two pure halves: what a typed line means to the reducer
// (numbers and words for a question, the line itself for a typed field), and
// the printer that prints each state's new lines only.
import { describe, expect, it } from 'vitest';
import { initialState, reduce, type ConsoleState, type Event } from '../../src/state/console/index.js';
import { PlainPrinter, plainInputs } from '../../src/screens/plain.js';

const base = initialState('simulated: test', 0);
const step: ConsoleState = {
  ...base,
  screen: 'run',
  prompt: { kind: 'step', alias: 'sapi0', service: 'sapi', index: 1, total: 21, choice: 0 },
};

describe('plain inputs', () => {
  it('a question takes its number or its word, as the choice letter', () => {
    expect(plainInputs(step, '1')).toEqual([{ t: 'char', c: 'g' }]);
    expect(plainInputs(step, 'skip')).toEqual([{ t: 'char', c: 's' }]);
    expect(plainInputs(step, ' All ')).toEqual([{ t: 'char', c: 'a' }]);
    expect(plainInputs(step, '9')).toEqual([]);
    expect(plainInputs(step, '')).toEqual([]);
    const all: ConsoleState = {
      ...base,
      prompt: {
        kind: 'all',
        remaining: 20,
        choice: 0,
        from: { kind: 'step', alias: 'sapi0', service: 'sapi', index: 1, total: 21, choice: 0 },
      },
    };
    expect(plainInputs(all, '2')).toEqual([{ t: 'char', c: 'y' }]);
    expect(plainInputs(all, 'no')).toEqual([{ t: 'char', c: 'n' }]);
  });

  it('a typed field takes the line, then Enter; outside a question, Enter, digits, q', () => {
    const host: ConsoleState = {
      ...base,
      prompt: { kind: 'hostname', expected: 'headnode0', typed: '', why: 'fenced?' },
    };
    expect(plainInputs(host, 'hn0')).toEqual([
      { t: 'char', c: 'h' },
      { t: 'char', c: 'n' },
      { t: 'digit', n: 0 },
      { t: 'enter' },
    ]);
    expect(plainInputs(host, 'esc')).toEqual([{ t: 'back' }]);
    expect(plainInputs(base, '')).toEqual([{ t: 'enter' }]);
    expect(plainInputs(base, '3')).toEqual([{ t: 'digit', n: 3 }]);
    expect(plainInputs(base, 'q')).toEqual([{ t: 'quit' }]);
  });

  it('a typed hostname reaches the reducer whole, the fence method by its number: the run starts', () => {
    const host: ConsoleState = {
      ...base,
      prompt: { kind: 'hostname', expected: 'headnode0', typed: '', why: 'fenced?' },
    };
    let s = host;
    const effects: unknown[] = [];
    for (const line of ['headnode0', '2']) {
      for (const input of plainInputs(s, line)) {
        const r = reduce(s, { t: 'input', input });
        s = r.state;
        effects.push(...r.effects);
      }
    }
    expect(effects).toContainEqual(
      expect.objectContaining({ t: 'startRun', fenced: 'headnode0', fenceMethod: 'cables' }),
    );
  });

  it('a bare Enter at the fence question records no fence method: it says to pick one, printed once', () => {
    let s: ConsoleState = {
      ...base,
      prompt: { kind: 'hostname', expected: 'headnode0', typed: '', why: 'fenced?' },
    };
    const effects: unknown[] = [];
    const printer = new PlainPrinter();
    const printed: string[] = [];
    const type = (line: string): void => {
      for (const input of plainInputs(s, line)) {
        const r = reduce(s, { t: 'input', input });
        s = r.state;
        effects.push(...r.effects);
      }
      printed.push(...printer.next(s));
    };
    type('headnode0');
    type('');
    type('');
    expect(effects).toEqual([]);
    expect(s.run.fence).toBeUndefined();
    expect(s.prompt).toMatchObject({ kind: 'fence-method' });
    expect(printed.filter((l) => l.startsWith('pick one:'))).toEqual([
      'pick one: b, c, i or 1-3 (or an arrow, then Enter)',
    ]);
    type('1');
    expect(effects).toEqual([{ t: 'startRun', fenced: 'headnode0', fenceMethod: 'bmc-off' }]);
  });
});

describe('plain printer', () => {
  it('a screen once, then only new lines; a question as a numbered line, once', () => {
    const p = new PlainPrinter();
    const first = p.next(base);
    expect(first[1]).toBe('== HOME ==');
    expect(p.next(base)).toEqual([]);
    let s: ConsoleState = { ...base, screen: 'run', run: { ...base.run, phase: 'running', services: [] } };
    expect(p.next(s).slice(0, 3)).toEqual(['', '== RESTORE: RUNNING ==', '0/0 zones done']);
    const log = (text: string): Event => ({ t: 'log', lines: [text] });
    s = reduce(s, log('ok   create sapi0')).state;
    s = reduce(s, log('ok   start sapi0')).state;
    expect(p.next(s)).toEqual(['ok   create sapi0', 'ok   start sapi0']);
    expect(p.next({ ...s, prompt: step.prompt })).toEqual([
      '[2/21] Restore sapi0 (sapi)?',
      '1) go  2) skip (asks why)  3) all the rest  4) pause: ',
    ]);
    // Moving the highlighted choice is no news.
    expect(p.next({ ...s, prompt: { ...step.prompt!, choice: 2 } as ConsoleState['prompt'] })).toEqual([]);
  });
});
