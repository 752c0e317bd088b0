// Would every compute node boot? (issue 16 item 5) Against the simulated DC,
// whose booter answers a PXE boot only from a running dhcpd zone with a
// /tftpboot/cache entry for the node (CNAPI and NAPI died with the primary)
// and the node's platform under that headnode's /usbkey/os (src/remote/sim/booter.ts).
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { serverAdminMac } from '../../src/remote/sim/physics.js';
import type { Theme } from '../../src/screens/theme.js';
import { inspectView } from '../../src/screens/views/inspect.js';
import { formatCheckText, type CheckReport } from '../../src/state/check-report.js';
import { initialState } from '../../src/state/console/index.js';
import { formatPrometheus } from '../../src/state/prometheus.js';
import type { Problem } from '../../src/state/problem.js';
import { runCheck, type CheckResult } from '../../src/steps/check.js';
import { openTestSim, scenario } from '../support/sim-dc.js';

const inst = (s: Scenario, alias: string) => s.instances.find((i) => i.alias === alias)!;
const server = (s: Scenario, hostname: string) => s.servers.find((x) => x.hostname === hostname)!;
const OLD = '20240307T000552Z';
const NEW = '20260901T101010Z';

async function check(edit?: (s: Scenario) => void): Promise<CheckResult> {
  const t = await openTestSim(scenario(edit), 1000);
  return runCheck(t.sim, { timeoutMs: 400 });
}
const cnProblems = (r: CheckResult): Problem[] => r.report.problems.filter((p) => p.code === 'CN_WOULD_NOT_BOOT');
const boots = (r: CheckResult): Record<string, boolean | null> =>
  Object.fromEntries((r.report.computeNodes ?? []).map((c) => [c.hostname, c.boots]));

const serial: Theme = { color: false, ascii: true, serial: true, tickMs: 5000 };
function screen(report: CheckReport): string[] {
  const s = { ...initialState('simulated', Date.now()), screen: 'inspect' as const, check: report };
  return inspectView(s, { theme: serial, width: 79, height: 21 }).map((line) => line.map((seg) => seg.text).join(''));
}

