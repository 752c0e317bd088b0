// Readiness against the simulated DC: one scenario per problem code that raises
// it, plus the reference scenario, whose warnings are part of the contract:
//   disaster (headnode0 dead), reuse: RESTORE_DATA_STALE (cmon, 26 h old),
//   MANATEE_DEGRADED (2 peers left, manatee0 deposed, no async), BINDER_DEGRADED
//   (binder0 gone, 2 of 3 serve) -- and nothing critical.
//   readiness (headnode0 alive): RESTORE_DATA_STALE (cmon) only.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { formatCheckText } from '../../src/state/check-report.js';
import { type Problem, type ProblemCode } from '../../src/state/problem.js';
import { runCheck, type CheckOptions, type CheckResult } from '../../src/steps/check.js';
import { assessReadiness } from '../../src/steps/readiness.js';
import { openTestSim, scenario, tempDir, type TestSim } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const T = 400; // probe deadline (ms): the sim runs at speed 1000

async function check(
  edit?: (s: Scenario) => void,
  opts: CheckOptions = {},
  before?: (t: TestSim) => void,
): Promise<CheckResult & { t: TestSim }> {
  const t = await openTestSim(scenario(edit), 1000);
  before?.(t);
  const r = await runCheck(t.sim, { timeoutMs: T, ...opts });
  return { ...r, t };
}

const codes = (r: CheckResult): string[] =>
  r.report.problems.map((p) => `${p.severity}:${p.code}${p.service ? `:${p.service}` : ''}`);
const one = (r: CheckResult, code: ProblemCode, service?: string): Problem => {
  const ps = r.report.problems.filter((p) => p.code === code && (service === undefined || p.service === service));
  expect(ps, `${code}${service ? ` [${service}]` : ''} in ${codes(r).join(', ')}`).toHaveLength(1);
  return ps[0]!;
};
const none = (r: CheckResult, code: ProblemCode): void => {
  expect(
    r.report.problems.filter((p) => p.code === code),
    codes(r).join(', '),
  ).toEqual([]);
};
const inst = (s: Scenario, alias: string) => s.instances.find((i) => i.alias === alias)!;
const server = (s: Scenario, hostname: string) => s.servers.find((x) => x.hostname === hostname)!;
const OLD_PLATFORM = '20240307T000552Z';
const NEW_PLATFORM = '20260901T101010Z';

describe('the reference scenario', () => {
  it('disaster, reuse: nothing critical; exactly the stale cmon, degraded manatee and degraded binder warnings', async () => {
    const r = await check();
    expect(r.report.mode).toBe('disaster');
    expect(codes(r)).toEqual([
      'warning:RESTORE_DATA_STALE:cmon',
      'warning:MANATEE_DEGRADED:manatee',
      'warning:BINDER_DEGRADED:binder',
    ]);
    expect(r.report.verdict).toBe('degraded');
    expect(one(r, 'RESTORE_DATA_STALE').message).toMatch(
      /cmon on headnode1 is 26 h old .*more than the 30 min allowed\): changes to cmon's data after .* UTC are lost/,
    );
    expect(one(r, 'MANATEE_DEGRADED').message).toContain('deposed: 94dbf717 (manatee0)');
    expect(one(r, 'BINDER_DEGRADED').message).toContain('2 of 3 members');
    expect(r.report.adminIps).toEqual({ needed: 0, available: 195 });
    expect(r.ipCandidates.slice(0, 2)).toEqual(['10.99.99.220', '10.99.99.221']);
    expect(r.report.services).toHaveLength(25);
    expect(r.report.services.every((s) => s.ready)).toBe(true);
    expect(r.report.services.find((s) => s.name === 'imgapi')).toMatchObject({
      onDeadHeadnode: true,
      restoreData: { present: true, image: true, dataset: true },
    });
    expect(r.report.services.find((s) => s.name === 'cmon')!.restoreData.ageSeconds).toBeGreaterThanOrEqual(93_600);
    expect(r.report.services.find((s) => s.name === 'workflow')!.restoreData.dataset).toBeNull();
  });

  it('readiness (primary alive): the stale cmon copy, no restore-data on headnode0, no dhcpd on headnode2', async () => {
    const r = await check((s) => (server(s, 'headnode0').alive = true));
    expect(r.report.mode).toBe('readiness');
    // The reference scenario keeps restore-data on headnode1 and headnode2 only, and
    // dhcpd on headnode0 and headnode1: on a normal day both are worth a warning.
    expect(codes(r)).toEqual([
      'warning:RESTORE_DATA_MISSING',
      'warning:RESTORE_DATA_STALE:cmon',
      'warning:NO_DHCPD_SURVIVOR:dhcpd',
    ]);
    expect(one(r, 'RESTORE_DATA_STALE').message).toContain('would be lost if its headnode died now');
    expect(r.report.services.every((s) => !s.onDeadHeadnode)).toBe(true);
  });

  it('a larger --max-age accepts the 26 h old cmon copy', async () => {
    const r = await check(undefined, { maxAgeMinutes: 27 * 60 });
    none(r, 'RESTORE_DATA_STALE');
  });

  it('assessReadiness lists new-strategy IP candidates, reserved recovery IPs first', async () => {
    const r = await check(undefined, { strategy: 'new' });
    const res = await assessReadiness(r.t.sim, {
      rd: r.restoreData,
      inv: r.inventory,
      det: r.detection,
      strategy: 'new',
      maxAgeMinutes: 30,
      journalDir: undefined,
      timeoutMs: T,
    });
    expect(res.adminIps.needed).toBe(21); // headnode0's zones minus manatee, moray, binder, dhcpd
    expect(res.adminIps.available).toBe(195);
    expect(res.adminIps.candidates.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, k) => `10.99.99.${220 + k}`));
    expect(res.adminIps.candidates[30]).toBe('10.99.99.40'); // then the bottom of the provision range
    expect(res.adminIps.candidates).not.toContain(REF.headnode1.adminIp); // headnode1's own IP
  });
});

