// The run log's line for an action: work prepared ahead of its zone's turn says
// so first, where an 80-column screen cannot cut it off.
import { expect, it } from 'vitest';
import { restoreEvents } from '../../src/app/console/restore-events.js';
import type { Event } from '../../src/state/console/index.js';
import type { PlanAction } from '../../src/state/plan.js';

it('an action that ran ahead is marked at the start of its line; one found done is not', () => {
  const events: Event[] = [];
  const ev = restoreEvents(
    (e) => events.push(e),
    () => {},
  );
  const a = { id: 'sapi/sapi0/create-vm', summary: `create sapi0 (${'x'.repeat(60)}) stopped` } as PlanAction;
  ev.actionEnd?.(a, { ok: true, skipped: false, detail: '', ms: 4_000, ranAhead: true });
  ev.actionEnd?.(a, { ok: true, skipped: true, detail: 'zone exists', ms: 10 });
  const lines = events.flatMap((e) => (e.t === 'log' ? e.lines : []));
  expect(lines[0]).toMatch(/^ok {3}ahead: create sapi0 /);
  expect(lines[1]).toMatch(/^skip create sapi0 .* \(already done: zone exists\)/);
});
