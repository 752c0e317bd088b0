// Pre-flight and readiness: every problem code of the contract (design section 7).
// Live facts are gathered in parallel, each under its own deadline; restore-data
// and the inventory are judged without I/O (src/state). In disaster mode the
// question is "can what died be restored from here now?"; in readiness mode,
// "could it be, if a headnode died now?", answered per headnode too (each
// headnode's zones, and whether every headnode holds restore-data of its own).
import { strategyProblems } from '../state/strategy-gate.js';
import type { Dc } from '../remote/dc.js';
import { adminIpsNeeded, type Strategy } from '../state/admin-ips.js';
import { atRisk } from '../state/at-risk.js';
import { type ServiceEntry } from '../state/check-report.js';
import { PROBLEM_CODES, type Problem } from '../state/problem.js';
import { binderProblems, manateeProblems, morayProblems } from '../state/cluster-health.js';
import {
  binderLockProblem,
  headnodeCountProblems,
  lockProblem,
  notAHeadnodeProblem,
  primaryProblems,
} from '../state/headnode-problems.js';
import { dhcpdProblems, dhcpdReadinessProblems } from '../state/dhcpd-problems.js';
import { usbkeyProblems, type UsbkeyFact } from '../state/usbkey-problems.js';
import { headnodeReadiness, type HeadnodeReadiness } from '../state/headnode-readiness.js';
import { platformProblems, type CnBoot } from '../state/platform-problems.js';
import { cnBootProblems } from '../state/cn-boot-problems.js';
import type { CnBootVerdict } from '../state/cn-boot.js';
import { booterFacts, cnTargets } from './readiness-booter.js';
import { imagesToAsk } from '../state/image-chain.js';
import { imageProblems, imagesAvailable } from '../state/image-problems.js';
import { ipPreflightProblems, zonesOnLiveServers } from './ip-preflight.js';
import type { Inventory } from '../state/inventory.js';
import { holdingProblems, type RestoreDataHolding } from '../state/restore-data-holding.js';
import { paths } from '../state/restore-data-layout.js';
import { restoreDataProblems } from '../state/restore-data-problems.js';
import { verifyProblems } from '../state/verify-problems.js';
import { DEFAULT_MAX_VERIFIED_AGE_HOURS } from '../state/verified-age.js';
import { serviceEntries } from '../state/service-entries.js';
import { isRestored, spec } from '../catalogue.js';
import type { DetectionReport } from '../state/detection.js';
import { DC_LOCK_DIR, dcLockHolder } from './dc-lock.js';
import { binderLockHolder, bindersOf } from './recovery-lock.js';
import { isOwnOrStale, lockHeldByOther, lockPath } from './lock.js';
import { adminIpProblems, adminPool } from './readiness-admin-ips.js';
import {
  dhcpdFacts,
  hostnameOf,
  imagesInstalled,
  liveAdminIps,
  manateeProbe,
  morayMembers,
  restoreDataHeld,
  usbkeyFact,
  zkMembers,
  type Reach,
} from './readiness-probes.js';
import type { RestoreData } from '../state/restore-data.js';

export interface ReadinessInput {
  rd: RestoreData;
  inv: Inventory;
  det: DetectionReport;
  strategy: Strategy;
  maxAgeMinutes: number;
  /** A verification older than this is RESTORE_DATA_UNVERIFIED (default DEFAULT_MAX_VERIFIED_AGE_HOURS). */
  maxVerifiedAgeHours?: number;
  journalDir: string | undefined;
  /** Deadline of each live probe (ms). */
  timeoutMs?: number;
}

