import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, readJournal } from '../../src/steps/journal.js';
import { tempDir } from '../support/sim-dc.js';

describe('journal', () => {
  it('a skip decides for its run only: done services stay done, skipped ones are asked again', () => {
    const dir = tempDir();
    const j = new Journal(dir, 'run-1');
    j.append({ t: 'service', service: 'assets/assets0', status: 'done', detail: 'healthy' });
    j.append({ t: 'service', service: 'sapi/sapi0', status: 'skipped', detail: 'drill' });
    j.close();
    expect([...readJournal(dir).finished.keys()]).toEqual(['assets/assets0']);
  });

  it("a torn last line (a kill mid-write) does not swallow the next run's first entry", () => {
    const dir = tempDir();
    const j1 = new Journal(dir, 'run-1');
    j1.append({ t: 'start', id: 'sapi/sapi0/create-vm', service: 'sapi', kind: 'create-vm', host: 'headnode1' });
    j1.close();
    appendFileSync(join(dir, 'journal.jsonl'), '{"ts":"2026-11-21T00:00:00Z","run":"run-1","t":"end","id":"sapi/sa'); // torn
    const j2 = new Journal(dir, 'run-2');
    j2.append({ t: 'decision', decision: 'recheck', detail: 'after a crash' });
    j2.close();
    const st = readJournal(dir);
    expect(st.badLines.map((b) => b.line)).toEqual([2]);
    expect(st.decisions.map((d) => d.run)).toEqual(['run-2']);
    // The start without an end is open: it will be re-checked, not repeated.
    expect(st.open.map((o) => o.id)).toEqual(['sapi/sapi0/create-vm']);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });
});
