// Reading restore-data (design section 6). Every file goes through its schema;
// a missing or corrupt file becomes a problem attached to its service (or to
// the DC part), never an exception: one bad file must not hide the rest.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { ParseError } from '../remote/errors.js';
import { CnapiServer } from '../remote/triton/cnapi.js';
import { ImageManifest } from '../remote/triton/image-manifest.js';
import { NapiIp, NapiNetwork } from '../remote/triton/napi.js';
import { parseJson } from '../remote/triton/parse.js';
import { SapiApplication, SapiInstance, SapiService } from '../remote/triton/sapi.js';
import { VmadmVm } from '../remote/triton/vmadm.js';
import { instanceFromVm, serverFromCnapi, type Inventory } from '../state/inventory.js';
import { LAYOUT_VERSION, DatasetMeta, RecoveryIps, Synced, paths } from '../state/restore-data-layout.js';
import { spec } from './catalogue.js';

export interface FileProblem {
  file: string;
  kind: 'missing' | 'corrupt' | 'unreadable';
  detail: string;
}

/** An incremental stream of a dataset's chain, as restore applies it (after the full one). */
export interface ChainLink {
  /** Relative to the restore-data root. */
  file: string;
  path: string;
  from: string;
  snapshot: string;
  bytes: number;
  time: string;
}

export interface DatasetData {
  instanceUuid: string;
  meta: DatasetMeta | undefined;
  /** Absolute path of the full stream, when the file exists. */
  streamPath: string | undefined;
  streamBytes: number | undefined;
  /** Incrementals to apply after it, in order (empty without a chain). */
  chain: ChainLink[];
}

export interface ServiceData {
  name: string;
  synced: Synced | undefined;
  sapiInstances: SapiInstance[] | undefined;
  vms: VmadmVm[];
  datasets: DatasetData[];
  problems: FileProblem[];
}

export interface ImageData {
  uuid: string;
  manifest: ImageManifest | undefined;
  manifestPath: string;
  filePath: string | undefined;
}

export interface RestoreData {
  dir: string;
  /** LAYOUT exists and has a version this console reads. */
  present: boolean;
  dc: {
    synced?: Synced;
    application?: SapiApplication;
    services?: SapiService[];
    servers?: CnapiServer[];
    adminNetwork?: NapiNetwork;
    adminIps?: NapiIp[];
    recoveryIps?: RecoveryIps;
  };
  dcProblems: FileProblem[];
  services: Map<string, ServiceData>;
  images: Map<string, ImageData>;
}

