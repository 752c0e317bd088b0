// The core APIs of the simulated DC, answering like CNAPI, NAPI, SAPI, VMAPI and
// IMGAPI do (status codes, bodies, query filters the console uses).
// Over 300 lines on purpose: one router for five APIs, each a short block;
// the status codes and bodies they share stay side by side.
import { Ipv4, Uuid } from '../../values/schemas.js';
import { DEFAULT_PLATFORM, GZ_TOOLS } from './defaults.js';
import { gzToolsImage, imageFileBytes, imageManifest } from './formats/images.js';
import { napiIps, napiNetwork, napiNic } from './formats/napi.js';
import { sapiInstance, sapiServiceUuid, sapiServices, sdcApplication } from './formats/sapi.js';
import { cnapiServer } from './formats/server.js';
import { customerVms, vmapiObject } from './formats/vm.js';
import type { ScenarioInstance } from './scenario.js';
import type { SimWorld } from './world.js';
import { provisionInstance } from './provision.js';
import { NEEDS_MORAY } from './physics.js';

export interface ApiAnswer {
  status: number;
  body: unknown;
}

const json = (status: number, body: unknown): ApiAnswer => ({ status, body });
const notFound = (what: string): ApiAnswer => json(404, { code: 'ResourceNotFound', message: `${what} not found` });
const unavailable = (svc: string, dep: string): ApiAnswer =>
  json(503, { code: 'ServiceUnavailableError', message: `${svc}: ${dep} is not available` });

export function handleApi(world: SimWorld, service: string, method: string, url: URL, body: unknown): ApiAnswer {
  world.settle();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const depsOk = world.serviceUp(service);
  if (path === '/ping' || path === '/--ping') return ping(world, service, depsOk);
  if (!depsOk && NEEDS_MORAY.has(service)) return unavailable(service, 'moray');
  switch (service) {
    case 'cnapi':
      return cnapi(world, method, path, q, body);
    case 'napi':
      return napi(world, method, path, q, body);
    case 'sapi':
      return sapi(world, method, path, q, body);
    case 'vmapi':
      return vmapi(world, method, path, q);
    case 'imgapi':
      return imgapi(world, method, path);
    default:
      return json(404, { code: 'ResourceNotFound', message: `${method} ${path} does not exist` });
  }
}

function ping(world: SimWorld, service: string, depsOk: boolean): ApiAnswer {
  const moray = world.serviceUp('moray') ? 'online' : 'offline';
  switch (service) {
    case 'sapi':
      return json(depsOk && moray === 'online' ? 200 : 500, { mode: world.state.sim.sapiMode, storType: moray === 'online' ? 'MorayStore' : 'LocalStore', status: moray === 'online' ? 'OK' : 'moray unavailable' });
    case 'napi':
      return json(depsOk ? 200 : 503, { config: { fabrics_enabled: false, subnet_alloc_enabled: false }, healthy: depsOk, services: { moray }, status: depsOk ? 'OK' : 'initializing' });
    case 'vmapi':
      return json(depsOk ? 200 : 503, { pingErrors: {}, pid: 4242, status: depsOk ? 'OK' : 'initializing', healthy: depsOk, services: { wfapi: world.serviceUp('workflow') ? 'online' : 'offline', moray } });
    default:
      return json(depsOk ? 200 : 503, { ping: depsOk ? 'pong' : 'unavailable', status: depsOk ? 'OK' : 'unavailable', healthy: depsOk, services: { moray } });
  }
}

