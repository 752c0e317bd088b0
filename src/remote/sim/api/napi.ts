// NAPI: the admin network, its IPs (reserve, free, unassign) and NIC records.
import { Ipv4 } from '../../../values/schemas.js';
import { napiExternalNetwork, napiIps, napiNetwork, napiNic } from '../formats/napi.js';
import type { SimWorld } from '../world.js';
import { json, notFound, type ApiAnswer } from './answers.js';

export function napi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
  const net = world.state.adminNetwork;
  const ext = napiExternalNetwork(world);
  if (method === 'GET' && path === '/networks') {
    const name = q.get('name');
    const all = [napiNetwork(world), ...(ext ? [ext] : [])];
    return json(
      200,
      all.filter((n) => !name || n['name'] === name),
    );
  }
  if (method === 'GET' && path === `/networks/${net.uuid}`) return json(200, napiNetwork(world));
  if (ext && method === 'GET' && path === `/networks/${String(ext['uuid'])}`) return json(200, ext);
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
    return json(
      200,
      nics.map((n) => napiNic(world, n)),
    );
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
    napiIps(world).find((r) => r['ip'] === ip) ?? {
      ip,
      network_uuid: world.state.adminNetwork.uuid,
      reserved: false,
      free: true,
    };
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
