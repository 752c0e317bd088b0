// One delegated dataset: snapshot it on the source, send what changed since the
// snapshot we hold (or everything), record the chain, then keep only the new
// snapshot on the source. Order matters: the stream file, then its metadata,
// then old chain files and old snapshots; a failure at any point leaves the
// data held here usable and the next sync able to go on from it.
import { readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../remote/host.js';
import { parseJson } from '../../remote/triton/parse.js';
import { checkArg, runChecked } from '../../remote/triton/command.js';
import { zfsListSnapshots } from '../../remote/triton/zfs.js';
import { DatasetName } from '../../values/schemas.js';
import { writeJsonAtomic } from '../../remote/restore-data-files.js';
import { DatasetMeta, paths } from '../../state/restore-data-layout.js';
import {
  decideSend,
  metaAfterFull,
  metaAfterIncremental,
  snapshotName,
  snapshotsToDestroy,
  strayIncrements,
  type ChainPolicy,
} from '../../state/sync-chain.js';
import type { DatasetSyncResult } from '../../state/sync-report.js';
import type { DiskGuard } from './disk.js';
import { SyncStepError, asStepError } from './errors.js';
import { pullStream } from './pull-stream.js';
import { readVerified } from './verify.js';
import type { SyncTiming } from './timing.js';
import { delegatedDatasetName } from '../../catalogue.js';

export interface DatasetJob {
  root: string;
  service: string;
  uuid: string;
  alias: string;
  host: Host;
  guard: DiskGuard;
  timing: SyncTiming;
  policy: ChainPolicy;
  now: () => Date;
  /** The syncing headnode's server UUID: its snapshots carry it. */
  owner: string;
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

/** The metadata held, when readable; a damaged file just means "start over with a full send". */
async function heldMeta(root: string, svc: string, uuid: string): Promise<DatasetMeta | undefined> {
  try {
    return parseJson('dataset metadata', DatasetMeta, await readFile(join(root, paths.datasetMeta(svc, uuid)), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Full stream and every incremental present with the sizes the metadata records. */
async function chainWhole(root: string, svc: string, uuid: string, meta: DatasetMeta): Promise<boolean> {
  if ((await sizeOf(join(root, paths.datasetStream(svc, uuid)))) !== (meta.base?.bytes ?? meta.bytes)) return false;
  for (const [i, inc] of (meta.incrementals ?? []).entries()) {
    if ((await sizeOf(join(root, paths.datasetIncrement(svc, uuid, i + 1)))) !== inc.bytes) return false;
  }
  return true;
}

/**
 * `size\t<bytes>` of `zfs send -nP` (stdout, or stderr on older zfs);
 * undefined when that zfs cannot tell. A source that hangs or drops the link
 * here fails the dataset: the real send would not fare better. noC: this zfs
 * predates `send -c` (getopt's "invalid option 'c'").
 */
async function estimate(
  host: Host,
  argv: string[],
  timeoutMs: number,
): Promise<{ size: number | undefined; noC: boolean }> {
  const r = await host.run([argv[0]!, argv[1]!, '-n', '-P', ...argv.slice(2)], { timeoutMs });
  const m = /^size\s+(\d+)$/m.exec(`${r.stdout}\n${r.stderr}`);
  return {
    size: r.code === 0 && m ? Number(m[1]) : undefined,
    noC: r.code !== 0 && /invalid option 'c'/.test(r.stderr),
  };
}

export async function syncDataset(j: DatasetJob): Promise<{ result: DatasetSyncResult; warnings: string[] }> {
  const ds = checkArg(DatasetName, delegatedDatasetName(j.uuid), 'dataset');
  const quick = { timeoutMs: j.timing.commandTimeoutMs };
  const warnings: string[] = [];
  const prev = await heldMeta(j.root, j.service, j.uuid);
  // A chain that failed its last verification is replaced by a full send.
  const failedCheck =
    (await readVerified(j.root, j.service))?.datasets.some((v) => v.uuid === j.uuid && !v.ok) ?? false;
  const whole = prev && !failedCheck ? await chainWhole(j.root, j.service, j.uuid, prev) : false;

  const before = await zfsListSnapshots(j.host, ds, quick).catch((e: unknown) => {
    throw asStepError(e, j.host.name, ['zfs', 'list', '-t', 'snapshot', ds]);
  });
  if (before === null) {
    throw new SyncStepError(
      j.host.name,
      `zfs list ${ds}`,
      `${ds} does not exist there, though vmadm get lists it as delegated`,
      `check the zone ${j.uuid} on ${j.host.name} (zfs list -r zones/${j.uuid})`,
    );
  }
  const taken = j.now();
  const snap = checkArg(DatasetName, `${ds}@${snapshotName(taken, j.owner)}`, 'snapshot');
  const snapArgv = ['zfs', 'snapshot', snap];
  await runChecked(j.host, snapArgv, quick).catch((e: unknown) => {
    throw asStepError(e, j.host.name, snapArgv);
  });

  const decision = decideSend(prev, whole, before, j.policy);
  const sendArgs = decision.kind === 'full' ? [snap] : ['-i', checkArg(DatasetName, decision.from, 'snapshot'), snap];
  // -c sends blocks as stored, compressed (illumos 7252, 2017): less on the admin
  // network and on every headnode's disk; zfs recv takes it on any platform that has it.
  let argv = ['zfs', 'send', '-c', ...sendArgs];
  const rel =
    decision.kind === 'full'
      ? paths.datasetStream(j.service, j.uuid)
      : paths.datasetIncrement(j.service, j.uuid, decision.n);
  const what = `the ${decision.kind} stream of ${ds} (${j.alias})`;
  const metaPath = join(j.root, paths.datasetMeta(j.service, j.uuid));
  let bytes: number;
  try {
    try {
      let est = await estimate(j.host, argv, j.timing.commandTimeoutMs);
      if (est.noC) {
        argv = ['zfs', 'send', ...sendArgs];
        est = await estimate(j.host, argv, j.timing.commandTimeoutMs);
      }
      await j.guard.ensure(est.size ?? 0, what);
    } catch (e) {
      throw asStepError(e, j.host.name, argv);
    }
    ({ bytes } = await pullStream({
      host: j.host,
      argv,
      file: join(j.root, rel),
      guard: j.guard,
      what,
      timeoutMs: j.timing.sendTimeoutMs,
      stallMs: j.timing.sendStallMs,
      // A new full stream replaces the old chain's base: the old metadata goes
      // first, so a crash before the new one is written leaves "no stream"
      // (a visible problem), never a full stream with someone else's incrementals.
      ...(decision.kind === 'full' && prev ? { beforeRename: () => unlink(metaPath).catch(() => undefined) } : {}),
    }).catch((e: unknown) => {
      throw asStepError(e, j.host.name, argv);
    }));
  } catch (e) {
    // The snapshot just taken serves nothing now: a source that fails every 5
    // minutes must not pile them up.
    await runChecked(j.host, ['zfs', 'destroy', snap], quick).catch(() => undefined);
    throw e;
  }

  const time = taken.toISOString();
  const meta =
    decision.kind === 'full'
      ? metaAfterFull(snap, time, bytes)
      : metaAfterIncremental(prev!, j.uuid, { from: decision.from, snapshot: snap, bytes, time });
  await writeJsonAtomic(j.root, paths.datasetMeta(j.service, j.uuid), meta);

  // Only now that the new chain is recorded: old chain files go (after a full send, all of them).
  const dir = join(j.root, paths.svcDir(j.service));
  for (const f of strayIncrements(await readdir(dir).catch(() => []), j.uuid, meta))
    await unlink(join(dir, f)).catch(() => undefined);

  // The source keeps only the snapshot the next incremental starts from.
  const destroyed: string[] = [];
  for (const old of snapshotsToDestroy([...before, snap], snap, j.owner)) {
    const d = ['zfs', 'destroy', checkArg(DatasetName, old, 'snapshot')];
    try {
      await runChecked(j.host, d, quick);
      destroyed.push(old);
    } catch (e) {
      warnings.push(
        `could not destroy the old snapshot ${old} on ${j.host.name} (${asStepError(e, j.host.name, d).detail}): the next sync tries again`,
      );
    }
  }
  return {
    result: {
      alias: j.alias,
      uuid: j.uuid,
      kind: decision.kind,
      ...(decision.kind === 'full' ? { why: decision.why } : {}),
      snapshot: snap,
      bytes,
      destroyed,
    },
    warnings,
  };
}
