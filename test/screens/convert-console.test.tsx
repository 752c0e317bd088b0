// The conversion job in the console, driven by keys: home -> 2 -> type the
// server -> its checks and steps -> Enter -> go at each step -> a headnode.
// A real ConsoleSession on the simulated DC (every headnode alive).
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/screens/App.js';
import { createStore, type Store } from '../../src/screens/store.js';
import type { Theme } from '../../src/screens/theme.js';
import { initialState } from '../../src/state/console/index.js';
import { ConsoleSession } from '../../src/app/console/session.js';
import { openTestSim, scenario, until } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const serial: Theme = { color: false, ascii: true, serial: true, tickMs: 5000 };
const FAST = {
  pollMs: 5,
  commandTimeoutMs: 5_000,
  bootTimeoutMs: 10_000,
  provisionTimeoutMs: 10_000,
  shutdownGraceMs: 2_000,
  settleMs: 100,
};

async function setup() {
  const t = await openTestSim(
    scenario((s) => void (s.servers[0]!.alive = true)),
    1000,
  );
  let store: Store;
  let session: ConsoleSession | undefined;
  store = createStore(initialState('simulated', Date.now()), (e) => session?.handle(e));
  session = new ConsoleSession(
    t.sim,
    {
      journalDir: join(t.dir, 'journal'),
      timing: {},
      convertTiming: FAST,
      probeTimeoutMs: 1_000,
      resumeCommand: 'triton-recover',
    },
    (e) => store.dispatch(e),
  );
  const ui = render(<App store={store} theme={serial} rows={24} cols={80} />);
  const press = async (keys: string): Promise<void> => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { t, store, ui, press, frame: (): string => ui.lastFrame() ?? '' };
}

describe('console: secondary-headnode conversion', () => {
  it('asks for the server, shows its checks and commands, runs each step on "go", ends a headnode', async () => {
    const { t, store, press, frame } = await setup();
    await press('2');
    expect(frame()).toContain('Compute node to convert (hostname or UUID): _');
    await press('cn0\r');
    await until('the checks', () => frame().includes('Pre-checks: all passed'), 5_000);
    expect(frame()).toContain('SECONDARY-HEADNODE CONVERSION');
    await press('\r');
    for (let step = 1; step <= 4; step++) {
      await until(`step ${step} asked`, () => store.get().prompt?.kind === 'convert-step', 10_000);
      expect(frame()).toMatch(new RegExp(`\\[${step}/4\\] `));
      // What the step runs is on the screen before "go".
      if (step === 2) expect(frame()).toContain(`cn0$ bash -s -- ${REF.assets0.adminIp} 91cd462d`);
      if (step === 3) expect(frame()).toContain('cn0$ reboot');
      await press('g');
    }
    await until('done', () => store.get().convert.phase !== 'running', 15_000);
    expect(frame(), frame()).toContain('DONE: cn0 is a headnode with the HA layout');
    expect(frame()).toMatch(/ OK {2}3\. Two reboots of cn0/);
    expect(t.sim.world.server('cn0')?.headnode).toBe(true);
  }, 30_000);

  it('a headnode cannot be converted: the screen says why, Enter does nothing', async () => {
    const { store, press, frame } = await setup();
    await press('2');
    await press('headnode2\r');
    await until('the checks', () => store.get().convert.phase === 'checked', 5_000);
    expect(frame()).toContain('CRIT ALREADY_HEADNODE');
    expect(frame()).toContain('Cannot convert as it is');
    await press('\r');
    expect(store.get().convert.phase).toBe('checked');
  }, 30_000);

  it('"stop" at a step ends the run; the next visit resumes the journaled conversion', async () => {
    const { store, press, frame } = await setup();
    await press('2');
    await press('cn0\r');
    await until('the checks', () => store.get().convert.phase === 'checked', 5_000);
    await press('\r');
    await until('step 1 asked', () => store.get().prompt?.kind === 'convert-step', 10_000);
    await press('g');
    await until('step 2 asked', () => store.get().prompt?.kind === 'convert-step' && frame().includes('[2/4]'), 10_000);
    await press('s');
    await until('stopped', () => store.get().convert.phase === 'stopped', 10_000);
    expect(frame()).toContain('STOPPED: stopped before');
    await press('\r2cn0\r');
    await until('checked again', () => store.get().convert.phase === 'checked', 5_000);
    expect(frame()).toContain('A conversion of cn0 is under way');
    await press('\r');
    await until('asked', () => store.get().prompt?.kind === 'convert-step', 10_000);
    // Step 1 is done already: the first question is step 2.
    expect(frame()).toContain('[2/4]');
    expect(frame()).toMatch(/ OK {2}1\. Prepare the headnode USB key data/);
  }, 30_000);
});
