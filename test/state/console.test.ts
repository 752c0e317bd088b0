import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/state/check-report.js';
import {
  initialState,
  reduce,
  type ConsoleState,
  type Effect,
  type Event,
  type Input,
} from '../../src/state/console/index.js';
import type { Plan } from '../../src/state/plan.js';

const report = (over: Partial<CheckReport> = {}): CheckReport => ({
  mode: 'disaster',
  verdict: 'degraded',
  primary: { hostname: 'headnode0', uuid: 'u0', state: 'dead', evidence: [] },
  headnodes: [],
  services: [],
  adminIps: { needed: 0, available: 30 },
  problems: [],
  ...over,
});
const plan = {
  strategy: 'reuse',
  steps: [{ service: 'sapi', alias: 'sapi0' }],
  reconcile: [],
  notRestored: [],
  notes: [],
  blocked: [],
  dead: { hostname: 'headnode0' },
  local: { hostname: 'headnode1' },
} as unknown as Plan;

/** Feed events; collect every effect. */
function run(s: ConsoleState, ...events: (Event | Input)[]): { s: ConsoleState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const e of events) {
    const ev: Event =
      't' in e &&
      [
        'up',
        'down',
        'pageUp',
        'pageDown',
        'top',
        'bottom',
        'enter',
        'back',
        'help',
        'quit',
        'digit',
        'char',
        'backspace',
      ].includes(e.t)
        ? { t: 'input', input: e as Input }
        : (e as Event);
    const r = reduce(s, ev);
    s = r.state;
    effects.push(...r.effects);
  }
  return { s, effects };
}
const key = (c: string): Input => ({ t: 'char', c });
const typed = (text: string): Input[] =>
  [...text].map((c) => (/[0-9]/.test(c) ? { t: 'digit', n: Number(c) } : key(c)));
const start = (): ConsoleState => run(initialState('sim', 0), { t: 'checked', report: report() }).s;

