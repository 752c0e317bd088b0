// Image manifests and files as IMGAPI and imgadm show them, and the gz-tools image.
import { createHash } from 'node:crypto';
import type { ScenarioImage } from '../scenario.js';
import { stableUuid } from '../defaults.js';
import type { SimWorld } from '../world.js';

/** The gz-tools image of a build: /opt/smartdc/etc/gz-tools.image names it, IMGAPI knows it. */
export function gzToolsImage(world: SimWorld, build: string): Record<string, unknown> {
  return {
    v: 2,
    uuid: stableUuid('gz-tools', build),
    owner: world.state.datacenter.adminUuid,
    name: 'gz-tools',
    version: `master-${build}-g0a1b2c3`,
    state: 'active',
    disabled: false,
    public: false,
    type: 'other',
    os: 'other',
    files: [{ sha1: stableUuid('gz-tools-file', build).replace(/-/g, ''), size: 4_194_304, compression: 'gzip' }],
  };
}

export function imageManifest(world: SimWorld, img: ScenarioImage): Record<string, unknown> {
  const m: Record<string, unknown> = {
    v: 2,
    uuid: img.uuid,
    owner: world.state.datacenter.adminUuid,
    name: img.name,
    version: img.version,
    state: 'active',
    disabled: false,
    public: false,
    published_at: '2026-09-01T10:10:10.000Z',
    type: 'zone-dataset',
    os: 'smartos',
    files: [{ sha1: imageFileSha1(img), size: imageFileBytes(img).length, compression: 'gzip' }],
    tags: { smartdc_service: true },
  };
  if (img.origin) m['origin'] = img.origin;
  return m;
}

/** The simulated image file: small, but real bytes whose sha1 the manifest states. */
export function imageFileBytes(img: ScenarioImage): Buffer {
  return Buffer.from(`SIMIMAGE ${img.uuid} ${img.name}@${img.version}\n`.repeat(64));
}

export function imageFileSha1(img: ScenarioImage): string {
  return createHash('sha1').update(imageFileBytes(img)).digest('hex');
}
