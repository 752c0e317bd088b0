// Reading restore-data (design section 6). Every file goes through its schema;
// a missing or corrupt file becomes a problem attached to its service (or to
// the DC part), never an exception: one bad file must not hide the rest.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { FileRefused, readBounded, readableNonEmpty, regularFile, sha1Of } from '../remote/bounded-read.js';
import { ParseError } from '../remote/errors.js';
import { CnapiServer } from '../remote/triton/cnapi.js';
import { ImageManifest } from '../remote/triton/image-manifest.js';
import { NapiIp, NapiNetwork } from '../remote/triton/napi.js';
import { parseJson } from '../remote/triton/parse.js';
import { SapiApplication } from '../remote/triton/sapi.js';
import type { VmadmVm } from '../remote/triton/vmadm.js';
import { DumpSapiInstance, DumpSapiService, VmDump } from '../remote/triton/vm-dump.js';
import type { Inventory } from '../state/inventory.js';
import { instanceFromVm, serverFromCnapi } from './inventory-records.js';
import {
  LAYOUT_VERSION,
  DatasetMeta,
  ImagesVerified,
  RecoveryIps,
  Synced,
  Verified,
  paths,
} from '../state/restore-data-layout.js';
import type { ChainLink, DatasetData, FileProblem, RestoreData, ServiceData } from '../state/restore-data.js';
import { delegatedDatasetName, hasDelegatedDataset, isRestored } from '../catalogue.js';

