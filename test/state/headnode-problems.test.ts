import { describe, expect, it } from 'vitest';
import { blocksRestore } from '../../src/state/problem.js';
import { dhcpdProblems } from '../../src/state/dhcpd-problems.js';
import { headnodeCountProblems } from '../../src/state/headnode-problems.js';
import { usbkeyProblems, type UsbkeyFact } from '../../src/state/usbkey-problems.js';
import { platformProblems } from '../../src/state/platform-problems.js';

const hn = (hostname: string, state: 'alive' | 'dead' = 'alive') => ({ hostname, uuid: `${hostname}-uuid`, state });
const dhcpd = (alias: string, host: string, serverAlive = true, running: boolean | undefined = true) => ({
  alias,
  hostname: host,
  serverUuid: `${host}-uuid`,
  serverAlive,
  running,
});

describe('dhcpdProblems', () => {
  it('disaster: a running dhcpd on a live server is enough; a stopped one is not', () => {
    expect(dhcpdProblems([dhcpd('dhcpd0', 'hn0', false), dhcpd('dhcpd1', 'hn1')], 'disaster', [])).toEqual([]);
    // Nothing the restore re-creates: compute nodes cannot boot, a critical problem.
    const [p] = dhcpdProblems([dhcpd('dhcpd0', 'hn0', false), dhcpd('dhcpd1', 'hn1', true, false)], 'disaster', []);
    expect(p).toMatchObject({ code: 'NO_DHCPD_SURVIVOR', severity: 'critical' });
    expect(p!.message).toContain('dhcpd1 on hn1 (zone not running)');
    expect(p!.fix).toContain('sdcadm create dhcpd -s <headnode uuid> --dev-allow-multiple-instances -y');
    // The restore re-creates dhcpd0: a warning that says until when.
    const [w] = dhcpdProblems([dhcpd('dhcpd0', 'hn0', false)], 'disaster', [], ['dhcpd0']);
    expect(w).toMatchObject({ code: 'NO_DHCPD_SURVIVOR', severity: 'warning' });
    expect(w!.message).toContain('until the restore re-creates dhcpd0 here');
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
    expect(p!.message).toBe(
      'the DC has 2 headnodes (a, b), 3 wanted; only 1 alive (b): losing it too loses the control plane',
    );
  });
});

describe('usbkeyProblems', () => {
  it('disaster: critical per service to restore here; readiness: a warning per headnode', () => {
    const here = { hostname: 'hn1', local: true, present: false };
    expect(usbkeyProblems([here], 'disaster', ['assets']).map((p) => [p.severity, p.service])).toEqual([
      ['critical', 'assets'],
    ]);
    expect(usbkeyProblems([here], 'disaster', []).map((p) => p.severity)).toEqual(['warning']);
    expect(
      usbkeyProblems([here, { hostname: 'hn2', local: false, present: false }], 'readiness', ['assets']).map((p) => [
        p.severity,
        p.message.slice(0, 3),
      ]),
    ).toEqual([
      ['warning', 'hn1'],
      ['warning', 'hn2'],
    ]);
    expect(usbkeyProblems([{ ...here, present: true }], 'disaster', ['assets'])).toEqual([]);
  });
});

describe('usbkeyProblems: /usbkey/extra', () => {
  const key = (hostname: string, local: boolean, extraMissing: string[] = []): UsbkeyFact => ({
    hostname,
    local,
    present: true,
    adminIp: `ip-${hostname}`,
    extraMissing,
    extraUnknown: [],
  });

  it('names what compute node setup would miss, and copies it from a headnode that has it', () => {
    const [p] = usbkeyProblems([key('hn1', true, ['agents/latest']), key('hn2', false)], 'disaster', ['assets']);
    expect(p).toMatchObject({
      severity: 'warning',
      code: 'USBKEY_MISSING',
      fix: 'on hn1: scp -rp ip-hn2:/usbkey/extra/agents /usbkey/extra/',
    });
    expect(p!.message).toContain('so the assets restored on hn1 would answer 404');
  });

  it('without a donor, agents come from /usbkey/ur-scripts as headnode.sh does; disaster ignores other headnodes', () => {
    const [p] = usbkeyProblems([key('hn1', false, ['agents/latest', 'joysetup/node.config'])], 'readiness', []);
    expect(p!.message).toMatch(
      /^hn1's \/usbkey\/extra lacks agents\/latest, joysetup\/node.config: compute node setup downloads them/,
    );
    expect(p!.fix).toContain('cp -P /usbkey/ur-scripts/agents-*.sh /usbkey/extra/agents/');
    expect(p!.fix).toContain('scp -rp <a headnode that has them>:/usbkey/extra/joysetup /usbkey/extra/');
    expect(usbkeyProblems([key('hn1', true), key('hn2', false, ['agents/latest'])], 'disaster', ['assets'])).toEqual(
      [],
    );
  });
});

