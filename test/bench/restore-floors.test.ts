// The bench's floors from a plan: the serial floor counts every zone's
// preparation, the pipelined one only the first zone's; a zone's run is the
// longer of its start and its first boot plus one round of health checks.
import { describe, expect, it } from 'vitest';
import { restoreFloors, prepMs, runMs } from '../../src/bench/restore-floors.js';
import type { PlanAction, PlanStep } from '../../src/state/plan.js';

const lat: Record<string, number> = {
  'vmadm create': 40,
  'zfs recv': 30,
  'imgadm install': 70,
  'vmadm start': 20,
  'zone first boot': 200,
  default: 4,
  http: 1,
};
const latOf = (k: string): number => lat[k] ?? lat[k.split(' ')[0]!] ?? lat['default']!;

function step(kinds: PlanAction['kind'][], http = false): PlanStep {
  const actions = kinds.map((kind) => ({
    id: kind,
    kind,
    host: 'hn1',
    summary: kind,
    ...(kind === 'wait-healthy' && http ? { http: { method: 'GET' as const, url: 'http://10.0.0.1/ping' } } : {}),
  })) as PlanAction[];
  return {
    service: 's',
    alias: 's0',
    uuid: 'u',
    adminIp: '10.0.0.1',
    old: { uuid: 'u', alias: 's0', adminIp: '10.0.0.1' },
    image: 'i',
    delegatedDataset: true,
    images: [],
    actions,
    notes: [],
  };
}

describe('restore floors', () => {
  const a = step(['install-image', 'create-vm', 'receive-dataset', 'start-vm', 'wait-healthy'], true);
  const b = step(['create-vm', 'start-vm', 'wait-healthy']);

  it("a zone's preparation is its leading image, create and receive; its run the boot and one health round", () => {
    expect(prepMs(a, latOf)).toBe(70 + 40 + 30);
    expect(prepMs(b, latOf)).toBe(40);
    expect(runMs(a, latOf)).toBe(200 + 4 + 4 + 4 + 1);
    expect(runMs(b, latOf)).toBe(200 + 4 + 4 + 4);
  });

  it("serial sums everything; pipelined keeps only the first zone's preparation", () => {
    const f = restoreFloors([a, b], latOf);
    expect(f.serialFloorMs).toBe(140 + 40 + 213 + 212);
    expect(f.pipelinedFloorMs).toBe(140 + 213 + 212);
  });
});
