// `convert SERVER` against the simulated DC with every headnode alive.
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');

function scenario(edit: (s: any) => void): string {
  const s = JSON.parse(readFileSync(contract, 'utf8'));
  s.servers[0].alive = true;
  edit(s);
  const f = join(tempDir(), 'scenario.json');
  writeFileSync(f, JSON.stringify(s));
  return f;
}
const convert = (server: string, f: string) =>
  execa(bin, ['convert', server, '--sim', f, '--sim-speed', '50'], { reject: false, stdin: 'ignore' });

describe('triton-recover convert', () => {
  it('on a headnode: exit 2, nothing to convert', async () => {
    const r = await convert(
      'headnode2',
      scenario(() => {}),
    );
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('CRIT ALREADY_HEADNODE: headnode2');
  });

  it('a healthy compute node, no --yes and no terminal: the checks pass, the steps are listed, nothing runs', async () => {
    const r = await convert(
      'cn0',
      scenario(() => {}),
    );
    expect(r.stdout).toContain('Pre-checks: all passed');
    expect(r.stdout).toContain('3. Two reboots of cn0');
    expect(r.stdout).toContain('a dhcpd on cn0');
    expect(r.stdout).toContain('Nothing was changed: run it from a terminal');
    expect(r.exitCode).toBe(2);
  });

  it('by UUID too; an unknown server is named', async () => {
    expect(
      (
        await convert(
          REF.cn1.uuid,
          scenario(() => {}),
        )
      ).stdout,
    ).toContain('Convert cn1 (fdc88087');
    expect(
      (
        await convert(
          'cn9',
          scenario(() => {}),
        )
      ).stdout,
    ).toContain('no server "cn9" in CNAPI');
  });

  it('old platform, old gz-tools on the headnode whose key is copied, an unsetup server and customer VMs are each reported', async () => {
    const r = await convert(
      'cn0',
      scenario((s) => {
        Object.assign(s.servers[3], { platform: '20160101T000000Z', setup: false, customerVms: 3 });
        // assets0 runs on headnode0: its USB key is the one copied.
        s.servers[0].gzTools = '20161201T000000Z';
      }),
    );
    expect(r.stdout).toContain('CRIT NOT_SET_UP');
    expect(r.stdout).toContain('CRIT PLATFORM_TOO_OLD: cn0 runs platform 20160101T000000Z');
    expect(r.stdout).toContain("CRIT GZ_TOOLS_TOO_OLD: gz-tools on headnode0 (copied to cn0's key)");
    expect(r.stdout).toContain('WARN CUSTOMER_VMS: cn0 runs 3 VM(s)');
    expect(r.exitCode).toBe(2);
  });

  it("the compute node's own gz-tools do not matter: the new key gets the source headnode's (audit 16)", async () => {
    const r = await convert(
      'cn0',
      scenario((s) => Object.assign(s.servers[3], { gzTools: '20161201T000000Z' })),
    );
    expect(r.stdout).toContain('Pre-checks: all passed');
  });

  it('a dhcpd older than NET-371 (hn-netfile for any headnode name) is a critical problem with the fix', async () => {
    const r = await convert(
      'cn0',
      scenario((s) => {
        const img = s.images.find((i: any) => i.uuid === s.instances.find((x: any) => x.alias === 'dhcpd1').image);
        img.version = 'master-20170301T000000Z-g0123456';
      }),
    );
    expect(r.stdout).toContain(
      'CRIT DHCPD_TOO_OLD: dhcpd0 (master-20170301T000000Z-g0123456), dhcpd1 (master-20170301T000000Z-g0123456)',
    );
    expect(r.stdout).toContain('fix: sdcadm update dhcpd');
    expect(r.exitCode).toBe(2);
  });

  it('a dhcpd with NET-371 but not NET-376, and a vmapi older than ZAPI-800, are each critical (audit 16)', async () => {
    const r = await convert(
      'cn0',
      scenario((s) => {
        const imageOf = (alias: string): any =>
          s.images.find((i: any) => i.uuid === s.instances.find((x: any) => x.alias === alias).image);
        expect(imageOf('vmapi0')).not.toBe(imageOf('dhcpd0'));
        imageOf('dhcpd0').version = 'master-20170801T000000Z-g0123456';
        imageOf('vmapi0').version = 'master-20170930T000000Z-g0123456';
      }),
    );
    expect(r.stdout).toContain('CRIT DHCPD_TOO_OLD: dhcpd0 (master-20170801T000000Z-g0123456)');
    expect(r.stdout).toContain('NET-376');
    expect(r.stdout).toContain('CRIT VMAPI_TOO_OLD: vmapi0 (master-20170930T000000Z-g0123456)');
    expect(r.stdout).toContain('fix: sdcadm update vmapi');
    expect(r.exitCode).toBe(2);
  });

  it('a compute node holding a manatee peer of an unhealthy shard is refused', async () => {
    const r = await convert(
      'cn1',
      scenario((s) => {
        const m2 = s.instances.find((i: any) => i.alias === 'manatee2');
        m2.server = 'cn1';
        s.manatee = { primary: 'manatee0', sync: 'manatee1', async: ['manatee2'] };
        // The async down: writes go on (primary + sync), but only 2 peers are healthy.
        m2.state = 'stopped';
      }),
    );
    expect(r.stdout).toContain('CRIT MANATEE_NOT_HEALTHY: cn1 holds manatee peer manatee2');
    expect(r.stdout).toContain('2 with postgres ok');
  });
});

describe('triton-recover convert: zones the steps need', () => {
  it('no running dhcpd anywhere: CORE_ZONE_MISSING, nothing runs even with --yes', async () => {
    const f = scenario((s) => {
      for (const i of s.instances) if (i.service === 'dhcpd') i.state = 'stopped';
    });
    const r = await execa(bin, ['convert', 'cn0', '--yes', '--sim', f, '--sim-speed', '50'], {
      reject: false,
      stdin: 'ignore',
    });
    expect(r.stdout).toContain('CRIT CORE_ZONE_MISSING: no running dhcpd zone');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain('[1/4]');
  });

  it('no restore-data on this headnode: the API addresses come from /usbkey/config', async () => {
    const f = scenario((s) => void (s.restoreData = { on: [], syncedSecondsAgo: 240, services: {} }));
    const r = await convert('cn0', f);
    expect(r.stdout).toContain('Pre-checks: all passed');
    expect(r.stdout).toContain('3. Two reboots of cn0');
  });
});