function cnapi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
  const extras = (q.get('extras') ?? '').split(',');
  const sysinfo = extras.includes('sysinfo') || extras.includes('all');
  const servers = world.state.servers.filter((s) => !world.state.sim.deletedServers.includes(s.uuid));
  if (method === 'GET' && path === '/servers') {
    let list = servers;
    if (q.has('headnode')) list = list.filter((s) => String(s.headnode) === q.get('headnode'));
    if (q.has('setup')) list = list.filter((s) => String(s.setup ?? true) === q.get('setup'));
    if (q.has('hostname')) list = list.filter((s) => s.hostname === q.get('hostname'));
    if (q.has('uuids')) list = list.filter((s) => q.get('uuids')!.split(',').includes(s.uuid));
    return json(200, list.map((s) => cnapiServer(world, s, sysinfo)));
  }
  const m = /^\/servers\/([^/]+)$/.exec(path);
  if (m) {
    const srv = servers.find((s) => s.uuid === m[1]);
    if (!srv) return notFound(`server ${m[1]}`);
    if (method === 'GET') return json(200, cnapiServer(world, srv, true));
    if (method === 'DELETE') {
      world.state.sim.deletedServers.push(srv.uuid);
      world.event(`CNAPI: server ${srv.hostname} (${srv.uuid}) deleted`);
      world.commit();
      return json(204, '');
    }
  }
  const b = /^\/boot\/([^/]+)$/.exec(path);
  if (method === 'POST' && b && b[1] === 'default') {
    // BootParamsUpdate: merges kernel_args into what compute nodes boot with.
    const args = ((body ?? {}) as { kernel_args?: Record<string, unknown> }).kernel_args ?? {};
    const bp = (world.state.sim.bootParams ??= {});
    for (const [k, v] of Object.entries(args)) bp[k] = String(v);
    world.event(`CNAPI: /boot/default kernel_args ${JSON.stringify(args)}`);
    world.commit();
    return json(204, '');
  }
  if (method === 'GET' && b) {
    // GetBootParams hands booter the server's boot_platform (sdc-cnapi lib/models/server.js).
    const srv = b[1] === 'default' ? undefined : world.serverByUuid(b[1]!);
    if (b[1] !== 'default' && !srv) return notFound(`server ${b[1]!}`);
    return json(200, { platform: srv?.platform ?? DEFAULT_PLATFORM, kernel_args: { ...(world.state.sim.bootParams ?? {}) }, kernel_flags: {}, boot_modules: [], default_console: 'serial', serial: 'ttyb' });
  }
  return notFound(`${method} ${path}`);
}

function napi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
  const net = world.state.adminNetwork;
  if (method === 'GET' && path === '/networks') {
    const name = q.get('name');
    return json(200, name && name !== 'admin' ? [] : [napiNetwork(world)]);
  }
  if (method === 'GET' && path === `/networks/${net.uuid}`) return json(200, napiNetwork(world));
  if (method === 'GET' && path === `/networks/${net.uuid}/ips`) {
    let ips = napiIps(world);
    for (const k of ['belongs_to_uuid', 'belongs_to_type', 'owner_uuid']) {
      const v = q.get(k);
      if (v) ips = ips.filter((ip) => ip[k] === v);
    }
    return json(200, ips);
  }
  const ipm = new RegExp(`^/networks/${net.uuid}/ips/([^/]+)$`).exec(path);
  if (ipm && Ipv4.safeParse(ipm[1]).success) return napiIp(world, method, ipm[1]!, body);
  if (method === 'GET' && path === '/nics') {
    let nics = world.state.sim.napiNics;
    for (const k of ['belongs_to_uuid', 'belongs_to_type', 'owner_uuid'] as const) {
      const v = q.get(k);
      if (v) nics = nics.filter((n) => n[k] === v);
    }
    return json(200, nics.map((n) => napiNic(world, n)));
  }
  const nm = /^\/nics\/([0-9a-f:]+)$/i.exec(path);
  if (nm) {
    const want = nm[1]!.replace(/:/g, '').toLowerCase();
    const idx = world.state.sim.napiNics.findIndex((n) => n.mac.replace(/:/g, '').toLowerCase() === want);
    if (idx < 0) return notFound(`nic ${nm[1]}`);
    if (method === 'GET') return json(200, napiNic(world, world.state.sim.napiNics[idx]!));
    if (method === 'DELETE') {
      const [gone] = world.state.sim.napiNics.splice(idx, 1);
      world.event(`NAPI: nic ${gone!.mac} (${gone!.ip}) deleted`);
      world.commit();
      return json(204, '');
    }
  }
  return notFound(`${method} ${path}`);
}

