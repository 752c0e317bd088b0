// The core APIs of the simulated DC (CNAPI, NAPI, SAPI, VMAPI, IMGAPI): which
// API answers a call, whether it answers at all (the world's serviceUp, and
// NEEDS_MORAY), and each API's ping body.
import { NEEDS_MORAY } from '../physics.js';
import type { SimWorld } from '../world.js';
import { json, unavailable, type ApiAnswer } from './answers.js';
import { cnapi } from './cnapi.js';
import { napi } from './napi.js';
import { sapi } from './sapi.js';
import { imgapi, vmapi } from './vmapi-imgapi.js';

export type { ApiAnswer } from './answers.js';

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
      return json(depsOk && moray === 'online' ? 200 : 500, {
        mode: world.state.sim.sapiMode,
        storType: moray === 'online' ? 'MorayStore' : 'LocalStore',
        status: moray === 'online' ? 'OK' : 'moray unavailable',
      });
    case 'napi':
      return json(depsOk ? 200 : 503, {
        config: { fabrics_enabled: false, subnet_alloc_enabled: false },
        healthy: depsOk,
        services: { moray },
        status: depsOk ? 'OK' : 'initializing',
      });
    case 'vmapi':
      return json(depsOk ? 200 : 503, {
        pingErrors: {},
        pid: 4242,
        status: depsOk ? 'OK' : 'initializing',
        healthy: depsOk,
        services: { wfapi: world.serviceUp('workflow') ? 'online' : 'offline', moray },
      });
    default:
      return json(depsOk ? 200 : 503, {
        ping: depsOk ? 'pong' : 'unavailable',
        status: depsOk ? 'OK' : 'unavailable',
        healthy: depsOk,
        services: { moray },
      });
  }
}
