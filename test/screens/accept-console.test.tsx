// Accepting a change from the console's home (issue 16 item 4, review): a word
// whose change has gone meanwhile, or an acceptance that cannot be written, is
// said on home, not dropped or only logged on the run screen. A real
// ConsoleSession on the simulated DC.
import { render } from 'ink-testing-library';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/app/console/session.js';
import { App } from '../../src/screens/App.js';
import { createStore, type Store } from '../../src/screens/store.js';
import { initialState } from '../../src/state/console/index.js';
import { Journal } from '../../src/steps/journal.js';
import { loadState } from '../support/restore-oracle.js';
import { openTestSim, scenario, until } from '../support/sim-dc.js';

/** Above any pid_max: no such process. */
const GONE_PID = 99_999_999;

describe('console: accepting a change', () => {
  it('a word whose change is gone, and a journal that cannot be written, are said on home', async () => {
    const t = await openTestSim(scenario(), 400);
    const uuid = loadState(t.statePath).instances.find((i) => i.server === 'headnode1')!.uuid;
    const dir = join(t.dir, 'journal');
    const j = new Journal(dir, 'run-1');
    j.append({ t: 'run', command: 'triton-recover restore', who: 'root', host: 'hn', pid: GONE_PID, job: 'restore' });
    j.append({ t: 'plan', plan: { steps: [{ service: 'x', alias: 'x0', uuid }], reconcile: [] } });
    j.append({ t: 'start', id: 'x/x0/create-vm', service: 'x', kind: 'create-vm', host: 'headnode1' });
    j.close();

    let session: ConsoleSession | undefined;
    const store: Store = createStore(initialState('simulated', Date.now()), (e) => session?.handle(e));
    session = new ConsoleSession(
      t.sim,
      {
        journalDir: dir,
        timing: { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 },
        probeTimeoutMs: 500,
        resumeCommand: 'triton-recover',
      },
      (e) => store.dispatch(e),
    );
    const ui = render(
      <App store={store} theme={{ color: false, ascii: true, serial: true, tickMs: 5000 }} rows={60} cols={200} />,
    );
    const frame = (): string => (ui.lastFrame() ?? '').replace(/\s+/g, ' ');
    await session.check();
    await until('x0 listed', () => frame().includes('[x0] headnode1'), 10_000);

    // The word was right when typed, but the change is no longer in the list read.
    session.handle({ t: 'acceptChange', word: 'x1' });
    await until('said on home', () =>
      frame().includes('nothing was accepted: no change still in effect is called "x1"'),
    );
    expect(store.get().screen).toBe('home');

    // The journal cannot be written (a directory where the file was).
    rmSync(join(dir, 'journal.jsonl'));
    mkdirSync(join(dir, 'journal.jsonl'));
    session.handle({ t: 'acceptChange', word: 'x0' });
    await until('the failure on home', () => frame().includes('nothing was accepted: could not write the acceptance'));
    expect(frame()).toContain(`of "x0" to ${join(dir, 'journal.jsonl')}`);
    expect(frame()).toContain('accept it again: triton-recover accept x0');
    expect(store.get().screen).toBe('home');
    session.handle({ t: 'exit' });
    ui.unmount();
  }, 30_000);
});
