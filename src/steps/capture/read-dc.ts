// `capture`'s readings of a live DC, through the clients every other job uses:
// SAPI, CNAPI, NAPI and IMGAPI as sync finds them (sync/dc-facts.ts), each
// server's core zones from `vmadm lookup` (all their NICs, datasets), their
// delegated datasets' sizes, manatee's roles, /usbkey/os, and restore-data as
// it is here and on the other headnodes. Only reads: nothing in the DC changes.
import type { Dc } from '../../remote/dc.js';
import type { Host } from '../../remote/host.js';
import { manateeShow } from '../../remote/triton/manatee.js';
import { createNapi } from '../../remote/triton/napi.js';
import { usbkeyPlatforms } from '../../remote/triton/usbkey.js';
import { vmadmLookup, type VmadmVm } from '../../remote/triton/vmadm.js';
import { zfsList } from '../../remote/triton/zfs.js';
import { delegatedDatasetName, hasDelegatedDataset } from '../../catalogue.js';
import { serverFromCnapi } from '../inventory-records.js';
import { gatherDcFacts, sapiCandidates } from '../sync/dc-facts.js';
import { SyncStepError } from '../sync/errors.js';
import type { SyncTiming } from '../sync/timing.js';
import { DEFAULT_RESTORE_DATA_DIR, paths } from '../../state/restore-data-layout.js';
import type {
  CapturedNetwork,
  CapturedNic,
  CapturedServer,
  CapturedZone,
  CaptureReadings,
  LatencySample,
} from '../../state/capture.js';
import { localRestoreData, probe } from './held.js';
import { imagesOf } from './images.js';
import { nicOf, networkOf, str } from './records.js';
import { timedDc } from './timed-dc.js';

export interface ReadDcOptions {
  dc: Dc;
  timing: SyncTiming;
  /** Observed times are multiplied by this (--sim-speed of a simulated DC). */
  timeScale: number;
  /** Latencies a normal day cannot show, as a real headnode has them. */
  unobserved: Record<string, number>;
  sapiUrl?: string;
  now?: () => number;
}

/** A problem met while reading, said for the operator; the capture goes on without that part. */
export type CaptureNote = string;

