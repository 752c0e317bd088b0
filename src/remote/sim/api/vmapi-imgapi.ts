// VMAPI's VMs (one record per uuid, as vm-agent reports them) and IMGAPI's
// images and image files.
import { GZ_TOOLS } from '../defaults.js';
import { gzToolsImage, imageFileBytes, imageManifest } from '../formats/images.js';
import { customerVms, vmapiObject } from '../formats/vm.js';
import type { ScenarioInstance } from '../scenario.js';
import type { SimWorld } from '../world.js';
import { json, notFound, type ApiAnswer } from './answers.js';

export function vmapi(world: SimWorld, method: string, path: string, q: URLSearchParams): ApiAnswer {
  if (method === 'GET' && path === '/vms') {
    // One record per uuid: a zone re-created under its old uuid is reported by
    // vm-agent on its new server, which replaces the old record (sdc-vm-agent
    // lib/vm-agent.js PUTs it; sdc-vmapi putVm keys by uuid).
    let list = [
      ...vmapiRecords(world).map((i) => vmapiObject(world, i)),
      ...world.state.servers.flatMap((s) => customerVms(world, s)),
    ];
    const role = q.get('tag.smartdc_role');
    if (role) list = list.filter((v) => (v['tags'] as Record<string, string>)['smartdc_role'] === role);
    if (q.get('tag.smartdc_type') === 'core')
      list = list.filter((v) => (v['tags'] as Record<string, string>)['smartdc_type'] === 'core');
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
    if (!seen || (world.isAlive(i.server) && i.state !== 'destroyed') || !world.isAlive(seen.server))
      byUuid.set(i.uuid, i);
  }
  return [...byUuid.values()];
}

export function imgapi(world: SimWorld, method: string, path: string): ApiAnswer {
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
