// The simulated datacenter's live state and its physics. Every change is
// persisted atomically before the command that made it returns, so a console
// killed at any moment finds the DC exactly as it left it.
// Over 300 lines on purpose: it is the one home of the simulator's physics;
// splitting it would scatter the rules the physics tests read as a spec.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  BOOTS_WITHOUT_SAPI,
  FIRST_BOOT_SAPI_WINDOW_MS,
  SERVICE_DEPENDS_ON,
  macFor,
  serverAdminMac,
} from './physics.js';
import type { Scenario, ScenarioInstance, ScenarioServer } from './scenario.js';
import { GZ_TOOLS, SIM_SDCADM_BUILDSTAMP, stableUuid } from './defaults.js';
import { USBKEY_EXTRA_CONVERTED, usbkeyConfig } from './usbkey.js';
import { CONFIG_INC_GENERIC, filesAfterBoot } from './gz-ramdisk.js';
import { pxeRefusal } from './booter.js';

/** A server's boot, POST to headnode.sh done (unscaled; "server boot" in latencyMs overrides). */
const SERVER_BOOT_MS = 180_000;
/** From `reboot` until the server stops answering (unscaled; "server shutdown" overrides). */
const SERVER_SHUTDOWN_MS = 20_000;

export type SimState = Scenario & { sim: NonNullable<Scenario['sim']> };

export interface WorldOptions {
  /** Divides every latency. */
  speed?: number;
  /** Live state is written here after every change. */
  statePath?: string;
  now?: () => number;
}

export type FaultEffect = 'fail' | 'hang' | 'disconnect';

export class SimWorld {
  readonly state: SimState;
  readonly speed: number;
  readonly statePath: string | undefined;
  private readonly clock: () => number;

  constructor(scenario: Scenario, opts: WorldOptions = {}) {
    this.speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    this.statePath = opts.statePath;
    this.clock = opts.now ?? Date.now;
    this.state = scenario.sim ? (scenario as SimState) : initialize(scenario, this.clock());
  }

  now(): number {
    return this.clock();
  }

  /** A scenario latency, scaled by --sim-speed. */
  latency(key: string): number {
    const l = this.state.latencyMs;
    const ms = l[key] ?? l[key.split(' ')[0]!] ?? l['default'] ?? 0;
    return ms / this.speed;
  }

  scaled(ms: number): number {
    return ms / this.speed;
  }

  // ---- lookups ---------------------------------------------------------

