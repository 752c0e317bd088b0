// Which lost instances a restore re-creates. The rule that keeps a zone from
// running twice in the DC (sdc's hermes, ufds, imgapi, assets: two would
// fight) is general: a service that still runs on another server is never
// re-created, whatever the catalogue says of it.
import { describe, expect, it } from 'vitest';
import type { InvInstance, Inventory } from '../../src/state/inventory.js';
import { lostInstances, toRestore } from '../../src/state/lost.js';

const DEAD = 'dead-server';
const inst = (service: string, alias: string, serverUuid: string): InvInstance => ({
  service,
  uuid: `${alias}-uuid`,
  alias,
  serverUuid,
  adminIp: undefined,
  image: undefined,
  delegatedDataset: false,
});
const inv = (instances: InvInstance[]): Inventory => ({ servers: [], instances });

describe('lostInstances', () => {
  it('re-creates a service whose only instance died with the dead server', () => {
    expect(toRestore(lostInstances(inv([inst('sdc', 'sdc0', DEAD)]), new Set([DEAD]))).map((l) => l.alias)).toEqual([
      'sdc0',
    ]);
  });

  it('never plans a second instance of a service that still runs on another server', () => {
    const lost = lostInstances(inv([inst('sdc', 'sdc0', DEAD), inst('sdc', 'sdc1', 'live-server')]), new Set([DEAD]));
    expect(toRestore(lost)).toEqual([]);
    expect(lost).toEqual([expect.objectContaining({ alias: 'sdc0', notRestored: 'sdc still runs on another server' })]);
  });
});
