// Issue 16 item 8, done when: `capture` of the simulated reference DC (every
// headnode alive), replayed with headnode0 dead, restores like the reference
// scenario itself: the same zones, in the same order, with the same IPs and
// NICs, done. The engine in-process, as `capture` and `drill` drive it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureScenario } from '../../src/app/modes/capture.js';
import { withDeadHeadnode } from '../../src/remote/sim/drill.js';
import { parseScenario, type Scenario } from '../../src/remote/sim/scenario.js';
import { isSecretKey } from '../../src/state/redact.js';
import { readJournal } from '../../src/steps/journal.js';
import { openTestSim, scenario, restoreIn } from '../support/sim-dc.js';
import { loadState, RESTORED, violations } from '../support/restore-oracle.js';

const SPEED = 400;

/** The reference DC on a normal day: headnode0 alive, its zones running. */
export function aliveReference(): Scenario {
  return scenario((s) => {
    s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
    for (const i of s.instances) if (i.server === 'headnode0') i.state = 'running';
  });
}

/** A whole restore with headnode0 dead; what it re-created, in order, and each zone's NICs. */
async function restoreOf(s: Scenario) {
  const t = await openTestSim(s, SPEED);
  const journalDir = join(t.dir, 'journal');
  const out = await restoreIn(t, {
    journalDir,
    command: 'triton-recover drill --dead headnode0 --yes',
  });
  const order = [...readJournal(journalDir).finished.keys()];
  const st = loadState(t.statePath);
  const nics = Object.fromEntries(
    st.instances
      .filter((i) => i.server === st.localServer && i.payload)
      .map((i) => [
        `${i.alias} ${i.uuid}`,
        (i.payload!['nics'] as Record<string, unknown>[]).map((n) => ({
          tag: n['nic_tag'],
          ip: n['ip'],
          mac: n['mac'],
          primary: n['primary'] === true,
        })),
      ]),
  );
  return { out, order, nics, statePath: t.statePath };
}

describe('capture, then a drill with headnode0 dead (issue 16 item 8)', () => {
  it('restores like the reference scenario itself: same zones, order, IPs and NICs, done', async () => {
    const live = await openTestSim(aliveReference(), SPEED);
    const { scenario: captured, notes } = await captureScenario(live.sim, { speed: SPEED, name: 'captured' });
    await live.sim.close();
    // Only sync's own remark that VMAPI (on headnode0) is found by its setup-time address.
    expect(notes.filter((n) => !n.startsWith('no admin NIC known for a vmapi instance'))).toEqual([]);
    expect(captured.localServer).toBe('headnode1');
    expect(captured.servers.every((s) => s.alive)).toBe(true);
    expect(captured.manatee).toMatchObject({ primary: 'manatee0', sync: 'manatee1', async: ['manatee2'] });

    const drill = await restoreOf(withDeadHeadnode(captured, 'headnode0'));
    const ref = await restoreOf(scenario());
    expect(ref.out.exitCode).toBe(0);
    expect(drill.out.exitCode, drill.out.message).toBe(0);
    expect(drill.out.message).toMatch(/21 of 21 zone\(s\) restored and healthy/);
    expect(violations(drill.statePath)).toEqual([]);
    expect(drill.order.map((k) => k.split('/')[0])).toEqual(RESTORED);
    expect(drill.order).toEqual(ref.order);
    expect(drill.nics).toEqual(ref.nics);
  }, 120_000);
});

/** Every secret value the simulated DC holds: /usbkey/config's, and those of the SAPI metadata and zone dumps in restore-data. */
function secretsOf(statePath: string, restoreDataDir: string): string[] {
  const out = new Set<string>();
  for (const srv of loadState(statePath).servers) {
    const config = srv.files?.['/usbkey/config'] ?? '';
    for (const m of config.matchAll(/^([\w.-]+)=(.*)$/gm)) if (isSecretKey(m[1]!) && m[2]!.length > 4) out.add(m[2]!);
  }
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (isSecretKey(k) && typeof x === 'string' && x.length > 4) {
          out.add(x);
          for (const line of x.split('\n')) {
            const m = /^([\w.-]+)=(.{5,})$/.exec(line);
            if (m && isSecretKey(m[1]!)) out.add(m[2]!);
          }
        } else walk(x);
      }
  };
  const files = readdirSync(restoreDataDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  for (const f of files) walk(JSON.parse(readFileSync(join(restoreDataDir, f), 'utf8')));
  return [...out];
}

