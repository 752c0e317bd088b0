import { describe, expect, it } from 'vitest';
import { adminIpPool, adminIpsNeeded } from '../../src/state/admin-ips.js';

const NET = { subnet: '10.0.0.0/24', gateway: '10.0.0.1', provisionStart: '10.0.0.1', provisionEnd: '10.0.0.10' };
const OWNER = '11111111-1111-1111-1111-111111111111';

describe('adminIpPool', () => {
  it('reserved recovery IPs first (unless a NIC or a known zone holds them), then free range IPs', () => {
    const pool = adminIpPool({
      network: NET,
      records: [
        { ip: '10.0.0.3', reserved: false, belongs_to_uuid: OWNER }, // a zone NIC
        { ip: '10.0.0.9', reserved: true, belongs_to_uuid: OWNER }, // recovery IP already taken
        { ip: '10.0.0.10', reserved: true }, // recovery IP, free to use
        { ip: '10.0.0.5', reserved: true }, // reserved for something else
        { ip: '10.0.0.6', reserved: false, free: true }, // NAPI says free
      ],
      recoveryIps: ['10.0.0.10', '10.0.0.9', '10.0.0.8', '10.0.0.10'],
      inUse: ['10.0.0.8', '10.0.0.2'],
    });
    expect(pool.reserved).toEqual(['10.0.0.10']);
    expect(pool.reservedHeld).toEqual(['10.0.0.9', '10.0.0.8']);
    // 10.0.0.1..10: minus gateway .1, .2 in use, .3 NIC, .5 reserved, .8/.9/.10 recovery -> .4 .6 .7
    expect(pool.freeInRange).toBe(3);
    expect(pool.available).toBe(4);
    expect(pool.candidates).toEqual(['10.0.0.10', '10.0.0.4', '10.0.0.6', '10.0.0.7']);
  });

  it('never hands out the network or broadcast address, and clips the range to the subnet', () => {
    const pool = adminIpPool({
      network: { subnet: '10.0.0.0/30', provisionStart: '10.0.0.0', provisionEnd: '10.0.0.200' },
      records: [],
      recoveryIps: [],
      inUse: [],
    });
    expect(pool.candidates).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(pool.available).toBe(2);
  });

  it('counts exactly but lists at most listLimit candidates', () => {
    const pool = adminIpPool({
      network: { subnet: '10.0.0.0/16', provisionStart: '10.0.1.0', provisionEnd: '10.0.200.255' },
      records: [],
      recoveryIps: ['10.9.9.9'],
      inUse: [],
      listLimit: 3,
    });
    expect(pool.available).toBe(1 + 200 * 256);
    expect(pool.candidates).toEqual(['10.9.9.9', '10.0.1.0', '10.0.1.1']);
  });

  it('without a known admin network only the recovery IPs count; IPv6 and junk are ignored', () => {
    expect(
      adminIpPool({
        network: undefined,
        records: [{ ip: 'fd00::1', belongs_to_uuid: OWNER }],
        recoveryIps: ['10.0.0.4', 'nope'],
        inUse: [],
      }),
    ).toMatchObject({ available: 1, candidates: ['10.0.0.4'] });
    expect(
      adminIpPool({
        network: { subnet: 'fd00::/64', provisionStart: 'fd00::10', provisionEnd: 'fd00::20' },
        records: [],
        recoveryIps: [],
        inUse: [],
      }).available,
    ).toBe(0);
  });
});

describe('adminIpsNeeded', () => {
  it('new needs one per zone; reuse keeps the old ones', () => {
    expect(adminIpsNeeded('new', 21)).toBe(21);
    expect(adminIpsNeeded('reuse', 21)).toBe(0);
  });
});
