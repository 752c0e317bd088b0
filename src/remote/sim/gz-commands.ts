// Commands run in a simulated server's global zone. Each handler applies its
// effect to the world (persisted) and answers in the real tool's format.
import { booterCacheListing } from './booter.js';
import { readFileSync, statSync } from 'node:fs';
import { Uuid } from '../../values/schemas.js';
import type { CmdResult } from './cmd-result.js';
import { imageManifest, manateeShow, svcsX, sysinfoObject, vmadmObject, zkStat } from './formats.js';
import { generatedMac } from './physics.js';
import type { ScenarioInstance, ScenarioServer } from './scenario.js';
import { SIM_CHANGE_BYTES_PER_SECOND, SIM_COMPRESS_RATIO, SIM_DATASET_BYTES, SIM_SEND_C_SINCE, incrementalPayload, makeSimStream, parseSimStream, simStreamLength, zstreamdumpOutput } from './zfs-stream.js';
import type { SimWorld } from './world.js';
import { PREPARE_MARKER, hnNetfile, runPrepareScript } from './headnode-prepare.js';
import { sdcadm } from './sdcadm.js';
import { checkCreatePayload } from './vmadm-payload.js';
import { nicsOf, vmadmNic } from './zone-nics.js';
import { inSubnet, ipOwner, nicAddressState } from './ip-owner.js';
import { USBKEY_EXTRA_FULL, usbkeyEntry, usbkeyOsListing } from './usbkey.js';
import { gtar, mountedKeyEntry, sdcUsbkey, updatesImgadm } from './usbkey-key.js';


