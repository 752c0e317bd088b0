// What a restore would re-create. In disaster mode: what died with the dead
// headnodes. In readiness mode nothing is dead, so the question is "what if one
// headnode died now?", asked for every headnode but this one (if this one dies,
// the restore does not run from here). Pure.
import { restoreRank } from '../catalogue.js';
import { headnodes, type Inventory } from './inventory.js';
import { lostInstances, toRestore, type LostInstance } from './lost.js';

export interface AtRisk {
  mode: 'readiness' | 'disaster';
  /** Servers counted as dead now (disaster) or none (readiness). */
  dead: ReadonlySet<string>;
  /** Instances a restore re-creates, each once, in restore order. */
  instances: LostInstance[];
  /** Per headnode whose loss is considered: how many zones its restore re-creates. */
  byHeadnode: { hostname: string; uuid: string; count: number }[];
  /** The largest single restore: what `new` needs in admin IPs. */
  largestRestore: number;
}

export function atRisk(
  inv: Inventory,
  mode: 'readiness' | 'disaster',
  deadServerUuids: ReadonlySet<string>,
  localUuid: string,
): AtRisk {
  if (mode === 'disaster') {
    const instances = toRestore(lostInstances(inv, deadServerUuids));
    const byHeadnode = headnodes(inv)
      .filter((h) => deadServerUuids.has(h.uuid))
      .map((h) => ({
        hostname: h.hostname,
        uuid: h.uuid,
        count: instances.filter((i) => i.serverUuid === h.uuid).length,
      }));
    return { mode, dead: deadServerUuids, instances, byHeadnode, largestRestore: instances.length };
  }
  const seen = new Map<string, LostInstance>();
  const byHeadnode: AtRisk['byHeadnode'] = [];
  for (const h of headnodes(inv)) {
    if (h.uuid === localUuid) continue;
    const lost = toRestore(lostInstances(inv, new Set([h.uuid])));
    byHeadnode.push({ hostname: h.hostname, uuid: h.uuid, count: lost.length });
    for (const i of lost) seen.set(i.uuid, i);
  }
  // Same order as lostInstances: restore order, then alias.
  const instances = [...seen.values()].sort(
    (a, b) => restoreRank(a.service) - restoreRank(b.service) || a.alias.localeCompare(b.alias),
  );
  return {
    mode,
    dead: new Set(),
    instances,
    byHeadnode,
    largestRestore: Math.max(0, ...byHeadnode.map((h) => h.count)),
  };
}
