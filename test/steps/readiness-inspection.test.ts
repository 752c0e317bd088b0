// Restore-readiness inspection (readiness mode: every headnode alive) against
// the simulated DC: per headnode, could what it runs be restored from here now?
// A healthy DC first (the reference scenario with headnode0 alive, restore-data
// on every headnode, a dhcpd on headnode2, cmon freshly synced), then one
// scenario per thing that breaks, each raising exactly its problem. The report
// is also read as Prometheus text and as the console's readiness screen.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import type { Theme } from '../../src/screens/theme.js';
import { inspectView } from '../../src/screens/views/inspect.js';
import type { CheckReport } from '../../src/state/check-report.js';
import type { Problem, ProblemCode } from '../../src/state/problem.js';
import { paths, type Verified } from '../../src/state/restore-data-layout.js';
import { initialState } from '../../src/state/console/index.js';
import type { HeadnodeReadiness, ReadinessService } from '../../src/state/headnode-readiness.js';
import { formatPrometheus } from '../../src/state/prometheus.js';
import { runCheck, type CheckOptions, type CheckResult } from '../../src/steps/check.js';
import { openTestSim, scenario, type TestSim } from '../support/sim-dc.js';
import { parsePrometheus, valueOf } from '../state/prometheus-parse.js';
import { REF } from '../support/reference.js';

const T = 400; // probe deadline (ms): the sim runs at speed 1000
const VMAPI_IMAGE = REF.vmapi0.image;
const HEADNODES = ['headnode0', 'headnode1', 'headnode2'];
const OLD_PLATFORM = '20240307T000552Z';
const NEW_PLATFORM = '20260901T101010Z';

const server = (s: Scenario, hostname: string) => s.servers.find((x) => x.hostname === hostname)!;
const inst = (s: Scenario, alias: string) => s.instances.find((i) => i.alias === alias)!;

/** The reference scenario on a normal day, with nothing to complain about. */
function healthy(s: Scenario): void {
  server(s, 'headnode0').alive = true;
  s.restoreData.on = [...HEADNODES];
  delete s.restoreData.services['cmon'];
  s.instances.push({
    ...inst(s, 'dhcpd1'),
    alias: 'dhcpd2',
    uuid: '5f0e2a1c-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    server: 'headnode2',
    adminIp: '10.99.99.57',
  });
}

async function check(
  edit?: (s: Scenario) => void,
  opts: CheckOptions = {},
  before?: (t: TestSim) => void,
): Promise<CheckResult> {
  const t = await openTestSim(
    scenario((s) => {
      healthy(s);
      edit?.(s);
    }),
    1000,
  );
  before?.(t);
  return runCheck(t.sim, { timeoutMs: T, ...opts });
}

const codes = (r: CheckResult): string[] =>
  r.report.problems.map((p) => `${p.severity}:${p.code}${p.service ? `:${p.service}` : ''}`);
const one = (r: CheckResult, code: ProblemCode): Problem => {
  const ps = r.report.problems.filter((p) => p.code === code);
  expect(ps, `${code} in ${codes(r).join(', ')}`).toHaveLength(1);
  return ps[0]!;
};
const hn = (r: CheckResult, hostname: string): HeadnodeReadiness =>
  r.report.readiness!.find((h) => h.hostname === hostname)!;
const row = (r: CheckResult, hostname: string, alias: string): ReadinessService =>
  hn(r, hostname).services.find((s) => s.alias === alias)!;
const restorable = (r: CheckResult): Record<string, boolean> =>
  Object.fromEntries(r.report.readiness!.map((h) => [h.hostname, h.restorable]));
const prom = (r: CheckResult) => parsePrometheus(formatPrometheus(r.report, new Date(), { maxAgeMinutes: 30 }));

const serial: Theme = { color: false, ascii: true, serial: true, tickMs: 5000 };
function screen(report: CheckReport): string[] {
  const s = { ...initialState('simulated', Date.now()), screen: 'inspect' as const, check: report };
  return inspectView(s, { theme: serial, width: 79, height: 21 }).map((line) => line.map((seg) => seg.text).join(''));
}

