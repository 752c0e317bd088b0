// CNAPI: servers (list, get, delete) and boot parameters.
import { DEFAULT_PLATFORM } from '../defaults.js';
import { cnapiServer } from '../formats/server.js';
import type { SimWorld } from '../world.js';
import { json, notFound, type ApiAnswer } from './answers.js';

export function cnapi(world: SimWorld, method: string, path: string, q: URLSearchParams, body: unknown): ApiAnswer {
  const extras = (q.get('extras') ?? '').split(',');
  const sysinfo = extras.includes('sysinfo') || extras.includes('all');
  const servers = world.state.servers.filter((s) => !world.state.sim.deletedServers.includes(s.uuid));
  if (method === 'GET' && path === '/servers') {
    let list = servers;
    if (q.has('headnode')) list = list.filter((s) => String(s.headnode) === q.get('headnode'));
    if (q.has('setup')) list = list.filter((s) => String(s.setup ?? true) === q.get('setup'));
    if (q.has('hostname')) list = list.filter((s) => s.hostname === q.get('hostname'));
    if (q.has('uuids')) list = list.filter((s) => q.get('uuids')!.split(',').includes(s.uuid));
    return json(
      200,
      list.map((s) => cnapiServer(world, s, sysinfo)),
    );
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
    return json(200, {
      platform: srv?.platform ?? DEFAULT_PLATFORM,
      kernel_args: { ...(world.state.sim.bootParams ?? {}) },
      kernel_flags: {},
      boot_modules: [],
      default_console: 'serial',
      serial: 'ttyb',
    });
  }
  return notFound(`${method} ${path}`);
}
