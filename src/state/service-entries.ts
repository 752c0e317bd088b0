// The `services` part of the check report: per service, what restore-data
// holds and whether anything blocks restoring it. Pure.
import { spec } from '../catalogue.js';
import type { RestoreData } from './restore-data.js';
import { verifiedOf } from './verified-age.js';
import type { AtRisk } from './at-risk.js';
import { type ServiceEntry } from './check-report.js';
import { blocksRestore, type Problem } from './problem.js';
import { missingImages } from './image-chain.js';
import type { Inventory } from './inventory.js';
import { dataTimeOf, paths } from './restore-data-layout.js';
import { ageSeconds } from './restore-age.js';

/** Survivor clusters everything stands on: when one is down, no restore can proceed. */
const FOUNDATION = new Set(['manatee', 'binder', 'moray']);

export interface ServiceEntriesInput {
  rd: RestoreData;
  inv: Inventory;
  atRisk: AtRisk;
  problems: readonly Problem[];
  now: number;
  /** Per service: every image chain is installed here or in restore-data; absent = not asked. */
  imagesAvailable: ReadonlyMap<string, boolean>;
}

/**
 * Every service of the inventory, plus those SAPI lists with no restore-data.
 * `ready`: nothing blocks restoring it: no critical problem about it, none
 * about the whole DC or the clusters under it, and (for restored services)
 * restore-data whole with images and dataset streams. Survivor clusters are
 * never restored: for them `ready` means no critical problem.
 */
export function serviceEntries(input: ServiceEntriesInput): ServiceEntry[] {
  const { rd, inv, atRisk, problems, now } = input;
  const known = new Set(inv.instances.map((i) => i.service));
  for (const s of rd.dc.services ?? []) if (spec(s.name)?.role !== 'skip') known.add(s.name);
  const blocking = problems.filter(blocksRestore);
  const blockedGlobally = blocking.some((p) => p.service === undefined || FOUNDATION.has(p.service));

  return [...known].sort().map((name): ServiceEntry => {
    const sd = rd.services.get(name);
    const insts = inv.instances.filter((i) => i.service === name);
    const withData = insts.filter((i) => i.delegatedDataset);
    const streamOk = (uuid: string): boolean =>
      !!sd?.datasets.some((d) => d.instanceUuid === uuid && d.streamPath) &&
      !sd.problems.some((p) => p.file === paths.datasetStream(name, uuid));
    const restoreData: ServiceEntry['restoreData'] = {
      present: !!sd && sd.vms.length > 0,
      ageSeconds: sd?.synced ? ageSeconds(dataTimeOf(sd.synced), now) : null,
      image:
        insts.length > 0 && insts.every((i) => !i.image || missingImages(i.image, new Map(), rd.images).length === 0),
      dataset: withData.length === 0 ? null : withData.every((i) => streamOk(i.uuid)),
      ...verifiedOf(sd, now),
    };
    const role = spec(name)?.role ?? 'restore';
    const own = blocking.some((p) => p.service === name);
    const dataWhole =
      restoreData.present &&
      sd !== undefined &&
      sd.problems.length === 0 &&
      restoreData.dataset !== false &&
      (input.imagesAvailable.get(name) ?? restoreData.image);
    return {
      name,
      onDeadHeadnode: insts.some((i) => i.serverUuid !== undefined && atRisk.dead.has(i.serverUuid)),
      restoreData,
      ready: !own && !blockedGlobally && (role !== 'restore' || dataWhole),
    };
  });
}
