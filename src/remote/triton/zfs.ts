// zfs in a GZ (facts C3). `-Hp` output: tab-separated, exact byte counts.
import type { Readable } from 'node:stream';
import type { Host } from '../host.js';
import { ParseError } from '../errors.js';
import { DatasetName } from '../../values/schemas.js';
import { type CallOptions, CommandFailedError, QUICK_TIMEOUT_MS, checkArg, runChecked, runOptions } from './command.js';

export interface ZfsListRow {
  name: string;
  used: number;
  /** null where zfs prints '-' (snapshots have no avail). */
  avail: number | null;
  refer: number;
  /** null where zfs prints '-' (snapshots, volumes); 'legacy'/'none' are kept as text. */
  mountpoint: string | null;
}

export type ZfsType = 'filesystem' | 'snapshot' | 'volume' | 'bookmark' | 'all';

/** Exit 1 with this on stderr: the dataset is not there. Group 1 is the name. */
export const ZFS_NO_DATASET_RE = /^cannot open '([^']+)': dataset does not exist$/m;

/** A whole zone dataset or manatee data can be many GB. */
export const ZFS_RECV_TIMEOUT_MS = 4 * 60 * 60_000;

export const ZFS_LIST_COLUMNS = 'name,used,avail,refer,mountpoint';

const TOOL = 'zfs list';

function bytes(text: string, field: string, allowDash: true): number | null;
function bytes(text: string, field: string, allowDash: false): number;
function bytes(text: string, field: string, allowDash: boolean): number | null {
  if (allowDash && text === '-') return null;
  if (!/^\d+$/.test(text)) throw new ParseError(TOOL, field, `not an exact byte count: ${JSON.stringify(text)}`);
  return Number(text);
}

/** Parse `zfs list -Hp -o name,used,avail,refer,mountpoint` output. */
export function parseZfsList(text: string): ZfsListRow[] {
  const rows: ZfsListRow[] = [];
  const lines = text.split('\n').filter((l) => l !== '');
  lines.forEach((line, i) => {
    const f = line.split('\t');
    if (f.length !== 5) {
      throw new ParseError(TOOL, `${i}`, `expected 5 tab-separated columns (${ZFS_LIST_COLUMNS}), got ${f.length}`);
    }
    const [name, used, avail, refer, mountpoint] = f as [string, string, string, string, string];
    if (!DatasetName.safeParse(name).success) {
      throw new ParseError(TOOL, `${i}.name`, `not a dataset name: ${JSON.stringify(name)}`);
    }
    rows.push({
      name,
      used: bytes(used, `${i}.used`, false),
      avail: bytes(avail, `${i}.avail`, true),
      refer: bytes(refer, `${i}.refer`, false),
      mountpoint: mountpoint === '-' ? null : mountpoint,
    });
  });
  return rows;
}

function isMissing(stderr: string, dataset: string): boolean {
  const m = ZFS_NO_DATASET_RE.exec(stderr);
  return m !== null && m[1] === dataset;
}

/** `zfs list -Hp ...`; null when the dataset does not exist. */
export async function zfsList(
  host: Host,
  dataset: string,
  opts: CallOptions & { recursive?: boolean; types?: ZfsType[] } = {},
): Promise<ZfsListRow[] | null> {
  const ds = checkArg(DatasetName, dataset, 'dataset');
  const argv = ['zfs', 'list', '-Hp', '-o', ZFS_LIST_COLUMNS];
  if (opts.recursive) argv.push('-r');
  if (opts.types && opts.types.length > 0) argv.push('-t', opts.types.join(','));
  argv.push(ds);
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code === 1 && isMissing(res.stderr, ds)) return null;
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  return parseZfsList(res.stdout);
}

/** Snapshot names (ds@snap) of the dataset itself, oldest first; null when it does not exist. */
export async function zfsListSnapshots(host: Host, dataset: string, opts: CallOptions = {}): Promise<string[] | null> {
  const ds = checkArg(DatasetName, dataset, 'dataset');
  const argv = ['zfs', 'list', '-H', '-o', 'name', '-t', 'snapshot', '-s', 'createtxg', '-d', '1', ds];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code === 1 && isMissing(res.stderr, ds)) return null;
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  const names = res.stdout.split('\n').filter((l) => l !== '');
  names.forEach((n, i) => {
    if (!n.startsWith(`${ds}@`))
      throw new ParseError('zfs list -t snapshot', `${i}`, `not a snapshot of ${ds}: ${JSON.stringify(n)}`);
  });
  return names;
}

/** `zfs recv <dataset>` fed from a stream (a `zfs send` from elsewhere). */
/** force (-F): overwrite the empty dataset `vmadm create` made for a delegated dataset. */
export async function zfsRecv(
  host: Host,
  dataset: string,
  stream: Readable,
  opts: CallOptions & { force?: boolean } = {},
): Promise<void> {
  const argv = ['zfs', 'recv', ...(opts.force ? ['-F'] : []), checkArg(DatasetName, dataset, 'dataset')];
  await runChecked(host, argv, runOptions(opts, ZFS_RECV_TIMEOUT_MS, stream));
}
