// Per headnode: could what it runs be restored from this headnode now? One
// entry per headnode, one row per zone it runs, in restore order. Pure: every
// fact (restore-data, imgadm answers, other headnodes' copies) is passed in.
//
// This headnode itself is listed too (`local: true`), but it cannot be restored
// from itself: if it died, the restore would run on another headnode, from that
// one's restore-data. From here only that copy's presence and age can be seen
// (LAYOUT, dc/synced.json), so the local entry is judged by that alone and says
// so; `triton-recover check` on the other headnode judges images and streams.
import { dataDoubts } from './data-doubt.js';
import type { RestoreData } from './restore-data.js';
import type { Strategy } from './admin-ips.js';
import { blocksRestore, type Problem } from './problem.js';
import { missingImages, type Installed } from './image-chain.js';
import type { Inventory } from './inventory.js';
import { lostInstances, type LostInstance } from './lost.js';
import { ageSeconds, formatAge, isStale } from './restore-age.js';
import { usable, type RestoreDataHolding } from './restore-data-holding.js';
import { dataTimeOf, paths, type Synced } from './restore-data-layout.js';
import { serviceDataOf } from './restore-data-problems.js';
import { delegatedDatasetName } from '../catalogue.js';
import { verifiedOf } from './verified-age.js';

export interface ReadinessService {
  name: string;
  alias: string;
  uuid: string;
  /** A restore re-creates it (false: an HA member, a zone that also runs elsewhere, ...). */
  restored: boolean;
  /**
   * What restore-data holds for it. image/dataset: null when not needed (not
   * re-created, no delegated dataset) or not judged from here (local entry).
   */
  restoreData: {
    present: boolean;
    ageSeconds: number | null;
    image: boolean | null;
    dataset: boolean | null;
    /** Its service's dataset streams here: since last verified end to end, and whether that passed (state/verified-age.ts). */
    verifiedAgeSeconds?: number | null;
    verifiedOk?: boolean | null;
  };
  /** A spare admin IP for it (`new` strategy); null when none is needed or judged. */
  spareAdminIp: boolean | null;
  ready: boolean;
  /** What keeps it from being ready; for a ready row, what to know (not re-created, stale copy). */
  why?: string;
}

export interface HeadnodeReadiness {
  hostname: string;
  uuid: string;
  /** The headnode this check runs on: judged as restored from another one. */
  local: boolean;
  /** Every zone it runs that a restore re-creates is ready. */
  restorable: boolean;
  why?: string;
  /** The restore-data this headnode holds itself (what it could restore the others from). */
  ownRestoreData: { present: boolean | null; ageSeconds: number | null; lastSyncOk: boolean | null };
  services: ReadinessService[];
}

export interface HeadnodeReadinessInput {
  rd: RestoreData;
  inv: Inventory;
  headnodes: readonly { hostname: string; uuid: string; local: boolean; state: string }[];
  /** Servers dead now (disaster); empty in readiness mode. */
  dead: ReadonlySet<string>;
  installed: ReadonlyMap<string, Installed>;
  /** The check's problems: critical ones about the whole DC or its clusters block every restore. */
  problems: readonly Problem[];
  strategy: Strategy;
  adminIpsAvailable: number;
  holdings: readonly RestoreDataHolding[];
  now: number;
  maxAgeMinutes: number;
}

/** Survivor clusters every restore stands on. */
const FOUNDATION = new Set(['manatee', 'binder', 'moray']);
/** Codes the per-zone facts below already say in their own words. */
const PER_ZONE = new Set(['RESTORE_DATA_MISSING', 'IMAGE_MISSING', 'DATASET_MISSING', 'ADMIN_IPS_SHORT']);

/**
 * Critical problems that block every restore: about the whole DC or a cluster
 * under it. Not the admin IP shortage (judged per headnode below), nor missing
 * restore-data here (each zone says it), but a missing DC-wide file does block.
 */
function blockersOf(input: HeadnodeReadinessInput, critical: readonly Problem[]): string[] {
  const blocks = (p: Problem): boolean =>
    p.service === undefined
      ? p.code !== 'ADMIN_IPS_SHORT' && !(p.code === 'RESTORE_DATA_MISSING' && !input.rd.present)
      : FOUNDATION.has(p.service);
  return [...new Set(critical.filter(blocks).map((p) => p.code))];
}

