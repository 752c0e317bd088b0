import { describe, expect, it } from 'vitest';
import { buildConvertPlan, type ConvertPlanInput } from '../../src/state/convert-plan.js';
import type { LiveInstance } from '../../src/state/convert-ha-step.js';
import { secondaryHeadnodeConfig } from '../../src/state/headnode-config.js';
import { REF } from '../support/reference.js';

const T = { hostname: 'cn0', uuid: REF.cn0.uuid, adminIp: REF.cn0.adminIp };
const hn = (n: number): { hostname: string; uuid: string } => ({
  hostname: `headnode${n}`,
  uuid: `00000000-0000-4000-8000-00000000000${n}`,
});
const inst = (service: string, alias: string, on: number): LiveInstance => ({
  service,
  alias,
  uuid: `${alias}-uuid`,
  serverUuid: hn(on).uuid,
  serverHostname: hn(on).hostname,
});

function input(instances: LiveInstance[], headnodes = [hn(0), hn(1)]): ConvertPlanInput {
  return {
    local: 'headnode1',
    target: T,
    assets: { hostname: 'headnode0', ip: REF.assets0.adminIp },
    dhcpd: { hostname: 'headnode0', zone: 'dhcpd0-uuid' },
    sdcHost: 'headnode0',
    headnodes,
    instances,
    sapiUrl: `http://${REF.sapi0.adminIp}`,
    cnapiUrl: `http://${REF.cnapi0.adminIp}`,
    vmapiUrl: 'http://10.99.99.28',
    manateeServiceUuid: 'c3b5b4a2-0000-4000-8000-000000000001',
  };
}
const ha = (i: ConvertPlanInput) => buildConvertPlan(i).steps.find((s) => s.id === 'ha')!;

describe('buildConvertPlan', () => {
  it('always four steps; the reboot is one command, then a wait on CNAPI', () => {
    const p = buildConvertPlan(input([]));
    expect(p.steps.map((s) => s.id)).toEqual(['usbkey-data', 'prepare', 'reboot', 'ha']);
    expect(p.steps[2]!.actions.map((a) => a.argv ?? a.http?.url)).toEqual([
      ['reboot'],
      `http://${REF.cnapi0.adminIp}/servers/${T.uuid}`,
    ]);
    expect(p.steps[1]!.actions[0]!.argv).toEqual(['bash', '-s', '--', REF.assets0.adminIp, T.uuid]);
  });

  it('packs the key base as the prototype: the physical key mounted without case folding, its whole list, the sdcadm installer; unmounted after, mounted again only if it was', () => {
    const usb = (mounted: boolean) => buildConvertPlan({ ...input([]), usbkeyMounted: mounted }).steps[0]!.actions;
    const a = usb(false);
    expect(a.map((x) => x.id)).toEqual([
      'usbkey-data/mkdir',
      'usbkey-data/sdcadm',
      'usbkey-data/mount',
      'usbkey-data/base',
      'usbkey-data/unmount',
      'usbkey-data/networking',
      'usbkey-data/config',
    ]);
    expect(a[2]!.argv).toEqual(['sdc-usbkey', 'mount', '--nofoldcase']);
    const names =
      '.joyliveusb boot config.inc license scripts tools.tar.gz cn_tools.tar.gz banner boot_archive.manifest firmware private services ur-scripts usb_key.manifest version os'.split(
        ' ',
      );
    expect(a[3]!.argv).toEqual([
      'gtar',
      '-czf',
      '/usbkey/extra/headnode-prepare/usbkey-base.tgz.tmp',
      '-C',
      '/mnt/usbkey',
      ...names,
      '-C',
      '/usbkey/extra/sdcadm',
      '--transform=s,^sdcadm.sh$,sdcadm-install.sh,',
      'sdcadm.sh',
    ]);
    expect(a[4]!.argv).toEqual(['sdc-usbkey', 'unmount']);
    expect(usb(true).map((x) => x.argv?.join(' '))).toContain('sdc-usbkey mount');
  });

  it('says before the reboot that the server must boot from its USB key, not PXE', () => {
    expect(buildConvertPlan(input([])).steps[2]!.notes[0]).toContain('must boot from its USB key, not PXE');
  });

  it('two of each: ha-binder with both existing servers and the new one, a SAPI manatee, sdcadm moray and dhcpd', () => {
    const s = ha(
      input([
        inst('binder', 'binder0', 0),
        inst('binder', 'binder1', 1),
        inst('manatee', 'manatee0', 0),
        inst('manatee', 'manatee1', 1),
        inst('moray', 'moray0', 0),
        inst('moray', 'moray1', 1),
      ]),
    );
    const creates = s.actions.filter((a) => a.kind === 'create-instance');
    expect(creates.map((a) => a.service)).toEqual(['binder', 'manatee', 'moray', 'dhcpd']);
    expect(creates[0]!.argv).toEqual(['sdcadm', 'post-setup', 'ha-binder', '-y', 'headnode0', 'headnode1', 'cn0']);
    expect(creates[1]!.http?.body).toEqual({
      service_uuid: 'c3b5b4a2-0000-4000-8000-000000000001',
      params: { alias: 'manatee2', server_uuid: T.uuid },
    });
    expect(creates[2]!.argv).toEqual(['sdcadm', 'create', 'moray', '-s', 'cn0', '-y']);
    // Each creation is followed by its wait.
    expect(s.actions.filter((a) => a.kind === 'wait-instance')).toHaveLength(4);
  });

  it('one binder and one spare headnode: ha-binder gets three servers', () => {
    const s = ha(input([inst('binder', 'binder0', 0)], [hn(0), hn(1)]));
    expect(s.actions[0]!.argv).toEqual(['sdcadm', 'post-setup', 'ha-binder', '-y', 'headnode0', 'headnode1', 'cn0']);
  });

  it('one binder and no spare headnode, one manatee: notes say what to run by hand, nothing half-done', () => {
    const s = ha(input([inst('binder', 'binder0', 0), inst('manatee', 'manatee0', 0)], [hn(0)]));
    expect(s.actions.some((a) => a.service === 'binder' || a.service === 'manatee')).toBe(false);
    expect(s.notes.join('\n')).toMatch(/ha-binder needs 3 servers/);
    expect(s.notes.join('\n')).toMatch(/sdcadm post-setup ha-manatee -s SERVER1 -s SERVER2/);
  });

  it('a DC with three of each and a dhcpd already on the server: nothing to add, said so', () => {
    const three = ['binder', 'manatee', 'moray'].flatMap((svc) => [0, 1, 2].map((n) => inst(svc, `${svc}${n}`, n % 2)));
    const s = ha(input([...three, { ...inst('dhcpd', 'dhcpd9', 0), serverUuid: T.uuid, serverHostname: 'cn0' }]));
    expect(s.actions).toEqual([]);
    expect(s.notes[0]).toMatch(/nothing to add/);
  });
});

