import { describe, expect, it } from 'vitest';
import { ipProblems, type IpHolder, type PlannedIp } from '../../src/state/ip-clash.js';

const Z1 = '11111111-1111-4111-8111-111111111111';
const Z2 = '22222222-2222-4222-8222-222222222222';
const planned = (ip: string, uuid = Z1, extra: Partial<PlannedIp> = {}): PlannedIp => ({
  ip,
  zone: { alias: uuid === Z1 ? 'sapi0' : 'assets0', uuid, service: uuid === Z1 ? 'sapi' : 'assets' },
  nicTag: 'admin',
  from: 'its vm dump',
  ...extra,
});
const admin = { subnet: '10.99.99.0/24', gateway: '10.99.99.1' };
const judge = (plan: PlannedIp[], holders: IpHolder[] = []) =>
  ipProblems({ plans: [plan], holders, adminNetwork: admin });

describe('ipProblems', () => {
  it('a usable admin IP held by nothing else: no problem', () => {
    expect(judge([planned('10.99.99.30')])).toEqual([]);
  });

  it('its own old NIC record (same uuid) is no clash; another zone seen twice is one problem naming both sources', () => {
    const holders: IpHolder[] = [
      {
        ip: '10.99.99.30',
        uuid: Z1,
        kind: 'napi-record',
        name: "NAPI's record for sapi0",
        source: 'dc/admin-ips.json',
      },
      {
        ip: '10.99.99.30',
        uuid: Z2,
        kind: 'napi-record',
        name: "NAPI's record for rogue",
        source: 'dc/admin-ips.json',
      },
      {
        ip: '10.99.99.30',
        uuid: Z2,
        kind: 'zone',
        name: 'zone rogue0 (x) on headnode2, running',
        source: 'vmadm lookup on headnode2',
      },
    ];
    const ps = judge([planned('10.99.99.30')], holders);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.code).toBe('IP_CONFLICT');
    expect(ps[0]!.message).toContain(
      'is held by zone rogue0 (x) on headnode2, running (seen by dc/admin-ips.json; vmadm lookup on headnode2)',
    );
  });

  it('network, broadcast, outside and gateway addresses of the admin network', () => {
    const ps = judge([planned('10.99.99.0'), planned('10.99.99.255'), planned('10.99.100.3'), planned('10.99.99.1')]);
    expect(ps.map((p) => p.code)).toEqual(['IP_INVALID', 'IP_INVALID', 'IP_INVALID', 'IP_CONFLICT']);
    expect(ps[0]!.message).toContain('the network address of the admin network 10.99.99.0/24');
    expect(ps[1]!.message).toContain('the broadcast address of');
    expect(ps[2]!.message).toContain('outside the admin network');
    expect(ps[3]!.message).toContain('held by the gateway (router)');
  });

  it('a non-admin NIC is judged by its own gateway and netmask', () => {
    const ext = (ip: string): PlannedIp =>
      planned(ip, Z1, { nicTag: 'external', netmask: '255.255.255.0', gateway: '10.88.88.2' });
    expect(judge([ext('10.88.88.5')])).toEqual([]);
    expect(judge([ext('10.88.88.255')])[0]!.message).toContain(
      'the broadcast address of its external network 10.88.88.0/24',
    );
    expect(judge([ext('10.88.88.2')])[0]!.code).toBe('IP_CONFLICT');
  });

  it('two zones of one restore on one IP; the same IP in two different hypothetical restores is fine', () => {
    const ps = judge([planned('10.99.99.30', Z2), planned('10.99.99.30', Z1)]);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/^10\.99\.99\.30 is given to two re-created zones: assets0 .* and sapi0 /);
    expect(
      ipProblems({
        plans: [[planned('10.99.99.30', Z2)], [planned('10.99.99.30', Z1)]],
        holders: [],
        adminNetwork: admin,
      }),
    ).toEqual([]);
  });

  it('dhcp and empty IPs are not judged', () => {
    expect(judge([planned('dhcp'), planned('')])).toEqual([]);
  });
});