export interface Readiness {
  problems: Problem[];
  adminIps: { needed: number; available: number; candidates: string[] };
  services: ServiceEntry[];
  /** Per headnode: could what it runs be restored from here now? */
  readiness: HeadnodeReadiness[];
  /** Per compute node: would it PXE boot again with what runs now? */
  computeNodes: CnBootVerdict[];
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export async function assessReadiness(dc: Dc, input: ReadinessInput): Promise<Readiness> {
  const { rd, inv, det } = input;
  const now = Date.now();
  const dead = new Set(
    det.mode === 'disaster' ? det.headnodes.filter((h) => h.state !== 'alive').map((h) => h.uuid) : [],
  );
  const reach: Reach = {
    dc,
    inv,
    localUuid: det.local.uuid,
    dead,
    timeoutMs: input.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
  };
  const risk = atRisk(inv, det.mode, dead, det.local.uuid);

  // Images of every restorable service (not only those at risk): `services[].ready` needs them too.
  const imageRoots = inv.instances.filter((i) => isRestored(i.service) && i.image).map((i) => i.image!);
  const dhcpdAsked = dhcpdFacts(reach);
  const [usbkeys, installed, manatee, zk, moray, dhcpd, napiIps, dcLock, binderLock, holdings, zones, booters] =
    await Promise.all([
      usbkeyFacts(reach, det),
      imagesInstalled(reach, imagesToAsk(imageRoots, rd.images)),
      manateeProbe(reach),
      zkMembers(reach),
      morayMembers(reach),
      dhcpdAsked,
      liveAdminIps(reach, rd.dc.adminNetwork?.uuid),
      // Another console's lock, placed here from whichever headnode it runs on.
      dcLockHolder(dc.local, undefined, reach.timeoutMs),
      // The DC-wide lock in binder: the same node whichever headnode asks.
      binderLockHolder(dc, bindersOf(inv), reach.timeoutMs).catch(() => undefined),
      holdingsOf(reach, det, rd),
      zonesOnLiveServers(reach),
      booterFacts(reach, dhcpdAsked),
    ]);

  const problems: Problem[] = [];
  problems.push(...primaryProblems(det.primary, det.mode));
  problems.push(...strategyProblems(input.strategy));
  problems.push(...notAHeadnodeProblem(det.local.hostname, det.local.bootsAsHeadnode ? 'true' : undefined));
  const localHolder = input.journalDir !== undefined ? lockHeldByOther(input.journalDir) : undefined;
  if (localHolder && input.journalDir !== undefined)
    problems.push(...lockProblem(localHolder, lockPath(input.journalDir)));
  else if (binderLock) problems.push(...binderLockProblem(binderLock.holder, binderLock.where));
  else if (dcLock && !isOwnOrStale(dcLock))
    problems.push(...lockProblem(dcLock, `${DC_LOCK_DIR} on ${det.local.hostname}`));
  problems.push(
    ...restoreDataProblems({
      rd,
      atRisk: risk,
      here: det.local.hostname,
      now,
      maxAgeMinutes: input.maxAgeMinutes,
      strategy: input.strategy,
      hostnameOf: (uuid) => hostnameOf(reach, uuid),
    }),
  );
  problems.push(
    ...verifyProblems(rd, {
      mode: det.mode,
      toRestore: new Set(risk.instances.map((i) => i.service)),
      here: det.local.hostname,
      now,
      maxAgeMinutes: input.maxAgeMinutes,
      maxVerifiedAgeHours: input.maxVerifiedAgeHours ?? DEFAULT_MAX_VERIFIED_AGE_HOURS,
    }),
  );
  problems.push(...imageProblems(risk, installed, rd, det.local.hostname));
  const needed = adminIpsNeeded(input.strategy, risk.largestRestore);
  const pool = adminPool(rd, inv, napiIps, needed);
  problems.push(...adminIpProblems(needed, pool.pool, pool.source, risk, rd));
  // Every IP the plan would use, against what holds IPs now and the network.
  problems.push(
    ...ipPreflightProblems({
      r: reach,
      rd,
      risk,
      strategy: input.strategy,
      candidates: pool.pool.candidates,
      zones,
      napi: napiIps.ok
        ? { records: napiIps.value.records, source: `NAPI ${napiIps.value.from}` }
        : { records: rd.dc.adminIps ?? [], source: "NAPI's records in restore-data dc/admin-ips.json" },
    }),
  );
  // The members of the clusters are known from restore-data only: without it,
  // RESTORE_DATA_MISSING says it all and "no member known" would only add noise.
  if (inv.instances.length > 0) {
    problems.push(...manateeProblems(manatee), ...binderProblems(zk), ...morayProblems(moray));
    problems.push(
      ...(det.mode === 'readiness'
        ? dhcpdReadinessProblems(dhcpd, det.headnodes)
        : dhcpdProblems(
            dhcpd,
            det.mode,
            det.headnodes,
            risk.instances.filter((i) => i.service === 'dhcpd').map((i) => i.alias),
          )),
    );
  }
  // Every headnode needs its own copy: the one that survives restores the one that died.
  if (det.mode === 'readiness') problems.push(...holdingProblems(holdings, now, input.maxAgeMinutes));
  if (inv.servers.length > 0) problems.push(...headnodeCountProblems(det.headnodes, det.mode));
  const needingUsbkey = [...new Set(risk.instances.map((i) => i.service))].filter((s) => spec(s)?.needsUsbkey);
  problems.push(...usbkeyProblems(usbkeys, det.mode, needingUsbkey));
  problems.push(...platformProblems(cnBoots(inv), usbkeys, det.mode, det.local.hostname));
  // Per compute node: a dhcpd that answers it from its cache, with its platform (state/cn-boot.ts).
  const cnBoot = cnBootProblems({
    cns: cnTargets(inv),
    booters,
    keys: usbkeys,
    mode: det.mode,
    headnodes: det.headnodes.filter((h) => h.state === 'alive'),
    restoring: [...new Set(risk.instances.map((i) => i.service))],
  });
  if (inv.instances.length > 0) problems.push(...cnBoot.problems);

  const sorted = sortProblems(problems);
  return {
    problems: sorted,
    adminIps: { needed, available: pool.pool.available, candidates: pool.pool.candidates },
    computeNodes: inv.instances.length > 0 ? cnBoot.verdicts : [],
    services: serviceEntries({
      rd,
      inv,
      atRisk: risk,
      problems: sorted,
      now,
      imagesAvailable: imagesAvailable(inv, installed, rd),
    }),
    readiness: headnodeReadiness({
      rd,
      inv,
      headnodes: det.headnodes,
      dead,
      installed,
      problems: sorted,
      strategy: input.strategy,
      adminIpsAvailable: pool.pool.available,
      holdings,
      now,
      maxAgeMinutes: input.maxAgeMinutes,
    }),
  };
}

/** Each live headnode's own restore-data: this one's as read, the others' over SSH. */
function holdingsOf(r: Reach, det: DetectionReport, rd: RestoreData): Promise<RestoreDataHolding[]> {
  return Promise.all(
    det.headnodes
      .filter((h) => h.state === 'alive')
      .map((h): Promise<RestoreDataHolding> | RestoreDataHolding => {
        if (!h.local) return restoreDataHeld(r, h);
        const unreadable = rd.dcProblems.find((p) => p.file === paths.dcSynced);
        return {
          hostname: h.hostname,
          uuid: h.uuid,
          local: true,
          dir: rd.dir,
          layout: rd.present,
          synced: rd.dc.synced,
          ...(unreadable ? { why: unreadable.detail } : {}),
        };
      }),
  );
}

/** Critical first, then in the contract's code order; stable within a code. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const rank = (p: Problem): number => (p.severity === 'critical' ? 0 : 100) + PROBLEM_CODES.indexOf(p.code);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Every live headnode's /usbkey: any survivor's /usbkey/os can serve compute
 * nodes their platform. (USBKEY_MISSING looks only here in a disaster: the restore runs here.)
 */
function usbkeyFacts(r: Reach, det: DetectionReport): Promise<UsbkeyFact[]> {
  const hns = det.headnodes.filter((h) => h.state === 'alive' || h.local);
  return Promise.all(
    hns.map((h) => {
      const who = { hostname: h.hostname, uuid: h.uuid, adminIp: h.adminIp };
      if (h.local) return usbkeyFact(r, r.dc.local, who);
      if (!h.adminIp)
        return Promise.resolve<UsbkeyFact>({
          ...who,
          local: false,
          present: undefined,
          why: 'admin IP unknown',
          osWhy: 'admin IP unknown',
        });
      return usbkeyFact(r, r.dc.peer(h.hostname, h.adminIp), who);
    }),
  );
}

/** The platform each compute node boots next, as CNAPI (restore-data dc/servers.json) says. */
function cnBoots(inv: Inventory): CnBoot[] {
  return inv.servers
    .filter((s) => !s.headnode && s.bootPlatform !== undefined)
    .map((s) => ({ hostname: s.hostname, uuid: s.uuid, platform: s.bootPlatform! }))
    .sort((a, b) => a.hostname.localeCompare(b.hostname));
}