describe('CN_WOULD_NOT_BOOT', () => {
  it("the reference scenario: both compute nodes boot from dhcpd1's cache on headnode1", async () => {
    const r = await check();
    expect(cnProblems(r)).toEqual([]);
    expect(boots(r)).toEqual({ cn0: true, cn1: true });
    expect(r.report.computeNodes![0]!.why).toBe(`dhcpd1 on headnode1 answers from its cache; platform ${NEW} there`);
    expect(formatCheckText(r.report, 'check')).toContain(
      `  cn0          YES (dhcpd1 on headnode1 answers from its cache; platform ${NEW} there)`,
    );
  });

  it('disaster: the surviving dhcpd has no cache entry for cn0 and CNAPI died with the primary: a warning, as the restore brings CNAPI back', async () => {
    const r = await check((s) => (inst(s, 'dhcpd1').booterCache = [serverAdminMac(server(s, 'cn1').uuid)]));
    expect(boots(r)).toEqual({ cn0: false, cn1: true });
    const [p, ...rest] = cnProblems(r);
    expect(rest).toEqual([]);
    // cnapi is restored here: the cache fills once CNAPI and NAPI are back, so a warning.
    expect(p!.severity).toBe('warning');
    expect(p!.message).toBe(
      `compute node cn0 would not boot again until the restore is done after a reboot or power loss: no booter cache entry for its admin MAC (${serverAdminMac(server(scenario(), 'cn0').uuid)}) in dhcpd1 on headnode1: without CNAPI and NAPI no dhcpd answers it`,
    );
    expect(p!.fix).toContain('do not reboot them until the restore brings back CNAPI and NAPI');
    // The readiness screen and the metrics carry each compute node's verdict.
    const lines = screen(r.report);
    const at = lines.indexOf('Compute nodes, would each PXE boot again now:');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('  cn0          NO');
    expect(lines[at + 2]).toMatch(/^      no booter cache entry for its admin MAC/);
    expect(lines.every((l) => l.length <= 79)).toBe(true);
    expect(lines).toContain('  cn1          YES');
    const prom = formatPrometheus(r.report, new Date(0), { maxAgeMinutes: 30 });
    expect(prom).toContain(
      'triton_recover_compute_node_boots{compute_node="cn0"} 0\ntriton_recover_compute_node_boots{compute_node="cn1"} 1\n',
    );
    expect(prom).toContain('triton_recover_problems{code="CN_WOULD_NOT_BOOT",severity="warning"} 1\n');
    expect(p!.fix).toContain(
      `tail -50 /zones/${inst(scenario(), 'dhcpd1').uuid}/root/var/svc/log/smartdc-application-dhcpd:default.log`,
    );
  });

  it("disaster: compute nodes boot a platform only the dead primary's USB key held: PLATFORM_MISSING and CN_WOULD_NOT_BOOT, critical", async () => {
    const r = await check((s) => {
      for (const cn of ['cn0', 'cn1']) server(s, cn).platform = OLD;
      server(s, 'headnode0').usbkeyPlatforms = [OLD, NEW];
      server(s, 'headnode1').usbkeyPlatforms = [NEW];
      server(s, 'headnode2').usbkeyPlatforms = [NEW];
    });
    expect(r.report.problems.find((p) => p.code === 'PLATFORM_MISSING')?.severity).toBe('critical');
    const [p, ...rest] = cnProblems(r);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ severity: 'critical' });
    expect(p!.message).toBe(
      `2 compute nodes cn0, cn1 would not boot again after a reboot or power loss: dhcpd1 on headnode1 would answer it, but the /usbkey/os of headnode1 lacks its platform ${OLD}`,
    );
    expect(p!.fix).toContain(`on headnode1: sdcadm platform install <platform-${OLD}.tgz`);
    expect(p!.fix).toContain('sdcadm platform assign <platform> cn0 cn1');
    expect(r.report.verdict).toBe('not-ready');
    expect(r.report.services.every((s) => s.ready)).toBe(true); // it holds no restore back
  });

  it('disaster: the only surviving dhcpd is stopped (dhcpd0 is not re-created while dhcpd1 exists): every compute node would not boot, critical', async () => {
    const r = await check((s) => (inst(s, 'dhcpd1').state = 'stopped'));
    expect(boots(r)).toEqual({ cn0: false, cn1: false });
    const [p] = cnProblems(r);
    expect(p!.severity).toBe('critical');
    expect(p!.message).toBe(
      '2 compute nodes cn0, cn1 would not boot again after a reboot or power loss: no dhcpd zone runs on a live headnode (dhcpd0 on headnode0, dhcpd1 on headnode1)',
    );
    expect(p!.fix).toMatch(/^on headnode1: vmadm start e312b5b2-b501-5bb8-8e39-d374716130d3; or sdcadm create dhcpd/);
  });

  it("readiness: each headnode's loss is judged; losing headnode0 leaves dhcpd1 without cn0's cache entry", async () => {
    const r = await check((s) => {
      server(s, 'headnode0').alive = true;
      inst(s, 'dhcpd1').booterCache = [serverAdminMac(server(s, 'cn1').uuid)];
    });
    expect(r.report.mode).toBe('readiness');
    expect(boots(r)).toEqual({ cn0: true, cn1: true });
    const ps = cnProblems(r);
    expect(ps.map((p) => `${p.severity}: ${p.message.split(':')[0]}`)).toEqual([
      'warning: if headnode0 died, compute node cn0 could not boot again',
    ]);
    expect(ps[0]!.fix).toContain('booter writes the cache of every server every 5 minutes while CNAPI and NAPI answer');
  });
});
