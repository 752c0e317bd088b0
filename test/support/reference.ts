// The reference scenario (test/fixtures/contract/scenario.example.json, the
// same DC as scenarios/primary-dead.json) by name: `REF.headnode0.uuid`,
// `REF.sapi0.adminIp`, `REF.sapi0.image`. The values are read from the file
// (parsed by the simulator's own schema), never copied by hand; the names are
// listed here so they are typed, and a name the file lacks fails at load.
// Also the smallest core-zone payload vmadm create takes, built from them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  parseScenario,
  type ScenarioImage,
  type ScenarioInstance,
  type ScenarioServer,
} from '../../src/remote/sim/scenario.js';

const file = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')) as unknown, file);

const SERVERS = ['headnode0', 'headnode1', 'headnode2', 'cn0', 'cn1'] as const;
const ZONES = [
  'assets0',
  'sapi0',
  'binder0',
  'binder1',
  'binder2',
  'manatee0',
  'manatee1',
  'manatee2',
  'moray0',
  'moray1',
  'moray2',
  'amonredis0',
  'ufds0',
  'workflow0',
  'amon0',
  'sdc0',
  'papi0',
  'napi0',
  'rabbitmq0',
  'imgapi0',
  'cnapi0',
  'dhcpd0',
  'dhcpd1',
  'fwapi0',
  'vmapi0',
  'mahi0',
  'adminui0',
  'cloudapi0',
  'cns0',
  'docker0',
  'cmon0',
  'portolan0',
] as const;

type ServerName = (typeof SERVERS)[number];
type ZoneAlias = (typeof ZONES)[number];

function named<T, K extends string>(names: readonly K[], find: (name: K) => T | undefined, what: string): Record<K, T> {
  const out = {} as Record<K, T>;
  for (const n of names) {
    const v = find(n);
    if (v === undefined) throw new Error(`${file} has no ${what} ${n}`);
    out[n] = v;
  }
  return out;
}

const servers = named<ScenarioServer, ServerName>(
  SERVERS,
  (n) => scenario.servers.find((s) => s.hostname === n),
  'server',
);
const zones = named<ScenarioInstance, ZoneAlias>(ZONES, (n) => scenario.instances.find((i) => i.alias === n), 'zone');

/** An image of the scenario by name (`sdc-sapi`, `triton-origin-x86_64-21.4.0`); throws on a name it lacks. */
export function refImage(name: string): ScenarioImage {
  const img = scenario.images.find((i) => i.name === name);
  if (!img) throw new Error(`${file} has no image ${name}`);
  return img;
}

export const REF = {
  ...servers,
  ...zones,
  /** The admin user, owner of core zones. */
  admin: { uuid: scenario.datacenter.adminUuid },
  adminNetwork: scenario.adminNetwork,
  /** The origin image every core image is built on. */
  origin: refImage('triton-origin-x86_64-21.4.0'),
};

/** A core zone's payload with one admin NIC (primary), created stopped unless `extra` says otherwise. */
export function corePayload(
  uuid: string,
  alias: string,
  image: string,
  ip: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    uuid,
    alias,
    image_uuid: image,
    brand: 'joyent-minimal',
    owner_uuid: REF.admin.uuid,
    tags: { smartdc_role: alias.replace(/\d+$/, ''), smartdc_type: 'core' },
    nics: [{ interface: 'net0', nic_tag: 'admin', ip, netmask: '255.255.255.0', primary: true }],
    autoboot: false,
    ...extra,
  });
}
