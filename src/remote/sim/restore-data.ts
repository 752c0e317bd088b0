// Restore-data as a sync would have left it on the console's headnode, made up
// from the scenario: ages, gaps and corrupt files as the scenario says.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { LAYOUT_VERSION, paths } from '../../state/restore-data-layout.js';
import { privateDir } from '../private-files.js';
import { writeFileAtomic, writeJsonAtomic } from '../restore-data-files.js';
import { imageFileBytes, imageManifest } from './formats/images.js';
import { napiIps, napiNetwork } from './formats/napi.js';
import { sapiInstance, sapiServices, sdcApplication } from './formats/sapi.js';
import { cnapiServer } from './formats/server.js';
import { vmadmObject } from './formats/vm.js';
import { makeSimStream } from './zfs-stream.js';
import type { SimWorld } from './world.js';

const CORRUPT = '{"truncated": tr';

export async function hasRestoreData(dir: string): Promise<boolean> {
  try {
    await access(join(dir, paths.layout));
    return true;
  } catch {
    return false;
  }
}

/** Write the local headnode's restore-data, unless the scenario says it has none. */
export async function materializeRestoreData(world: SimWorld, dir: string): Promise<void> {
  const s = world.state;
  if (!s.restoreData.on.includes(s.localServer)) return;
  const created = s.sim.createdAt;
  const at = (secondsAgo: number): string => new Date(created - secondsAgo * 1000).toISOString();
  const rd = s.restoreData;
  // Root only, as sync leaves it (its dumps carry usbkey_config).
  await privateDir(dir);
  const put = (rel: string, value: unknown, corruptName?: string): Promise<void> =>
    corruptName && rel.endsWith(`/${corruptName}`)
      ? writeFileAtomic(dir, rel, CORRUPT)
      : writeJsonAtomic(dir, rel, value);

  await writeJsonAtomic(dir, paths.dcSynced, { time: at(rd.syncedSecondsAgo), ok: true });
  await writeJsonAtomic(dir, paths.sdcApplication, sdcApplication(world));
  await writeJsonAtomic(dir, paths.services, sapiServices(world));
  await writeJsonAtomic(
    dir,
    paths.servers,
    s.servers.map((srv) => cnapiServer(world, { ...srv, alive: true }, true)),
  );
  await writeJsonAtomic(dir, paths.adminNetwork, napiNetwork(world));
  await writeJsonAtomic(dir, paths.adminIps, napiIps(world));
  await writeJsonAtomic(
    dir,
    paths.recoveryIps,
    s.recoveryIps.map((ip) => ({ ip, service: null })),
  );

  const services = [...new Set(s.instances.map((i) => i.service))];
  const imagesWanted = new Set<string>();
  for (const svc of services) {
    const opt = rd.services[svc] ?? {};
    if (opt.missing) continue;
    const insts = s.instances.filter((i) => i.service === svc);
    const syncedAt = at(opt.syncedSecondsAgo ?? rd.syncedSecondsAgo);
    /** What sync's verification recorded of each stream it sent (steps/sync/verify.ts does it after a full send). */
    const verified: { uuid: string; time: string; ok: boolean; snapshot: string; streams: number }[] = [];
    const recs = s.sim.sapiInstances.filter((r) => r.service === svc).map((r) => sapiInstance(world, r));
    await put(paths.sapiInstances(svc), recs, opt.corrupt);
    for (const inst of insts) {
      // The vm dump is of the zone as it ran, on a live server.
      await put(paths.vm(svc, inst.uuid), vmadmObject(world, { ...inst, state: 'running' }), opt.corrupt);
      if (inst.delegatedDataset && !opt.missingDataset) {
        const snap = `zones/${inst.uuid}/data@restore-${Math.floor(created / 1000)}`;
        const stream = makeSimStream(`zones/${inst.uuid}/data`, snap, 4096 + (inst.uuid.charCodeAt(0) % 16) * 256);
        await writeFileAtomic(dir, paths.datasetStream(svc, inst.uuid), stream);
        await put(
          paths.datasetMeta(svc, inst.uuid),
          { snapshot: snap, time: at(opt.syncedSecondsAgo ?? rd.syncedSecondsAgo), bytes: stream.length },
          opt.corrupt,
        );
        verified.push({ uuid: inst.uuid, time: syncedAt, ok: true, snapshot: snap, streams: 1 });
      }
      if (!opt.missingImage) imagesWanted.add(inst.image);
    }
    if (verified.length > 0) await writeJsonAtomic(dir, paths.svcVerified(svc), { datasets: verified });
    await put(paths.svcSynced(svc), { time: syncedAt, ok: true }, opt.corrupt);
  }
  // Images with their origins, as sync keeps them.
  for (const uuid of [...imagesWanted]) {
    let img = s.images.find((i) => i.uuid === uuid);
    while (img?.origin && !imagesWanted.has(img.origin)) {
      imagesWanted.add(img.origin);
      img = s.images.find((i) => i.uuid === img!.origin);
    }
  }
  for (const uuid of imagesWanted) {
    const img = s.images.find((i) => i.uuid === uuid)!;
    await writeJsonAtomic(dir, paths.imageManifest(uuid), imageManifest(world, img));
    await writeFileAtomic(dir, paths.imageFile(uuid), imageFileBytes(img));
  }
  // Each image file checked against its manifest when it was fetched, at the DC-wide sync.
  await writeJsonAtomic(dir, paths.imagesVerified, {
    images: [...imagesWanted].sort().map((uuid) => ({ uuid, time: at(rd.syncedSecondsAgo), ok: true })),
  });
  await writeFileAtomic(dir, paths.layout, `${LAYOUT_VERSION}\n`);
}
