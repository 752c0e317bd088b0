// PRIMARY_RETURNED in the console (issue 16 item 1), not only at its start: a
// real ConsoleSession restores the simulated DC by keys, and the old primary
// comes back (the scenario's `primary-returns` fault). During the run the
// primary watch raises the banner; after the last zone the console's own
// re-check does. The banner says what duplicates what and what to do first.
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/app/console/session.js';
import { App } from '../../src/screens/App.js';
import { PlainPrinter } from '../../src/screens/plain.js';
import { createStore, type Store } from '../../src/screens/store.js';
import type { Theme } from '../../src/screens/theme.js';
import { initialState } from '../../src/state/console/index.js';
import { RESTORED } from '../support/restore-oracle.js';
import { openTestSim, scenario, until } from '../support/sim-dc.js';

const serial: Theme = { color: false, ascii: true, serial: true, tickMs: 5000 };
const LAST = RESTORED[RESTORED.length - 1]!;

async function restoreByKeys(after: string | undefined, failing?: string) {
  const t = await openTestSim(
    scenario(
      (x) =>
        (x.faults = [
          ...(after ? [{ event: 'primary-returns' as const, after }] : []),
          ...(failing ? [{ command: 'vmadm create', match: failing, effect: 'fail' as const }] : []),
        ]),
    ),
    400,
  );
  let session: ConsoleSession | undefined;
  const store: Store = createStore(initialState('simulated', Date.now()), (e) => session?.handle(e));
  session = new ConsoleSession(
    t.sim,
    {
      journalDir: join(t.dir, 'journal'),
      timing: { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 },
      probeTimeoutMs: 500,
      resumeCommand: 'triton-recover',
      afterRestoreWatchMs: 50,
    },
    (e) => store.dispatch(e),
  );
  const ui = render(<App store={store} theme={serial} rows={24} cols={80} />);
  const frame = (): string => ui.lastFrame() ?? '';
  const press = async (keys: string): Promise<void> => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const waitFor = (what: string, ms = 10_000): Promise<void> => until(what, () => frame().includes(what), ms);
  await press('1');
  await waitFor('RESTORE 1/4: DETECTION');
  await press('\r');
  await waitFor('RESTORE 2/4: PRE-FLIGHT');
  await press('\r');
  await waitFor('> 1 reuse');
  await press('\r');
  await waitFor('re-created on headnode1');
  await press('\r');
  await waitFor("Type the dead primary's hostname to confirm:");
  await press('headnode0\r');
  await waitFor('How was headnode0 fenced?');
  await press('b');
  await until('the first zone asked', () => store.get().prompt?.kind === 'step', 10_000);
  await press('a');
  await until('asked for all', () => store.get().prompt?.kind === 'all', 5_000);
  await press('y');
  return { store, frame, t };
}

describe('console: the fenced primary coming back', () => {
  it('the primary comes back after the last zone is restored: the PRIMARY RETURNED banner, what duplicates what and what to do, in the full-screen and the linear console', async () => {
    const { store, frame } = await restoreByKeys(LAST);
    await until('the run ended', () => store.get().run.outcome !== undefined, 60_000);
    await until('the banner', () => frame().includes('PRIMARY RETURNED'), 10_000);
    const back = store.get().returned!;
    expect(back.code).toBe('PRIMARY_RETURNED');
    expect(back.message).toMatch(
      /^the old primary headnode0 \(\S+, 10\.99\.99\.7\) answers again after its zones were re-created on headnode1/,
    );
    expect(back.message).toContain('its old zones duplicate the re-created ones (same UUIDs and admin IPs)');
    expect(back.message).toContain('(it was powered off through its BMC');
    expect(back.fix).toMatch(/^before anything else, power headnode0 off/);
    expect(frame()).toContain('PRIMARY RETURNED CRIT: before anything else');
    expect(frame()).toContain('do: before anything else, power headnode0 off');
    // The linear console prints the same banner, once.
    const lines = new PlainPrinter().next(store.get());
    expect(lines[0]).toBe('PRIMARY RETURNED CRIT: before anything else');
    expect(lines.filter((l) => l.startsWith('PRIMARY RETURNED'))).toHaveLength(1);
  }, 90_000);

  it('during the restore: the primary watch stops the run and raises the banner with what answered', async () => {
    const { store, frame } = await restoreByKeys('ufds');
    await until('the banner', () => frame().includes('PRIMARY RETURNED'), 60_000);
    // One sign, the one the watch saw (a re-check after the run would list every signal that answers).
    expect(store.get().returned!.message).toMatch(/Seen: ping: 10\.99\.99\.7 answers ping$/);
    await until('the run ended', () => store.get().run.outcome !== undefined, 30_000);
    expect(store.get().run.outcome!.exitCode).toBe(3);
    expect(frame()).toContain('PRIMARY RETURNED');
  }, 90_000);

  it('after the restore ended, while the console is open: its re-check every afterRestoreWatchMs raises the banner', async () => {
    const { store, frame, t } = await restoreByKeys(undefined);
    await until('the run ended', () => store.get().run.outcome !== undefined, 60_000);
    expect(store.get().run.outcome!.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // several looks: nothing answers
    expect(frame()).not.toContain('PRIMARY RETURNED');
    t.sim.world.bootServer('headnode0');
    await until('the banner', () => frame().includes('PRIMARY RETURNED'), 10_000);
    expect(store.get().returned!.message).toMatch(/answers again after its zones were re-created on headnode1/);
  }, 90_000);

  it('after a restore that failed midway, too: zones started before the failure are on the network', async () => {
    const { store, frame, t } = await restoreByKeys(undefined, 'ufds0');
    await until('the run failed', () => store.get().run.phase === 'failed', 60_000);
    expect(frame()).not.toContain('PRIMARY RETURNED');
    t.sim.world.bootServer('headnode0');
    await until('the banner', () => frame().includes('PRIMARY RETURNED'), 10_000);
    expect(store.get().returned!.message).toMatch(/answers again after its zones were re-created on headnode1/);
  }, 90_000);
});
