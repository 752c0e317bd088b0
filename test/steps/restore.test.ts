// Whole restores against the simulator, in-process: the engine as `restore --yes` drives it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/remote/sim/scenario.js';
import { readJournal } from '../../src/steps/journal.js';
import { runRestore, type RestoreOptions } from '../../src/steps/restore.js';
import { openTestSim, scenario, restoreIn } from '../support/sim-dc.js';
import { loadState, RESTORED, violations } from '../support/restore-oracle.js';
import { REF } from '../support/reference.js';

const SPEED = 400;
const timing = { pollMs: 5, healthTimeoutMs: 3_000, commandTimeoutMs: 5_000 };

async function restore(s: Scenario, o: Partial<RestoreOptions> = {}) {
  const t = await openTestSim(s, SPEED);
  const journalDir = join(t.dir, 'journal');
  const out = await restoreIn(t, {
    journalDir,
    command: 'triton-recover restore --yes --fenced headnode0',
    ...o,
  });
  return { t, out, journalDir };
}

describe('restore (engine, in-process)', () => {
  it('restores every lost service of the reference scenario on the local headnode, healthy, with a report', async () => {
    const { t, out, journalDir } = await restore(scenario());
    expect(out.message).toMatch(/21 of 21 zone\(s\) restored and healthy/);
    expect(out.exitCode).toBe(0);
    expect(violations(t.statePath)).toEqual([]);
    expect(existsSync(out.report!.md)).toBe(true);
    const md = readFileSync(out.report!.md, 'utf8');
    expect(md).toContain('Outcome: **DONE**');
    expect(md).toMatch(/\| sapi \| sapi0 \| 67be4635-bfdb-527a-8b91-44daa9249090 \| 10\.99\.99\.30 \| done \|/);
    // The restore order of design section 4, as the journal recorded it.
    const j = readJournal(journalDir);
    const order = [...j.finished.keys()].map((k) => k.split('/')[0]);
    expect(order).toEqual(RESTORED);
    // Reconcile: the dead server's NAPI NIC is gone; SAPI places the restored zones here.
    const st = loadState(t.statePath);
    expect(st.sim.napiNics.some((n) => n.belongs_to_uuid === REF.headnode0.uuid)).toBe(false);
    const hn1 = REF.headnode1.uuid;
    expect(
      st.sim.sapiInstances.filter((r) => RESTORED.includes(r.service) && r.server !== hn1).map((r) => r.alias),
    ).toEqual([]);
    // The dead server stays in CNAPI, so VMAPI shows what it still holds as unknown, not running.
    expect(st.sim.deletedServers).toEqual([]);
    const manatee0 = await t.http('GET', `http://${REF.vmapi0.adminIp}/vms/${REF.manatee0.uuid}`);
    expect(manatee0.json).toMatchObject({ alias: 'manatee0', state: 'unknown' });
  });

  it('a real-shaped DC: external primary NICs, firewalls, dhcpd only on the dead primary: all restored, payloads as vmadm wants them', async () => {
    const s = scenario((x) => (x.instances = x.instances.filter((i) => i.alias !== 'dhcpd1')));
    const { t, out, journalDir } = await restore(s);
    expect(out.message).toMatch(/22 of 22 zone\(s\) restored and healthy/);
    const withDhcpd = [
      ...RESTORED.slice(0, RESTORED.indexOf('cnapi') + 1),
      'dhcpd',
      ...RESTORED.slice(RESTORED.indexOf('cnapi') + 1),
    ];
    expect(violations(t.statePath, withDhcpd)).toEqual([]);
    expect([...readJournal(journalDir).finished.keys()].map((k) => k.split('/')[0])).toEqual(withDhcpd);
    const st = loadState(t.statePath);
    const old = new Map(s.instances.map((i) => [i.uuid, i]));
    const restored = st.instances.filter((i) => i.server === 'headnode1' && i.payload);
    expect(restored).toHaveLength(22);
    for (const i of restored) {
      const nics = i.payload!['nics'] as Record<string, unknown>[];
      const was = old.get(i.uuid)!;
      expect(
        nics.filter((n) => n['primary'] === true),
        i.alias,
      ).toHaveLength(1);
      expect(nics.find((n) => n['nic_tag'] === 'admin')?.['ip'], i.alias).toBe(was.adminIp);
      expect(nics.find((n) => n['primary'] === true)?.['nic_tag'], i.alias).toBe(was.primaryNic ?? 'admin');
      if (was.externalIp) expect(nics.find((n) => n['nic_tag'] === 'external')?.['ip'], i.alias).toBe(was.externalIp);
      expect(i.payload!['firewall_enabled'] === true, i.alias).toBe(was.firewallEnabled === true);
    }
    const dhcpd = restored.find((i) => i.service === 'dhcpd')!;
    expect((dhcpd.payload!['nics'] as Record<string, unknown>[])[0]).toMatchObject({
      nic_tag: 'admin',
      dhcp_server: true,
    });
  });

  it('a live primary: exit 2 and nothing changes', async () => {
    const s = scenario((x) => (x.servers[0]!.alive = true));
    const t = await openTestSim(s, SPEED);
    const before = readFileSync(t.statePath, 'utf8');
    const out = await runRestore({
      dc: t.sim,
      journalDir: join(t.dir, 'j'),
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
    });
    expect(out.exitCode).toBe(2);
    expect(out.message).toContain('headnode0 is ALIVE');
    expect(out.problems[0]).toMatchObject({ severity: 'critical', code: 'PRIMARY_ALIVE' });
    expect(JSON.parse(readFileSync(t.statePath, 'utf8')).instances).toEqual(JSON.parse(before).instances);
  });

  it('reuse without the typed hostname refuses, and says what to type', async () => {
    const { out, t } = await restore(scenario(), { fenced: undefined as unknown as string });
    expect(out.exitCode).toBe(2);
    expect(out.message).toBe(
      "the reuse strategy takes over headnode0's UUIDs, IPs and MACs: it must be powered off or off the admin network for good. Nothing was changed: confirm the fence with --fenced headnode0",
    );
    expect(out.next).toContain('--fenced headnode0');
    expect(
      loadState(t.statePath)
        .instances.filter((i) => i.server === 'headnode1')
        .map((i) => i.alias)
        .sort(),
    ).toEqual(['binder1', 'dhcpd1', 'manatee1', 'moray1']);
  });

  it('an injected vmadm create failure stops with exit 3 and what failed; the rerun completes', async () => {
    const s = scenario((x) => (x.faults = [{ command: 'vmadm create', match: '', effect: 'fail', times: 1 }]));
    s.faults[0] = { command: 'vmadm create', effect: 'fail', times: 1 };
    const t = await openTestSim(s, SPEED);
    const journalDir = join(t.dir, 'journal');
    const opts: RestoreOptions = {
      dc: t.sim,
      journalDir,
      strategy: 'reuse',
      fenced: 'headnode0',
      timing,
      probeTimeoutMs: 500,
      command: 'x',
    };
    const first = await runRestore(opts);
    expect(first.exitCode).toBe(3);
    expect(first.message).toContain('assets0 (assets) failed on headnode1');
    expect(first.failure?.command).toBe('vmadm create');
    expect(first.failure?.output).toContain('simulated fault');
    expect(first.next).toBeTruthy();
    const second = await runRestore(opts);
    expect(second.exitCode).toBe(0);
    expect(violations(t.statePath)).toEqual([]);
  });

  it('the primary coming back mid-restore stops it', async () => {
    const s = scenario((x) => (x.faults = [{ event: 'primary-returns', after: 'ufds' }]));
    const { out, t } = await restore(s);
    expect(out.exitCode).toBe(3);
    expect(out.message).toMatch(
      /headnode0 \(10\.99\.99\.7\) ANSWERS AGAIN since \S+ \(ping: 10\.99\.99\.7 answers ping\): restore stopped before /,
    );
    expect(out.next).toContain('power headnode0 off');
    // Watched continuously: at most one change may slip in within one probe cycle.
    const ev = loadState(t.statePath).sim.events;
    const back = ev.find((e) => e.what === 'headnode0 came back with its old zones')!.at;
    expect(ev.filter((e) => e.at > back && e.what.startsWith('vmadm create')).length).toBeLessThanOrEqual(1);
    // A start waits for a look at the primary begun at most two probe periods before it: at most one slips in.
    const startedAfter = loadState(t.statePath).instances.filter(
      (i) => i.server === 'headnode1' && i.bootStartedAt !== undefined && i.bootStartedAt > back,
    );
    expect(startedAfter.length).toBeLessThanOrEqual(1);
    expect(ev.filter((e) => e.what.startsWith('vmadm create')).length).toBeLessThan(21);
  });

  it('a primary watch that cannot ping stops the restore before the next start, saying why and what to do', async () => {
    // Every ping of the primary drops the link, so none runs (detection judges by its other signals).
    const s = scenario((x) => (x.faults = [{ command: 'ping', match: '10.99.99.7', effect: 'disconnect' }]));
    const { out, t } = await restore(s);
    expect(out.exitCode, out.message).toBe(3);
    expect(out.message).toMatch(
      /^cannot watch the dead primary headnode0 \(10\.99\.99\.7\) from headnode1: ping 10\.99\.99\.7 could not run in headnode1's global zone 3 times in a row .*: restore stopped before /,
    );
    expect(out.next).toContain('ping 10.99.99.7 1');
    // Nothing was started blind.
    const started = loadState(t.statePath).instances.filter(
      (i) => i.server === 'headnode1' && i.bootStartedAt !== undefined && i.payload,
    );
    expect(started).toEqual([]);
  });

  it('strategy new is refused before anything changes: STRATEGY_UNAVAILABLE says why', async () => {
    for (const fenced of ['headnode0', undefined]) {
      const { t, out } = await restore(scenario(), {
        strategy: 'new',
        ...(fenced ? {} : { fenced: undefined as unknown as string }),
      });
      expect(out.exitCode).toBe(2);
      const p = out.problems.find((x) => x.code === 'STRATEGY_UNAVAILABLE');
      expect(p?.severity).toBe('critical');
      expect(p?.message).toContain('SAPI in full mode');
      const st = loadState(t.statePath);
      expect(st.instances.filter((i) => i.server === 'headnode1' && i.payload)).toEqual([]);
      expect(st.sim.events.map((e) => e.what).filter((w) => /vmadm create|SAPI:/.test(w))).toEqual([]);
    }
  });

  it('--only restores just the named services', async () => {
    const { t, out } = await restore(scenario(), { only: ['assets', 'sapi'] });
    expect(out.exitCode).toBe(0);
    expect(violations(t.statePath, ['assets', 'sapi'])).toEqual([]);
    expect(
      loadState(t.statePath).instances.filter((i) => i.server === 'headnode1' && i.service === 'ufds'),
    ).toHaveLength(0);
  });
});