async function readJson<S extends z.ZodType>(
  root: string,
  rel: string,
  schema: S,
  problems: FileProblem[],
): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await readBounded(root, rel);
  } catch (err) {
    const kind = err instanceof FileRefused ? err.kind : 'unreadable';
    problems.push({ file: rel, kind, detail: (err as Error).message });
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

/** Left behind by writeFileAtomic when a sync was cut short before its rename. */
const isTempFile = (name: string): boolean => /\.tmp-/.test(name);

/** What a path is, for messages about a directory that is not one. */
async function dirProblem(path: string): Promise<string | undefined> {
  try {
    const st = await lstat(path);
    if (st.isDirectory()) return undefined;
    return st.isSymbolicLink()
      ? 'is a symbolic link, not a directory (sync writes real directories)'
      : 'is a file, not a directory';
  } catch (err) {
    return `cannot be read (${(err as Error).message})`;
  }
}

/** Entries of a directory of restore-data, or why there are none to read. */
async function listDir(path: string): Promise<{ entries: string[] } | { why: string }> {
  const bad = await dirProblem(path);
  if (bad) return { why: bad };
  try {
    return { entries: await readdir(path) };
  } catch (err) {
    return { why: `cannot be read (${(err as Error).message})` };
  }
}

export async function readRestoreData(dir: string): Promise<RestoreData> {
  const rd: RestoreData = { dir, present: false, dc: {}, dcProblems: [], services: new Map(), images: new Map() };
  const notDir = await dirProblem(dir);
  if (notDir && !notDir.startsWith('is a symbolic link')) {
    rd.dcProblems.push({ file: paths.layout, kind: 'missing', detail: `no restore-data at ${dir}: it ${notDir}` });
    return rd;
  }
  let layout: string;
  try {
    layout = (await readBounded(dir, paths.layout, 64)).trim();
  } catch (err) {
    const why = err instanceof FileRefused && err.kind !== 'missing' ? `: ${err.message}` : '';
    rd.dcProblems.push({ file: paths.layout, kind: 'missing', detail: `no restore-data at ${dir}${why}` });
    return rd;
  }
  if (layout !== LAYOUT_VERSION) {
    rd.dcProblems.push({
      file: paths.layout,
      kind: 'corrupt',
      detail: `layout version "${layout}" is not ${LAYOUT_VERSION}`,
    });
    return rd;
  }
  rd.present = true;
  const p = rd.dcProblems;
  const [synced, application, services, servers, adminNetwork, adminIps, recoveryIps] = await Promise.all([
    readJson(dir, paths.dcSynced, Synced, p),
    readJson(dir, paths.sdcApplication, SapiApplication, p),
    readJson(dir, paths.services, DumpSapiService.array(), p),
    readJson(dir, paths.servers, CnapiServer.array(), p),
    readJson(dir, paths.adminNetwork, NapiNetwork, p),
    readJson(dir, paths.adminIps, NapiIp.array(), p),
    readJson(dir, paths.recoveryIps, RecoveryIps, p),
  ]);
  rd.dc = { synced, application, services, servers, adminNetwork, adminIps, recoveryIps };

  const entries = await readdir(dir).catch(() => [] as string[]);
  const svcNames = entries.filter((e) => /^svc-[a-z][a-z0-9_-]*$/.test(e)).map((e) => e.slice(4));
  await Promise.all(svcNames.map(async (name) => rd.services.set(name, await readService(dir, name))));

  const imageDir = await listDir(join(dir, 'images'));
  const imageFiles = 'entries' in imageDir ? imageDir.entries : [];
  // Optional, like verified.json of a service: absent means never verified.
  if (imageFiles.includes('verified.json')) {
    // Unreadable counts as never verified (RESTORE_DATA_UNVERIFIED), not as a damaged DC-wide dump.
    const v = await readJson(dir, paths.imagesVerified, ImagesVerified, []);
    if (v) rd.imagesVerified = v;
  }
  await Promise.all(
    imageFiles.map(async (f) => {
      const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/.exec(f);
      if (!m) return;
      const uuid = m[1]!;
      const manifest = await readJson(dir, paths.imageManifest(uuid), ImageManifest, []);
      const fileProblem = manifest ? await imageFileProblem(dir, uuid, manifest) : 'its manifest is unreadable';
      rd.images.set(uuid, {
        uuid,
        manifest,
        manifestPath: join(dir, paths.imageManifest(uuid)),
        filePath: fileProblem === undefined ? join(dir, paths.imageFile(uuid)) : undefined,
        ...(fileProblem !== undefined ? { fileProblem } : {}),
      });
    }),
  );
  return rd;
}

/** imgadm install checks size and sha1 only after a long copy: check them here first. */
async function imageFileProblem(dir: string, uuid: string, manifest: ImageManifest): Promise<string | undefined> {
  const rel = paths.imageFile(uuid);
  const want = manifest.files?.[0];
  try {
    if (!want) {
      const f = await regularFile(dir, rel);
      return f.size > 0 ? undefined : `${rel} is empty`;
    }
    const f = await regularFile(dir, rel);
    if (f.size !== want.size) return `${rel} is ${f.size} bytes, its manifest says ${want.size} (truncated?)`;
    const { sha1 } = await sha1Of(dir, rel);
    return sha1 === want.sha1 ? undefined : `${rel} has sha1 ${sha1}, its manifest says ${want.sha1} (corrupt)`;
  } catch (err) {
    return err instanceof FileRefused && err.kind === 'missing' ? `${rel} is missing` : (err as Error).message;
  }
}

async function readService(dir: string, name: string): Promise<ServiceData> {
  const problems: FileProblem[] = [];
  const svcDir = join(dir, `svc-${name}`);
  const listed = await listDir(svcDir);
  const empty = (unusable: string): ServiceData => ({
    name,
    synced: undefined,
    sapiInstances: undefined,
    vms: [],
    datasets: [],
    problems,
    unusable,
  });
  if ('why' in listed) return empty(`svc-${name}/ ${listed.why}`);
  const real = listed.entries.filter((f) => !isTempFile(f));
  if (real.length === 0) {
    const temps = listed.entries.length;
    return empty(
      temps === 0
        ? `svc-${name}/ is empty`
        : `svc-${name}/ holds only ${temps} temporary file(s) (*.tmp-*) of a sync that was cut short`,
    );
  }
  const synced = await readJson(dir, paths.svcSynced(name), Synced, problems);
  // Optional (written by syncs since verification came): absent means never verified, not a damaged layout.
  const verified = real.includes('verified.json')
    ? await readJson(dir, paths.svcVerified(name), Verified, problems)
    : undefined;
  const sapiInstances = await readJson(dir, paths.sapiInstances(name), DumpSapiInstance.array(), problems);
  const files = real;
  const vms: VmadmVm[] = [];
  const datasets: DatasetData[] = [];
  for (const f of files.sort()) {
    const vm = /^vm-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/.exec(f);
    if (vm) {
      const v = await readJson(dir, paths.vm(name, vm[1]!), VmDump, problems);
      if (v) vms.push(v);
    }
  }
  // HA members (manatee, moray, binder) are never re-created, so sync sends no stream of theirs.
  const streamsExpected = isRestored(name);
  for (const vm of vms) {
    if (!hasDelegatedDataset(vm)) continue;
    const file = paths.datasetStream(name, vm.uuid);
    const streamPath = join(dir, file);
    const stream = await readableNonEmpty(dir, file).then(
      (f) => ({ bytes: f.size }),
      (err: unknown) => ({
        err: err instanceof FileRefused ? err : new FileRefused('unreadable', (err as Error).message),
      }),
    );
    const streamBytes = 'bytes' in stream ? stream.bytes : undefined;
    const metaProblems: FileProblem[] = [];
    const meta = await readJson(dir, paths.datasetMeta(name, vm.uuid), DatasetMeta, metaProblems);
    let chain: ChainLink[] = [];
    if ('err' in stream) {
      if (stream.err.kind === 'missing') {
        if (streamsExpected)
          problems.push({ file, kind: 'missing', detail: `no zfs send stream of ${delegatedDatasetName(vm.uuid)}` });
      } else problems.push({ file, kind: stream.err.kind, detail: stream.err.message });
    } else {
      problems.push(...metaProblems);
      if (meta) {
        const checked = await checkChain(dir, name, vm.uuid, meta, stream.bytes);
        chain = checked.chain;
        // A broken chain makes the whole dataset unusable: reported on the full stream, where readiness looks.
        if (checked.problem) problems.push({ file, kind: 'corrupt', detail: checked.problem });
      }
    }
    datasets.push({
      instanceUuid: vm.uuid,
      meta,
      streamPath: streamBytes === undefined ? undefined : streamPath,
      streamBytes,
      chain,
    });
  }
  return { name, synced, ...(verified ? { verified } : {}), sapiInstances, vms, datasets, problems };
}

/** Every stream file of the chain there, each of the size dataset-<uuid>.json records. */
async function checkChain(
  dir: string,
  svc: string,
  uuid: string,
  meta: DatasetMeta,
  fullBytes: number,
): Promise<{ chain: ChainLink[]; problem?: string }> {
  const metaFile = paths.datasetMeta(svc, uuid);
  const incs = meta.incrementals ?? [];
  const baseBytes = meta.base?.bytes ?? meta.bytes;
  if (baseBytes !== fullBytes)
    return { chain: [], problem: `stream is ${fullBytes} bytes, ${metaFile} says ${baseBytes}` };
  const chain: ChainLink[] = [];
  let prev = meta.base?.snapshot;
  for (const [i, inc] of incs.entries()) {
    const n = i + 1;
    const rel = paths.datasetIncrement(svc, uuid, n);
    if (inc.file !== rel.slice(rel.lastIndexOf('/') + 1))
      return { chain: [], problem: `${metaFile} lists ${inc.file} as incremental ${n}, expected ${rel}` };
    if (prev !== undefined && inc.from !== prev)
      return {
        chain: [],
        problem: `incremental ${rel} applies on ${inc.from}, but the chain before it ends at ${prev}`,
      };
    const size = await regularFile(dir, rel).then(
      (f) => f.size,
      (err: unknown) => (err instanceof FileRefused && err.kind === 'missing' ? undefined : (err as Error).message),
    );
    if (size === undefined) return { chain: [], problem: `incremental ${rel} is missing: the chain is broken` };
    if (typeof size === 'string') return { chain: [], problem: `incremental ${rel} is unusable: ${size}` };
    if (size !== inc.bytes)
      return { chain: [], problem: `incremental ${rel} is ${size} bytes, ${metaFile} says ${inc.bytes} (truncated?)` };
    chain.push({
      file: rel,
      path: join(dir, rel),
      from: inc.from,
      snapshot: inc.snapshot,
      bytes: inc.bytes,
      time: inc.time,
    });
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