export function headnodeReadiness(input: HeadnodeReadinessInput): HeadnodeReadiness[] {
  const critical = input.problems.filter(blocksRestore);
  const blockers = blockersOf(input, critical);
  return input.headnodes.map((h) => {
    // "If it died": with whatever is dead already. Its own zones, in restore order.
    const lost = lostInstances(input.inv, new Set([...input.dead, h.uuid])).filter((i) => i.serverUuid === h.uuid);
    const own = ownRestoreData(input, h.uuid);
    const services = h.local
      ? localRows(input, h.hostname, lost, blockers)
      : lost.map((i) => row(input, i, lost, h.hostname, blockers, critical));
    const base = { hostname: h.hostname, uuid: h.uuid, local: h.local, ownRestoreData: own, services };
    const restorable = services.every((s) => s.ready);
    const why = h.local ? localWhy(input, h.hostname) : headnodeWhy(services, restorable);
    return { ...base, restorable, ...(why ? { why } : {}) };
  });
}

function ownRestoreData(input: HeadnodeReadinessInput, uuid: string): HeadnodeReadiness['ownRestoreData'] {
  const held = input.holdings.find((x) => x.uuid === uuid);
  if (!held) return { present: null, ageSeconds: null, lastSyncOk: null };
  return {
    present: held.layout ?? null,
    ageSeconds: held.synced ? ageSeconds(dataTimeOf(held.synced), input.now) : null,
    lastSyncOk: held.synced ? held.synced.ok : null,
  };
}