async function readJson<S extends z.ZodType>(
  root: string,
  rel: string,
  schema: S,
  problems: FileProblem[],
): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, rel), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push({ file: rel, kind: code === 'ENOENT' ? 'missing' : 'unreadable', detail: (err as Error).message });
    return undefined;
  }
  try {
    return parseJson(`restore-data ${rel}`, schema, text);
  } catch (err) {
    const detail = err instanceof ParseError ? err.message : String(err);
    problems.push({ file: rel, kind: 'corrupt', detail });
    return undefined;
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

export async function readRestoreData(dir: string): Promise<RestoreData> {
  const rd: RestoreData = { dir, present: false, dc: {}, dcProblems: [], services: new Map(), images: new Map() };
  let layout: string;
  try {
    layout = (await readFile(join(dir, paths.layout), 'utf8')).trim();
  } catch {
    rd.dcProblems.push({ file: paths.layout, kind: 'missing', detail: `no restore-data at ${dir}` });
    return rd;
  }
  if (layout !== LAYOUT_VERSION) {
    rd.dcProblems.push({ file: paths.layout, kind: 'corrupt', detail: `layout version "${layout}" is not ${LAYOUT_VERSION}` });
    return rd;
  }
  rd.present = true;
  const p = rd.dcProblems;
  const [synced, application, services, servers, adminNetwork, adminIps, recoveryIps] = await Promise.all([
    readJson(dir, paths.dcSynced, Synced, p),
    readJson(dir, paths.sdcApplication, SapiApplication, p),
    readJson(dir, paths.services, SapiService.array(), p),
    readJson(dir, paths.servers, CnapiServer.array(), p),
    readJson(dir, paths.adminNetwork, NapiNetwork, p),
    readJson(dir, paths.adminIps, NapiIp.array(), p),
    readJson(dir, paths.recoveryIps, RecoveryIps, p),
  ]);
  rd.dc = { synced, application, services, servers, adminNetwork, adminIps, recoveryIps };

  const entries = await readdir(dir).catch(() => [] as string[]);
  const svcNames = entries.filter((e) => /^svc-[a-z][a-z0-9_-]*$/.test(e)).map((e) => e.slice(4));
  await Promise.all(svcNames.map(async (name) => rd.services.set(name, await readService(dir, name))));

  const imageFiles = await readdir(join(dir, 'images')).catch(() => [] as string[]);
  for (const f of imageFiles) {
    const m = /^([0-9a-f-]{36})\.json$/.exec(f);
    if (!m) continue;
    const uuid = m[1]!;
    const probs: FileProblem[] = [];
    const manifest = await readJson(dir, paths.imageManifest(uuid), ImageManifest, probs);
    const filePath = join(dir, paths.imageFile(uuid));
    rd.images.set(uuid, {
      uuid,
      manifest,
      manifestPath: join(dir, paths.imageManifest(uuid)),
      filePath: (await sizeOf(filePath)) !== undefined ? filePath : undefined,
    });
  }
  return rd;
}

async function readService(dir: string, name: string): Promise<ServiceData> {
  const problems: FileProblem[] = [];
  const synced = await readJson(dir, paths.svcSynced(name), Synced, problems);
  const sapiInstances = await readJson(dir, paths.sapiInstances(name), SapiInstance.array(), problems);
  const files = await readdir(join(dir, `svc-${name}`)).catch(() => [] as string[]);
  const vms: VmadmVm[] = [];
  const datasets: DatasetData[] = [];
  for (const f of files.sort()) {
    const vm = /^vm-([0-9a-f-]{36})\.json$/.exec(f);
    if (vm) {
      const v = await readJson(dir, paths.vm(name, vm[1]!), VmadmVm, problems);
      if (v) vms.push(v);
    }
  }
  // HA members (manatee, moray, binder) are never re-created, so sync sends no stream of theirs.
  const streamsExpected = spec(name)?.role !== 'survivor' && spec(name)?.role !== 'skip';
  for (const vm of vms) {
    if (!(vm.datasets ?? []).some((d) => d === `zones/${vm.uuid}/data`)) continue;
    const file = paths.datasetStream(name, vm.uuid);
    const streamPath = join(dir, file);
    const streamBytes = await sizeOf(streamPath);
    const metaProblems: FileProblem[] = [];
    const meta = await readJson(dir, paths.datasetMeta(name, vm.uuid), DatasetMeta, metaProblems);
    let chain: ChainLink[] = [];
    if (streamBytes === undefined) {
      if (streamsExpected) problems.push({ file, kind: 'missing', detail: `no zfs send stream of zones/${vm.uuid}/data` });
    } else {
      problems.push(...metaProblems);
      if (meta) {
        const checked = await checkChain(dir, name, vm.uuid, meta, streamBytes);
        chain = checked.chain;
        // A broken chain makes the whole dataset unusable: reported on the full stream, where readiness looks.
        if (checked.problem) problems.push({ file, kind: 'corrupt', detail: checked.problem });
      }
    }
    datasets.push({ instanceUuid: vm.uuid, meta, streamPath: streamBytes === undefined ? undefined : streamPath, streamBytes, chain });
  }
  return { name, synced, sapiInstances, vms, datasets, problems };
}

/** Every stream file of the chain there, each of the size dataset-<uuid>.json records. */
async function checkChain(dir: string, svc: string, uuid: string, meta: DatasetMeta, fullBytes: number): Promise<{ chain: ChainLink[]; problem?: string }> {
  const metaFile = paths.datasetMeta(svc, uuid);
  const incs = meta.incrementals ?? [];
  const baseBytes = meta.base?.bytes ?? meta.bytes;
  if (baseBytes !== fullBytes) return { chain: [], problem: `stream is ${fullBytes} bytes, ${metaFile} says ${baseBytes}` };
  const chain: ChainLink[] = [];
  let prev = meta.base?.snapshot;
  for (const [i, inc] of incs.entries()) {
    const n = i + 1;
    const rel = paths.datasetIncrement(svc, uuid, n);
    if (inc.file !== rel.slice(rel.lastIndexOf('/') + 1)) return { chain: [], problem: `${metaFile} lists ${inc.file} as incremental ${n}, expected ${rel}` };
    if (prev !== undefined && inc.from !== prev) return { chain: [], problem: `incremental ${rel} applies on ${inc.from}, but the chain before it ends at ${prev}` };
    const size = await sizeOf(join(dir, rel));
    if (size === undefined) return { chain: [], problem: `incremental ${rel} is missing: the chain is broken` };
    if (size !== inc.bytes) return { chain: [], problem: `incremental ${rel} is ${size} bytes, ${metaFile} says ${inc.bytes} (truncated?)` };
    chain.push({ file: rel, path: join(dir, rel), from: inc.from, snapshot: inc.snapshot, bytes: inc.bytes, time: inc.time });
    prev = inc.snapshot;
  }
  if (meta.base && meta.bytes !== baseBytes + incs.reduce((a, x) => a + x.bytes, 0)) {
    return { chain: [], problem: `${metaFile}: bytes ${meta.bytes} is not the sum of its streams` };
  }
  return { chain };
}

/** The DC as restore-data describes it: servers from CNAPI, instances from each vm dump. */
export function inventoryFromRestoreData(rd: RestoreData): Inventory {
  const servers = (rd.dc.servers ?? []).map(serverFromCnapi);
  const instances = [...rd.services.values()].flatMap((s) => s.vms.map((vm) => instanceFromVm(s.name, vm)));
  return { servers, instances };
}
