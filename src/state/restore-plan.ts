// The restore plan, built purely from what check found (like the conversion
// plan in convert-plan.ts): which zones, with which identity, and the exact
// commands and HTTP calls, in order. steps/plan.ts asks the one thing only the
// DC can tell (which images are installed) and calls planRestore.
// Over 300 lines on purpose, for now: identities, per-zone actions and the
// reconcile actions are one planner over shared maps (who gets which IP, which
// image is scheduled); split into named functions when it next grows.
import { healthUrl, spec, SURVIVOR_SERVICES, type ServiceSpec } from '../catalogue.js';
import type { VmadmVm } from '../remote/triton/vmadm.js';
import type { Problem } from './problem.js';
import type { DetectionReport } from './detection.js';
import { originChain } from './image-chain.js';
import type { Inventory } from './inventory.js';
import { lostInstances, toRestore, type LostInstance } from './lost.js';
import { recreatePayload, rewriteIpsIn } from './payload.js';
import { adminIpsFor } from './planned-ips.js';
import type { Plan, PlanAction, PlanStep, Strategy } from './plan.js';
import type { SapiInstance, WaitHealthy } from './plan-action.js';
import type { RestoreData } from './restore-data.js';

export interface RestorePlanInput {
  rd: RestoreData;
  inv: Inventory;
  det: DetectionReport;
  strategy: Strategy;
  /** Free admin IPs for the new strategy, reserved recovery IPs first. */
  ipCandidates: string[];
  blocked: Problem[];
  only?: string[];
  /** Which of the images the plan needs this headnode already has (steps/plan.ts asks imgadm). */
  installed: ReadonlyMap<string, boolean>;
  /** A fresh zone UUID (the new strategy); injected so the same input gives the same plan in tests. */
  newUuid: () => string;
  now: Date;
  /** The commands a zone's health wait polls, in its order (spelled by the GZ clients). */
  healthChecks: (uuid: string) => string[][];
}

/** The health ping of a zone at its admin IP, with the TLS handling its catalogue entry asks for. */
function pingCall(ping: NonNullable<ServiceSpec['ping']>, ip: string): NonNullable<WaitHealthy['http']> {
  return { method: 'GET', url: healthUrl(ping, ip), ...(ping.tls ? { tls: ping.tls } : {}) };
}

/** zones/<uuid>/data@name -> name (what `zfs list -t snapshot` shows after the @). */
function shortSnap(snapshot: string): string {
  return snapshot.split('@')[1] ?? snapshot;
}

/** Images in install order: every origin before the images built on it. */
export function imageChain(rd: RestoreData, image: string): string[] {
  return originChain(image, rd.images).reverse();
}

function vmOf(rd: RestoreData, inst: LostInstance): VmadmVm | undefined {
  return rd.services.get(inst.service)?.vms.find((v) => v.uuid === inst.uuid);
}

function nextAlias(inv: Inventory, service: string, taken: Set<string>): string {
  const used = inv.instances.filter((i) => i.service === service).map((i) => Number(/(\d+)$/.exec(i.alias)?.[1] ?? -1));
  let n = Math.max(-1, ...used) + 1;
  while (taken.has(`${service}${n}`)) n++;
  taken.add(`${service}${n}`);
  return `${service}${n}`;
}

/** The dead headnodes, what died with them, and what this plan re-creates (--only applied). */
export function chooseInstances(input: Pick<RestorePlanInput, 'inv' | 'det' | 'only'>) {
  const dead = input.det.headnodes.filter((h) => h.state !== 'alive');
  const deadSet = new Set(dead.map((h) => h.uuid));
  const lost = lostInstances(input.inv, deadSet);
  const only = input.only && input.only.length > 0 ? new Set(input.only) : undefined;
  const chosen = toRestore(lost).filter((l) => !only || only.has(l.service));
  return { dead, deadSet, lost, chosen };
}

/** The images the chosen zones need, origins first (installed or not). */
export function imagesWanted(input: Pick<RestorePlanInput, 'rd' | 'inv' | 'det' | 'only'>): string[] {
  return [...new Set(chooseInstances(input).chosen.flatMap((l) => (l.image ? imageChain(input.rd, l.image) : [])))];
}

