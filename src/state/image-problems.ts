// Whether the images the zones to re-create need are at hand here (installed,
// or in restore-data with their origins): IMAGE_MISSING, and per service the
// `ready` of the check report. Pure: the installed images are asked before.
import { isRestored } from '../catalogue.js';
import type { AtRisk } from './at-risk.js';
import { missingImages, type Installed } from './image-chain.js';
import type { Inventory } from './inventory.js';
import type { Problem } from './problem.js';
import type { RestoreData } from './restore-data.js';

/** IMAGE_MISSING: an image (or an origin of it) a zone to re-create needs is neither installed here nor in restore-data. */
export function imageProblems(
  risk: AtRisk,
  installed: ReadonlyMap<string, Installed>,
  rd: RestoreData,
  here: string,
): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const inst of risk.instances) {
    if (!inst.image) {
      problems.push({
        severity: 'critical',
        code: 'IMAGE_MISSING',
        service: inst.service,
        message: `the vm dump of ${inst.alias} (${inst.uuid}) in restore-data names no image_uuid: the zone cannot be re-created`,
        fix: `look up its image in SAPI (the ${inst.service} service's params.image_uuid) and run the sync on ${here} again`,
      });
      continue;
    }
    for (const m of missingImages(inst.image, installed, rd.images)) {
      const key = `${inst.service}/${m.uuid}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const users = risk.instances
        .filter((i) => i.service === inst.service)
        .map((i) => i.alias)
        .join(', ');
      problems.push({
        severity: 'critical',
        code: 'IMAGE_MISSING',
        service: inst.service,
        message: `image ${m.label ? `${m.label} (${m.uuid})` : m.uuid}${m.originOf ? `, the origin of ${m.originOf},` : ''} needed to re-create ${users} is not at hand on ${here}: ${m.why}`,
        fix: `on ${here}: imgadm import -S https://updates.tritondatacenter.com ${m.uuid} (needs outbound access), or imgadm install -m <manifest> -f <file> from /usbkey/images of a headnode that has it`,
      });
    }
  }
  return problems;
}

/** Per restorable service: can every instance's image chain be had here (installed or restore-data)? */
export function imagesAvailable(
  inv: Inventory,
  installed: ReadonlyMap<string, Installed>,
  rd: RestoreData,
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [svc, insts] of groupBy(
    inv.instances.filter((i) => isRestored(i.service)),
    (i) => i.service,
  )) {
    out.set(
      svc,
      insts.every((i) => !!i.image && missingImages(i.image, installed, rd.images).length === 0),
    );
  }
  return out;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