describe('primary and where the console runs', () => {
  it('PRIMARY_ALIVE: the primary is alive while another headnode is dead', async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      server(s, 'headnode2').alive = false;
    });
    expect(r.report.mode).toBe('disaster');
    const p = one(r, 'PRIMARY_ALIVE');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('the primary headnode0 is alive');
  });

  it('PRIMARY_UNCERTAIN: no cluster signal says dead (binder and manatee probes hang)', async () => {
    const r = await check((s) => {
      s.faults = [
        { command: 'nc', match: REF.binder0.adminIp, effect: 'hang' },
        { command: 'zlogin', effect: 'hang' },
      ];
    });
    const p = one(r, 'PRIMARY_UNCERTAIN');
    expect(p).toMatchObject({ severity: 'critical' });
    expect(p.fix).toContain('--fenced headnode0');
  });

  it('NOT_A_HEADNODE: the console runs on a server whose boot parameters say it is no headnode', async () => {
    const r = await check((s) => (server(s, 'headnode1').headnode = false));
    const p = one(r, 'NOT_A_HEADNODE');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain("headnode1 is not a headnode (sysinfo 'Boot Parameters'.headnode is not set)");
    expect(p.fix).toContain('triton-recover convert headnode1');
  });

  it('LOCK_HELD: says who holds the lock, where, since when, and how to clear it', async () => {
    const journalDir = tempDir();
    writeFileSync(
      join(journalDir, 'lock.json'),
      JSON.stringify({
        who: 'alice',
        host: 'ops-console-9',
        pid: 4242,
        since: '2026-09-01T03:12:00.000Z',
        command: 'triton-recover restore',
      }),
    );
    const r = await check(undefined, { journalDir });
    const p = one(r, 'LOCK_HELD');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain(
      'alice on ops-console-9, pid 4242, running "triton-recover restore" since 2026-09-01T03:12:00.000Z',
    );
    expect(p.fix).toContain(join(journalDir, 'lock.json'));
    const free = await check(undefined, { journalDir: tempDir() });
    none(free, 'LOCK_HELD');
  });
});