/** The restore plan for what check found: which zones, with which identity, and every action in order. */
export function planRestore(input: RestorePlanInput): Plan {
  const { rd, inv, det, strategy } = input;
  const { dead, deadSet, lost, chosen } = chooseInstances(input);
  const primary = det.primary ?? dead[0];
  const local = det.local.hostname;
  const localUuid = det.local.uuid;

  // Identities first: the new strategy rewrites IPs other zones' metadata names.
  const taken = new Set<string>();
  // The same hand-out the pre-flight judged (state/planned-ips.ts).
  const adminIps = adminIpsFor(chosen, strategy, input.ipCandidates);
  const ident = new Map<string, { uuid: string; alias: string; adminIp: string; mac?: string }>();
  for (const l of chosen) {
    const vm = vmOf(rd, l);
    const adminNic = vm?.nics.find((n) => n.nic_tag === 'admin');
    const adminIp = adminIps.get(l.uuid) ?? '';
    if (strategy === 'reuse') {
      ident.set(l.uuid, { uuid: l.uuid, alias: l.alias, adminIp, ...(adminNic ? { mac: adminNic.mac } : {}) });
    } else {
      ident.set(l.uuid, { uuid: input.newUuid(), alias: nextAlias(inv, l.service, taken), adminIp });
    }
  }
  const ipMap = new Map<string, string>();
  if (strategy === 'new') for (const l of chosen) if (l.adminIp) ipMap.set(l.adminIp, ident.get(l.uuid)!.adminIp);

  const liveIp = (service: string): string | undefined => {
    const restored = chosen.find((l) => l.service === service);
    if (restored) return ident.get(restored.uuid)!.adminIp;
    return inv.instances.find((i) => i.service === service && i.serverUuid && !deadSet.has(i.serverUuid))?.adminIp;
  };
  const sapiUrl = `http://${liveIp('sapi') ?? 'SAPI-IP-UNKNOWN'}`;
  const napiUrl = `http://${liveIp('napi') ?? 'NAPI-IP-UNKNOWN'}`;
  const cnapiUrl = `http://${liveIp('cnapi') ?? 'CNAPI-IP-UNKNOWN'}`;

  const installed = input.installed;
  const scheduled = new Set<string>();

  const steps: PlanStep[] = [];
  // SAPI records of zones restored before SAPI itself: written once SAPI answers.
  const sapiRestored = chosen.some((l) => l.service === 'sapi');
  const deferredRecords: SapiInstance[] = [];
  const notRestored = lost
    .filter((l) => l.notRestored)
    .map((l) => ({ service: l.service, alias: l.alias, why: l.notRestored! }));
  for (const l of chosen) {
    const vm = vmOf(rd, l);
    if (!vm || !l.image) {
      notRestored.push({ service: l.service, alias: l.alias, why: 'no vm dump in restore-data' });
      continue;
    }
    const id = ident.get(l.uuid)!;
    const s = spec(l.service);
    const key = `${l.service}/${id.alias}`;
    const actions: PlanAction[] = [];
    const chain = imageChain(rd, l.image);
    for (const img of chain) {
      if (installed.get(img) || scheduled.has(img)) continue;
      scheduled.add(img);
      const file = rd.images.get(img);
      actions.push({
        id: `image/${img}/install-image`,
        kind: 'install-image',
        host: local,
        image: img,
        manifest: file?.manifestPath ?? `MISSING-${img}.json`,
        file: file?.filePath ?? `MISSING-${img}.file`,
        summary: `install image ${img}${file?.manifest ? ` (${String(file.manifest.name)}@${String(file.manifest.version)})` : ''}`,
      });
    }
    const serviceUuid = rd.dc.services?.find((x) => x.name === l.service)?.uuid;
    const sapiRecord: SapiInstance = {
      id: `${key}/sapi-instance`,
      kind: 'sapi-instance',
      host: local,
      http: {
        method: 'POST',
        url: `${sapiUrl}/instances`,
        body: {
          service_uuid: serviceUuid ?? 'UNKNOWN',
          uuid: id.uuid,
          params: { alias: id.alias, server_uuid: localUuid },
        },
      },
      summary: `record ${id.alias} in SAPI (its first boot asks SAPI for /configs/${id.uuid})`,
    };
    const recordAfter = !!s?.bootsWithoutSapi && sapiRestored;
    if (strategy === 'new' && !recordAfter) actions.push(sapiRecord);
    actions.push({
      id: `${key}/create-vm`,
      kind: 'create-vm',
      host: local,
      uuid: id.uuid,
      alias: id.alias,
      payload: recreatePayload(vm, { ...id, ipMap }),
      summary: `create ${id.alias} (${id.uuid}) stopped, ${id.adminIp}`,
    });
    const ds = rd.services.get(l.service)?.datasets.find((d) => d.instanceUuid === l.uuid);
    if (l.delegatedDataset) {
      // The full stream, then each incremental sync added on top of it, in order.
      // Every received snapshot stays on the dataset (and counts against the zone's
      // quota). The restore leaves them: they are this headnode's own triton-recover-<its
      // uuid>-* snapshots, so its next sync goes on incrementally from the newest and
      // destroys the rest (sync-chain.ts snapshotsToDestroy); destroying here would
      // only race that and could take the next sync's base.
      const chain = ds?.chain ?? [];
      const base = ds?.meta?.base?.snapshot ?? ds?.meta?.snapshot;
      actions.push({
        id: `${key}/receive-dataset`,
        kind: 'receive-dataset',
        host: local,
        uuid: id.uuid,
        stream: ds?.streamPath ?? `MISSING-dataset-${l.uuid}.zfs`,
        ...(base ? { snapshot: shortSnap(base) } : {}),
        summary:
          chain.length === 0
            ? `receive its delegated dataset${ds?.meta ? ` (snapshot of ${ds.meta.time}, ${ds.meta.bytes} bytes)` : ''} before the first boot`
            : `receive its delegated dataset: the full stream (${ds?.meta?.base?.bytes ?? '?'} bytes), then ${chain.length} incremental(s) up to the snapshot of ${ds?.meta?.time ?? '?'}`,
      });
      chain.forEach((c, i) => {
        actions.push({
          id: `${key}/receive-dataset-i${i + 1}`,
          kind: 'receive-dataset',
          host: local,
          uuid: id.uuid,
          stream: c.path,
          snapshot: shortSnap(c.snapshot),
          summary: `apply incremental ${i + 1} of ${chain.length} of its delegated dataset (snapshot of ${c.time}, ${c.bytes} bytes)`,
        });
      });
    }
    actions.push({
      id: `${key}/start-vm`,
      kind: 'start-vm',
      host: local,
      uuid: id.uuid,
      summary: `start ${id.alias}: first boot configures it from SAPI`,
    });
    actions.push({
      id: `${key}/wait-healthy`,
      kind: 'wait-healthy',
      host: local,
      uuid: id.uuid,
      checks: input.healthChecks(id.uuid),
      ...(s?.ping ? { http: pingCall(s.ping, id.adminIp) } : {}),
      summary: `wait until ${id.alias} runs, its setup is complete, svcs -xz is clean${s?.ping ? ` and ${s.ping.path} answers` : ''}`,
    });
    if (strategy === 'new' && recordAfter) {
      deferredRecords.push({ ...sapiRecord, summary: `record ${id.alias} in SAPI, now that SAPI answers` });
      if (l.service === 'sapi') actions.push(...deferredRecords.splice(0));
    }
    const notes = [...(s?.notes?.all ?? []), ...(strategy === 'new' ? (s?.notes?.new ?? []) : [])];
    if (!s)
      notes.push(`${l.service} is not in the service catalogue: re-created generically; check it by hand afterwards`);
    steps.push({
      service: l.service,
      alias: id.alias,
      uuid: id.uuid,
      adminIp: id.adminIp,
      old: { uuid: l.uuid, alias: l.alias, adminIp: l.adminIp ?? '' },
      image: l.image,
      delegatedDataset: l.delegatedDataset,
      images: chain,
      actions,
      notes,
    });
  }

  // Reconcile: NAPI still holds the dead server's GZ NICs (and, with new IPs, the old zones' NICs).
  const reconcile: PlanAction[] = [];
  for (const d of dead) {
    const srv = rd.dc.servers?.find((x) => x.uuid === d.uuid);
    const nics = Object.values(srv?.sysinfo?.['Network Interfaces'] ?? {}).filter(
      (n) => n.ip4addr && (n['NIC Names'] ?? []).includes('admin'),
    );
    for (const n of nics) {
      const mac = n['MAC Address'];
      reconcile.push({
        id: `reconcile/${d.hostname}/release-nic/${mac}`,
        kind: 'release-nic',
        host: local,
        http: { method: 'DELETE', url: `${napiUrl}/nics/${mac.replace(/:/g, '')}` },
        summary: `release ${d.hostname}'s admin NIC ${mac} (${n.ip4addr ?? ''}) in NAPI`,
      });
    }
  }
  if (strategy === 'new') {
    for (const st of steps) {
      const vm = rd.services.get(st.service)?.vms.find((v) => v.uuid === st.old.uuid);
      for (const n of vm?.nics ?? []) {
        reconcile.push({
          id: `reconcile/${st.old.alias}/release-nic/${n.mac}`,
          kind: 'release-nic',
          host: local,
          http: { method: 'DELETE', url: `${napiUrl}/nics/${n.mac.replace(/:/g, '')}` },
          summary: `release ${st.old.alias}'s old NIC ${n.mac} (${n.ip ?? ''}) in NAPI`,
        });
      }
    }
  }
  if (strategy === 'new' && ipMap.size > 0) reconcile.push(...ipBoundUpdates(rd, ipMap, sapiUrl, cnapiUrl, local));
  // SAPI's records of the re-created zones still name the dead server
  // (params.server_uuid; the deprecated SERVER_UUID metadata falls back to it,
  // sdc-sapi lib/server/attributes.js): point them at this headnode.
  if (strategy === 'reuse') {
    for (const st of steps) {
      reconcile.push({
        id: `reconcile/${st.alias}/update-sapi-instance`,
        kind: 'update-sapi-instance',
        host: local,
        http: {
          method: 'PUT',
          url: `${sapiUrl}/instances/${st.uuid}`,
          body: { action: 'update', params: { server_uuid: localUuid } },
        },
        summary: `SAPI: ${st.alias} now runs on ${local}`,
      });
    }
  }
  const lostSurvivors = lost.filter((l) => SURVIVOR_SERVICES.includes(l.service));
  const notes: string[] = [];
  if (strategy === 'reuse')
    notes.push(
      `${primary?.hostname ?? 'the dead primary'} must never boot back into the admin network with its old zones: the same UUIDs, IPs and MACs now run here`,
    );
  // CNAPI's DELETE only drops the record, and VMAPI then shows the zones left
  // on it with their last state, "running" (sdc-cnapi lib/models/server.js del,
  // sdc-vmapi lib/endpoints/vms.js updateVmFromServerStatus): keep it listed.
  for (const d of dead) {
    notes.push(
      `${d.hostname} stays in CNAPI (status unknown), so VMAPI shows the zones it still holds as unknown, not running; remove it (sdc-cnapi /servers/${d.uuid} -X DELETE) only once those zones are replaced or destroyed`,
    );
  }
  if (lostSurvivors.length > 0) {
    notes.push(
      `lost HA members (${lostSurvivors.map((l) => l.alias).join(', ')}) are not re-created here: afterwards restore HA (sdcadm post-setup ha-binder, a new manatee peer via SAPI then manatee-adm reap of the deposed one, sdcadm create moray)`,
    );
  }
  return {
    version: 2,
    strategy,
    createdAt: input.now.toISOString(),
    local: { hostname: local, uuid: localUuid },
    dead: { hostname: primary?.hostname ?? '?', uuid: primary?.uuid ?? '?', adminIp: primary?.adminIp ?? null },
    steps,
    reconcile,
    notRestored,
    notes,
    blocked: input.blocked,
  };
}

