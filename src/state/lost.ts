// Which instances a restore re-creates: those that died with a dead headnode,
// of a service that now runs nowhere else. Pure.
import { restoreRank, spec } from '../catalogue.js';
import type { InvInstance, Inventory } from './inventory.js';

export interface LostInstance extends InvInstance {
  /** Why it is not restored, when it is not. */
  notRestored?: string;
}

/**
 * Instances on dead servers, in restore order. A service with a live instance
 * elsewhere is not lost (HA moray, a second cloudapi, ...). Survivor services
 * (manatee, moray, binder) and per-user zones are never re-created; dhcpd,
 * not a cluster, is re-created like any core zone when none survives.
 */
export function lostInstances(inv: Inventory, deadServerUuids: ReadonlySet<string>): LostInstance[] {
  const onDead = inv.instances.filter((i) => i.serverUuid !== undefined && deadServerUuids.has(i.serverUuid));
  const liveElsewhere = new Set(
    inv.instances.filter((i) => i.serverUuid !== undefined && !deadServerUuids.has(i.serverUuid)).map((i) => i.service),
  );
  const kept = new Set<string>();
  return onDead
    .sort((a, b) => restoreRank(a.service) - restoreRank(b.service) || a.alias.localeCompare(b.alias))
    .map((i): LostInstance => {
      const s = spec(i.service);
      if (s?.role === 'survivor')
        return {
          ...i,
          notRestored: `${i.service} is an HA cluster member: the survivors carry it; re-add a member after the restore`,
        };
      if (s?.role === 'skip')
        return { ...i, notRestored: `${i.service} zones are not core services a restore re-creates` };
      if (liveElsewhere.has(i.service)) return { ...i, notRestored: `${i.service} still runs on another server` };
      if (s?.restoreOne && kept.has(i.service))
        return { ...i, notRestored: `one ${i.service} re-created on this headnode is enough` };
      kept.add(i.service);
      return i;
    });
}

export function toRestore(lost: readonly LostInstance[]): LostInstance[] {
  return lost.filter((l) => l.notRestored === undefined);
}