describe('restore-data', () => {
  it('RESTORE_DATA_MISSING: no restore-data on this headnode is one clear critical problem', async () => {
    const r = await check((s) => (s.restoreData.on = ['headnode2']));
    expect(codes(r)).toEqual(['critical:RESTORE_DATA_MISSING']);
    expect(one(r, 'RESTORE_DATA_MISSING').message).toMatch(
      /^no restore-data on headnode1 at .*: nothing can be restored from here/,
    );
  });

  it('RESTORE_DATA_MISSING: a service SAPI lists has no restore-data', async () => {
    const r = await check((s) => (s.restoreData.services['papi'] = { missing: true }));
    const p = one(r, 'RESTORE_DATA_MISSING', 'papi');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('has nothing for papi (no ');
    expect(r.report.services.find((s) => s.name === 'papi')).toMatchObject({
      ready: false,
      restoreData: { present: false },
    });
  });

  it('a corrupt file of a service to restore is a problem naming the file and the parse error, not a crash', async () => {
    const r = await check((s) => (s.restoreData.services['ufds'] = { corrupt: 'sapi-instances.json' }));
    const p = one(r, 'RESTORE_DATA_MISSING', 'ufds');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('svc-ufds/sapi-instances.json');
    expect(p.message).toContain('is corrupt');
    expect(p.message).toContain('invalid JSON');
    expect(r.report.services.find((s) => s.name === 'ufds')!.ready).toBe(false);
    // a problem of ufds blocks ufds, not the services before it
    expect(r.report.services.find((s) => s.name === 'sapi')!.ready).toBe(true);
  });

  it('a corrupt vm dump: the file problem and the instance SAPI lists without a usable dump', async () => {
    const r = await check((s) => (s.restoreData.services['ufds'] = { corrupt: `vm-${REF.ufds0.uuid}.json` }));
    const ps = r.report.problems.filter((p) => p.code === 'RESTORE_DATA_MISSING' && p.service === 'ufds');
    expect(ps.map((p) => p.message).join('\n')).toContain(`svc-ufds/vm-${REF.ufds0.uuid}.json in`);
    expect(ps.map((p) => p.message).join('\n')).toContain(
      `no vm dump for ufds0 (${REF.ufds0.uuid}) of ufds, which ran on headnode0`,
    );
  });

  it('a corrupt synced.json is RESTORE_DATA_MISSING, not a stale warning', async () => {
    const r = await check((s) => (s.restoreData.services['cmon'] = { corrupt: 'synced.json' }));
    expect(one(r, 'RESTORE_DATA_MISSING', 'cmon').message).toContain('svc-cmon/synced.json');
    none(r, 'RESTORE_DATA_STALE');
  });

  it('RESTORE_DATA_STALE: an old DC-wide sync is a warning for the DC part and every service to restore', async () => {
    const r = await check((s) => (s.restoreData.syncedSecondsAgo = 7200));
    const dcPart = r.report.problems.find((p) => p.code === 'RESTORE_DATA_STALE' && p.service === undefined)!;
    expect(dcPart).toMatchObject({ severity: 'warning' });
    expect(dcPart.message).toMatch(/DC-wide restore-data .* is 2 h old/);
    expect(r.report.problems.filter((p) => p.code === 'RESTORE_DATA_STALE' && p.service === 'sapi')).toHaveLength(1);
    // survivors are not restored: their copies' age does not matter
    expect(r.report.problems.filter((p) => p.code === 'RESTORE_DATA_STALE' && p.service === 'binder')).toEqual([]);
  });

  it('DATASET_MISSING: an instance to restore has a delegated dataset but no stream', async () => {
    const r = await check((s) => (s.restoreData.services['imgapi'] = { missingDataset: true }));
    const p = one(r, 'DATASET_MISSING', 'imgapi');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain(`no zfs send stream of zones/${REF.imgapi0.uuid}/data`);
    expect(p.message).toContain('imgapi0');
    expect(p.fix).toContain('another headnode');
    expect(r.report.services.find((s) => s.name === 'imgapi')).toMatchObject({
      ready: false,
      restoreData: { dataset: false },
    });
  });
});

describe('images', () => {
  const VMAPI_IMAGE = REF.vmapi0.image;
  const ORIGIN = REF.origin.uuid;

  it('IMAGE_MISSING: neither installed here nor in restore-data', async () => {
    const r = await check((s) => {
      server(s, 'headnode1').images = s.images.map((i) => i.uuid).filter((u) => u !== VMAPI_IMAGE);
      s.restoreData.services['vmapi'] = { missingImage: true };
    });
    const p = one(r, 'IMAGE_MISSING', 'vmapi');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain(
      `image ${VMAPI_IMAGE} needed to re-create vmapi0 is not at hand on headnode1: not installed; not in restore-data`,
    );
    expect(p.fix).toContain(`imgadm import -S https://updates.tritondatacenter.com ${VMAPI_IMAGE}`);
  });

  it('an image only in restore-data is enough, if it is there with its file', async () => {
    const r = await check((s) => (server(s, 'headnode1').images = []));
    none(r, 'IMAGE_MISSING');
  });

  it('IMAGE_MISSING: the origin of an image in restore-data is missing (walks manifests)', async () => {
    const r = await check(
      (s) => (server(s, 'headnode1').images = []),
      {},
      (t) => rmSync(join(t.sim.restoreDataDir, 'images', `${ORIGIN}.file`)),
    );
    const p = one(r, 'IMAGE_MISSING', 'sapi');
    expect(p.message).toContain(
      `image triton-origin-x86_64-21.4.0@master-20220322T012137Z-g9382491 (${ORIGIN}), the origin of ${REF.sapi0.image},`,
    );
    expect(p.message).toContain('its file is missing from restore-data');
  });
});