function napiIp(world: SimWorld, method: string, ip: string, body: unknown): ApiAnswer {
  const rec = (): Record<string, unknown> =>
    napiIps(world).find((r) => r['ip'] === ip) ?? { ip, network_uuid: world.state.adminNetwork.uuid, reserved: false, free: true };
  if (method === 'GET') return json(200, rec());
  if (method !== 'PUT') return notFound(`${method} ip ${ip}`);
  const b = (body ?? {}) as Record<string, unknown>;
  const sim = world.state.sim;
  if (b['free'] === true || b['free'] === 'true') {
    sim.napiNics = sim.napiNics.filter((n) => n.ip !== ip);
    sim.napiReservedIps = sim.napiReservedIps.filter((x) => x !== ip);
  }
  if (b['unassign'] === true || b['unassign'] === 'true') sim.napiNics = sim.napiNics.filter((n) => n.ip !== ip);
  if (b['reserved'] === true || b['reserved'] === 'true') {
    if (!sim.napiReservedIps.includes(ip)) sim.napiReservedIps.push(ip);
  } else if (b['reserved'] === false || b['reserved'] === 'false') {
    sim.napiReservedIps = sim.napiReservedIps.filter((x) => x !== ip);
  }
  world.event(`NAPI: PUT ip ${ip} ${JSON.stringify(b)}`);
  world.commit();
  return json(200, rec());
}

function sapi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
  const recs = world.state.sim.sapiInstances;
  if (method === 'GET' && path === '/applications') {
    const name = q.get('name');
    return json(200, name && name !== 'sdc' ? [] : [sdcApplication(world)]);
  }
  const app = /^\/applications\/([^/]+)$/.exec(path);
  if (app && app[1] === sdcApplication(world)['uuid']) {
    if (method === 'GET') return json(200, sdcApplication(world));
    if (method === 'PUT') {
      // UpdateApplication {action: 'update', metadata}: merge.
      const md = ((body ?? {}) as { metadata?: Record<string, unknown> }).metadata ?? {};
      world.state.sim.sapiMetadata = { ...(world.state.sim.sapiMetadata ?? {}), ...md };
      world.event(`SAPI: application sdc metadata updated: ${Object.keys(md).join(', ')}`);
      world.commit();
      return json(200, sdcApplication(world));
    }
  }
  if (method === 'GET' && path === '/services') {
    let list = sapiServices(world);
    const name = q.get('name');
    if (name) list = list.filter((s) => s['name'] === name);
    return json(200, list);
  }
  if (method === 'GET' && path === '/instances') {
    const svc = q.get('service_uuid');
    const list = recs.filter((r) => !svc || sapiServiceUuid(world, r.service) === svc);
    return json(200, list.map((r) => sapiInstance(world, r)));
  }
  if (method === 'POST' && path === '/instances') return sapiCreate(world, body);
  const m = /^\/(instances|configs)\/([^/]+)(\/payload)?$/.exec(path);
  if (m) {
    const rec = recs.find((r) => r.uuid === m[2]);
    if (!rec) return notFound(`instance ${m[2]}`);
    if (method === 'GET' && m[1] === 'configs') return json(200, { manifests: [], metadata: { ...(sdcApplication(world)['metadata'] as object), SERVICE_NAME: rec.service, INSTANCE_UUID: rec.uuid } });
    if (method === 'GET') return json(200, sapiInstance(world, rec));
    // UpdateInstance {action: 'update', params}: params merge (sdc-sapi lib/server/model.js updateObject).
    if (method === 'PUT' && m[1] === 'instances' && !m[3]) {
      const b = (body ?? {}) as { action?: string; params?: { alias?: unknown; server_uuid?: unknown } };
      if (b.action !== 'update') return json(409, { code: 'InvalidArgument', message: `the simulator updates with action "update", not ${String(b.action)}` });
      if (typeof b.params?.server_uuid === 'string') rec.server = b.params.server_uuid;
      if (typeof b.params?.alias === 'string') rec.alias = b.params.alias;
      world.event(`SAPI: instance ${rec.alias} (${rec.uuid}) params updated`);
      world.commit();
      return json(200, sapiInstance(world, rec));
    }
    if (method === 'DELETE') {
      world.state.sim.sapiInstances = recs.filter((r) => r !== rec);
      world.event(`SAPI: instance ${rec.alias} (${rec.uuid}) deleted`);
      world.commit();
      return json(204, '');
    }
  }
  return notFound(`${method} ${path}`);
}