describe('secondaryHeadnodeConfig', () => {
  const src = [
    '# head',
    'datacenter_name=us-west-1',
    'hostname=headnode0',
    'admin_nic=aa:aa:aa:aa:aa:01',
    `admin_ip=${REF.headnode0.adminIp}`,
    'external_nic=aa:aa:aa:aa:aa:ff',
    'external_ip=203.0.113.7',
    'external_gateway=203.0.113.1',
    `binder_admin_ips=${REF.binder0.adminIp}`,
    '',
  ].join('\n');

  it('replaces what names one machine, keeps the DC-wide keys, never copies the external IP', () => {
    const out = secondaryHeadnodeConfig(src, {
      hostname: 'cn0',
      adminMac: 'bb:bb:bb:bb:bb:01',
      adminIp: REF.cn0.adminIp,
      externalMac: 'bb:bb:bb:bb:bb:ff',
    });
    expect(out).toContain('hostname=cn0\n');
    expect(out).toContain('admin_nic=bb:bb:bb:bb:bb:01\n');
    expect(out).toContain(`admin_ip=${REF.cn0.adminIp}\n`);
    expect(out).toContain('external_nic=bb:bb:bb:bb:bb:ff\n');
    expect(out).toContain('datacenter_name=us-west-1\n');
    expect(out).toContain(`binder_admin_ips=${REF.binder0.adminIp}\n`);
    expect(out).not.toMatch(/external_ip|external_gateway|headnode0|10\.99\.99\.7\n/);
  });

  it('without an external NIC there is no external_nic line; missing keys are added', () => {
    const out = secondaryHeadnodeConfig('datacenter_name=x\n', {
      hostname: 'cn0',
      adminMac: 'bb',
      adminIp: '10.0.0.5',
    });
    expect(out).not.toContain('external_nic');
    expect(out).toContain('hostname=cn0\nadmin_nic=bb\nadmin_ip=10.0.0.5\n');
  });
});