describe('admin IPs', () => {
  const tiny = (s: Scenario): void => {
    s.recoveryIps = [];
    s.adminNetwork.provisionStartIp = '10.99.99.245';
    s.adminNetwork.provisionEndIp = '10.99.99.250';
  };

  it('ADMIN_IPS_SHORT: strategy new, no recovery IPs and a tiny provision range', async () => {
    const r = await check(tiny, { strategy: 'new' });
    expect(r.report.adminIps).toEqual({ needed: 21, available: 6 });
    const p = one(r, 'ADMIN_IPS_SHORT');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('needs 21 admin IPs');
    expect(p.message).toContain(
      'only 6 are available: 0 free recovery IPs and 6 free in the provision range 10.99.99.245-10.99.99.250',
    );
    expect(p.fix).toContain('--strategy reuse');
  });

  it('reuse keeps the old IPs: nothing needed, nothing short', async () => {
    const r = await check(tiny, { strategy: 'reuse' });
    expect(r.report.adminIps).toEqual({ needed: 0, available: 6 });
    none(r, 'ADMIN_IPS_SHORT');
  });
});

describe('HA clusters', () => {
  it('MANATEE_NO_WRITES: 2 peers, the primary on the dead headnode: no takeover', async () => {
    const r = await check((s) => {
      s.instances = s.instances.filter((i) => i.alias !== 'manatee2');
      s.manatee = { primary: 'manatee0', sync: 'manatee1', async: [] };
    });
    const p = one(r, 'MANATEE_NO_WRITES', 'manatee');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain(
      'cannot take writes (as seen from manatee1 on headnode1: primary 94dbf717 (manatee0) pg fail, sync 95719f01 (manatee1) pg ok)',
    );
    expect(p.message).toContain('with only 2 peers, losing the primary manatee0 leaves no takeover');
    expect(p.fix).toMatch(/operator .* promote .* rebuild/);
    expect(r.report.services.every((s) => !s.ready)).toBe(true);
  });

  it('MANATEE_NO_WRITES when no surviving peer answers; a hanging probe does not stall the check', async () => {
    const started = Date.now();
    const r = await check((s) => (s.faults = [{ command: 'zlogin', effect: 'hang' }]));
    const p = one(r, 'MANATEE_NO_WRITES');
    expect(p.message).toContain('no surviving manatee peer answered');
    expect(p.message).toContain('manatee1 on headnode1: no answer within 0.4 s');
    expect(Date.now() - started).toBeLessThan(8 * T);
  });

  it('MANATEE_DEGRADED: all alive, but the async is stopped', async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      inst(s, 'manatee2').state = 'stopped';
    });
    const p = one(r, 'MANATEE_DEGRADED');
    expect(p.severity).toBe('warning');
    expect(p.message).toContain('only 2 peers with postgres ok');
    none(r, 'MANATEE_NO_WRITES');
  });

  it('MANATEE_NO_WRITES: every peer runs, but the sync replicates as async (or not at all): writes block', async () => {
    for (const syncReplication of ['async', 'none'] as const) {
      const r = await check((s) => {
        server(s, 'headnode0').alive = true;
        s.manatee = { primary: 'manatee0', sync: 'manatee1', async: ['manatee2'], syncReplication };
      });
      const p = one(r, 'MANATEE_NO_WRITES', 'manatee');
      expect(p.severity).toBe('critical');
      expect(p.message).toContain('cannot take writes');
      expect(p.message).toContain(
        syncReplication === 'async'
          ? 'manatee-adm says: peer "94dbf717": expected downstream replication to be "sync", but found "async"'
          : 'manatee-adm says: peer "94dbf717": downstream replication peer not connected',
      );
      expect(p.fix).toContain('does not replicate synchronously');
      none(r, 'MANATEE_DEGRADED');
    }
  });

  it('BINDER_NO_QUORUM: one binder dead with its headnode, another stopped', async () => {
    const r = await check((s) => (inst(s, 'binder1').state = 'stopped'));
    const p = one(r, 'BINDER_NO_QUORUM', 'binder');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('0 of 3 members serve, 2 needed');
    expect(p.message).toContain(`binder2 ${REF.binder2.adminIp}: up but not serving`);
    expect(p.fix).toContain(`vmadm start ${REF.binder1.uuid} on headnode1`);
    none(r, 'BINDER_DEGRADED');
  });

  it('BINDER_DEGRADED: quorum, one member stopped (readiness)', async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      inst(s, 'binder2').state = 'stopped';
    });
    expect(one(r, 'BINDER_DEGRADED').message).toContain(
      `2 of 3 members: one more loss stops it (binder2 ${REF.binder2.adminIp}:`,
    );
    none(r, 'BINDER_NO_QUORUM');
  });

  it('MORAY_DOWN: the surviving morays are stopped or in maintenance', async () => {
    const r = await check((s) => {
      inst(s, 'moray1').state = 'stopped';
      inst(s, 'moray2').state = 'setup_failed';
    });
    const p = one(r, 'MORAY_DOWN', 'moray');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('moray0 on headnode0: its server is down');
    expect(p.message).toContain('moray1 on headnode1: zone stopped');
    expect(p.message).toContain('moray2 on headnode2: svcs -xz: svc:/smartdc/mdata:execute maintenance');
  });
});