  server(hostname: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.hostname === hostname);
  }

  serverByUuid(uuid: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.uuid === uuid);
  }

  serverByIp(ip: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.adminIp === ip);
  }

  /** Powered on, not in the middle of a reboot, and not partitioned away from the console's headnode. */
  isAlive(hostname: string): boolean {
    const s = this.server(hostname);
    const now = this.now();
    if (s?.partitioned === true && hostname !== this.state.localServer) return false;
    return s?.alive === true && !(s.downUntil !== undefined && s.downUntil > now && (s.downFrom ?? 0) <= now);
  }

  /**
   * `reboot` in a server's GZ. A server whose USB key was prepared as a
   * headnode boots as one, and headnode.sh reboots it once more after creating
   * zones/usbkey (HEAD-2343): two boots, then CNAPI shows headnode=true.
   */
  reboot(srv: ScenarioServer): void {
    const boot = this.latencyOr('server boot', SERVER_BOOT_MS);
    const twice = srv.headnodeKey === true && !srv.headnode && srv.bootsFrom !== 'pxe';
    // `reboot` returns at once; the shutdown takes a moment before the server goes quiet.
    srv.downFrom = this.now() + this.latencyOr('server shutdown', SERVER_SHUTDOWN_MS);
    srv.downUntil = srv.downFrom + (twice ? 2 * boot : boot);
    this.event(`${srv.hostname} rebooting${twice ? ' (as a headnode: two boots)' : ''}`);
    this.commit();
  }

  /** A scenario latency with a default of its own (not the scenario's "default"). */
  latencyOr(key: string, fallbackMs: number): number {
    return (this.state.latencyMs[key] ?? fallbackMs) / this.speed;
  }

  instancesOn(hostname: string): ScenarioInstance[] {
    return this.state.instances.filter((i) => i.server === hostname && i.state !== 'destroyed');
  }

  instanceOn(hostname: string, uuid: string): ScenarioInstance | undefined {
    return this.instancesOn(hostname).find((i) => i.uuid === uuid);
  }

  /** Instances reachable right now: on a live server, not destroyed. */
  liveInstances(): ScenarioInstance[] {
    return this.state.instances.filter((i) => i.state !== 'destroyed' && this.isAlive(i.server));
  }

  imagesOn(server: ScenarioServer): string[] {
    return server.images ?? this.state.images.map((i) => i.uuid);
  }

  // ---- physics -----------------------------------------------------------

  /** Zone is running and finished its first-boot setup. */
  isUp(inst: ScenarioInstance): boolean {
    this.settle();
    return inst.state === 'running' && this.isAlive(inst.server) && this.setupDone(inst);
  }

  /** A service answers when one of its instances is up and what it needs answers. */
  serviceUp(service: string, seen: Set<string> = new Set()): boolean {
    if (seen.has(service)) return false;
    seen.add(service);
    if (service === 'manatee') return this.manateeWritable();
    if (!this.liveInstances().some((i) => i.service === service && this.isUp(i))) return false;
    return (SERVICE_DEPENDS_ON[service] ?? []).every((d) => this.serviceUp(d, new Set(seen)));
  }

  /** Manatee takes writes with a live primary and (singleton mode or a live sync). */
  manateeWritable(): boolean {
    const m = this.state.manatee;
    if (!m) return false;
    const up = (alias: string | null | undefined): boolean => {
      if (!alias) return false;
      const inst = this.liveInstances().find((i) => i.alias === alias && i.service === 'manatee');
      return !!inst && this.isUp(inst);
    };
    if (!up(m.primary)) return false;
    if (m.mode === 'singleton') return true;
    // Commits wait for the sync (synchronous replication): without a sync that
    // streams as "sync", writes block (TritonDataCenter/manatee-state-machine
    // README.md "Cluster state"; TritonDataCenter/manatee lib/adm.js loadReplErrors).
    return up(m.sync) && m.syncReplication === undefined;
  }

  /** Binder members with a running zone on a live server. */
  zkMembers(): { inst: ScenarioInstance; up: boolean }[] {
    return this.state.instances
      .filter((i) => i.service === 'binder' && i.state !== 'destroyed')
      .map((inst) => ({ inst, up: this.isUp(inst) }));
  }

  zkQuorum(): boolean {
    const members = this.zkMembers();
    return members.filter((m) => m.up).length * 2 > members.length;
  }

  /** Zone finished first boot (or never had one in the simulation: it was already there). */
  private setupDone(inst: ScenarioInstance): boolean {
    return inst.bootStartedAt === undefined || inst.setupDoneAt !== undefined;
  }

  /**
   * Resolve first boots. A zone finishes setup at the first moment after its
   * boot latency when SAPI answers and knows its uuid (sapi itself needs no
   * SAPI); if that moment does not come within the SAPI window, it ends
   * setup_failed. SAPI records and the sapi zone only change at commands, and
   * every command settles first, so this closed form is exact.
   */
  private settlingBoots = false;

  settle(): void {
    // A PXE boot asks whether CNAPI and NAPI are up (booter.ts), which settles
    // again: the inner call sees the state as it is and changes nothing.
    if (this.settlingBoots) return;
    const now = this.now();
    this.settlingBoots = true;
    try {
      this.settleBoots(now);
    } finally {
      this.settlingBoots = false;
    }
    const boot = this.latency('zone first boot');
    const windowMs = this.scaled(FIRST_BOOT_SAPI_WINDOW_MS);
    const readyAt = (i: ScenarioInstance): number => i.bootStartedAt! + boot;
    const pending = (i: ScenarioInstance): boolean =>
      i.state === 'running' && i.bootStartedAt !== undefined && i.setupDoneAt === undefined;
    let changed = false;
    // SAPI's own zones first: they boot without another SAPI. A sapi zone in
    // full mode still fetches /configs/<its uuid> from itself (sdc-sapi
    // boot/setup.sh, sdc-scripts lib/util.sh download_metadata: 30 tries 2 s
    // apart): with no record of its own uuid in moray, its setup fails.
    for (const i of this.state.instances) {
      if (!pending(i) || !BOOTS_WITHOUT_SAPI.has(i.service) || readyAt(i) > now) continue;
      const ownRecord = i.service !== 'sapi' || this.state.sim.sapiMode !== 'full' || this.state.sim.sapiInstances.some((r) => r.uuid === i.uuid);
      if (ownRecord) i.setupDoneAt = readyAt(i);
      else if (readyAt(i) + windowMs <= now) {
        i.state = 'setup_failed';
        this.event(`${i.alias} (${i.uuid}) first boot: no SAPI record of its own uuid; setup failed`);
      } else continue;
      changed = true;
    }
    const sapiSince = Math.min(
      ...this.liveInstances()
        .filter((i) => i.service === 'sapi' && i.state === 'running')
        .map((i) => (i.bootStartedAt === undefined ? 0 : i.setupDoneAt ?? readyAt(i))),
    );
    for (const i of this.state.instances) {
      if (!pending(i) || BOOTS_WITHOUT_SAPI.has(i.service)) continue;
      const rec = this.state.sim.sapiInstances.find((r) => r.uuid === i.uuid);
      const knownAt = rec ? Math.max(readyAt(i), sapiSince, rec.createdAt ?? 0) : Infinity;
      const deadline = readyAt(i) + windowMs;
      if (knownAt <= deadline && knownAt <= now) {
        i.setupDoneAt = knownAt;
        changed = true;
      } else if (knownAt > deadline && deadline <= now) {
        i.state = 'setup_failed';
        this.event(`${i.alias} (${i.uuid}) first boot: SAPI did not answer for it; setup failed`);
        changed = true;
      }
    }
    if (changed) this.commit();
  }

  /** Servers whose reboot is over come up; a prepared USB key makes a headnode. */
  private settleBoots(now: number): void {
    let changed = false;
    for (const srv of this.state.servers) {
      if (srv.downUntil === undefined || srv.downUntil > now) continue;
      // A PXE boot needs a dhcpd zone that can serve it (booter.ts); the
      // firmware keeps retrying meanwhile, so it stays down and tries again.
      const pxe = srv.bootsFrom === 'pxe' || (!srv.headnode && srv.headnodeKey !== true && srv.bootsFrom !== 'usb');
      const refused = pxe ? pxeRefusal(this, srv) : undefined;
      if (refused !== undefined) {
        if (srv.pxeRefused !== refused) this.event(`${srv.hostname} PXE boot failed: ${refused}; retrying`);
        srv.pxeRefused = refused;
        srv.downUntil = now + this.latencyOr('server boot', SERVER_BOOT_MS);
        changed = true;
        continue;
      }
      delete srv.pxeRefused;
      srv.bootedAt = srv.downUntil;
      delete srv.downUntil;
      delete srv.downFrom;
      if (srv.files) srv.files = filesAfterBoot(srv.files);
      // A reboot drops every mount, the USB key's too.
      delete srv.usbkeyMount;
      if (srv.headnodeKey && !srv.headnode && srv.bootsFrom === 'pxe') {
        // PXE: the booter serves it a compute node's boot parameters (no
        // headnode=true, sdc-booter); the prepared key is never read.
        this.event(`${srv.hostname} booted from the network (PXE) as a compute node: its USB key was not booted`);
      } else if (srv.headnodeKey && !srv.headnode) {
        srv.headnode = true;
        srv.usbkey = true;
        // The key holds the config the preparation wrote; headnode.sh copies it to /usbkey.
        // The key's config.inc (packed from the source headnode's key) comes along: generic names root_authorized_keys_file.
        srv.files = {
          ...(srv.files ?? {}),
          '/usbkey/config': srv.files?.['/mnt/usbkey/config'] ?? usbkeyConfig(this.state, srv),
          '/usbkey/config.inc/': '',
          '/usbkey/config.inc/generic': srv.files?.['/usbkey/config.inc/generic'] ?? CONFIG_INC_GENERIC,
        };
        // headnode.sh skips the agents install on a converted CN, so /usbkey/extra/agents stays empty (RFD 67 M0 TODO).
        srv.usbkeyExtra ??= [...USBKEY_EXTRA_CONVERTED];
        this.event(`${srv.hostname} booted as a headnode`);
      } else this.event(`${srv.hostname} booted`);
      changed = true;
    }
    if (changed) this.commit();
  }

  // ---- faults ------------------------------------------------------------

  /**
   * The fault that applies to this command or HTTP call, if any; consumes one
   * of its `times`. `what` is "vmadm create ..." or "GET /vms?..."; `payload`
   * what was fed on stdin, which `match` also sees.
   */
  takeFault(tool: string, sub: string | undefined, what: string, payload?: string): FaultEffect | undefined {
    for (const f of this.state.faults) {
      if (!('command' in f)) continue;
      const [ft, fs] = f.command.split(/\s+/, 2);
      if (ft !== tool) continue;
      if (fs !== undefined && !(sub ?? '').startsWith(fs)) continue;
      if (f.match !== undefined && !what.includes(f.match) && !(payload ?? '').includes(f.match)) continue;
      const fired = f.fired ?? 0;
      if (f.times !== undefined && fired >= f.times) continue;
      f.fired = fired + 1;
      this.commit();
      return f.effect;
    }
    return undefined;
  }

  /** Fire `primary-returns` once the named service has a new instance up. */
  checkEvents(): void {
    for (const f of this.state.faults) {
      if (!('event' in f) || (f.fired ?? 0) > 0) continue;
      const restored = this.liveInstances().some(
        (i) => i.service === f.after && i.bootStartedAt !== undefined && this.isUp(i),
      );
      if (!restored) continue;
      f.fired = 1;
      for (const s of this.state.servers) {
        if (!s.alive && s.headnode) {
          s.alive = true;
          // It booted just now: its zones come up after the ones that took their IPs (ip-owner.ts).
          s.bootedAt = this.now();
          this.event(`${s.hostname} came back with its old zones`);
        }
      }
      this.commit();
    }
  }

  event(what: string): void {
    this.state.sim.events.push({ at: this.now(), what });
  }

  // ---- test and drill controls (sync) ---------------------------------------

  /** A server dies now (power loss, zpool gone): it answers nothing, and manatee reacts as at load. */
  killServer(hostname: string): void {
    const srv = this.server(hostname);
    if (!srv) throw new Error(`no server ${hostname} in the simulated DC`);
    srv.alive = false;
    manateeTakeover(this.state);
    this.event(`${hostname} died`);
    this.commit();
  }

  /** Make every delegated-dataset snapshot older by this much simulated time (a drill's "5 minutes later"). */
  backdateSnapshots(simulatedMs: number): void {
    for (const i of this.state.instances) for (const s of i.snapshots ?? []) s.at -= simulatedMs / this.speed;
    this.commit();
  }

  // ---- persistence ---------------------------------------------------------

  /** Write the live state: temp file, fsync, rename (atomic on one filesystem). */
  commit(): void {
    if (!this.statePath) return;
    mkdirSync(dirname(this.statePath), { recursive: true });
    const tmp = `${this.statePath}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(this.state, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
  }
}

/** First load of a scenario: derive what the DC's APIs hold, and let manatee react. */
function initialize(scenario: Scenario, now: number): SimState {
  const s = structuredClone(scenario) as Scenario;
  const adminUuid = s.datacenter.adminUuid;
  for (const inst of s.instances) {
    inst.state ??= 'running';
    inst.data ??= inst.delegatedDataset ? 'intact' : 'none';
    inst.mac ??= macFor(inst.uuid);
  }
  for (const srv of s.servers) srv.setup ??= true;
  const rabbit = s.instances.find((i) => i.service === 'rabbitmq');
  const sim: SimState['sim'] = {
    createdAt: now,
    napiNics: [
      ...s.servers.map((srv) => ({
        mac: serverAdminMac(srv.uuid),
        ip: srv.adminIp,
        belongs_to_uuid: srv.uuid,
        belongs_to_type: 'server' as const,
        owner_uuid: adminUuid,
      })),
      ...s.instances.map((i) => ({
        mac: i.mac!,
        ip: i.adminIp,
        belongs_to_uuid: i.uuid,
        belongs_to_type: 'zone' as const,
        owner_uuid: adminUuid,
      })),
    ],
    napiReservedIps: [...s.recoveryIps],
    sapiInstances: s.instances.map((i) => ({
      uuid: i.uuid,
      service: i.service,
      alias: i.alias,
      server: s.servers.find((x) => x.hostname === i.server)!.uuid,
    })),
    sapiMode: 'full',
    deletedServers: [],
    bootParams: rabbit ? { rabbitmq: `guest:guest:${rabbit.adminIp}:5672` } : {},
    events: [],
  };
  const state = { ...s, sim } as SimState;
  manateeTakeover(state);
  // gz-tools records its image in a file (sdcadm reads it the same way).
  for (const srv of state.servers) {
    srv.files = { ...(srv.files ?? {}), '/opt/smartdc/etc/': '', '/opt/smartdc/etc/gz-tools.image': `${stableUuid('gz-tools', srv.gzTools ?? GZ_TOOLS)}\n` };
    // sdcadm runs on the headnodes (installed from its shar, which leaves etc/buildstamp).
    if (srv.usbkey) srv.files['/opt/smartdc/sdcadm/etc/buildstamp'] ??= `${SIM_SDCADM_BUILDSTAMP}\n`;
    if (srv.usbkey) Object.assign(srv.files, { '/usbkey/config': usbkeyConfig(state, srv), '/usbkey/config.inc/': '', '/usbkey/config.inc/generic': CONFIG_INC_GENERIC });
  }
  // Other headnodes' restore-data, as far as a remote look shows it: the layout
  // marker and when their sync last succeeded (the console's own is real files).
  const rd = '/var/sdcadm/restore-data';
  for (const srv of state.servers) {
    if (!state.restoreData.on.includes(srv.hostname)) continue;
    const time = new Date(now - state.restoreData.syncedSecondsAgo * 1000).toISOString();
    srv.files = { ...(srv.files ?? {}), [`${rd}/`]: '', [`${rd}/LAYOUT`]: '1\n', [`${rd}/dc/`]: '', [`${rd}/dc/synced.json`]: JSON.stringify({ time, ok: true }) + '\n' };
  }
  return state;
}

/**
 * Manatee's state machine after a loss: the sync takes over only if an async is
 * there to become the new sync; the lost primary is deposed. Lost asyncs drop out.
 */
function manateeTakeover(state: SimState): void {
  const m = state.manatee;
  if (!m) return;
  const alive = (alias: string | null | undefined): boolean => {
    const inst = state.instances.find((i) => i.alias === alias && i.service === 'manatee');
    return !!inst && state.servers.some((s) => s.hostname === inst.server && s.alive);
  };
  const asyncs = m.async.filter(alive);
  m.deposed ??= [];
  if (!alive(m.primary)) {
    if (alive(m.sync) && asyncs.length > 0) {
      m.deposed.push(m.primary);
      m.primary = m.sync!;
      m.sync = asyncs.shift()!;
      delete m.syncReplication; // a new generation: the new sync connects afresh
    }
  } else if (m.sync && !alive(m.sync) && asyncs.length > 0) {
    // The primary picks a new sync only from a present async; with none, the lost
    // sync stays assigned and writes wait (TritonDataCenter/manatee-state-machine README.md).
    m.sync = asyncs.shift()!;
    delete m.syncReplication;
  }
  m.async = asyncs;
}