describe('console state', () => {
  it('home: digits and arrows pick the jobs; q quits from home only', () => {
    expect(run(start(), { t: 'digit', n: 1 }).s.screen).toBe('detect');
    expect(run(start(), { t: 'down' }, { t: 'down' }, { t: 'enter' }).s.screen).toBe('inspect');
    expect(run(start(), { t: 'up' }).s.cursor).toBe(3); // wraps
    expect(run(start(), { t: 'quit' }).effects).toEqual([{ t: 'exit' }]);
    expect(run(start(), { t: 'digit', n: 1 }, { t: 'quit' }).s.screen).toBe('home');
  });

  it('pre-flight does not go on while a critical problem stands', () => {
    const s = run(initialState('sim', 0), {
      t: 'checked',
      report: report({ problems: [{ severity: 'critical', code: 'MORAY_DOWN', message: 'x' }] }),
    }).s;
    expect(run(s, { t: 'digit', n: 1 }, { t: 'enter' }, { t: 'enter' }).s.screen).toBe('preflight');
    expect(run(start(), { t: 'digit', n: 1 }, { t: 'enter' }, { t: 'enter' }).s.screen).toBe('strategy');
  });

  it('strategy then plan asks for the plan with the chosen strategy', () => {
    const r = run(start(), { t: 'digit', n: 1 }, { t: 'enter' }, { t: 'enter' }, { t: 'digit', n: 2 }, { t: 'enter' });
    expect(r.s.screen).toBe('plan');
    expect(r.effects).toEqual([{ t: 'plan', strategy: 'new' }]);
  });

  it('reuse: starting needs the dead primary hostname typed; a wrong one is refused', () => {
    let { s } = run(
      start(),
      { t: 'digit', n: 1 },
      { t: 'enter' },
      { t: 'enter' },
      { t: 'enter' },
      { t: 'planned', plan },
    );
    s = run(s, { t: 'enter' }).s;
    expect(s.prompt).toMatchObject({ kind: 'hostname', expected: 'headnode0' });
    const wrong = run(s, ...typed('headnode1'), { t: 'enter' });
    expect(wrong.effects).toEqual([]);
    expect(wrong.s.prompt).toMatchObject({ kind: 'hostname', typed: '', error: '"headnode1" is not headnode0' });
    const right = run(wrong.s, ...typed('headnode9'), { t: 'backspace' }, { t: 'digit', n: 0 }, { t: 'enter' });
    // The hostname is right: now how it was fenced; nothing runs before a method is picked.
    expect(right.effects).toEqual([]);
    expect(right.s.prompt).toMatchObject({ kind: 'fence-method', hostname: 'headnode0' });
    // Esc goes back to the hostname.
    expect(run(right.s, { t: 'back' }).s.prompt).toMatchObject({ kind: 'hostname', expected: 'headnode0', typed: '' });
    const bmc = run(right.s, key('b'));
    expect(bmc.effects).toEqual([{ t: 'startRun', fenced: 'headnode0', fenceMethod: 'bmc-off' }]);
    expect(bmc.s.run.fence).toBe('headnode0 fenced: powered off through its BMC');
    // Kept once the run starts.
    expect(run(bmc.s, { t: 'runStarted', services: [], now: 1 }).s.run.fence).toBe(
      'headnode0 fenced: powered off through its BMC',
    );
    // Nothing is preselected: a bare Enter records no fence method, it says to pick one.
    expect(right.s.prompt).toMatchObject({ choice: -1 });
    const bare = run(right.s, { t: 'enter' });
    expect(bare.effects).toEqual([]);
    expect(bare.s.run.fence).toBeUndefined();
    expect(bare.s.prompt).toMatchObject({
      kind: 'fence-method',
      error: 'pick one: b, c, i or 1-3 (or an arrow, then Enter)',
    });
    expect(run(bare.s, { t: 'enter' }, { t: 'enter' }).effects).toEqual([]);
    // An arrow highlights the first, then Enter picks what is highlighted.
    expect(run(bare.s, { t: 'down' }, { t: 'enter' }).effects).toEqual([
      { t: 'startRun', fenced: 'headnode0', fenceMethod: 'bmc-off' },
    ]);
    expect(run(right.s, { t: 'down' }, { t: 'down' }, { t: 'enter' }).effects).toEqual([
      { t: 'startRun', fenced: 'headnode0', fenceMethod: 'cables' },
    ]);
    expect(run(right.s, { t: 'up' }, { t: 'enter' }).effects).toEqual([
      { t: 'startRun', fenced: 'headnode0', fenceMethod: 'no-pool-import' },
    ]);
    expect(run(right.s, { t: 'digit', n: 3 }).effects).toEqual([
      { t: 'startRun', fenced: 'headnode0', fenceMethod: 'no-pool-import' },
    ]);
  });

  it('new strategy: the typed hostname is still asked (the run releases the dead server in NAPI and CNAPI)', () => {
    const { s } = run(
      start(),
      { t: 'digit', n: 1 },
      { t: 'enter' },
      { t: 'enter' },
      { t: 'down' },
      { t: 'enter' },
      { t: 'planned', plan },
    );
    const asked = run(s, { t: 'enter' });
    expect(asked.effects).toEqual([]);
    expect(asked.s.prompt).toMatchObject({ kind: 'hostname', expected: 'headnode0' });
    expect((asked.s.prompt as { why: string }).why).toContain('releasing headnode0');
  });

  it('binder without quorum: the per-headnode lock only after the word is typed; Esc declines', () => {
    const ask = (): ConsoleState =>
      run(start(), {
        t: 'ask',
        prompt: {
          kind: 'no-quorum',
          risk: 'a console across a partition could restore the same zones',
          word: 'NO-QUORUM',
          typed: '',
        },
      }).s;
    const wrong = run(ask(), ...typed('yes'), { t: 'enter' });
    expect(wrong.effects).toEqual([]);
    expect(wrong.s.prompt).toMatchObject({
      kind: 'no-quorum',
      typed: '',
      error: '"yes" is not NO-QUORUM (Esc: do not restore)',
    });
    // A text field: '?' is typed, not help.
    expect(run(ask(), key('?')).s.prompt).toMatchObject({ typed: '?' });
    expect(run(wrong.s, ...typed('NO-QUORUM'), { t: 'enter' }).effects).toEqual([{ t: 'noQuorumAnswer', yes: true }]);
    expect(run(ask(), { t: 'back' }).effects).toEqual([{ t: 'noQuorumAnswer', yes: false }]);
  });

  const asked = (): ConsoleState =>
    run(
      start(),
      {
        t: 'runStarted',
        services: [{ key: 'sapi/sapi0', service: 'sapi', alias: 'sapi0', status: 'pending' }],
        now: 0,
      },
      { t: 'ask', prompt: { kind: 'step', alias: 'sapi0', service: 'sapi', index: 0, total: 21, choice: 0 } },
    ).s;

  it('before each service: go, pause, and skip with a reason', () => {
    expect(run(asked(), key('g')).effects).toEqual([{ t: 'answer', answer: 'go' }]);
    expect(run(asked(), { t: 'digit', n: 4 }).effects).toEqual([{ t: 'answer', answer: 'pause' }]);
    expect(run(asked(), { t: 'enter' }).effects).toEqual([{ t: 'answer', answer: 'go' }]);
    const skip = run(asked(), key('s'), ...typed('no usbkey'), { t: 'enter' });
    expect(skip.effects).toEqual([{ t: 'answer', answer: 'skip', reason: 'no usbkey' }]);
    // Esc from the reason goes back to the question, which is still pending.
    const back = run(asked(), key('s'), { t: 'back' });
    expect(back.effects).toEqual([]);
    expect(back.s.prompt).toMatchObject({ kind: 'step', alias: 'sapi0' });
  });

  it('"all" is asked once more: n goes back to the question, y answers all', () => {
    const all = run(asked(), key('a'));
    expect(all.s.prompt).toMatchObject({ kind: 'all', remaining: 21 });
    expect(all.effects).toEqual([]);
    const no = run(all.s, key('n'));
    expect(no.effects).toEqual([]);
    expect(no.s.prompt?.kind).toBe('step');
    expect(run(all.s, key('y')).effects).toEqual([{ t: 'answer', answer: 'all' }]);
    expect(run(all.s, { t: 'enter' }).effects).toEqual([]); // Enter on the default "no"
  });

  it('a failure offers retry, skip (with a reason) and stop', () => {
    const f = run(asked(), key('g'), {
      t: 'failed',
      failure: { what: 'ufds0 failed', host: 'headnode1', command: 'vmadm create', output: 'boom', hint: 'fix' },
    }).s;
    expect(f.prompt).toEqual({ kind: 'failure', choice: 0 });
    expect(run(f, key('r')).effects).toEqual([{ t: 'failureChoice', choice: 'retry' }]);
    expect(run(f, key('x')).effects).toEqual([{ t: 'failureChoice', choice: 'stop' }]);
    expect(run(f, key('s'), ...typed('later'), { t: 'enter' }).effects).toEqual([
      { t: 'failureChoice', choice: 'skip', reason: 'later' },
    ]);
    expect(run(f, { t: 'down' }, { t: 'down' }, { t: 'enter' }).effects).toEqual([
      { t: 'failureChoice', choice: 'stop' },
    ]);
  });

  it('a finished zone leaves no "now" behind', () => {
    const s = run(asked(), key('g'), {
      t: 'actionStart',
      alias: 'sapi0',
      summary: 'wait until sapi0 runs',
      command: 'svcs -xz x',
      now: 5,
    }).s;
    expect(s.run.current?.alias).toBe('sapi0');
    expect(run(s, { t: 'serviceEnd', key: 'sapi/sapi0', status: 'done' }).s.run.current).toBeUndefined();
  });

  it('quitting mid-run asks; n stays, y exits', () => {
    const s = run(start(), { t: 'runStarted', services: [], now: 0 }).s;
    const q = run(s, { t: 'quit' });
    expect(q.s.prompt).toMatchObject({ kind: 'quit', running: true });
    expect(run(q.s, key('n')).s.prompt).toBeUndefined();
    expect(run(q.s, key('y')).effects).toEqual([{ t: 'exit' }]);
  });

  it('? opens help over any screen and any key closes it', () => {
    const h = run(start(), { t: 'help' });
    expect(h.s.help).toBe(true);
    expect(run(h.s, { t: 'enter' }).s.help).toBe(false);
    expect(run(h.s, { t: 'enter' }).s.screen).toBe('home');
    expect(run(h.s, { t: 'down' }).s.help).toBe(false);
  });
});

describe('home after a job', () => {
  it('is checked again when the restore summary or a finished conversion returns to it (changes still in effect as they are now)', () => {
    const summary: ConsoleState = { ...initialState('x', 0), screen: 'summary', history: ['home'] };
    const fromSummary = reduce(summary, { t: 'input', input: { t: 'enter' } });
    expect(fromSummary.state.screen).toBe('home');
    expect(fromSummary.effects).toEqual([{ t: 'check' }]);
    const converted: ConsoleState = {
      ...initialState('x', 0),
      screen: 'convert',
      history: ['home'],
      convert: { phase: 'done', server: 'cn0', text: [], runnable: false, steps: [], log: [] },
    };
    const fromConvert = reduce(converted, { t: 'input', input: { t: 'enter' } });
    expect(fromConvert.state.screen).toBe('home');
    expect(fromConvert.effects).toEqual([{ t: 'check' }]);
  });
});