/**
 * With new IPs, the settings that name the old ones: SAPI metadata of the sdc
 * application (sapi-url, assets-ip, rabbitmq, <svc>_admin_ips, ...) and the
 * rabbitmq=... boot parameter compute nodes boot with.
 */
function ipBoundUpdates(
  rd: RestoreData,
  ipMap: ReadonlyMap<string, string>,
  sapiUrl: string,
  cnapiUrl: string,
  local: string,
): PlanAction[] {
  const out: PlanAction[] = [];
  const app = rd.dc.application;
  if (app) {
    const changed: Record<string, string> = {};
    for (const [k, v] of Object.entries(app.metadata ?? {})) {
      if (typeof v === 'string' && rewriteIpsIn(v, ipMap) !== v) changed[k] = rewriteIpsIn(v, ipMap);
    }
    if (Object.keys(changed).length > 0) {
      out.push({
        id: 'reconcile/sapi/update-sapi-metadata',
        kind: 'update-sapi-metadata',
        host: local,
        http: {
          method: 'PUT',
          url: `${sapiUrl}/applications/${app.uuid}`,
          body: { action: 'update', metadata: changed },
        },
        summary: `point SAPI metadata at the new IPs (${Object.keys(changed).join(', ')})`,
      });
    }
    const rabbit = app.metadata?.['rabbitmq'];
    if (typeof rabbit === 'string' && rewriteIpsIn(rabbit, ipMap) !== rabbit) {
      out.push({
        id: 'reconcile/cnapi/update-boot-params',
        kind: 'update-boot-params',
        host: local,
        http: {
          method: 'POST',
          url: `${cnapiUrl}/boot/default`,
          body: { kernel_args: { rabbitmq: rewriteIpsIn(rabbit, ipMap) } },
        },
        summary: 'compute nodes boot with the new rabbitmq IP (CNAPI /boot/default)',
      });
    }
  }
  return out;
}