/**
 * CreateInstance (sdc-sapi lib/server/model.js createInstance/deployInstance).
 * SAPI stores the record, then in full mode: with `exists: true` it asks VMAPI
 * whether the VM is there (verifyZoneExists: 409 "no such zone" if not);
 * without it, provisionZone asks VMAPI for that uuid and on a 404 provisions a
 * whole new VM through VMAPI. Any failure deletes the record again. In proto
 * mode (SAPI_PROTO_MODE) it only stores the record.
 */
function sapiCreate(world: SimWorld, body: unknown): ApiAnswer {
  const b = (body ?? {}) as { service_uuid?: string; uuid?: string; params?: { alias?: string; server_uuid?: string }; exists?: boolean };
  const svc = sapiServices(world).find((s) => s['uuid'] === b.service_uuid);
  if (!svc) return json(404, { code: 'ResourceNotFound', message: `service ${b.service_uuid ?? ''} not found` });
  if (b.uuid === undefined) return sapiProvision(world, String(svc['name']), b.params ?? {});
  if (!Uuid.safeParse(b.uuid).success) return json(409, { code: 'InvalidParameter', message: `uuid ${b.uuid} is not a UUID` });
  if (world.state.sim.sapiInstances.some((r) => r.uuid === b.uuid)) return json(409, { code: 'DuplicateUuid', message: `instance ${b.uuid} already exists` });
  const server = b.params?.server_uuid ?? '';
  if (!world.serverByUuid(server)) return json(409, { code: 'InvalidParameter', message: `params.server_uuid ${server} is not a known server` });
  const service = String(svc['name']);
  const alias = b.params?.alias ?? `${service}0`;
  if (world.state.sim.sapiMode === 'full') {
    const vmapiIp = world.liveInstances().find((i) => i.service === 'vmapi')?.adminIp ?? 'vmapi';
    // VMAPI down: getVm fails, the record is deleted, the error goes back.
    if (!world.serviceUp('vmapi')) return json(500, { code: 'InternalError', message: `failed to get zone ${b.uuid}: connect ECONNREFUSED ${vmapiIp}:80` });
    const vm = world.liveInstances().find((i) => i.uuid === b.uuid);
    if (b.exists === true) {
      if (!vm) return json(409, { code: 'InvalidArgument', message: `no such zone: ${b.uuid}` });
    } else if (!vm) {
      const srv = world.serverByUuid(server)!;
      const r = provisionInstance(world, service, srv, alias, b.uuid);
      if (!r.ok) return json(500, { code: 'InternalError', message: `provision failed: ${r.error}` });
      const rec = world.state.sim.sapiInstances.find((x) => x.uuid === b.uuid)!;
      return json(200, sapiInstance(world, rec));
    }
  }
  const rec = { uuid: b.uuid, service, alias, server, createdAt: world.now() };
  world.state.sim.sapiInstances.push(rec);
  world.event(`SAPI: instance ${rec.alias} (${rec.uuid}) created`);
  world.commit();
  return json(200, sapiInstance(world, rec));
}

/**
 * CreateInstance without a uuid, in full mode: SAPI stores the record and
 * provisions the zone through VMAPI (which needs the provisioning stack). With a
 * uuid see sapiCreate.
 */
