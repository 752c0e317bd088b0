// capture's pure part: readings of a live DC -> the scenario a drill loads.
import { describe, expect, it } from 'vitest';
import { latenciesOf, scenarioFromReadings, type CaptureReadings, type CapturedZone } from '../../src/state/capture.js';
import { parseScenario } from '../../src/remote/sim/scenario.js';

const T = Date.parse('2026-12-01T12:00:00Z');
const IMG = 'bfa268a6-f44a-5456-8bba-d3dc65dd3265';
const NET = { uuid: 'e8bd32cb-3d71-5455-b312-815af5ab8212', subnet: '10.99.99.0/24', gateway: '10.99.99.1' };

/** Each alias its own uuid and admin IP, by its place in this list. */
const ALIASES = ['sapi0', 'manatee0', 'manatee1', 'cloudapi0', 'cnapi0', 'odd9'];

function zone(alias: string, extra: Partial<CapturedZone> = {}): CapturedZone {
  const n = 10 + ALIASES.indexOf(alias);
  return {
    service: alias.replace(/\d+$/, ''),
    alias,
    uuid: `00000000-0000-4000-8000-0000000000${n}`,
    server: 'headnode0',
    image: IMG,
    state: 'running',
    firewallEnabled: false,
    delegatedDataset: false,
    nics: [{ interface: 'net0', mac: `90:00:00:00:00:${n}`, nic_tag: 'admin', ip: `10.99.99.${n}`, primary: true }],
    ...extra,
  };
}

function readings(edit?: (r: CaptureReadings) => void): CaptureReadings {
  const r: CaptureReadings = {
    takenAt: T,
    datacenter: { name: 'dc1', dnsDomain: 'example.com', adminUuid: '317a3314-d536-5367-9173-21bc7a2e5020' },
    localServer: 'headnode1',
    servers: [
      {
        uuid: '65cfe27b-76b2-5bf2-af14-58bdb727b3a0',
        hostname: 'headnode0',
        headnode: true,
        adminIp: '10.99.99.7',
        answered: true,
        setup: true,
        platform: '20260901T101010Z',
        usbkeyPlatforms: ['20260901T101010Z'],
      },
      {
        uuid: '7441d100-2e6d-5cc1-a297-ab9735a04c92',
        hostname: 'headnode1',
        headnode: true,
        adminIp: '10.99.99.41',
        answered: true,
        setup: true,
        usbkeyPlatforms: ['20260901T101010Z'],
      },
      {
        uuid: '91cd462d-c036-5f49-97cb-9a2cdce4e2b7',
        hostname: 'cn0',
        headnode: false,
        adminIp: '10.99.99.43',
        answered: false,
        setup: true,
      },
    ],
    adminNetwork: { ...NET, provisionStartIp: '10.99.99.40', provisionEndIp: '10.99.99.250', vlanId: 0 },
    externalNetwork: {
      uuid: '5f4d4a8e-61b8-5b8c-9b4e-2d1f0c7e9a31',
      subnet: '10.88.88.0/24',
      gateway: '10.88.88.2',
      provisionStartIp: '10.88.88.3',
      provisionEndIp: '10.88.88.250',
      vlanId: 128,
    },
    recoveryIps: ['10.99.99.220'],
    images: [{ uuid: IMG, name: 'triton-origin', version: '1', origin: null }],
    zones: [
      zone('sapi0', { delegatedDataset: true, dataBytes: 4096, firewallEnabled: true }),
      zone('manatee0', { delegatedDataset: true }),
      zone('manatee1', { server: 'headnode1' }),
      zone('cloudapi0', {
        nics: [
          { interface: 'net0', mac: '90:00:00:00:00:01', nic_tag: 'admin', ip: '10.99.99.60' },
          {
            interface: 'net1',
            mac: '92:00:00:00:00:01',
            nic_tag: 'external',
            ip: '10.88.88.5',
            vlan_id: 128,
            primary: true,
          },
        ],
      }),
    ],
    manatee: {
      primary: '00000000-0000-4000-8000-000000000011',
      sync: '00000000-0000-4000-8000-000000000012',
      async: [],
      deposed: [],
      mode: 'normal',
    },
    restoreData: {
      on: ['headnode1'],
      dcSyncedAt: T - 240_000,
      services: {
        sapi: { syncedAt: T - 250_000 },
        cloudapi: { syncedAt: T - 240_000 },
        manatee: { syncedAt: T - 93_600_000, missingDataset: true },
      },
    },
    samples: [
      { kind: 'http', ms: 1 },
      { kind: 'http', ms: 3 },
      { kind: 'http', ms: 2 },
      { kind: 'command', ms: 4 },
      { kind: 'ssh connect', ms: 10 },
    ],
    unobserved: { 'vmadm create': 4000, 'zone first boot': 20000 },
    timeScale: 50,
  };
  edit?.(r);
  return r;
}

