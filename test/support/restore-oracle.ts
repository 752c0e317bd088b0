// Facts about a simulated DC after a restore, read from its live-state file.
import { readFileSync } from 'node:fs';
import type { Scenario } from '../../src/remote/sim/scenario.js';

export function loadState(path: string): Scenario & { sim: NonNullable<Scenario['sim']> } {
  return JSON.parse(readFileSync(path, 'utf8')) as Scenario & { sim: NonNullable<Scenario['sim']> };
}

/** The services the reference scenario loses with headnode0 and a restore re-creates. */
export const RESTORED = [
  'assets',
  'sapi',
  'amonredis',
  'ufds',
  'workflow',
  'amon',
  'sdc',
  'papi',
  'napi',
  'rabbitmq',
  'imgapi',
  'cnapi',
  'fwapi',
  'vmapi',
  'mahi',
  'adminui',
  'cloudapi',
  'cns',
  'docker',
  'cmon',
  'portolan',
];

/** Every invariant a finished restore must hold, as a list of violations (empty = good). */
export function violations(statePath: string, services = RESTORED): string[] {
  const s = loadState(statePath);
  const alive = new Set(s.servers.filter((x) => x.alive).map((x) => x.hostname));
  const live = s.instances.filter((i) => alive.has(i.server) && i.state !== 'destroyed');
  const out: string[] = [];
  for (const svc of services) {
    const here = live.filter((i) => i.service === svc);
    if (here.length !== 1)
      out.push(`${svc}: ${here.length} live instances (${here.map((i) => `${i.alias}@${i.server}`).join(', ')})`);
    for (const i of here) {
      if (i.server !== s.localServer) out.push(`${svc}: on ${i.server}, not ${s.localServer}`);
      if (i.state !== 'running') out.push(`${svc}: ${i.alias} is ${i.state}`);
      if (i.bootStartedAt !== undefined && i.setupDoneAt === undefined) out.push(`${svc}: ${i.alias} setup not done`);
      if (i.bootedWithoutData) out.push(`${svc}: ${i.alias} booted WITHOUT its data`);
      if (i.delegatedDataset && i.data !== 'received') out.push(`${svc}: ${i.alias} data is ${i.data}`);
      if (i.nicRegistration === 'failed') out.push(`${svc}: ${i.alias} NIC registration failed`);
    }
  }
  const ips = new Map<string, string>();
  for (const i of live) {
    const other = ips.get(i.adminIp);
    if (other) out.push(`IP ${i.adminIp} used twice: ${other} and ${i.alias}`);
    ips.set(i.adminIp, i.alias);
  }
  const uuids = new Set<string>();
  for (const i of live) {
    if (uuids.has(i.uuid)) out.push(`uuid ${i.uuid} twice among live instances`);
    uuids.add(i.uuid);
  }
  return out;
}
