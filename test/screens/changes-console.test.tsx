// The console's home lists the changes still in effect before anything else is
// chosen, and `a` then a typed word accepts one (ink-testing-library; the pty
// test of the linear console runs it after a real kill -9).
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/screens/App.js';
import { createStore } from '../../src/screens/store.js';
import type { ChangeInEffect } from '../../src/state/changes-in-effect.js';
import type { CheckReport } from '../../src/state/check-report.js';
import { initialState, type Effect } from '../../src/state/console/index.js';

const UUID = '67be4635-bfdb-527a-8b91-44daa9249090';
const zone: ChangeInEffect = {
  id: 'zone:sapi/sapi0',
  kind: 'zone',
  host: 'headnode1',
  what: `sapi0 (${UUID}) created (stopped), not started`,
  zone: { service: 'sapi', alias: 'sapi0', uuid: UUID },
  since: '2026-12-02T10:00:00.000Z',
  finish: 'triton-recover restore --yes --fenced headnode0',
  undo: `on headnode1: vmadm delete ${UUID}`,
  word: 'sapi0',
};
const lock: ChangeInEffect = {
  id: 'lock:headnode2:2026-12-02T10:00:00.000Z',
  kind: 'lock',
  host: 'headnode2',
  what: 'recovery lock /var/sdcadm/triton-recover.lock left by a gone process',
  since: '2026-12-02T10:00:00.000Z',
  finish: 'rerun the restore',
  word: 'lock-headnode2',
};

const report = (changes: ChangeInEffect[]): CheckReport => ({
  mode: 'disaster',
  verdict: 'degraded',
  primary: { hostname: 'headnode0', uuid: 'u0', state: 'dead', evidence: [] },
  headnodes: [],
  services: [],
  adminIps: { needed: 0, available: 30 },
  problems: [],
  changesInEffect: changes,
});

function setup(changes: ChangeInEffect[]) {
  const effects: Effect[] = [];
  const store = createStore(initialState('test', Date.now()), (e) => effects.push(e));
  store.dispatch({ t: 'checked', report: report(changes) });
  const ui = render(
    <App store={store} theme={{ color: false, ascii: true, serial: true, tickMs: 5000 }} rows={24} cols={80} />,
  );
  const press = async (keys: string): Promise<void> => {
    for (const k of keys) {
      ui.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { frame: () => ui.lastFrame() ?? '', press, effects };
}

describe('home: changes still in effect', () => {
  it('lists each change with its word, and says how to accept one', () => {
    const { frame } = setup([zone, lock]);
    expect(frame()).toContain('CHANGES STILL IN EFFECT (2): a run stopped before finishing them (below)');
    expect(frame()).toContain('[sapi0] headnode1: sapi0 (67be4635');
    expect(frame()).toContain('[lock-headnode2] headnode2: recovery lock');
    expect(frame()).toContain('a:accept a change');
    // The menu is still there, under the list, on a 24-row screen.
    expect(frame()).toContain('1 Restore after a dead primary');
  });

  it('says nothing of changes when there are none, and a does nothing', async () => {
    const { frame, press, effects } = setup([]);
    expect(frame()).not.toContain('CHANGES STILL IN EFFECT');
    expect(frame()).not.toContain('a:accept');
    await press('a');
    expect(frame()).not.toContain('Type the word');
    expect(effects).toEqual([]);
  });

  it('a, then a word that names no change: refused; then the word shown: accepted', async () => {
    const { frame, press, effects } = setup([zone, lock]);
    await press('a');
    expect(frame()).toContain('Type the word in [brackets] of the change to accept (Esc: none): _');
    await press('sapi\r');
    expect(frame()).toContain('"sapi" is none of the words shown (sapi0, lock-headnode2)');
    expect(effects).toEqual([]);
    await press('sapi0\r');
    expect(effects).toEqual([{ t: 'acceptChange', word: 'sapi0' }]);
    expect(frame()).not.toContain('Type the word');
  });

  it('Esc leaves the question and accepts nothing', async () => {
    const { frame, press, effects } = setup([zone]);
    await press('a');
    await press('sapi0');
    await press('\x1b');
    await new Promise((r) => setTimeout(r, 50));
    expect(frame()).not.toContain('Type the word');
    expect(effects).toEqual([]);
  });
});
