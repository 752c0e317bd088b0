// Recovery IPs: how many a restore needs, which reserved IPs count, which to reserve.
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/state/inventory.js';
import { pickIpsToReserve, recoveryIpsNeeded, reservedRecoveryIps } from '../../src/state/recovery-ips.js';

const NET = {
  subnet: '10.99.99.0/24',
  gateway: '10.99.99.1',
  provisionStart: '10.99.99.40',
  provisionEnd: '10.99.99.250',
};
const HN = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;

describe('recovery IPs', () => {
  it("needs the largest restore any one headnode's loss would cause (HA members and services elsewhere excluded)", () => {
    const inst = (service: string, alias: string, server: string) => ({
      service,
      uuid: `${alias}-x`,
      alias,
      serverUuid: server,
      adminIp: undefined,
      image: undefined,
      delegatedDataset: false,
    });
    const inv: Inventory = {
      servers: [0, 1, 2].map((n) => ({ uuid: HN(n), hostname: `headnode${n}`, headnode: true, adminIp: undefined })),
      instances: [
        inst('sapi', 'sapi0', HN(0)),
        inst('vmapi', 'vmapi0', HN(0)),
        inst('cloudapi', 'cloudapi0', HN(0)),
        inst('cloudapi', 'cloudapi1', HN(1)), // runs elsewhere too: not restored
        inst('manatee', 'manatee0', HN(0)), // survivor: never restored
        inst('adminui', 'adminui0', HN(2)),
      ],
    };
    expect(recoveryIpsNeeded(inv)).toEqual({ needed: 2, worst: 'headnode0' });
    expect(recoveryIpsNeeded({ servers: [], instances: [] })).toEqual({ needed: 0, worst: undefined });
  });

  it('counts reserved IPs owned by nothing, in the subnet, not the gateway nor in use', () => {
    const records = [
      { ip: '10.99.99.1', reserved: true, belongs_to_uuid: HN(9) },
      { ip: '10.99.99.220', reserved: true },
      { ip: '10.99.99.221', reserved: true },
      { ip: '10.99.99.222', reserved: true, belongs_to_uuid: HN(1) }, // a NIC took it
      { ip: '10.99.99.30', reserved: false, belongs_to_uuid: HN(2) },
      { ip: '10.99.98.5', reserved: true }, // another subnet
    ];
    expect(reservedRecoveryIps(NET, records, new Set(['10.99.99.221']))).toEqual(['10.99.99.220']);
  });

  it('reserves free IPs from the top of the provision range down', () => {
    const records = [
      { ip: '10.99.99.250', reserved: false, belongs_to_uuid: HN(1) },
      { ip: '10.99.99.248', reserved: false, free: true },
    ];
    expect(pickIpsToReserve(NET, records, new Set(['10.99.99.249']), 3)).toEqual([
      '10.99.99.248',
      '10.99.99.247',
      '10.99.99.246',
    ]);
    expect(pickIpsToReserve(NET, [], new Set(), 0)).toEqual([]);
    // A tiny range runs out rather than leaving it.
    expect(pickIpsToReserve({ ...NET, provisionStart: '10.99.99.249' }, [], new Set(), 5)).toEqual([
      '10.99.99.250',
      '10.99.99.249',
    ]);
  });
});
