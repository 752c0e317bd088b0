import { describe, expect, it } from 'vitest';
import { dhcpdProblems, headnodeCountProblems, usbkeyProblems } from '../../src/state/headnode-problems.js';

const hn = (hostname: string, state: 'alive' | 'dead' = 'alive') => ({ hostname, uuid: `${hostname}-uuid`, state });
const dhcpd = (alias: string, host: string, serverAlive = true, running: boolean | undefined = true) => ({ alias, hostname: host, serverUuid: `${host}-uuid`, serverAlive, running });

describe('dhcpdProblems', () => {
  it('disaster: a running dhcpd on a live server is enough; a stopped one is not', () => {
    expect(dhcpdProblems([dhcpd('dhcpd0', 'hn0', false), dhcpd('dhcpd1', 'hn1')], 'disaster', [])).toEqual([]);
    const [p] = dhcpdProblems([dhcpd('dhcpd0', 'hn0', false), dhcpd('dhcpd1', 'hn1', true, false)], 'disaster', []);
    expect(p).toMatchObject({ code: 'NO_DHCPD_SURVIVOR', severity: 'warning' });
    expect(p!.message).toContain('dhcpd1 on hn1 (zone not running)');
  });

  it('readiness: names each headnode whose loss would leave no dhcpd', () => {
    const hns = [hn('hn0'), hn('hn1'), hn('hn2')];
    expect(dhcpdProblems([dhcpd('dhcpd0', 'hn0'), dhcpd('dhcpd1', 'hn1')], 'readiness', hns)).toEqual([]);
    const [p] = dhcpdProblems([dhcpd('dhcpd0', 'hn0')], 'readiness', hns);
    expect(p!.message).toMatch(/^if hn0 died, no dhcpd would survive/);
  });
});

describe('headnodeCountProblems', () => {
  it('3 headnodes, 2 alive in a disaster: fine; fewer: a warning saying why', () => {
    expect(headnodeCountProblems([hn('a', 'dead'), hn('b'), hn('c')], 'disaster')).toEqual([]);
    const [p] = headnodeCountProblems([hn('a', 'dead'), hn('b')], 'disaster');
    expect(p!.message).toBe('the DC has 2 headnodes (a, b), 3 wanted; only 1 alive (b): losing it too loses the control plane');
  });
});

describe('usbkeyProblems', () => {
  it('disaster: critical per service to restore here; readiness: a warning per headnode', () => {
    const here = { hostname: 'hn1', local: true, present: false };
    expect(usbkeyProblems([here], 'disaster', ['assets']).map((p) => [p.severity, p.service])).toEqual([['critical', 'assets']]);
    expect(usbkeyProblems([here], 'disaster', []).map((p) => p.severity)).toEqual(['warning']);
    expect(usbkeyProblems([here, { hostname: 'hn2', local: false, present: false }], 'readiness', ['assets']).map((p) => [p.severity, p.message.slice(0, 3)])).toEqual([
      ['warning', 'hn1'],
      ['warning', 'hn2'],
    ]);
    expect(usbkeyProblems([{ ...here, present: true }], 'disaster', ['assets'])).toEqual([]);
  });
});