describe('platformProblems', () => {
  const OLD = '20240307T000552Z';
  const NEW = '20260901T101010Z';
  const key = (hostname: string, platforms: string[] | undefined, local = false): UsbkeyFact => ({
    hostname,
    local,
    present: true,
    adminIp: `ip-${hostname}`,
    platforms,
    latest: true,
  });
  const cn = (hostname: string, platform: string) => ({ hostname, uuid: `${hostname}-uuid`, platform });

  it('disaster: critical when no survivor holds a platform a compute node boots; the fix is on this headnode', () => {
    const ps = platformProblems(
      [cn('cn0', OLD), cn('cn1', NEW)],
      [key('hn1', [NEW], true), key('hn2', [NEW])],
      'disaster',
      'hn1',
    );
    expect(ps.map((p) => [p.severity, p.code])).toEqual([['critical', 'PLATFORM_MISSING']]);
    expect(ps[0]!.message).toMatch(
      new RegExp(
        `^compute node cn0 boots platform ${OLD}, which no surviving headnode's /usbkey/os holds \\(hn1: ${NEW}; hn2: ${NEW}\\)`,
      ),
    );
    expect(ps[0]!.fix).toMatch(/^on hn1: install it on the USB key: sdcadm platform install/);
    expect(platformProblems([cn('cn0', OLD)], [key('hn1', [NEW], true), key('hn2', [OLD])], 'disaster', 'hn1')).toEqual(
      [],
    );
  });

  it('readiness: a warning when only one headnode holds it, none when two do; "latest" is the link', () => {
    const [p] = platformProblems(
      [cn('cn0', OLD)],
      [key('hn0', [OLD, NEW]), key('hn1', [NEW], true)],
      'readiness',
      'hn1',
    );
    expect(p).toMatchObject({
      severity: 'warning',
      fix: `on hn1: copy it from hn0: scp -rp ip-hn0:/usbkey/os/${OLD} /usbkey/os/, or install it on the USB key: sdcadm platform install <platform-${OLD}.tgz or its image UUID> (needs SAPI), or /usbkey/scripts/install-platform.sh <URL or path of platform-${OLD}.tgz>`,
    });
    expect(p!.message).toContain('if hn0 died, it could not boot again');
    expect(
      platformProblems([cn('cn0', OLD)], [key('hn0', [OLD]), key('hn1', [OLD], true)], 'readiness', 'hn1'),
    ).toEqual([]);
    expect(
      platformProblems([cn('cn0', 'latest')], [key('hn0', [NEW]), key('hn1', [NEW], true)], 'readiness', 'hn1'),
    ).toEqual([]);
  });

  it('an unlisted /usbkey/os is a warning to look by hand, never taken for empty; many compute nodes are counted', () => {
    const cns = Array.from({ length: 10 }, (_, i) => cn(`cn${i}`, OLD));
    const [p] = platformProblems(
      cns,
      [key('hn1', [NEW], true), { ...key('hn2', undefined), osWhy: 'no answer within 5 s' }],
      'disaster',
      'hn1',
    );
    expect(p).toMatchObject({ severity: 'warning', fix: 'check by hand: ls /usbkey/os on hn2' });
    expect(p!.message).toMatch(/^10 compute nodes cn0, cn1, cn2, cn3, cn4, cn5, cn6, cn7 and 2 more boot platform/);
    expect(p!.message).toContain('hn2: not listed (no answer within 5 s)');
  });

  it('does not hold the restore back: the control plane is what it takes to fix it', () => {
    const [p] = platformProblems([cn('cn0', OLD)], [key('hn1', [NEW], true)], 'disaster', 'hn1');
    expect(p!.severity).toBe('critical');
    expect(blocksRestore(p!)).toBe(false);
    expect(blocksRestore({ severity: 'critical', code: 'USBKEY_MISSING', message: '' })).toBe(true);
  });
});
