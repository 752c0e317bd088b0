// SAPI: the sdc application, services and instances; CreateInstance in full
// mode provisions through VMAPI as sdc-sapi does.
import { Uuid } from '../../../values/schemas.js';
import { sapiInstance, sapiServiceUuid, sapiServices, sdcApplication } from '../formats/sapi.js';
import { provisionInstance } from '../provision.js';
import type { SimWorld } from '../world.js';
import { json, notFound, type ApiAnswer } from './answers.js';

export function sapi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
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
    return json(
      200,
      list.map((r) => sapiInstance(world, r)),
    );
  }
  if (method === 'POST' && path === '/instances') return sapiCreate(world, body);
  const m = /^\/(instances|configs)\/([^/]+)(\/payload)?$/.exec(path);
  if (m) {
    const rec = recs.find((r) => r.uuid === m[2]);
    if (!rec) return notFound(`instance ${m[2]}`);
    if (method === 'GET' && m[1] === 'configs')
      return json(200, {
        manifests: [],
        metadata: {
          ...(sdcApplication(world)['metadata'] as object),
          SERVICE_NAME: rec.service,
          INSTANCE_UUID: rec.uuid,
        },
      });
    if (method === 'GET') return json(200, sapiInstance(world, rec));
    // UpdateInstance {action: 'update', params}: params merge (sdc-sapi lib/server/model.js updateObject).
    if (method === 'PUT' && m[1] === 'instances' && !m[3]) {
      const b = (body ?? {}) as { action?: string; params?: { alias?: unknown; server_uuid?: unknown } };
      if (b.action !== 'update')
        return json(409, {
          code: 'InvalidArgument',
          message: `the simulator updates with action "update", not ${String(b.action)}`,
        });
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
  const b = (body ?? {}) as {
    service_uuid?: string;
    uuid?: string;
    params?: { alias?: string; server_uuid?: string };
    exists?: boolean;
  };
  const svc = sapiServices(world).find((s) => s['uuid'] === b.service_uuid);
  if (!svc) return json(404, { code: 'ResourceNotFound', message: `service ${b.service_uuid ?? ''} not found` });
  if (b.uuid === undefined) return sapiProvision(world, String(svc['name']), b.params ?? {});
  if (!Uuid.safeParse(b.uuid).success)
    return json(409, { code: 'InvalidParameter', message: `uuid ${b.uuid} is not a UUID` });
  if (world.state.sim.sapiInstances.some((r) => r.uuid === b.uuid))
    return json(409, { code: 'DuplicateUuid', message: `instance ${b.uuid} already exists` });
  const server = b.params?.server_uuid ?? '';
  if (!world.serverByUuid(server))
    return json(409, { code: 'InvalidParameter', message: `params.server_uuid ${server} is not a known server` });
  const service = String(svc['name']);
  const alias = b.params?.alias ?? `${service}0`;
  if (world.state.sim.sapiMode === 'full') {
    const vmapiIp = world.liveInstances().find((i) => i.service === 'vmapi')?.adminIp ?? 'vmapi';
    // VMAPI down: getVm fails, the record is deleted, the error goes back.
    if (!world.serviceUp('vmapi'))
      return json(500, {
        code: 'InternalError',
        message: `failed to get zone ${b.uuid}: connect ECONNREFUSED ${vmapiIp}:80`,
      });
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
  if (down)
    return json(503, { code: 'ServiceUnavailableError', message: `cannot provision: ${down} is not available` });
  const srv = world.serverByUuid(params.server_uuid ?? '');
  if (!srv || !world.isAlive(srv.hostname))
    return json(409, {
      code: 'InvalidParameter',
      message: `params.server_uuid ${params.server_uuid ?? ''} is not a running server`,
    });
  const r = provisionInstance(world, service, srv, params.alias);
  if (!r.ok) return json(500, { code: 'InternalError', message: `provision failed: ${r.error}` });
  const rec = world.state.sim.sapiInstances.find((x) => x.uuid === r.inst.uuid)!;
  return json(200, sapiInstance(world, rec));
}