const ok = (stdout = '', stderr = ''): CmdResult => ({ code: 0, stdout, stderr });
const err = (code: number, stderr: string): CmdResult => ({ code, stdout: '', stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n` });

/** Realistic stderr for an injected `fail` fault. */
export function faultFailure(argv: readonly string[]): CmdResult {
  const tool = argv[0] ?? 'sh';
  const msg: Record<string, string> = {
    vmadm: `vmadm: ERROR: ${argv[1] ?? ''} failed: zoneadm: zone '${argv[2] ?? ''}': failed to create zone (simulated fault)`,
    imgadm: `imgadm ${argv[1] ?? ''}: error (InternalError): unexpected error: ENOSPC (simulated fault)`,
    zfs: `cannot receive new filesystem stream: checksum mismatch or incomplete stream (simulated fault)`,
    zlogin: `zlogin: login allocation failed (simulated fault)`,
  };
  return err(1, msg[tool] ?? `${tool}: failed (simulated fault)`);
}

export function runGzCommand(world: SimWorld, srv: ScenarioServer, argv: readonly string[], stdin: Buffer): CmdResult {
  world.settle();
  const [tool, ...args] = argv;
  switch (tool) {
    case 'sysinfo':
      return ok(JSON.stringify(sysinfoObject(world, srv), null, 2) + '\n');
    case 'hostname':
      return ok(`${srv.hostname}\n`);
    case 'bootparams':
      return ok(
        Object.entries(sysinfoObject(world, srv)['Boot Parameters'] as Record<string, string>)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    case 'vmadm':
      return vmadm(world, srv, args, stdin);
    case 'imgadm':
      return imgadm(world, srv, args);
    case 'zfs':
      return zfs(world, srv, args, stdin);
    case 'svcs':
      return svcs(world, srv, args);
    case 'zlogin':
      return zlogin(world, srv, args);
    case 'nc':
      return nc(world, args, stdin);
    case 'ping':
      return ping(world, args);
    case 'zstreamdump':
      return zstreamdumpOutput(stdin);
    case 'true':
      return ok();
    case 'mkdir':
    case 'tee':
    case 'cat':
    case 'rm':
      return gzFiles(world, srv, tool, args, stdin);
    case 'test':
      return testCmd(world, srv, args);
    case 'ls':
      return ls(world, srv, args);
    case 'reboot':
      world.reboot(srv);
      return ok();
    case 'bash':
      // Only the shipped preparation script runs through bash, fed on stdin.
      if (args[0] === '-s' && stdin.toString('utf8').includes(PREPARE_MARKER)) return runPrepareScript(world, srv, args.slice(args[1] === '--' ? 2 : 1));
      return err(2, 'bash: the simulator runs only share/headnode-prepare.sh (bash -s -- ARGS with the script on stdin)');
    case 'tar':
      return illumosTar(args);
    case 'gtar':
      return gtar(world, srv, args);
    case 'sdc-usbkey':
      return sdcUsbkey(world, srv, args);
    case 'updates-imgadm':
      return updatesImgadm(world, srv, args);
    case 'mv':
      return mv(world, srv, args);
    case 'sdcadm':
      return sdcadm(world, srv, args);
    default:
      return err(127, `bash: ${tool ?? ''}: command not found`);
  }
}

/** `test -d|-f PATH`: a filled /usbkey as the scenario says (usbkey.ts), a zone's setup marker, else the GZ's few files. */
function testCmd(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [flag, path = ''] = args;
  const marker = /^\/zones\/([0-9a-f-]{36})\/root\/var\/svc\/setup_complete$/.exec(path);
  if (flag === '-f' && marker) return { code: setupCompleteWritten(world, srv, marker[1]!) ? 0 : 1, stdout: '', stderr: '' };
  const files = srv.files ?? {};
  const onKey = args.length === 2 && /^\/usbkey\/(os|extra)(\/|$)/.test(path) ? usbkeyEntry(world.state, srv, path) : args.length === 2 ? mountedKeyEntry(srv, path) : undefined;
  const there =
    flag === '-f' ? path in files || onKey === 'file' : flag === '-d' ? `${path}/` in files || onKey === 'dir' : false;
  return { code: there ? 0 : 1, stdout: '', stderr: '' };
}

/**
 * A zone's setup.sh touches /var/svc/setup_complete as its very last step
 * (sdc-scripts lib/util.sh sdc_setup_complete); headnode.sh create_zone waits
 * for it before it trusts svcs. Nothing in today's sdc-scripts or user-script
 * writes setup_failed: a failed setup only leaves the marker missing and the
 * user-script's service in maintenance, so the simulator writes no
 * setup_failed either (a scenario may still put one in `files`).
 */
function setupCompleteWritten(world: SimWorld, srv: ScenarioServer, uuid: string): boolean {
  const inst = world.instanceOn(srv.hostname, uuid);
  if (!inst) return false;
  // Zones the scenario starts with set themselves up long ago; a created zone only once its first boot ends well.
  if (inst.bootStartedAt === undefined) return inst.payload === undefined;
  return inst.setupDoneAt !== undefined;
}

/**
 * `ls [-1] DIR` of /usbkey/os (platform directories and the `latest` link) or of
 * a directory under /usbkey/extra, or a dhcpd zone's booter cache (booter.ts); sorted, one a line, as illumos ls prints to a pipe.
 */
function ls(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const dirs = args.filter((a) => !a.startsWith('-'));
  if (dirs.length !== 1 || args.some((a) => a.startsWith('-') && a !== '-1')) return err(2, 'ls: the simulator knows only ls [-1] DIR');
  const dir = dirs[0]!.replace(/\/+$/, '');
  const gone = err(2, `${dirs[0]!}: No such file or directory`);
  if (dir === '/usbkey/os') {
    const names = usbkeyOsListing(world.state, srv);
    return names ? ok(names.map((n) => `${n}\n`).join('')) : gone;
  }
  const cache = booterCacheListing(world, srv, dir);
  if (cache) return ok(cache.map((n) => `${n}\n`).join(''));
  if (/^\/usbkey\/extra(\/|$)/.test(dir) && usbkeyEntry(world.state, srv, dir) === 'dir') {
    const prefix = dir === '/usbkey/extra' ? '' : `${dir.slice('/usbkey/extra/'.length)}/`;
    const names = (srv.usbkeyExtra ?? USBKEY_EXTRA_FULL)
      .filter((p) => p.startsWith(prefix) && p !== prefix)
      .map((p) => p.slice(prefix.length).replace(/\/$/, ''))
      .filter((p) => !p.includes('/'));
    return ok([...new Set(names)].sort().map((n) => `${n}\n`).join(''));
  }
  return gone;
}

// ---- vmadm ------------------------------------------------------------------

function vmadm(world: SimWorld, srv: ScenarioServer, args: string[], stdin: Buffer): CmdResult {
  const [sub, ...rest] = args;
  const find = (uuid: string | undefined): ScenarioInstance | undefined =>
    uuid ? world.instanceOn(srv.hostname, uuid) : undefined;
  switch (sub) {
    case 'get': {
      const inst = find(rest[0]);
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      return ok(JSON.stringify(vmadmObject(world, inst), null, 2) + '\n');
    }
    case 'lookup': {
      const json = rest.includes('-j');
      const filters = rest.filter((a) => a.includes('='));
      const match = world.instancesOn(srv.hostname).filter((inst) => {
        const o = vmadmObject(world, inst);
        return filters.every((f) => {
          const [k, v] = f.split('=', 2) as [string, string];
          return String(getPath(o, k)) === v;
        });
      });
      if (json) return ok(JSON.stringify(match.map((i) => vmadmObject(world, i)), null, 2) + '\n');
      return ok(match.map((i) => `${i.uuid}\n`).join(''));
    }
    case 'list': {
      const rows = world.instancesOn(srv.hostname).map((i) => `${i.uuid}:${i.state === 'setup_failed' ? 'running' : i.state}:${i.alias}`);
      return ok(rows.map((r) => `${r}\n`).join(''));
    }
    case 'create':
      return vmadmCreate(world, srv, stdin);
    case 'start': {
      const inst = find(rest[0]);
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      // Real vmadm treats starting a running VM as done (exit 0).
      if (inst.state === 'running' || inst.state === 'setup_failed') return ok('', `VM ${inst.uuid} is already running\n`);
      inst.state = 'running';
      // Its NICs come up now: a later claimant of an IP loses it (ip-owner.ts).
      inst.netUpAt = world.now();
      // VM.js startZone sets autoboot: a started zone comes back after a reboot.
      inst.autoboot = true;
      if (inst.bootStartedAt === undefined && inst.payload) {
        inst.bootStartedAt = world.now();
        if (inst.delegatedDataset && inst.data === 'empty') {
          inst.bootedWithoutData = true;
          world.event(`${inst.alias} first boot with an EMPTY delegated dataset: its data is lost`);
        }
      }
      world.commit();
      return ok('', `Successfully started VM ${inst.uuid}\n`);
    }
    case 'stop': {
      const inst = find(rest.find((a) => Uuid.safeParse(a).success));
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      if (inst.state === 'stopped') return ok('', `VM ${inst.uuid} is already not 'running' (currently: stopped)\n`);
      inst.state = 'stopped';
      // VM.js stopZone clears autoboot: a stopped zone stays down after a reboot.
      inst.autoboot = false;
      world.commit();
      return ok('', `Successfully completed stop for VM ${inst.uuid}\n`);
    }
    default:
      return err(2, `vmadm: unknown command '${sub ?? ''}' (the simulator knows get, lookup, list, create, start, stop)`);
  }
}

function getPath(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
}

function vmadmCreate(world: SimWorld, srv: ScenarioServer, stdin: Buffer): CmdResult {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin.toString('utf8'));
  } catch {
    return err(1, 'Invalid JSON payload on stdin');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return err(1, 'Invalid payload: not an object');
  const uuid = String((raw as Record<string, unknown>)['uuid'] ?? '');
  if (!Uuid.safeParse(uuid).success) return err(1, 'vmadm: ERROR: payload needs a valid "uuid" (the simulator does not generate one)');
  const checked = checkCreatePayload(raw as Record<string, unknown>, world.instancesOn(srv.hostname), (z) => nicsOf(world.state, z));
  if (!checked.ok) return err(1, checked.error);
  const { payload, warnings } = checked;
  const image = String(payload['image_uuid'] ?? '');
  if (!world.imagesOn(srv).includes(image)) {
    return err(1, `vmadm: ERROR: image ${image} does not exist in zpool zones (install it with imgadm first)`);
  }
  const tags = (payload['tags'] ?? {}) as Record<string, unknown>;
  const nics = checked.nics.map((n) => (n.mac ? n : { ...n, mac: generatedMac(`${uuid}/${n.interface}/${world.now()}`) }));
  // The admin IP is the IP of the NIC tagged admin, whichever NIC is primary
  // (triton-netconfig adminIpFromVmMetadata, used by sdcadm).
  const adminNic = nics.find((n) => n.nic_tag === 'admin');
  const ext = nics.find((n) => n.nic_tag === 'external');
  const alias = String(payload['alias'] ?? '');
  const service = String(tags['smartdc_role'] ?? alias.replace(/\d+$/, ''));
  const inst: ScenarioInstance = {
    service,
    alias,
    uuid,
    server: srv.hostname,
    image,
    adminIp: adminNic?.ip ?? '',
    delegatedDataset: payload['delegate_dataset'] === true,
    ...(ext ? { externalIp: ext.ip } : {}),
    primaryNic: ext?.primary ? 'external' : 'admin',
    firewallEnabled: payload['firewall_enabled'] === true,
    nics,
    state: 'stopped',
    data: payload['delegate_dataset'] === true ? 'empty' : 'none',
    mac: adminNic?.mac ?? generatedMac(`${uuid}/admin/${world.now()}`),
    autoboot: payload['autoboot'] !== false,
    payload,
  };
  world.state.instances.push(inst);
  registerNic(world, inst);
  if (inst.autoboot) {
    inst.state = 'running';
    inst.bootStartedAt = world.now();
    inst.netUpAt = world.now();
    if (inst.delegatedDataset) {
      inst.bootedWithoutData = true;
      world.event(`${alias} booted at create with an EMPTY delegated dataset: its data is lost`);
    }
  }
  world.event(`vmadm create ${alias} (${uuid}) on ${srv.hostname}`);
  world.commit();
  return ok('', [...warnings, `Successfully created VM ${uuid}`].join('\n') + '\n');
}

/** net-agent: a zone's NIC goes into NAPI unless another NIC record holds its IP. */
function registerNic(world: SimWorld, inst: ScenarioInstance): void {
  const nics = world.state.sim.napiNics;
  // NAPI refuses an IP outside the network's subnet (sdc-napi
  // lib/models/nic/common.js validateSubnetContainsIP, IP_OUTSIDE).
  const admin = nicsOf(world.state, inst).find((n) => n.nic_tag === 'admin');
  if (admin && !inSubnet(world, admin)) {
    inst.nicRegistration = 'failed';
    world.event(`net-agent: NIC ${inst.mac} of ${inst.alias}: ip ${inst.adminIp} cannot be outside subnet ${world.state.adminNetwork.subnet}`);
    return;
  }
  const holder = nics.find((n) => n.ip === inst.adminIp && n.mac !== inst.mac);
  if (holder) {
    inst.nicRegistration = 'failed';
    world.event(`net-agent: NIC ${inst.mac} of ${inst.alias}: IP ${inst.adminIp} is in use by ${holder.belongs_to_type} ${holder.belongs_to_uuid}`);
    return;
  }
  inst.nicRegistration = 'ok';
  const same = nics.findIndex((n) => n.mac === inst.mac);
  const rec = { mac: inst.mac!, ip: inst.adminIp, belongs_to_uuid: inst.uuid, belongs_to_type: 'zone' as const, owner_uuid: world.state.datacenter.adminUuid };
  if (same >= 0) nics[same] = rec;
  else nics.push(rec);
}

// ---- imgadm -----------------------------------------------------------------

function imgadm(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [sub, ...rest] = args;
  const installed = world.imagesOn(srv);
  switch (sub) {
    case 'get': {
      const uuid = rest.find((a) => !a.startsWith('-')) ?? '';
      const img = world.state.images.find((i) => i.uuid === uuid);
      if (!img || !installed.includes(uuid)) {
        return err(3, `imgadm get: error (ImageNotInstalled): image "${uuid}" was not found on zpool "zones"`);
      }
      return ok(JSON.stringify({ manifest: imageManifest(world, img), zpool: 'zones' }, null, 2) + '\n');
    }
    case 'list': {
      const list = world.state.images
        .filter((i) => installed.includes(i.uuid))
        .map((img) => ({
          manifest: imageManifest(world, img),
          zpool: 'zones',
          cloneNames: [],
          clones: world.instancesOn(srv.hostname).filter((x) => x.image === img.uuid).length,
        }));
      return ok(JSON.stringify(list, null, 2) + '\n');
    }
    case 'install': {
      const m = rest[rest.indexOf('-m') + 1];
      const f = rest[rest.indexOf('-f') + 1];
      if (!rest.includes('-m') || !rest.includes('-f') || !m || !f) return err(1, 'imgadm install: error (Usage): need -m MANIFEST -f FILE');
      let manifest: { uuid?: string; origin?: string };
      try {
        manifest = JSON.parse(readFileSync(m, 'utf8')) as typeof manifest;
      } catch (e) {
        return err(1, `imgadm install: error (InvalidManifest): cannot read manifest "${m}": ${(e as Error).message}`);
      }
      try {
        statSync(f);
      } catch {
        return err(1, `imgadm install: error (FileNotFound): image file "${f}" does not exist`);
      }
      const uuid = manifest.uuid ?? '';
      if (installed.includes(uuid)) return ok(`Image ${uuid} already installed\n`);
      if (manifest.origin && !installed.includes(manifest.origin)) {
        return err(1, `imgadm install: error (OriginNotInstalled): origin image "${manifest.origin}" for image "${uuid}" is not installed`);
      }
      srv.images = [...installed, uuid];
      world.commit();
      return ok(`Installed image ${uuid} to "zones/${uuid}".\n`);
    }
    default:
      return err(1, `imgadm: error (UnknownCommand): unknown command "${sub ?? ''}"`);
  }
}

// ---- zfs --------------------------------------------------------------------

const DS_RE = /^zones\/([0-9a-f-]{36})\/data$/;
type Snap = NonNullable<ScenarioInstance['snapshots']>[number];

/** The dataset's snapshots, oldest first (a live state from before snapshots: the received one). */
function snapsOf(inst: ScenarioInstance): Snap[] {
  if (inst.snapshots) return inst.snapshots;
  const recv = inst.receivedSnapshot?.split('@')[1];
  return recv ? [{ name: recv, at: 0 }] : [];
}

/** zones/<uuid>/data of an instance on this server that has one; undefined otherwise. */
function datasetOn(world: SimWorld, srv: ScenarioServer, name: string): ScenarioInstance | undefined {
  const m = DS_RE.exec(name);
  const inst = m ? world.instanceOn(srv.hostname, m[1]!) : undefined;
  return inst?.delegatedDataset ? inst : undefined;
}

const noDataset = (name: string): CmdResult => err(1, `cannot open '${name}': dataset does not exist`);
const datasetBytes = (inst: ScenarioInstance): number => (inst.data === 'empty' ? 0 : inst.dataBytes ?? SIM_DATASET_BYTES);

function zfs(world: SimWorld, srv: ScenarioServer, args: string[], stdin: Buffer): CmdResult {
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
    for (const s of snapsOf(inst)) {
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
  if (!inst || !snap) return err(1, `cannot open '${ds}': dataset does not exist\nusage:\n\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...`);
  const snaps = (inst.snapshots = [...snapsOf(inst)]);
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
  const snaps = snapsOf(inst);
  if (!snaps.some((s) => s.name === snap)) return err(1, `could not find any snapshots to destroy; check snapshot names.`);
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
    return err(2, `invalid option 'c'\nusage:\n\tsend [-DnPpRvLe] [-[iI] snapshot] <snapshot>\n\tsend [-Le] [-i snapshot|bookmark] <filesystem|volume|snapshot>\n`);
  }
  const full = rest.filter((a, i) => !a.startsWith('-') && rest[i - 1] !== '-i').pop() ?? '';
  const [ds = '', snap = ''] = full.split('@', 2);
  const inst = datasetOn(world, srv, ds);
  const snaps = inst ? snapsOf(inst) : [];
  const to = snaps.find((s) => s.name === snap);
  if (!inst || !to) return noDataset(full);
  const fromArg = optValue(rest, '-i');
  let from: Snap | undefined;
  if (fromArg !== undefined) {
    const fromName = fromArg.startsWith('@') ? fromArg.slice(1) : fromArg.startsWith(`${ds}@`) ? fromArg.slice(ds.length + 1) : undefined;
    if (fromName === undefined) return err(1, `cannot send '${full}': incremental source must be in same filesystem`);
    from = snaps.find((s) => s.name === fromName);
    if (!from) return noDataset(`${ds}@${fromName}`);
    if (snaps.indexOf(from) >= snaps.indexOf(to)) return err(1, `cannot send '${full}': incremental source (${ds}@${fromName}) is not earlier than it`);
  }
  const payload = from
    ? incrementalPayload(from.at, to.at, world.speed, inst.dataChangeRate ?? SIM_CHANGE_BYTES_PER_SECOND, datasetBytes(inst))
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
  if (inst.state === 'running' || inst.state === 'setup_failed') return err(1, `cannot receive new filesystem stream: destination ${name} is busy (zone is running)`);
  const snap = parsed.snapshot.split('@')[1] ?? 'received';
  if (parsed.from !== undefined) {
    // Incremental: applies only on top of the snapshot it was made from.
    const newest = snapsOf(inst).at(-1);
    if (inst.data !== 'received' || !newest || newest.name !== parsed.from.split('@')[1]) {
      return err(1, `cannot receive incremental stream: most recent snapshot of ${name} does not\nmatch incremental source`);
    }
    inst.snapshots = [...snapsOf(inst), { name: snap, at: world.now() }];
  } else {
    if (inst.delegatedDataset && !force) return err(1, `cannot receive new filesystem stream: destination '${name}' exists\nmust specify -F to overwrite it`);
    inst.snapshots = [{ name: snap, at: world.now() }];
  }
  inst.data = 'received';
  inst.receivedSnapshot = `${name}@${snap}`;
  world.event(`zfs recv ${name} (${parsed.from ? `incremental from ${parsed.from}, ` : ''}${parsed.bytes} bytes, snapshot ${parsed.snapshot})`);
  world.commit();
  return ok();
}

// ---- svcs / zlogin ------------------------------------------------------------

function svcs(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const zi = args.indexOf('-z');
  const zxi = args.findIndex((a) => /^-x*z$/.test(a) || a === '-xz' || a === '-xvz');
  const zone = zi >= 0 ? args[zi + 1] : zxi >= 0 ? args[zxi + 1] : undefined;
  if (!zone) return ok();
  const inst = world.instanceOn(srv.hostname, zone);
  if (!inst) return err(1, `svcs: zone '${zone}' unknown`);
  if (inst.state !== 'running' && inst.state !== 'setup_failed') return err(1, `svcs: zone '${zone}' is not running`);
  return ok(svcsX(world, inst));
}

function zlogin(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [zone, ...cmd] = args;
  const inst = zone ? world.instanceOn(srv.hostname, zone) : undefined;
  if (!inst) return err(1, `zlogin: zone '${zone ?? ''}' unknown`);
  if (inst.state !== 'running' && inst.state !== 'setup_failed') return err(1, `zlogin: login allocation failed: zone '${zone}' is not running`);
  const line = cmd.join(' ');
  if (cmd[0] === '/opt/smartdc/booter/bin/hn-netfile') {
    if (inst.service !== 'dhcpd') return err(127, `bash: ${cmd[0]}: No such file or directory`);
    return hnNetfile(world, cmd[1] ?? srv.hostname);
  }
  if (cmd[0] === 'ipadm' || cmd[0] === '/usr/sbin/ipadm') return ipadmShowAddr(world, inst, cmd.slice(1));
  if (/manatee-adm\s+(show|pg-status)/.test(line)) {
    if (inst.service !== 'manatee') return err(127, 'bash: manatee-adm: command not found');
    const out = manateeShow(world);
    if (/pg-status/.test(line)) {
      // pg-status prints the table on stdout and the issues on stderr after a
      // blank line (TritonDataCenter/manatee bin/manatee-adm printClusterIssues).
      const lines = out.split('\n');
      const start = lines.findIndex((l) => l.startsWith('ROLE'));
      const issues = lines.filter((l) => /^(error|warning): /.test(l));
      const table = lines.slice(start).filter((l) => !issues.includes(l)).join('\n').replace(/\n+$/, '\n');
      return ok(table, issues.length ? `\n${issues.join('\n')}\n` : '');
    }
    return ok(out);
  }
  return err(127, `bash: ${cmd[0] ?? ''}: command not found`);
}

/**
 * `ipadm show-addr -p -o FIELDS` in a zone: its loopbacks and one address per
 * NIC (addrobj netN/_a, as the zone's network/physical plumbs them). A NIC
 * whose IP another live NIC had first is in state "duplicate" (ip-owner.ts).
 * Parsable mode escapes the colons inside a field with a backslash (ipadm(8)).
 */
function ipadmShowAddr(world: SimWorld, inst: ScenarioInstance, args: string[]): CmdResult {
  const o = args.indexOf('-o');
  const fields = o >= 0 ? (args[o + 1] ?? '').split(',') : [];
  const known = ['addrobj', 'type', 'state', 'addr'];
  if (args[0] !== 'show-addr' || !args.includes('-p') || fields.length === 0 || fields.some((f) => !known.includes(f))) {
    return err(1, 'ipadm: the simulator knows only ipadm show-addr -p -o addrobj,type,state,addr (any of them)');
  }
  const rows = [
    { addrobj: 'lo0/v4', type: 'static', state: 'ok', addr: '127.0.0.1/8' },
    ...nicsOf(world.state, inst).map((n) => ({ addrobj: `${n.interface}/_a`, type: 'static', state: nicAddressState(world, inst, n), addr: String((vmadmNic(n)['ips'] as string[])[0]) })),
    { addrobj: 'lo0/v6', type: 'static', state: 'ok', addr: '::1/128' },
  ];
  const line = (r: Record<string, string>): string => fields.map((f) => (r[f] ?? '').replace(/:/g, '\\:')).join(':');
  return ok(rows.map((r) => `${line(r)}\n`).join(''));
}

// ---- network probes from a GZ ----------------------------------------------------

/** Something answers on this IP: a live server's GZ or a running zone on one (its first holder, ip-owner.ts). */
function ipAnswers(world: SimWorld, ip: string): boolean {
  return ipOwner(world, ip) !== undefined;
}

function nc(world: SimWorld, args: string[], stdin: Buffer): CmdResult {
  const pos = args.filter((a, i) => !a.startsWith('-') && !(args[i - 1] === '-w'));
  const [ip, port] = pos;
  if (!ip || !port) return err(1, 'usage: nc [-z] [-w secs] host port');
  if (!ipAnswers(world, ip)) return err(1, `nc: connect to ${ip} port ${port} (tcp) timed out`);
  const owner = ipOwner(world, ip);
  if (args.includes('-z')) {
    const open = owner?.kind === 'server' ? port === '22' : port === '2181' || port === '80' || port === '443' || port === '5432';
    return open ? ok() : err(1, `nc: connect to ${ip} port ${port} (tcp) failed: Connection refused`);
  }
  if (port === '2181') {
    const binder = owner?.kind === 'zone' && owner.inst.service === 'binder' && world.isUp(owner.inst) ? owner.inst : undefined;
    if (!binder) return err(1, `nc: connect to ${ip} port 2181 (tcp) failed: Connection refused`);
    const word = stdin.toString('utf8').trim();
    if (word === 'ruok') return ok('imok');
    if (word === 'stat') return ok(zkStat(world, ip));
    return ok();
  }
  return err(1, `nc: connect to ${ip} port ${port} (tcp) failed: Connection refused`);
}

function ping(world: SimWorld, args: string[]): CmdResult {
  const ip = args.find((a) => !a.startsWith('-')) ?? '';
  return ipAnswers(world, ip) ? ok(`${ip} is alive\n`) : err(1, `no answer from ${ip}\n`);
}

/** How long `ping IP [timeout]` waits before saying "no answer" (seconds, default 20). */
export function pingTimeoutMs(argv: readonly string[]): number {
  const t = Number(argv.filter((a) => !a.startsWith('-'))[2] ?? 20);
  return (Number.isFinite(t) ? t : 20) * 1000;
}

// ---- a few files in the GZ (lock directories) --------------------------------------

/** mkdir [-p] DIR, tee FILE (stdin), cat FILE, rm -rf PATH: atomic as on a real filesystem. */
function gzFiles(world: SimWorld, srv: ScenarioServer, tool: string, args: string[], stdin: Buffer): CmdResult {
  const files = (srv.files ??= {});
  const path = args.filter((a) => !a.startsWith('-')).pop() ?? '';
  const parent = path.replace(/\/[^/]+\/?$/, '');
  const isDir = (p: string): boolean =>
    p === '' || p === '/root' || p === '/var' || p === '/var/tmp' || p === '/var/sdcadm' || `${p}/` in files || (srv.usbkey && (p === '/usbkey' || p === '/usbkey/extra'));
  switch (tool) {
    case 'mkdir':
      if (isDir(path)) return args.includes('-p') ? ok() : err(1, `mkdir: Failed to make directory "${path}"; File exists`);
      if (!isDir(parent) && !args.includes('-p')) return err(1, `mkdir: Failed to make directory "${path}"; No such file or directory`);
      files[`${path}/`] = '';
      world.commit();
      return ok();
    case 'tee':
      if (!isDir(parent)) return err(1, `tee: cannot open ${path}: No such file or directory`);
      files[path] = stdin.toString('utf8');
      world.commit();
      return ok(files[path]);
    case 'cat':
      return path in files ? ok(files[path]) : err(2, `cat: cannot open ${path}: No such file or directory`);
    case 'rm':
      for (const k of Object.keys(files)) if (k === path || k.startsWith(`${path}/`)) delete files[k];
      world.commit();
      return ok();
  }
  return err(127, `${tool}: not found`);
}

/**
 * /usr/bin/tar in a SmartOS GZ is illumos tar (illumos-gate usr/src/cmd/tar/tar.c
 * main()): its first argument is the function key (a leading '-' is skipped),
 * and every letter of it goes through a switch that has no 'C': `tar -C DIR
 * -czf ...` dies with "C: unknown function modifier". `-C` is understood only
 * among the file operands. GNU tar is gtar there.
 */
const ILLUMOS_TAR_KEY = new Set('crtuxbefFhijklmnopqvwXzDEPT@/01234567'.split(''));

function illumosTar(args: string[]): CmdResult {
  const key = (args[0] ?? '').replace(/^-/, '');
  const bad = [...key].find((ch) => !ILLUMOS_TAR_KEY.has(ch));
  if (!key || bad !== undefined) {
    return err(1, `tar: ${bad ?? ''}: unknown function modifier\nUsage: tar {c|r|t|u|x}[BDeEFhilmnopPqTvw@/[0-7]][bfk][X...] [j|z|Z] [blocksize] [tarfile] [size] [exclude-file...] {file | -I include-file | -C directory file}...`);
  }
  return err(1, 'tar: the simulator runs illumos tar only to refuse it; use gtar (GNU tar) as the conversion does');
}

/** `mv SRC DST` of one file: a rename, atomic as on a real filesystem. */
function mv(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const files = (srv.files ??= {});
  const [src, dst] = args.filter((a) => !a.startsWith('-'));
  if (!src || !dst || !(src in files)) return err(2, `mv: cannot access ${src ?? ''}: No such file or directory`);
  files[dst] = files[src]!;
  delete files[src];
  world.commit();
  return ok();
}
