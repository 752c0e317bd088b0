// Provisioning a new core instance the way SAPI CreateInstance does in full
// mode (through VMAPI): next alias, the service's image, a free admin IP from
// NAPI, a NIC record, the SAPI record, then the zone's first boot.
import { parseCidr } from '../../values/schemas.js';
import { stableUuid } from './defaults.js';
import { macFor } from './physics.js';
import type { ScenarioInstance, ScenarioServer } from './scenario.js';
import type { SimWorld } from './world.js';

/** Unscaled fallbacks when the scenario names no latency for them. */
const CREATE_MS = 4_000;
const FIRST_BOOT_MS = 8_000;

/** How long a provision takes until the zone has finished its first boot (scaled). */
export function provisionMs(world: SimWorld): number {
  return world.latencyOr('vmadm create', CREATE_MS) + world.latencyOr('zone first boot', FIRST_BOOT_MS);
}

export function nextAlias(world: SimWorld, service: string): string {
  const nums = world.state.instances
    .filter((i) => i.service === service)
    .map((i) => Number(/(\d+)$/.exec(i.alias)?.[1] ?? -1));
  return `${service}${Math.max(-1, ...nums) + 1}`;
}

/** The lowest admin IP in the provision range that no NIC, reservation or zone holds. */
export function freeAdminIp(world: SimWorld): string | undefined {
  const st = world.state;
  const taken = new Set([
    ...st.sim.napiNics.map((n) => n.ip),
    ...st.sim.napiReservedIps,
    ...st.instances.map((i) => i.adminIp),
    ...st.servers.map((s) => s.adminIp),
  ]);
  const toNum = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const net = parseCidr(st.adminNetwork.subnet);
  for (
    let n = toNum(st.adminNetwork.provisionStartIp);
    n <= toNum(st.adminNetwork.provisionEndIp) && n < net.broadcast;
    n++
  ) {
    if (!taken.has(toIp(n))) return toIp(n);
  }
  return undefined;
}

export type Provisioned = { ok: true; inst: ScenarioInstance } | { ok: false; error: string };

export function provisionInstance(
  world: SimWorld,
  service: string,
  srv: ScenarioServer,
  alias = nextAlias(world, service),
  uuidAsked?: string,
): Provisioned {
  const model = [...world.state.instances].reverse().find((i) => i.service === service);
  if (!model) return { ok: false, error: `no ${service} instance to take the image from` };
  if (!world.imageInstalled(srv, model.image))
    return { ok: false, error: `image ${model.image} is not installed on ${srv.hostname} (imgadm import it first)` };
  const ip = freeAdminIp(world);
  if (!ip) return { ok: false, error: 'NAPI: no free IP on the admin network (SubnetFull)' };
  const uuid = uuidAsked ?? stableUuid('provision', service, alias, srv.uuid);
  const inst: ScenarioInstance = {
    service,
    alias,
    uuid,
    server: srv.hostname,
    image: model.image,
    adminIp: ip,
    delegatedDataset: model.delegatedDataset,
    state: 'running',
    data: model.delegatedDataset ? 'empty' : 'none',
    mac: macFor(uuid),
    autoboot: true,
    bootStartedAt: world.now(),
    nicRegistration: 'ok',
  };
  world.state.instances.push(inst);
  world.state.sim.napiNics.push({
    mac: inst.mac!,
    ip,
    belongs_to_uuid: uuid,
    belongs_to_type: 'zone',
    owner_uuid: world.state.datacenter.adminUuid,
  });
  // The SAPI record exists before the zone boots (CreateInstance stores it first).
  world.state.sim.sapiInstances.push({ uuid, service, alias, server: srv.uuid, createdAt: world.now() });
  if (service === 'manatee' && world.state.manatee) world.state.manatee.async.push(alias);
  world.event(`provisioned ${alias} (${uuid}) on ${srv.hostname} at ${ip}`);
  world.commit();
  return { ok: true, inst };
}