describe('a healthy DC', () => {
  it('is ready: every headnode restorable, no problem', async () => {
    const r = await check();
    expect(r.report.mode).toBe('readiness');
    expect(codes(r)).toEqual([]);
    expect(r.report.verdict).toBe('ready');
    expect(restorable(r)).toEqual({ headnode0: true, headnode1: true, headnode2: true });
    expect(r.report.readiness!.map((h) => [h.hostname, h.local])).toEqual([
      ['headnode0', false],
      ['headnode1', true],
      ['headnode2', false],
    ]);
  });

  it('lists, per headnode, each zone it runs with what restore-data holds for it', async () => {
    const r = await check();
    const h0 = hn(r, 'headnode0');
    expect(h0.services.map((s) => s.alias).slice(0, 3)).toEqual(['assets0', 'sapi0', 'amonredis0']); // restore order
    expect(row(r, 'headnode0', 'imgapi0')).toMatchObject({
      name: 'imgapi',
      restored: true,
      ready: true,
      restoreData: { present: true, image: true, dataset: true },
    });
    expect(row(r, 'headnode0', 'vmapi0').restoreData.dataset).toBeNull();
    expect(row(r, 'headnode0', 'vmapi0').restoreData.ageSeconds).toBeGreaterThanOrEqual(240);
    // HA members are not re-created: listed, ready, and saying why.
    expect(row(r, 'headnode0', 'manatee0')).toMatchObject({
      restored: false,
      ready: true,
      why: expect.stringContaining('HA cluster member'),
    });
    expect(hn(r, 'headnode2').why).toContain('nothing to re-create');
    expect(hn(r, 'headnode0').ownRestoreData).toMatchObject({ present: true, lastSyncOk: true });
  });

  it("this headnode is judged as restored from another one, by that one's restore-data, and says so", async () => {
    const r = await check();
    const me = hn(r, 'headnode1');
    expect(me.local).toBe(true);
    expect(me.why).toContain('cannot be restored from itself');
    expect(me.why).toMatch(/by the restore-data that headnode0 \(\d+ min old\) and headnode2 \(\d+ min old\) hold;/);
    expect(me.why).toContain('run triton-recover check there');
    expect(me.services.map((s) => s.alias)).toEqual(['dhcpd1', 'manatee1', 'moray1', 'binder1']);
  });

  it('Prometheus: verdict ready, every headnode restorable, no problem counted', async () => {
    const r = await check();
    const f = prom(r);
    expect(valueOf(f, 'triton_recover_verdict', { verdict: 'ready' })).toBe(1);
    for (const h of HEADNODES) expect(valueOf(f, 'triton_recover_headnode_restorable', { headnode: h })).toBe(1);
    expect(f.get('triton_recover_problems')!.samples.every((s) => s.value === 0)).toBe(true);
  });

  it('the readiness screen: YES per headnode, its zones, then the DC problems, within 79 columns', async () => {
    const lines = screen((await check()).report);
    expect(lines).toContain('headnode0: restorable from here: YES');
    expect(lines).toContain('headnode1 (this one): restorable from another headnode: YES');
    expect(lines).toContain('  SERVICE    READY DATA AGE     VERIFIED IMAGE DATASET ZONE');
    // VERIFIED: when its dataset streams were last verified end to end, beside when synced ("-": none held).
    expect(lines.some((l) => /^ {2}vmapi {6}yes {3}yes {2}\d+ min +- {8}yes {3}- {7}vmapi0$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}imgapi +yes +yes +\d+ min +\d+ min +yes +yes +imgapi0$/.test(l))).toBe(true);
    expect(lines).toContain('DC problems: none');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(79);
  });
});