export async function readDc(o: ReadDcOptions): Promise<{ readings: CaptureReadings; notes: CaptureNote[] }> {
  const samples: LatencySample[] = [];
  const raw = o.dc;
  const dc = timedDc(raw, samples);
  const notes: CaptureNote[] = [];
  const cmd = { timeoutMs: o.timing.commandTimeoutMs };
  const http = { timeoutMs: o.timing.httpTimeoutMs };
  const sapi = await sapiCandidates(dc, dc.restoreDataDir, o.sapiUrl, o.timing);
  if (sapi.urls.length === 0)
    throw new SyncStepError(
      dc.local.name,
      'finding SAPI',
      `no address for SAPI (${sapi.tried.join('; ')})`,
      'give it: triton-recover capture --sapi-url http://<SAPI admin IP>',
    );
  const facts = await gatherDcFacts(dc, sapi.urls, o.timing);
  notes.push(...facts.warnings, ...facts.errors);
  if (!facts.network)
    throw new SyncStepError(
      dc.local.name,
      'GET /networks?name=admin',
      'NAPI did not answer: the admin network is not known',
      'check NAPI (sdc-healthcheck), then run capture again',
    );
  const admin = networkOf(facts.network);
  if (!admin)
    throw new SyncStepError(
      dc.local.name,
      'GET /networks?name=admin',
      'the admin network has no gateway',
      'check it in NAPI',
    );
  let external: CapturedNetwork | undefined;
  try {
    const n = createNapi({ transport: dc.http, baseUrl: facts.napiUrl! });
    const ext = (await n.listNetworks({ name: 'external' }, http)).find((x) => x.name === 'external');
    external = ext ? networkOf(ext) : undefined;
  } catch (e) {
    notes.push(`NAPI GET /networks?name=external failed (${(e as Error).message}): no external network captured`);
  }

  const servers: CapturedServer[] = [];
  const zones: CapturedZone[] = [];
  const hostOf = new Map<string, Host>();
  for (const s of facts.servers) {
    const inv = serverFromCnapi(s);
    const isLocal = s.hostname === raw.local.name;
    const host = isLocal ? dc.local : dc.peer(s.hostname, inv.adminIp ?? '');
    const answered = isLocal
      ? true
      : inv.adminIp !== undefined && (await probe(raw.peer(s.hostname, inv.adminIp), cmd.timeoutMs, samples));
    if (!answered) notes.push(`${s.hostname} did not answer over SSH: recorded as dead, its zones left out`);
    let platforms: string[] | null | undefined;
    if (answered && s.headnode) {
      try {
        platforms = (await usbkeyPlatforms(host, cmd))?.platforms ?? null;
      } catch (e) {
        notes.push(`${s.hostname}: ls /usbkey/os failed (${(e as Error).message})`);
      }
    }
    servers.push({
      uuid: s.uuid,
      hostname: s.hostname,
      headnode: s.headnode,
      adminIp: inv.adminIp,
      answered,
      setup: s.setup,
      ...(inv.bootPlatform ? { platform: inv.bootPlatform } : {}),
      ...(platforms !== undefined ? { usbkeyPlatforms: platforms } : {}),
    });
    if (!answered) continue;
    hostOf.set(s.hostname, host);
    let vms: VmadmVm[] = [];
    try {
      vms = await vmadmLookup(host, { 'tags.smartdc_type': 'core' }, cmd);
    } catch (e) {
      notes.push(`${s.hostname}: vmadm lookup failed (${(e as Error).message}): its zones left out`);
    }
    for (const vm of vms) {
      const role = str(vm.tags?.['smartdc_role']);
      if (!role || !vm.image_uuid) {
        notes.push(`${s.hostname}: zone ${vm.uuid} has no smartdc_role tag or image: left out`);
        continue;
      }
      const delegated = hasDelegatedDataset(vm);
      let dataBytes: number | undefined;
      if (delegated) {
        try {
          dataBytes = (await zfsList(host, delegatedDatasetName(vm.uuid), cmd))?.[0]?.used;
        } catch (e) {
          notes.push(`${s.hostname}: zfs list ${delegatedDatasetName(vm.uuid)} failed (${(e as Error).message})`);
        }
      }
      zones.push({
        service: role,
        alias: vm.alias ?? `${role}-${vm.uuid.slice(0, 8)}`,
        uuid: vm.uuid,
        server: s.hostname,
        image: vm.image_uuid,
        state: vm.state,
        firewallEnabled: (vm as Record<string, unknown>)['firewall_enabled'] === true,
        delegatedDataset: delegated,
        ...(dataBytes !== undefined ? { dataBytes } : {}),
        nics: vm.nics.map(nicOf).filter((n): n is CapturedNic => n !== undefined),
      });
    }
  }

  // manatee's roles, asked of the first running peer that answers.
  let manatee: CaptureReadings['manatee'];
  for (const z of zones.filter((x) => x.service === 'manatee' && x.state === 'running')) {
    try {
      const show = await manateeShow(hostOf.get(z.server)!, z.uuid, cmd);
      const uuidOf = (peer: string): string | undefined =>
        zones.find((x) => x.service === 'manatee' && x.uuid.startsWith(peer))?.uuid;
      const of = (role: string): string[] =>
        show.peers
          .filter((p) => p.role === role)
          .map((p) => uuidOf(p.peer))
          .filter((u): u is string => !!u);
      const primary = of('primary')[0];
      if (primary)
        manatee = { primary, sync: of('sync')[0] ?? null, async: of('async'), deposed: of('deposed'), mode: show.mode };
      break;
    } catch (e) {
      notes.push(`manatee-adm show in ${z.alias} on ${z.server} failed (${(e as Error).message})`);
    }
  }

  // restore-data: here in full; on the other headnodes, whether it is there.
  const local = await localRestoreData(dc.restoreDataDir, zones);
  const on: string[] = local.held ? [raw.local.name] : [];
  for (const s of servers.filter((x) => x.headnode && x.answered && x.hostname !== raw.local.name)) {
    const r = await hostOf
      .get(s.hostname)!
      .run(['test', '-f', `${DEFAULT_RESTORE_DATA_DIR}/${paths.layout}`], cmd)
      .catch(() => undefined);
    if (r?.code === 0) on.push(s.hostname);
  }
  if (!local.held)
    notes.push(`no restore-data in ${dc.restoreDataDir} on ${raw.local.name}: the scenario says none is held here`);

  const md = facts.application.metadata ?? {};
  const images = await imagesOf(
    facts,
    dc,
    zones.map((z) => z.image),
    http.timeoutMs,
    notes,
  );
  const readings: CaptureReadings = {
    takenAt: (o.now ?? Date.now)(),
    datacenter: {
      name: str(md['datacenter_name']) ?? 'unknown',
      dnsDomain: str(md['dns_domain']) ?? 'unknown',
      adminUuid: str(md['ufds_admin_uuid']) ?? facts.application.owner_uuid ?? '',
    },
    localServer: raw.local.name,
    servers,
    adminNetwork: admin,
    ...(external ? { externalNetwork: external } : {}),
    recoveryIps: local.recoveryIps,
    images,
    zones,
    ...(manatee ? { manatee } : {}),
    restoreData: {
      on,
      services: local.services,
      ...(local.dcSyncedAt !== undefined ? { dcSyncedAt: local.dcSyncedAt } : {}),
    },
    samples,
    unobserved: o.unobserved,
    timeScale: o.timeScale,
  };
  return { readings, notes };
}