describe('capture leaves every secret out, and takes any shape the simulator runs', () => {
  it('the captured file holds no secret of the DC (/usbkey/config, SAPI metadata, zone metadata)', async () => {
    const live = await openTestSim(aliveReference(), SPEED);
    const { scenario: captured } = await captureScenario(live.sim, { speed: SPEED });
    const text = JSON.stringify(captured);
    const secrets = secretsOf(live.statePath, live.sim.restoreDataDir);
    await live.sim.close();
    // The DC has them (root_shadow, ufds_ldap_root_pw, usbkey_config ...), else this proves nothing.
    expect(secrets.length).toBeGreaterThan(3);
    expect(secrets.filter((s) => text.includes(s)).map((s) => s.slice(0, 30))).toEqual([]);
  });

  it('another shape round-trips: console on headnode2, a stopped zone, external VLAN, manatee roles moved, a gap in restore-data', async () => {
    const other = scenario((s) => {
      s.servers.find((x) => x.hostname === 'headnode0')!.alive = true;
      for (const i of s.instances) i.state = 'running';
      s.instances = s.instances.filter((i) => i.alias !== 'dhcpd1');
      s.instances.find((i) => i.alias === 'amonredis0')!.state = 'stopped';
      s.instances.find((i) => i.alias === 'imgapi0')!.primaryNic = 'admin';
      s.externalNetwork!.vlanId = 128;
      s.localServer = 'headnode2';
      s.manatee = { primary: 'manatee1', sync: 'manatee2', async: ['manatee0'] };
      s.restoreData.services = { cns: { missing: true }, cmon: { syncedSecondsAgo: 7200 } };
      s.servers.find((x) => x.hostname === 'cn1')!.platform = '20250101T000000Z';
    });
    const live = await openTestSim(other, SPEED);
    const { scenario: c } = await captureScenario(live.sim, { speed: SPEED });
    await live.sim.close();
    // Through the schema and back: it loads as it is.
    const again = parseScenario(JSON.parse(JSON.stringify(c)) as unknown);
    expect(again).toEqual(c);
    expect(c.localServer).toBe('headnode2');
    expect(c.servers.map((x) => [x.hostname, x.uuid, x.adminIp, x.headnode, x.alive])).toEqual(
      other.servers.map((x) => [x.hostname, x.uuid, x.adminIp, x.headnode, true]),
    );
    expect(c.servers.find((x) => x.hostname === 'cn1')!.platform).toBe('20250101T000000Z');
    const shape = (i: Scenario['instances'][number]) => ({
      alias: i.alias,
      uuid: i.uuid,
      server: i.server,
      image: i.image,
      adminIp: i.adminIp,
      externalIp: i.externalIp,
      primaryNic: i.externalIp ? (i.primaryNic ?? 'admin') : undefined,
      delegatedDataset: i.delegatedDataset,
      firewallEnabled: i.firewallEnabled === true,
      stopped: i.state === 'stopped',
    });
    const byAlias = (a: { alias: string }, b: { alias: string }) => a.alias.localeCompare(b.alias);
    expect(c.instances.map(shape).sort(byAlias)).toEqual(other.instances.map(shape).sort(byAlias));
    expect(c.externalNetwork).toEqual(other.externalNetwork);
    expect(c.manatee).toMatchObject({ primary: 'manatee1', sync: 'manatee2', async: ['manatee0'] });
    expect(c.restoreData.on).toEqual(['headnode2', 'headnode1']);
    expect(c.restoreData.services['cns']).toEqual({ missing: true });
    expect(c.restoreData.services['cmon']?.syncedSecondsAgo).toBeGreaterThanOrEqual(7200);
    const used = new Set(other.instances.map((i) => i.image));
    expect(c.images.filter((i) => used.has(i.uuid)).length).toBe(used.size);
  }, 60_000);
});