describe('scenarioFromReadings', () => {
  it('is a scenario the simulator accepts, with every NIC, the primary flag where vmadm has it, and manatee by alias', () => {
    const { scenario, notes } = scenarioFromReadings(readings(), 'cap');
    expect(notes).toEqual([]);
    const s = parseScenario(scenario);
    const cloudapi = s.instances.find((i) => i.alias === 'cloudapi0')!;
    expect(cloudapi).toMatchObject({ adminIp: '10.99.99.60', externalIp: '10.88.88.5', primaryNic: 'external' });
    expect(cloudapi.nics?.map((n) => [n.nic_tag, n.vlan_id, n.primary ?? false])).toEqual([
      ['admin', 0, false],
      ['external', 128, true],
    ]);
    expect(s.instances.find((i) => i.alias === 'sapi0')).toMatchObject({ dataBytes: 4096, firewallEnabled: true });
    expect(s.externalNetwork?.vlanId).toBe(128);
    expect(s.manatee).toMatchObject({ primary: 'manatee0', sync: 'manatee1', async: [] });
    // A server that did not answer is dead; only headnodes have a USB key.
    expect(s.servers.map((x) => [x.hostname, x.alive, x.usbkey])).toEqual([
      ['headnode0', true, true],
      ['headnode1', true, true],
      ['cn0', false, false],
    ]);
  });

  it('manatee: a deposed peer and singleton mode as manatee-adm show says them', () => {
    const s = parseScenario(
      scenarioFromReadings(
        readings((r) => {
          r.manatee = {
            primary: r.zones[1]!.uuid,
            sync: null,
            async: [],
            deposed: [r.zones[2]!.uuid],
            mode: 'singleton',
          };
        }),
        'cap',
      ).scenario,
    );
    expect(s.manatee).toEqual({ primary: 'manatee0', sync: null, async: [], deposed: ['manatee1'], mode: 'singleton' });
  });

  it('restore-data as it is: the DC-wide age, a service much older than it, missing services and datasets', () => {
    const s = parseScenario(
      scenarioFromReadings(
        readings((r) => r.zones.push(zone('cnapi0'))),
        'cap',
      ).scenario,
    );
    expect(s.restoreData).toEqual({
      on: ['headnode1'],
      syncedSecondsAgo: 240,
      // sapi: 10 s older than the DC-wide sync is the same sync; manatee: a day old; cnapi: none held.
      services: { manatee: { syncedSecondsAgo: 93600, missingDataset: true }, cnapi: { missing: true } },
    });
  });

  it('latencies: the median of each kind observed, scaled back by the speed; the rest a real headnode figure', () => {
    expect(latenciesOf(readings().samples, readings().unobserved, 50)).toEqual({
      'vmadm create': 4000,
      'zone first boot': 20000,
      http: 100,
      default: 200,
      'ssh connect': 500,
    });
  });

  it('a zone it cannot describe is left out with a note; an external NIC without the external network keeps its NICs', () => {
    const { scenario, notes } = scenarioFromReadings(
      readings((r) => {
        delete r.externalNetwork;
        r.zones.push(zone('odd9', { nics: [] }));
      }),
      'cap',
    );
    const s = parseScenario(scenario);
    expect(s.instances.map((i) => i.alias)).not.toContain('odd9');
    expect(s.instances.find((i) => i.alias === 'cloudapi0')?.externalIp).toBeUndefined();
    expect(s.instances.find((i) => i.alias === 'cloudapi0')?.nics).toHaveLength(2);
    expect(notes).toEqual([
      'cloudapi0: an external NIC but NAPI has no "external" network: its NICs keep it, externalIp left out',
      'odd9 (00000000-0000-4000-8000-000000000015) on headnode0: no admin NIC with an IPv4 address: left out',
    ]);
  });
});