describe('the reference scenario on a normal day (headnode0 alive)', () => {
  it('warns about what it really lacks: restore-data on headnode0, a dhcpd on headnode2, and the stale cmon copy', async () => {
    const t = await openTestSim(
      scenario((s) => (server(s, 'headnode0').alive = true)),
      1000,
    );
    const r = await runCheck(t.sim, { timeoutMs: T });
    expect(codes(r)).toEqual([
      'warning:RESTORE_DATA_MISSING',
      'warning:RESTORE_DATA_STALE:cmon',
      'warning:NO_DHCPD_SURVIVOR:dhcpd',
    ]);
    expect(one(r, 'RESTORE_DATA_MISSING').message).toContain('no restore-data on headnode0');
    expect(one(r, 'NO_DHCPD_SURVIVOR').message).toMatch(/^no dhcpd runs on headnode2 \(none on headnode2;/);
    expect(restorable(r)).toEqual({ headnode0: true, headnode1: true, headnode2: true });
  });
});

describe('one thing broken at a time', () => {
  it('RESTORE_DATA_MISSING: no restore-data on headnode2 (a warning naming it and what it could not restore)', async () => {
    const r = await check((s) => (s.restoreData.on = ['headnode0', 'headnode1']));
    expect(codes(r)).toEqual(['warning:RESTORE_DATA_MISSING']);
    const p = one(r, 'RESTORE_DATA_MISSING');
    expect(p.message).toBe(
      'no restore-data on headnode2 (/var/sdcadm/restore-data/LAYOUT is missing there): if headnode0 or headnode1 died, headnode2 could not restore it',
    );
    expect(p.fix).toContain('triton-recover sync` on headnode2');
    expect(hn(r, 'headnode2').ownRestoreData.present).toBe(false);
    expect(valueOf(prom(r), 'triton_recover_headnode_restore_data_present', { headnode: 'headnode2' })).toBe(0);
    // headnode0's copy is still there: this headnode could be restored from it.
    expect(hn(r, 'headnode1')).toMatchObject({ restorable: true, why: expect.stringContaining('headnode0 (') });
  });

  it('restore-data only here: a warning per other headnode, and nothing to restore this one from', async () => {
    const r = await check((s) => (s.restoreData.on = ['headnode1']));
    expect(
      r.report.problems.filter((p) => p.code === 'RESTORE_DATA_MISSING').map((p) => p.message.slice(0, 29)),
    ).toEqual(['no restore-data on headnode0 ', 'no restore-data on headnode2 ']);
    expect(restorable(r)).toEqual({ headnode0: true, headnode1: true, headnode2: true }); // headnode1's zones are all HA members
    expect(hn(r, 'headnode1').why).toContain(
      'no other live headnode holds restore-data (headnode0: none; headnode2: none)',
    );
    expect(row(r, 'headnode1', 'manatee1').restoreData.present).toBe(false);
  });

  it("RESTORE_DATA_STALE: another headnode's copy is old", async () => {
    const r = await check(undefined, {}, (t) => {
      const files = t.sim.world.state.servers.find((x) => x.hostname === 'headnode2')!.files!;
      files['/var/sdcadm/restore-data/dc/synced.json'] = JSON.stringify({
        time: new Date(Date.now() - 7_200_000).toISOString(),
        ok: true,
      });
    });
    expect(codes(r)).toEqual(['warning:RESTORE_DATA_STALE']);
    expect(one(r, 'RESTORE_DATA_STALE').message).toMatch(
      /^restore-data on headnode2 is 2 h old \(synced .* more than the 30 min allowed\): if headnode0 or headnode1 died/,
    );
    expect(
      valueOf(prom(r), 'triton_recover_headnode_restore_data_age_seconds', { headnode: 'headnode2' }),
    ).toBeGreaterThanOrEqual(7200);
  });

  it('RESTORE_DATA_STALE: a failed last sync on another headnode', async () => {
    const r = await check(undefined, {}, (t) => {
      const files = t.sim.world.state.servers.find((x) => x.hostname === 'headnode0')!.files!;
      files['/var/sdcadm/restore-data/dc/synced.json'] = JSON.stringify({
        time: new Date().toISOString(),
        ok: false,
        error: 'zfs send failed',
      });
    });
    expect(one(r, 'RESTORE_DATA_STALE').message).toContain(
      'the last sync of restore-data on headnode0 failed (/var/sdcadm/restore-data/dc/synced.json: zfs send failed',
    );
  });

  it('a headnode whose restore-data cannot be looked at is said, not skipped', async () => {
    const r = await check(
      (s) => (s.faults = [{ command: 'test', match: '/var/sdcadm/restore-data/LAYOUT', effect: 'hang' }]),
    );
    const ps = r.report.problems.filter((p) => p.code === 'RESTORE_DATA_MISSING');
    expect(ps.map((p) => p.message)).toEqual([
      expect.stringMatching(/^could not tell whether headnode0 holds restore-data \(.*no answer within 0\.4 s\)/),
      expect.stringMatching(/^could not tell whether headnode2 holds restore-data/),
    ]);
    expect(hn(r, 'headnode0').ownRestoreData.present).toBeNull();
  });

  it('RESTORE_DATA_STALE: the stale cmon copy (26 h): a warning, its age in Prometheus, headnode0 still restorable', async () => {
    const r = await check((s) => (s.restoreData.services['cmon'] = { syncedSecondsAgo: 93_600 }));
    expect(codes(r)).toEqual(['warning:RESTORE_DATA_STALE:cmon']);
    expect(row(r, 'headnode0', 'cmon0')).toMatchObject({
      ready: true,
      why: 'its restore-data is 26 h old: changes since would be lost',
    });
    expect(hn(r, 'headnode0').restorable).toBe(true);
    const f = prom(r);
    expect(
      valueOf(f, 'triton_recover_restore_data_age_seconds', { service: 'cmon', headnode: 'headnode1' }),
    ).toBeGreaterThanOrEqual(93_600);
    expect(
      valueOf(f, 'triton_recover_restore_data_age_seconds', { service: 'sapi', headnode: 'headnode1' }),
    ).toBeLessThan(600);
    expect(valueOf(f, 'triton_recover_problems', { code: 'RESTORE_DATA_STALE', severity: 'warning' })).toBe(1);
    expect(screen(r.report)).toContain('             note: its restore-data is 26 h old: changes since would be lost');
    // Ready (nothing blocks it), but marked: it restores, not as it was.
    expect(screen(r.report).some((l) => /^ {2}cmon {7}yes\* +yes +26\.\d h/.test(l))).toBe(true);
    expect(screen(r.report).some((l) => /^ {2}sapi {7}yes {2}/.test(l))).toBe(true);
  });

  it("RESTORE_DATA_CORRUPT: sapi0's held stream failed its last verification: VERIFIED says FAILED beside a fresh age", async () => {
    const r = await check(undefined, {}, (t) => {
      const file = join(t.sim.restoreDataDir, paths.svcVerified('sapi'));
      const v = JSON.parse(readFileSync(file, 'utf8')) as Verified;
      const failed = v.datasets.map((d) => ({ ...d, ok: false, error: 'zstreamdump: checksum mismatch' }));
      writeFileSync(file, JSON.stringify({ datasets: failed }));
    });
    expect(codes(r)).toEqual(['warning:RESTORE_DATA_CORRUPT:sapi']);
    expect(row(r, 'headnode0', 'sapi0').restoreData).toMatchObject({ verifiedOk: false });
    expect(row(r, 'headnode0', 'sapi0').restoreData.ageSeconds).toBeLessThan(600);
    expect(screen(r.report).some((l) => /^ {2}sapi {7}yes\* +yes {2}\d+ min +FAILED +yes +yes +sapi0$/.test(l))).toBe(
      true,
    );
    // Still ready: a failed verification holds no restore back (design section 7), but it is said.
    expect(row(r, 'headnode0', 'sapi0')).toMatchObject({
      ready: true,
      why: 'its copy failed verification (RESTORE_DATA_CORRUPT)',
    });
  });

  it("IMAGE_MISSING: vmapi's image neither installed here nor in restore-data: headnode0 not restorable", async () => {
    const r = await check((s) => {
      server(s, 'headnode1').images = s.images.map((i) => i.uuid).filter((u) => u !== VMAPI_IMAGE);
      s.restoreData.services['vmapi'] = { missingImage: true };
    });
    expect(codes(r)).toEqual(['critical:IMAGE_MISSING:vmapi']);
    expect(restorable(r)).toEqual({ headnode0: false, headnode1: true, headnode2: true });
    expect(row(r, 'headnode0', 'vmapi0')).toMatchObject({ ready: false, restoreData: { present: true, image: false } });
    expect(row(r, 'headnode0', 'vmapi0').why).toContain(
      `image ${VMAPI_IMAGE} not at hand: not installed; not in restore-data`,
    );
    expect(hn(r, 'headnode0').why).toBe('1 of 21 zones to re-create are not ready: vmapi0');
    expect(valueOf(prom(r), 'triton_recover_headnode_restorable', { headnode: 'headnode0' })).toBe(0);
    const lines = screen(r.report);
    expect(lines).toContain('headnode0: restorable from here: NO');
    expect(lines.some((l) => /^ {2}vmapi +NO +yes/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('CRIT IMAGE_MISSING [vmapi]: image'))).toBe(true);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(79);
  });

  it('DATASET_MISSING: imgapi has no stream of its delegated dataset: headnode0 not restorable', async () => {
    const r = await check((s) => (s.restoreData.services['imgapi'] = { missingDataset: true }));
    expect(codes(r)).toEqual(['critical:DATASET_MISSING:imgapi']);
    expect(restorable(r)).toEqual({ headnode0: false, headnode1: true, headnode2: true });
    expect(row(r, 'headnode0', 'imgapi0')).toMatchObject({
      ready: false,
      restoreData: { dataset: false },
      why: `no zfs send stream of zones/${REF.imgapi0.uuid}/data`,
    });
  });

  it('NO_DHCPD_SURVIVOR: no dhcpd on headnode2 is a warning naming it', async () => {
    const r = await check((s) => (s.instances = s.instances.filter((i) => i.alias !== 'dhcpd2')));
    expect(codes(r)).toEqual(['warning:NO_DHCPD_SURVIVOR:dhcpd']);
    const p = one(r, 'NO_DHCPD_SURVIVOR');
    expect(p.message).toBe(
      'no dhcpd runs on headnode2 (none on headnode2; dhcpd zones: dhcpd0 on headnode0, dhcpd1 on headnode1): RFD 67 wants one on every headnode, or losing the headnodes that have one leaves compute nodes unable to boot',
    );
    expect(p.fix).toBe(`on headnode2: sdcadm create dhcpd -s ${REF.headnode2.uuid} --dev-allow-multiple-instances -y`);
  });

  it("NO_DHCPD_SURVIVOR: headnode2's dhcpd zone is stopped", async () => {
    const r = await check((s) => (inst(s, 'dhcpd2').state = 'stopped'));
    expect(one(r, 'NO_DHCPD_SURVIVOR').message).toContain(
      'no dhcpd runs on headnode2 (dhcpd2 on headnode2 not running;',
    );
    expect(one(r, 'NO_DHCPD_SURVIVOR').fix).toContain('vmadm start $(vmadm lookup -1 alias=dhcpd2)');
  });

  it('NO_DHCPD_SURVIVOR: every dhcpd on headnode0: one warning naming both headnodes without one, and the one whose loss leaves none', async () => {
    const r = await check((s) => {
      s.instances = s.instances.filter((i) => i.alias !== 'dhcpd2');
      inst(s, 'dhcpd1').server = 'headnode0';
    });
    expect(codes(r)).toEqual(['warning:NO_DHCPD_SURVIVOR:dhcpd', 'warning:CN_WOULD_NOT_BOOT']);
    expect(one(r, 'NO_DHCPD_SURVIVOR').message).toMatch(
      /^no dhcpd runs on headnode1 and headnode2 \(.*\): if headnode0 died, no dhcpd would survive/,
    );
    expect(one(r, 'CN_WOULD_NOT_BOOT').message).toMatch(
      /^if headnode0 died, 2 compute nodes cn0, cn1 could not boot again: no dhcpd zone runs on a live headnode/,
    );
  });

  it('MORAY_DOWN: a cluster every restore stands on blocks every headnode, this one too', async () => {
    const r = await check((s) => ['moray0', 'moray1', 'moray2'].forEach((a) => (inst(s, a).state = 'stopped')));
    expect(codes(r)).toEqual(['critical:MORAY_DOWN:moray']);
    expect(restorable(r)).toEqual({ headnode0: false, headnode1: true, headnode2: true }); // 1 and 2 have nothing to re-create
    expect(row(r, 'headnode0', 'sapi0').why).toBe('blocked by MORAY_DOWN (see the problems)');
  });

  it('no restore-data here: one critical problem, and no other headnode known to judge', async () => {
    // The servers and zones are known from restore-data: without it only this headnode is.
    const r = await check((s) => (s.restoreData.on = ['headnode0', 'headnode2']));
    expect(codes(r)).toEqual(['critical:RESTORE_DATA_MISSING']);
    expect(r.report.verdict).toBe('not-ready');
    expect(r.report.readiness!.map((h) => [h.hostname, h.ownRestoreData.present, h.services.length])).toEqual([
      ['headnode1', false, 0],
    ]);
  });

  it("PLATFORM_MISSING: compute nodes boot a platform only headnode0's USB key holds (a warning, every headnode still restorable)", async () => {
    const r = await check((s) => {
      server(s, 'cn0').platform = OLD_PLATFORM;
      server(s, 'headnode0').usbkeyPlatforms = [OLD_PLATFORM, NEW_PLATFORM];
      server(s, 'headnode1').usbkeyPlatforms = [NEW_PLATFORM];
      server(s, 'headnode2').usbkeyPlatforms = [NEW_PLATFORM];
    });
    // dhcpd1 and dhcpd2 answer cn0 too, and the first offer wins: it may not boot even now.
    expect(codes(r)).toEqual(['warning:PLATFORM_MISSING', 'warning:CN_WOULD_NOT_BOOT']);
    expect(one(r, 'CN_WOULD_NOT_BOOT').message).toContain(
      `dhcpd1 on headnode1, dhcpd2 on headnode2 would answer it, but the /usbkey/os of headnode1, headnode2 lacks its platform ${OLD_PLATFORM}`,
    );
    const p = one(r, 'PLATFORM_MISSING');
    expect(p.message).toBe(
      `compute node cn0 boots platform ${OLD_PLATFORM}, which only headnode0's /usbkey/os holds (headnode0: ${OLD_PLATFORM}, ${NEW_PLATFORM}; headnode1: ${NEW_PLATFORM}; headnode2: ${NEW_PLATFORM}): if headnode0 died, it could not boot again`,
    );
    expect(p.fix).toContain(
      `on headnode1: copy it from headnode0: scp -rp ${REF.headnode0.adminIp}:/usbkey/os/${OLD_PLATFORM} /usbkey/os/`,
    );
    expect(p.fix).toContain('on headnode2: copy it from headnode0');
    expect(restorable(r)).toEqual({ headnode0: true, headnode1: true, headnode2: true });
    expect(valueOf(prom(r), 'triton_recover_problems', { code: 'PLATFORM_MISSING', severity: 'warning' })).toBe(1);
    expect(screen(r.report).some((l) => l.startsWith('WARN PLATFORM_MISSING: compute node cn0 boots platform'))).toBe(
      true,
    );
  });

  it('PLATFORM_MISSING: a platform no headnode holds at all', async () => {
    const r = await check((s) => (server(s, 'cn1').platform = OLD_PLATFORM));
    // By default every key holds every server's platform: cn1's too.
    expect(codes(r)).toEqual([]);
    const r2 = await check((s) => {
      server(s, 'cn1').platform = OLD_PLATFORM;
      for (const h of HEADNODES) server(s, h).usbkeyPlatforms = [NEW_PLATFORM];
    });
    expect(codes(r2)).toEqual(['warning:PLATFORM_MISSING', 'warning:CN_WOULD_NOT_BOOT']);
    expect(one(r2, 'PLATFORM_MISSING').message).toMatch(
      new RegExp(`^compute node cn1 boots platform ${OLD_PLATFORM}, which no headnode's /usbkey/os holds`),
    );
  });

  it("USBKEY_MISSING: a converted headnode's /usbkey/extra has no agents (RFD 67 M0)", async () => {
    const r = await check(
      (s) =>
        (server(s, 'headnode2').usbkeyExtra = [
          'joysetup/',
          'joysetup/node.config',
          'joysetup/joysetup.sh',
          'joysetup/agentsetup.sh',
          'joysetup/cn_tools.tar.gz',
        ]),
    );
    expect(codes(r)).toEqual(['warning:USBKEY_MISSING']);
    const p = one(r, 'USBKEY_MISSING');
    expect(p.message).toBe(
      "headnode2's /usbkey/extra lacks agents/latest: compute node setup downloads it from assets, which serves /usbkey/extra, so an assets zone on headnode2 could not set up new compute nodes",
    );
    expect(p.fix).toBe(`on headnode2: scp -rp ${REF.headnode0.adminIp}:/usbkey/extra/agents /usbkey/extra/`);
    expect(restorable(r)).toEqual({ headnode0: true, headnode1: true, headnode2: true });
  });

  it('TOO_FEW_HEADNODES: only 2 headnodes', async () => {
    const r = await check((s) => (server(s, 'headnode2').headnode = false));
    expect(codes(r)).toEqual(['warning:TOO_FEW_HEADNODES']);
    expect(r.report.readiness!.map((h) => h.hostname)).toEqual(['headnode0', 'headnode1']);
  });

  it('ADMIN_IPS_SHORT (new strategy): every zone of headnode0 lacks a spare admin IP', async () => {
    const r = await check(
      (s) => {
        s.recoveryIps = [];
        s.adminNetwork.provisionStartIp = '10.99.99.245';
        s.adminNetwork.provisionEndIp = '10.99.99.250';
      },
      { strategy: 'new' },
    );
    // The strategy itself is refused too (state/strategy-gate.ts); the IP count still says what it would lack.
    expect(codes(r)).toEqual(['critical:ADMIN_IPS_SHORT', 'critical:STRATEGY_UNAVAILABLE']);
    expect(row(r, 'headnode0', 'sapi0')).toMatchObject({
      ready: false,
      spareAdminIp: false,
      why: "the new strategy needs 21 admin IPs to restore headnode0's zones, 6 available; blocked by STRATEGY_UNAVAILABLE (see the problems)",
    });
    expect(restorable(r)).toEqual({ headnode0: false, headnode1: true, headnode2: true });
  });
});
