// The compute node boot verdict (src/state/cn-boot.ts), pure: what can and
// cannot be told, and the first-offer rule.
import { describe, expect, it } from 'vitest';
import { cnBootVerdict, type BooterFact, type CnTarget } from '../../src/state/cn-boot.js';
import type { UsbkeyFact } from '../../src/state/usbkey-problems.js';

const MAC = '0c:00:00:00:00:01';
const cn: CnTarget = { hostname: 'cn0', uuid: 'u-cn0', platform: 'P1', adminMacs: [MAC] };
const booter = (alias: string, hostname: string, o: Partial<BooterFact> = {}): BooterFact => ({
  alias,
  uuid: `u-${alias}`,
  hostname,
  serverUuid: `u-${hostname}`,
  serverAlive: true,
  serving: true,
  cacheMacs: [MAC],
  ...o,
});
const key = (hostname: string, platforms: string[] | undefined, o: Partial<UsbkeyFact> = {}): UsbkeyFact => ({
  hostname,
  uuid: `u-${hostname}`,
  local: false,
  present: true,
  platforms,
  ...o,
});

describe('cnBootVerdict', () => {
  it('boots from a running dhcpd with its cache entry and platform', () => {
    expect(cnBootVerdict(cn, [booter('dhcpd1', 'hn1')], [key('hn1', ['P1'])])).toMatchObject({
      boots: true,
      answeredBy: ['dhcpd1'],
    });
  });

  it('a zone without the cache entry does not answer; one that answers without the platform fails the boot (first offer wins)', () => {
    expect(
      cnBootVerdict(
        cn,
        [booter('dhcpd0', 'hn0', { cacheMacs: [] }), booter('dhcpd1', 'hn1')],
        [key('hn0', []), key('hn1', ['P1'])],
      ).boots,
    ).toBe(true);
    const v = cnBootVerdict(
      cn,
      [booter('dhcpd0', 'hn0'), booter('dhcpd1', 'hn1')],
      [key('hn0', []), key('hn1', ['P1'])],
    );
    expect(v).toMatchObject({
      boots: false,
      failure: 'platform',
      why: 'dhcpd0 on hn0 would answer it, but the /usbkey/os of hn0 lacks its platform P1',
    });
  });

  it('cannot tell (null) rather than guess: no admin MAC known, a cache not listed, a key not listed', () => {
    expect(cnBootVerdict({ ...cn, adminMacs: [] }, [booter('dhcpd1', 'hn1')], [key('hn1', ['P1'])]).boots).toBeNull();
    expect(
      cnBootVerdict(
        cn,
        [booter('dhcpd1', 'hn1', { cacheMacs: undefined, cacheWhy: 'timed out' })],
        [key('hn1', ['P1'])],
      ).why,
    ).toContain('could not be listed (timed out)');
    expect(cnBootVerdict(cn, [booter('dhcpd1', 'hn1')], [key('hn1', undefined)]).boots).toBeNull();
  });

  it('"latest" is served when the key has the latest link', () => {
    const latest = { ...cn, platform: 'latest' };
    expect(cnBootVerdict(latest, [booter('dhcpd1', 'hn1')], [key('hn1', ['P1'], { latest: true })]).boots).toBe(true);
    expect(cnBootVerdict(latest, [booter('dhcpd1', 'hn1')], [key('hn1', ['P1'], { latest: false })]).boots).toBe(false);
  });

  it('no dhcpd running: would not boot', () => {
    expect(cnBootVerdict(cn, [booter('dhcpd1', 'hn1', { serving: false })], [key('hn1', ['P1'])])).toMatchObject({
      boots: false,
      failure: 'no-dhcpd',
    });
  });
});
