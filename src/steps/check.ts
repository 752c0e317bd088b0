// `check`: detection, then what restore-data says about each service.
// (Readiness problems beyond detection and missing restore-data grow here.)
import type { Dc } from '../remote/dc.js';
import { verdictOf, type CheckReport, type Problem, type ServiceEntry } from '../state/check-report.js';
import type { Inventory } from '../state/inventory.js';
import { detect, type DetectOptions, type DetectionReport } from './detect.js';
import { inventoryFromRestoreData, readRestoreData, type RestoreData } from './restore-data.js';

export interface CheckOptions extends DetectOptions {
  maxAgeMinutes?: number;
}

export interface CheckResult {
  report: CheckReport;
  detection: DetectionReport;
  restoreData: RestoreData;
  inventory: Inventory;
}

export async function runCheck(dc: Dc, opts: CheckOptions = {}): Promise<CheckResult> {
  const rd = await readRestoreData(dc.restoreDataDir);
  const inv = inventoryFromRestoreData(rd);
  const det = await detect(dc, inv, opts);
  const problems: Problem[] = [];
  const p = det.primary;
  if (!rd.present) {
    problems.push({
      severity: 'critical',
      code: 'RESTORE_DATA_MISSING',
      message: `no restore-data on ${det.local.hostname} at ${dc.restoreDataDir}: nothing can be restored from here`,
      fix: 'run `triton-recover sync` on this headnode (every 5 minutes, from cron or SMF)',
    });
  }
  if (p?.state === 'alive' && det.mode === 'disaster') {
    problems.push({ severity: 'critical', code: 'PRIMARY_ALIVE', message: `the primary ${p.hostname} is alive: do not restore its services elsewhere` });
  }
  if (p?.state === 'uncertain') {
    problems.push({
      severity: 'critical',
      code: 'PRIMARY_UNCERTAIN',
      message: `the signals about the primary ${p.hostname} disagree or are missing`,
      fix: `make sure ${p.hostname} is powered off (IPMI) or off the admin network, then confirm by typing its hostname (--fenced ${p.hostname})`,
    });
  }
  const dead = new Set(det.headnodes.filter((h) => h.state !== 'alive').map((h) => h.uuid));
  const names = [...new Set(inv.instances.map((i) => i.service))].sort();
  const now = Date.now();
  const services: ServiceEntry[] = names.map((name) => {
    const sd = rd.services.get(name);
    const insts = inv.instances.filter((i) => i.service === name);
    const age = sd?.synced ? Math.round((now - Date.parse(sd.synced.time)) / 1000) : null;
    const datasets = insts.filter((i) => i.delegatedDataset);
    return {
      name,
      onDeadHeadnode: insts.some((i) => i.serverUuid !== undefined && dead.has(i.serverUuid)),
      restoreData: {
        present: !!sd && sd.vms.length > 0,
        ageSeconds: age,
        image: insts.every((i) => !i.image || rd.images.get(i.image)?.filePath !== undefined),
        dataset: datasets.length === 0 ? null : datasets.every((i) => sd?.datasets.some((d) => d.instanceUuid === i.uuid && d.streamPath)),
      },
      ready: !!sd && sd.problems.length === 0,
    };
  });
  const report: CheckReport = {
    mode: det.mode,
    verdict: verdictOf(problems),
    primary: p ? { hostname: p.hostname, uuid: p.uuid, state: p.state, evidence: p.evidence } : null,
    headnodes: det.headnodes.map((h) => ({
      hostname: h.hostname,
      uuid: h.uuid,
      adminIp: h.adminIp ?? null,
      state: h.state,
      local: h.local,
      primary: h.primary,
      evidence: h.evidence,
    })),
    services,
    adminIps: { needed: 0, available: rd.dc.recoveryIps?.length ?? 0 },
    problems,
  };
  return { report, detection: det, restoreData: rd, inventory: inv };
}
