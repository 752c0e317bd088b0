// `zfs list|snapshot|destroy|send|recv` of a zone's delegated dataset; streams
// are the simulator's own format (zfs-stream.ts).
import { err, ok, type CmdResult } from '../cmd-result.js';
import type { ScenarioInstance, ScenarioServer } from '../scenario.js';
import {
  SIM_CHANGE_BYTES_PER_SECOND,
  SIM_COMPRESS_RATIO,
  SIM_DATASET_BYTES,
  SIM_SEND_C_SINCE,
  incrementalPayload,
  makeSimStream,
  parseSimStream,
  simStreamLength,
} from '../zfs-stream.js';
import { snapshotsOf, type SimWorld, type Snapshot } from '../world.js';

const DS_RE = /^zones\/([0-9a-f-]{36})\/data$/;

/** zones/<uuid>/data of an instance on this server that has one; undefined otherwise. */
function datasetOn(world: SimWorld, srv: ScenarioServer, name: string): ScenarioInstance | undefined {
  const m = DS_RE.exec(name);
  const inst = m ? world.instanceOn(srv.hostname, m[1]!) : undefined;
  return inst?.delegatedDataset ? inst : undefined;
}

const noDataset = (name: string): CmdResult => err(1, `cannot open '${name}': dataset does not exist`);
const datasetBytes = (inst: ScenarioInstance): number =>
  inst.data === 'empty' ? 0 : (inst.dataBytes ?? SIM_DATASET_BYTES);

export function zfs(world: SimWorld, srv: ScenarioServer, args: string[], stdin: Buffer): CmdResult {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      return zfsList(world, srv, rest);
    case 'snapshot':
      return zfsSnapshot(world, srv, rest);
    case 'destroy':
      return zfsDestroy(world, srv, rest);
    case 'send':
      return zfsSend(world, srv, rest);
    case 'recv':
    case 'receive':
      return zfsRecv(world, srv, rest, stdin);
    default:
      return err(2, `zfs: the simulator knows list, snapshot, destroy, send and recv, not '${sub ?? ''}'`);
  }
}

/** Flag values: `-o a,b` -> ['a','b']; the last non-flag argument is the dataset. */
function optValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function zfsList(world: SimWorld, srv: ScenarioServer, rest: string[]): CmdResult {
  const name = rest[rest.length - 1] ?? '';
  const inst = datasetOn(world, srv, name);
  if (!inst) return noDataset(name);
  const parsable = rest.some((a) => /^-[A-Za-z]*p[A-Za-z]*$/.test(a));
  if (optValue(rest, '-t')?.includes('snapshot')) {
    const cols = (optValue(rest, '-o') ?? 'name').split(',');
    const lines: string[] = [];
    for (const s of snapshotsOf(inst)) {
      const row: string[] = [];
      for (const c of cols) {
        if (c === 'name') row.push(`${name}@${s.name}`);
        else if (c === 'creation') row.push(parsable ? String(Math.floor(s.at / 1000)) : new Date(s.at).toUTCString());
        else if (c === 'used') row.push('0');
        else return err(2, `bad property list: invalid property '${c}' (the simulator knows name, creation, used)`);
      }
      lines.push(row.join('\t'));
    }
    return ok(lines.map((l) => `${l}\n`).join(''));
  }
  const used = inst.data === 'empty' ? 31744 : datasetBytes(inst);
  return ok(`${name}\t${used}\t107374182400\t${used}\t/zones/${inst.uuid}/data\n`);
}

function zfsSnapshot(world: SimWorld, srv: ScenarioServer, rest: string[]): CmdResult {
  const full = rest.filter((a) => !a.startsWith('-')).pop() ?? '';
  const [ds = '', snap = ''] = full.split('@', 2);
  const inst = datasetOn(world, srv, ds);
  if (!inst || !snap)
    return err(
      1,
      `cannot open '${ds}': dataset does not exist\nusage:\n\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...`,
    );
  const snaps = (inst.snapshots = [...snapshotsOf(inst)]);
  if (snaps.some((s) => s.name === snap)) return err(1, `cannot create snapshot '${full}': dataset already exists`);
  snaps.push({ name: snap, at: world.now() });
  world.commit();
  return ok();
}