function sapiProvision(world: SimWorld, service: string, params: { alias?: string; server_uuid?: string }): ApiAnswer {
  const down = ['vmapi', 'cnapi', 'napi', 'imgapi', 'workflow'].find((s) => !world.serviceUp(s));
  if (down) return json(503, { code: 'ServiceUnavailableError', message: `cannot provision: ${down} is not available` });
  const srv = world.serverByUuid(params.server_uuid ?? '');
  if (!srv || !world.isAlive(srv.hostname)) return json(409, { code: 'InvalidParameter', message: `params.server_uuid ${params.server_uuid ?? ''} is not a running server` });
  const r = provisionInstance(world, service, srv, params.alias);
  if (!r.ok) return json(500, { code: 'InternalError', message: `provision failed: ${r.error}` });
  const rec = world.state.sim.sapiInstances.find((x) => x.uuid === r.inst.uuid)!;
  return json(200, sapiInstance(world, rec));
}

function vmapi(world: SimWorld, method: string, path: string, q: URLSearchParams): ApiAnswer {
  if (method === 'GET' && path === '/vms') {
    // One record per uuid: a zone re-created under its old uuid is reported by
    // vm-agent on its new server, which replaces the old record (sdc-vm-agent
    // lib/vm-agent.js PUTs it; sdc-vmapi putVm keys by uuid).
    let list = [...vmapiRecords(world).map((i) => vmapiObject(world, i)), ...world.state.servers.flatMap((s) => customerVms(world, s))];
    const role = q.get('tag.smartdc_role');
    if (role) list = list.filter((v) => (v['tags'] as Record<string, string>)['smartdc_role'] === role);
    if (q.get('tag.smartdc_type') === 'core') list = list.filter((v) => (v['tags'] as Record<string, string>)['smartdc_type'] === 'core');
    const state = q.get('state');
    if (state === 'active') list = list.filter((v) => v['state'] !== 'destroyed');
    else if (state) list = list.filter((v) => v['state'] === state);
    for (const k of ['owner_uuid', 'server_uuid', 'alias']) {
      const v = q.get(k);
      if (v) list = list.filter((x) => x[k] === v);
    }
    return json(200, list);
  }
  const m = /^\/vms\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) {
    const inst = vmapiRecords(world).find((i) => i.uuid === m[1]);
    return inst ? json(200, vmapiObject(world, inst)) : notFound(`vm ${m[1]}`);
  }
  return notFound(`${method} ${path}`);
}

/** The instance VMAPI holds for each uuid: the newest one a live vm-agent reported, else the last known. */
function vmapiRecords(world: SimWorld): ScenarioInstance[] {
  const byUuid = new Map<string, ScenarioInstance>();
  for (const i of world.state.instances) {
    const seen = byUuid.get(i.uuid);
    if (!seen || (world.isAlive(i.server) && i.state !== 'destroyed') || !world.isAlive(seen.server)) byUuid.set(i.uuid, i);
  }
  return [...byUuid.values()];
}

function imgapi(world: SimWorld, method: string, path: string): ApiAnswer {
  // GetImageFile: the image's file, bytes as the manifest's files[0] describes them.
  const f = /^\/images\/([^/]+)\/file$/.exec(path);
  if (method === 'GET' && f) {
    const img = world.state.images.find((i) => i.uuid === f[1]);
    return img ? json(200, imageFileBytes(img)) : notFound(`image ${f[1]}`);
  }
  const m = /^\/images\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) {
    const img = world.state.images.find((i) => i.uuid === m[1]);
    if (img) return json(200, imageManifest(world, img));
    const builds = new Set([GZ_TOOLS, ...world.state.servers.map((s) => s.gzTools ?? GZ_TOOLS)]);
    const tools = [...builds].map((b) => gzToolsImage(world, b)).find((t) => t['uuid'] === m[1]);
    return tools ? json(200, tools) : notFound(`image ${m[1]}`);
  }
  return notFound(`${method} ${path}`);
}
