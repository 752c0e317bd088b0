import { describe, expect, it } from 'vitest';
import { buildDate, buildStamp, convertProblems, type ConvertFacts } from '../../src/state/convert-checks.js';

const ok: ConvertFacts = {
  query: 'cn0',
  target: { uuid: 'u', hostname: 'cn0', headnode: false, setup: true, alive: true, platform: '20260901T101010Z' },
  gzTools: { version: 'master-20260901T101010Z-g0a1b2c3' },
  sapiMode: { mode: 'full' },
  headnodes: ['headnode0', 'headnode1', 'headnode2'],
  customerVms: 0,
};
const codes = (f: Partial<ConvertFacts>): string[] =>
  convertProblems({ ...ok, ...f }).map((p) => `${p.severity}:${p.code}`);

describe('conversion pre-checks', () => {
  it('a set-up, current compute node in a full-mode DC passes', () => {
    expect(codes({})).toEqual([]);
  });
  it('each rule fires on its own fact', () => {
    expect(codes({ target: { ...ok.target!, headnode: true } })).toEqual(['critical:ALREADY_HEADNODE']);
    expect(codes({ target: undefined })).toEqual(['critical:SERVER_UNKNOWN']);
    expect(codes({ target: { ...ok.target!, setup: false } })).toEqual(['critical:NOT_SET_UP']);
    expect(codes({ target: { ...ok.target!, alive: false } })).toEqual(['critical:SERVER_DOWN']);
    expect(codes({ target: { ...ok.target!, platform: '20170829T000000Z' } })).toEqual(['critical:PLATFORM_TOO_OLD']);
    expect(codes({ target: { ...ok.target!, platform: '20170830T000000Z' } })).toEqual([]);
    expect(codes({ gzTools: { version: 'master-20170118T000000Z-gabc' } })).toEqual(['critical:GZ_TOOLS_TOO_OLD']);
    expect(codes({ gzTools: { version: 'master-20170119T000000Z-gabc' } })).toEqual([]);
    expect(codes({ gzTools: { why: 'no such file' } })).toEqual(['warning:GZ_TOOLS_UNKNOWN']);
    expect(codes({ sapiMode: { mode: 'proto' } })).toEqual(['critical:SAPI_NOT_FULL']);
    expect(codes({ manatee: { alias: 'manatee3', peersOk: 2 } })).toEqual(['critical:MANATEE_NOT_HEALTHY']);
    expect(codes({ manatee: { alias: 'manatee3', peersOk: 3 } })).toEqual([]);
    expect(codes({ headnodes: ['a', 'b', 'c', 'd'] })).toEqual(['warning:MANY_HEADNODES']);
    expect(codes({ customerVms: 2 })).toEqual(['warning:CUSTOMER_VMS']);
  });
  it('dhcpd needs NET-376 (a build from master-20170907T183323Z on), not only NET-371', () => {
    const d = (version: string) => codes({ dhcpd: [{ alias: 'dhcpd0', version }] });
    expect(d('master-20170601T000000Z-gabc')).toEqual(['critical:DHCPD_TOO_OLD']);
    expect(d('master-20170907T183322Z-gabc')).toEqual(['critical:DHCPD_TOO_OLD']);
    expect(d('master-20170907T183323Z-g554cb97')).toEqual([]);
    expect(codes({ dhcpd: [{ alias: 'dhcpd0' }] })).toEqual([]);
  });
  it('vmapi needs ZAPI-800 (sdc-vmapi 3c161c1, 2017-10-06T22:44:17Z)', () => {
    const v = (version: string) => convertProblems({ ...ok, vmapi: [{ alias: 'vmapi0', version }] });
    expect(v('master-20171006T224416Z-gabc').map((p) => p.code)).toEqual(['VMAPI_TOO_OLD']);
    expect(v('master-20171006T224416Z-gabc')[0]!.message).toContain('vmapi0 (master-20171006T224416Z-gabc)');
    expect(v('master-20171006T224416Z-gabc')[0]!.fix).toContain('sdcadm update vmapi');
    expect(v('master-20171006T224417Z-g3c161c1')).toEqual([]);
    expect(v('1.2.3')).toEqual([]);
  });
  it('reads build dates from platform stamps and image versions', () => {
    expect(buildDate('20170830T101010Z')).toBe('20170830');
    expect(buildDate('master-20170118T183323Z-g554cb97')).toBe('20170118');
    expect(buildDate('1.6.3')).toBeUndefined();
    expect(buildStamp('master-20170907T183323Z-g554cb97')).toBe('20170907T183323Z');
  });
});