function zfsDestroy(world: SimWorld, srv: ScenarioServer, rest: string[]): CmdResult {
  const full = rest.filter((a) => !a.startsWith('-')).pop() ?? '';
  const [ds = '', snap] = full.split('@', 2);
  const inst = datasetOn(world, srv, ds);
  if (!inst) return noDataset(ds);
  if (!snap) return err(1, `cannot destroy '${ds}': the simulator destroys snapshots only`);
  const snaps = snapshotsOf(inst);
  if (!snaps.some((s) => s.name === snap))
    return err(1, `could not find any snapshots to destroy; check snapshot names.`);
  inst.snapshots = snaps.filter((s) => s.name !== snap);
  world.commit();
  return ok();
}

/** `zfs send [-n] [-P] [-v] [-i @from|ds@from] ds@snap`: the sim stream on stdout (or, with -n, its size). */
function zfsSend(world: SimWorld, srv: ScenarioServer, rest: string[]): CmdResult {
  // Flags may come bundled (-nP, -cnP) as libzfs getopt takes them.
  const flags = new Set(rest.filter((a) => /^-[a-zA-Z]+$/.test(a)).flatMap((a) => [...a.slice(1)]));
  const compressed = flags.has('c');
  if (compressed && srv.platform !== undefined && srv.platform < SIM_SEND_C_SINCE) {
    return err(
      2,
      `invalid option 'c'\nusage:\n\tsend [-DnPpRvLe] [-[iI] snapshot] <snapshot>\n\tsend [-Le] [-i snapshot|bookmark] <filesystem|volume|snapshot>\n`,
    );
  }
  const full = rest.filter((a, i) => !a.startsWith('-') && rest[i - 1] !== '-i').pop() ?? '';
  const [ds = '', snap = ''] = full.split('@', 2);
  const inst = datasetOn(world, srv, ds);
  const snaps = inst ? snapshotsOf(inst) : [];
  const to = snaps.find((s) => s.name === snap);
  if (!inst || !to) return noDataset(full);
  const fromArg = optValue(rest, '-i');
  let from: Snapshot | undefined;
  if (fromArg !== undefined) {
    const fromName = fromArg.startsWith('@')
      ? fromArg.slice(1)
      : fromArg.startsWith(`${ds}@`)
        ? fromArg.slice(ds.length + 1)
        : undefined;
    if (fromName === undefined) return err(1, `cannot send '${full}': incremental source must be in same filesystem`);
    from = snaps.find((s) => s.name === fromName);
    if (!from) return noDataset(`${ds}@${fromName}`);
    if (snaps.indexOf(from) >= snaps.indexOf(to))
      return err(1, `cannot send '${full}': incremental source (${ds}@${fromName}) is not earlier than it`);
  }
  const payload = from
    ? incrementalPayload(
        from.at,
        to.at,
        world.speed,
        inst.dataChangeRate ?? SIM_CHANGE_BYTES_PER_SECOND,
        datasetBytes(inst),
      )
    : datasetBytes(inst);
  const sent = compressed ? Math.ceil(payload / SIM_COMPRESS_RATIO) : payload;
  const fromFull = from ? `${ds}@${from.name}` : undefined;
  if (flags.has('n')) {
    const size = simStreamLength(ds, full, sent, fromFull);
    const line = from ? `incremental\t${from.name}\t${full}\t${size}` : `full\t${full}\t${size}`;
    return ok(flags.has('P') ? `${line}\nsize\t${size}\n` : '');
  }
  return ok(makeSimStream(ds, full, sent, fromFull).toString('latin1'));
}

function zfsRecv(world: SimWorld, srv: ScenarioServer, rest: string[], stdin: Buffer): CmdResult {
  const force = rest.includes('-F');
  const name = rest.filter((a) => !a.startsWith('-')).pop() ?? '';
  const m = DS_RE.exec(name);
  const inst = m ? world.instanceOn(srv.hostname, m[1]!) : undefined;
  if (!inst) return err(1, `cannot receive: zone of '${name}' does not exist on ${srv.hostname}`);
  const parsed = parseSimStream(stdin);
  if (!parsed.ok) return err(1, `cannot receive: invalid stream (${parsed.reason})`);
  const done = world.receiveDataset(inst, parsed, force);
  if (done === 'zone-running')
    return err(1, `cannot receive new filesystem stream: destination ${name} is busy (zone is running)`);
  if (done === 'not-on-newest-snapshot')
    return err(
      1,
      `cannot receive incremental stream: most recent snapshot of ${name} does not\nmatch incremental source`,
    );
  if (done === 'exists-without-force')
    return err(
      1,
      `cannot receive new filesystem stream: destination '${name}' exists\nmust specify -F to overwrite it`,
    );
  return ok();
}