describe('headnodes, dhcpd, /usbkey', () => {
  it('TOO_FEW_HEADNODES: only two headnodes in the DC', async () => {
    const r = await check((s) => (server(s, 'headnode2').headnode = false));
    const p = one(r, 'TOO_FEW_HEADNODES');
    expect(p.severity).toBe('warning');
    expect(p.message).toContain('the DC has 2 headnodes (headnode0, headnode1), 3 wanted');
  });

  it('TOO_FEW_HEADNODES: only one headnode alive in a disaster', async () => {
    const r = await check((s) => (server(s, 'headnode2').alive = false));
    expect(one(r, 'TOO_FEW_HEADNODES').message).toContain('only 1 alive (headnode1)');
  });

  it('NO_DHCPD_SURVIVOR: the only dhcpd ran on the dead headnode', async () => {
    const r = await check((s) => (inst(s, 'dhcpd1').server = 'headnode0'));
    const p = one(r, 'NO_DHCPD_SURVIVOR', 'dhcpd');
    // Not a cluster: the restore re-creates one (not two) here, and says CNs wait for it.
    expect(p.severity).toBe('warning');
    expect(p.message).toContain('compute nodes cannot boot until the restore re-creates dhcpd0 here');
  });

  it('NO_DHCPD_SURVIVOR: critical when no dhcpd survives and the restore cannot re-create one', async () => {
    const r = await check((s) => {
      inst(s, 'dhcpd1').server = 'headnode0';
      s.restoreData.services['dhcpd'] = { missing: true };
    });
    const p = one(r, 'NO_DHCPD_SURVIVOR', 'dhcpd');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('the restore cannot re-create one: compute nodes cannot boot');
    expect(p.fix).toContain('--dev-allow-multiple-instances');
  });

  it('NO_DHCPD_SURVIVOR (readiness): every dhcpd on the primary', async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      inst(s, 'dhcpd1').server = 'headnode0';
    });
    expect(one(r, 'NO_DHCPD_SURVIVOR').message).toContain('if headnode0 died, no dhcpd would survive');
  });

  it('USBKEY_MISSING: assets is to be restored on a headnode without /usbkey', async () => {
    const r = await check((s) => (server(s, 'headnode1').usbkey = false));
    const p = one(r, 'USBKEY_MISSING', 'assets');
    expect(p.severity).toBe('critical');
    expect(p.message).toContain('headnode1 has no filled /usbkey');
    expect(r.report.services.find((s) => s.name === 'assets')!.ready).toBe(false);
  });

  it('USBKEY_MISSING (readiness): a headnode without /usbkey is a warning', async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      server(s, 'headnode2').usbkey = false;
    });
    const p = one(r, 'USBKEY_MISSING');
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p.message).toContain('headnode2 has no filled /usbkey');
  });

  it("PLATFORM_MISSING: compute nodes boot a platform only the dead primary's USB key held (critical, before any restore)", async () => {
    const r = await check((s) => {
      for (const cn of ['cn0', 'cn1']) server(s, cn).platform = OLD_PLATFORM;
      server(s, 'headnode0').usbkeyPlatforms = [OLD_PLATFORM, NEW_PLATFORM];
      server(s, 'headnode1').usbkeyPlatforms = [NEW_PLATFORM];
      server(s, 'headnode2').usbkeyPlatforms = [NEW_PLATFORM];
    });
    expect(r.report.mode).toBe('disaster');
    const p = one(r, 'PLATFORM_MISSING');
    expect(p.severity).toBe('critical');
    expect(p.message).toBe(
      `2 compute nodes cn0, cn1 boot platform ${OLD_PLATFORM}, which no surviving headnode's /usbkey/os holds (headnode1: ${NEW_PLATFORM}; headnode2: ${NEW_PLATFORM}): dhcpd cannot serve it, so they do not boot again after a reboot or power loss`,
    );
    expect(p.fix).toContain(
      `on headnode1: install it on the USB key: sdcadm platform install <platform-${OLD_PLATFORM}.tgz or its image UUID>`,
    );
    expect(p.fix).toContain('/usbkey/scripts/install-platform.sh');
    expect(p.fix).toContain('sdcadm platform assign <platform> cn0 cn1');
    expect(r.report.verdict).toBe('not-ready');
    // The restore itself needs no compute node platform: nothing is held back for it.
    expect(r.report.services.every((s) => s.ready)).toBe(true);
    expect(formatCheckText(r.report, 'check')).toContain(
      `CRIT PLATFORM_MISSING: 2 compute nodes cn0, cn1 boot platform ${OLD_PLATFORM}`,
    );
  });

  it('PLATFORM_MISSING: none when a survivor holds it, and none in the reference scenario', async () => {
    none(await check(), 'PLATFORM_MISSING');
    const r = await check((s) => {
      server(s, 'cn0').platform = OLD_PLATFORM;
      server(s, 'headnode0').usbkeyPlatforms = [OLD_PLATFORM, NEW_PLATFORM];
      server(s, 'headnode1').usbkeyPlatforms = [NEW_PLATFORM];
      server(s, 'headnode2').usbkeyPlatforms = [OLD_PLATFORM];
    });
    none(r, 'PLATFORM_MISSING');
  });

  it('PLATFORM_MISSING: a survivor whose /usbkey/os cannot be listed is said, not taken for empty', async () => {
    const r = await check((s) => {
      server(s, 'cn0').platform = OLD_PLATFORM;
      server(s, 'headnode0').usbkeyPlatforms = [OLD_PLATFORM];
      server(s, 'headnode1').usbkeyPlatforms = [NEW_PLATFORM];
      s.faults = [{ command: 'ls', effect: 'hang' }];
    });
    const ps = r.report.problems.filter((p) => p.code === 'PLATFORM_MISSING');
    expect(ps.map((p) => p.severity)).toEqual(['warning', 'warning']); // cn0's platform and cn1's: neither can be told
    expect(ps[0]!.message).toMatch(
      new RegExp(
        `^compute node cn0 boots platform ${OLD_PLATFORM}; .*could not be listed .*headnode1: not listed \\(.*no answer within 0\\.4 s\\)`,
      ),
    );
    expect(ps[0]!.fix).toBe('check by hand: ls /usbkey/os on headnode1, headnode2');
  });

  it("USBKEY_MISSING: this headnode's /usbkey/extra lacks agents/latest, which the restored assets would serve", async () => {
    const r = await check(
      (s) =>
        (server(s, 'headnode1').usbkeyExtra = [
          'joysetup/',
          'joysetup/node.config',
          'joysetup/joysetup.sh',
          'joysetup/agentsetup.sh',
          'joysetup/cn_tools.tar.gz',
        ]),
    );
    const p = one(r, 'USBKEY_MISSING');
    expect(p.severity).toBe('warning');
    expect(p.message).toBe(
      "headnode1's /usbkey/extra lacks agents/latest: compute node setup downloads it from assets, which serves /usbkey/extra, so the assets restored on headnode1 would answer 404",
    );
    expect(p.fix).toBe(`on headnode1: scp -rp ${REF.headnode2.adminIp}:/usbkey/extra/agents /usbkey/extra/`);
  });

  it('the simulator answers test -d for the /usbkey directories', async () => {
    const t = await openTestSim(
      scenario((s) => (server(s, 'headnode2').usbkey = false)),
      1000,
    );
    expect((await t.run('headnode1', ['test', '-d', '/usbkey/os'])).code).toBe(0);
    expect((await t.run('headnode1', ['test', '-d', '/usbkey/extra'])).code).toBe(0);
    expect((await t.run('headnode1', ['test', '-d', '/etc'])).code).toBe(1);
    expect((await t.run('headnode2', ['test', '-d', '/usbkey/os'])).code).toBe(1);
  });
});