const fileOf = (p: string): string => p.replace(/^svc-[^/]+\//, '');

/** One zone of another headnode, judged by this headnode's restore-data and images. */
function row(
  input: HeadnodeReadinessInput,
  inst: LostInstance,
  lost: readonly LostInstance[],
  hostname: string,
  blockers: readonly string[],
  critical: readonly Problem[],
): ReadinessService {
  const { rd } = input;
  const sd = serviceDataOf(rd, inst);
  const vmDump = !!sd?.vms.some((v) => v.uuid === inst.uuid);
  const age = sd?.synced ? ageSeconds(dataTimeOf(sd.synced), input.now) : null;
  const base = { name: inst.service, alias: inst.alias, uuid: inst.uuid };
  const present = rd.present && vmDump;
  if (inst.notRestored !== undefined) {
    return {
      ...base,
      restored: false,
      restoreData: { present, ageSeconds: age, image: null, dataset: null },
      spareAdminIp: null,
      ready: true,
      why: inst.notRestored,
    };
  }

  const reasons: string[] = [];
  const notes: string[] = [];
  if (!rd.present) reasons.push(`no restore-data here (${rd.dir})`);
  else if (!vmDump) reasons.push(`no vm dump ${paths.vm(sd?.name ?? inst.service, inst.uuid)} in ${rd.dir}`);
  // A file of the service (synced.json, sapi-instances.json) or of this zone; streams are judged below.
  for (const p of sd?.problems ?? []) {
    const mine = !/(vm|dataset)-[0-9a-f-]{36}\./.test(p.file) || p.file.includes(inst.uuid);
    if (mine && !p.file.endsWith('.zfs')) reasons.push(`${p.file} is ${p.kind}`);
  }

  let image: boolean | null = null;
  if (!inst.image) reasons.push('its vm dump names no image');
  else {
    const missing = missingImages(inst.image, input.installed, rd.images);
    image = missing.length === 0;
    for (const m of missing)
      reasons.push(`image ${m.label ?? m.uuid}${m.originOf ? ` (an origin)` : ''} not at hand: ${m.why}`);
  }

  let dataset: boolean | null = null;
  if (inst.delegatedDataset) {
    const file = paths.datasetStream(sd?.name ?? inst.service, inst.uuid);
    const stream = sd?.datasets.find((d) => d.instanceUuid === inst.uuid)?.streamPath;
    const bad = sd?.problems.find((p) => p.file === file);
    dataset = !!stream && !bad;
    if (!dataset)
      reasons.push(
        bad && stream
          ? `the stream ${fileOf(file)} is unusable (${bad.detail})`
          : `no zfs send stream of ${delegatedDatasetName(inst.uuid)}`,
      );
  }

  let spareAdminIp: boolean | null = null;
  if (input.strategy === 'new') {
    const needed = lost.filter((i) => i.notRestored === undefined).length;
    spareAdminIp = needed <= input.adminIpsAvailable;
    if (!spareAdminIp)
      reasons.push(
        `the new strategy needs ${needed} admin IPs to restore ${hostname}'s zones, ${input.adminIpsAvailable} available`,
      );
  }

  const ownCodes = [
    ...new Set(critical.filter((p) => p.service === inst.service && !PER_ZONE.has(p.code)).map((p) => p.code)),
  ];
  const blocked = [...blockers, ...ownCodes];
  if (blocked.length > 0) reasons.push(`blocked by ${blocked.join(', ')} (see the problems)`);

  // Restorable, but not as it was: its verification failed or is missing (staleness is noted below).
  notes.push(...dataDoubts(input.problems, inst.service, ['RESTORE_DATA_STALE']));
  if (sd?.synced && !sd.synced.ok)
    notes.push(`the last sync of its restore-data failed (${sd.synced.error ?? 'no error text'})`);
  else if (age !== null && isStale(age, input.maxAgeMinutes))
    notes.push(`its restore-data is ${formatAge(age)} old: changes since would be lost`);

  const why = [...reasons, ...notes].join('; ');
  return {
    ...base,
    restored: true,
    restoreData: { present, ageSeconds: age, image, dataset, ...verifiedOf(sd, input.now) },
    spareAdminIp,
    ready: reasons.length === 0,
    ...(why ? { why } : {}),
  };
}

/** Other live headnodes whose copy this one could be restored from. */
function holders(input: HeadnodeReadinessInput, hostname: string): (RestoreDataHolding & { synced: Synced })[] {
  const alive = new Set(input.headnodes.filter((h) => h.state === 'alive').map((h) => h.hostname));
  return input.holdings.filter((x) => x.hostname !== hostname && alive.has(x.hostname)).filter(usable);
}

/** This headnode's zones, judged by whether another headnode holds a copy to restore them from. */
function localRows(
  input: HeadnodeReadinessInput,
  hostname: string,
  lost: readonly LostInstance[],
  blockers: readonly string[],
): ReadinessService[] {
  const from = holders(input, hostname);
  const youngest = from.length > 0 ? Math.min(...from.map((x) => ageSeconds(dataTimeOf(x.synced), input.now))) : null;
  return lost.map((inst): ReadinessService => {
    const base = { name: inst.service, alias: inst.alias, uuid: inst.uuid };
    const restoreData = { present: from.length > 0, ageSeconds: youngest, image: null, dataset: null };
    if (inst.notRestored !== undefined)
      return { ...base, restored: false, restoreData, spareAdminIp: null, ready: true, why: inst.notRestored };
    const reasons: string[] = [];
    if (from.length === 0) reasons.push('no other live headnode holds restore-data to restore it from');
    if (blockers.length > 0) reasons.push(`blocked by ${blockers.join(', ')} (see the problems)`);
    return {
      ...base,
      restored: true,
      restoreData,
      spareAdminIp: null,
      ready: reasons.length === 0,
      ...(reasons.length > 0 ? { why: reasons.join('; ') } : {}),
    };
  });
}

function localWhy(input: HeadnodeReadinessInput, hostname: string): string {
  const from = holders(input, hostname);
  if (from.length === 0) {
    const lacking = input.holdings
      .filter((x) => x.hostname !== hostname)
      .map(
        (x) =>
          `${x.hostname}: ${x.layout === undefined ? `could not tell (${x.why ?? 'no answer'})` : !x.layout ? 'none' : 'no readable dc/synced.json'}`,
      );
    return `this headnode: it cannot be restored from itself, and no other live headnode holds restore-data${lacking.length > 0 ? ` (${lacking.join('; ')})` : ''}`;
  }
  const ages = from.map((x) => `${x.hostname} (${formatAge(ageSeconds(dataTimeOf(x.synced), input.now))} old)`);
  const who = ages.length > 1 ? `${ages.slice(0, -1).join(', ')} and ${ages[ages.length - 1]}` : ages[0];
  return `this headnode: it cannot be restored from itself; judged from here only by the restore-data that ${who} ${from.length > 1 ? 'hold' : 'holds'}; run triton-recover check there for images, streams and admin IPs`;
}

function headnodeWhy(services: readonly ReadinessService[], restorable: boolean): string | undefined {
  const restored = services.filter((s) => s.restored);
  if (restored.length === 0) return 'nothing to re-create: every zone on it is an HA member or also runs elsewhere';
  if (restorable) return undefined;
  const bad = restored.filter((s) => !s.ready);
  return `${bad.length} of ${restored.length} zones to re-create are not ready: ${bad.map((s) => s.alias).join(', ')}`;
}
