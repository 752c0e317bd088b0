// `imgadm get|list|install`: what the server's zpool holds, in imgadm's JSON.
import { readFileSync, statSync } from 'node:fs';
import { err, ok, type CmdResult } from '../cmd-result.js';
import { imageManifest } from '../formats/images.js';
import type { ScenarioServer } from '../scenario.js';
import type { SimWorld } from '../world.js';

export function imgadm(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [sub, ...rest] = args;
  const installed = world.imagesOn(srv);
  switch (sub) {
    case 'get': {
      const uuid = rest.find((a) => !a.startsWith('-')) ?? '';
      const img = world.state.images.find((i) => i.uuid === uuid);
      if (!img || !installed.includes(uuid)) {
        return err(3, `imgadm get: error (ImageNotInstalled): image "${uuid}" was not found on zpool "zones"`);
      }
      return ok(JSON.stringify({ manifest: imageManifest(world, img), zpool: 'zones' }, null, 2) + '\n');
    }
    case 'list': {
      const list = world.state.images
        .filter((i) => installed.includes(i.uuid))
        .map((img) => ({
          manifest: imageManifest(world, img),
          zpool: 'zones',
          cloneNames: [],
          clones: world.instancesOn(srv.hostname).filter((x) => x.image === img.uuid).length,
        }));
      return ok(JSON.stringify(list, null, 2) + '\n');
    }
    case 'install': {
      const m = rest[rest.indexOf('-m') + 1];
      const f = rest[rest.indexOf('-f') + 1];
      if (!rest.includes('-m') || !rest.includes('-f') || !m || !f)
        return err(1, 'imgadm install: error (Usage): need -m MANIFEST -f FILE');
      let manifest: { uuid?: string; origin?: string };
      try {
        manifest = JSON.parse(readFileSync(m, 'utf8')) as typeof manifest;
      } catch (e) {
        return err(1, `imgadm install: error (InvalidManifest): cannot read manifest "${m}": ${(e as Error).message}`);
      }
      try {
        statSync(f);
      } catch {
        return err(1, `imgadm install: error (FileNotFound): image file "${f}" does not exist`);
      }
      const uuid = manifest.uuid ?? '';
      const done = world.installImage(srv, uuid, manifest.origin);
      if (done === 'already-installed') return ok(`Image ${uuid} already installed\n`);
      if (done === 'origin-missing') {
        return err(
          1,
          `imgadm install: error (OriginNotInstalled): origin image "${manifest.origin ?? ''}" for image "${uuid}" is not installed`,
        );
      }
      return ok(`Installed image ${uuid} to "zones/${uuid}".\n`);
    }
    default:
      return err(1, `imgadm: error (UnknownCommand): unknown command "${sub ?? ''}"`);
  }
}
