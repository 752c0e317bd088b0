// The simulated datacenter's physics: what a server, a zone, a service, manatee
// and binder do, and what each command's effect is allowed to be. Handlers
// (gz/, api/) ask these methods; physics.ts's INDEX maps each rule here
// to its test. The state, lookups, faults and persistence are WorldCore's.
// Over 300 lines on purpose: it is the one home of the simulator's physics;
// splitting it would scatter the rules the physics tests read as a spec.
import {
  BOOTS_WITHOUT_SAPI,
  FIRST_BOOT_SAPI_WINDOW_MS,
  SERVICE_DEPENDS_ON,
  generatedMac,
  manateeTakeover,
} from './physics.js';
import type { ScenarioInstance, ScenarioServer } from './scenario.js';
import { USBKEY_EXTRA_CONVERTED, usbkeyConfig } from './usbkey.js';
import { CONFIG_INC_GENERIC, filesAfterBoot } from './gz-ramdisk.js';
import { pxeRefusal } from './booter.js';
import { WorldCore } from './world-core.js';
import { checkCreatePayload } from './vmadm-payload.js';
import { nicsOf } from './zone-nics.js';
import { inSubnet } from './subnets.js';

export type { SimState } from './initial-state.js';
export type { FaultEffect, WorldOptions } from './world-core.js';

/** A server's boot, POST to headnode.sh done (unscaled; "server boot" in latencyMs overrides). */
const SERVER_BOOT_MS = 180_000;
/** From `reboot` until the server stops answering (unscaled; "server shutdown" overrides). */
const SERVER_SHUTDOWN_MS = 20_000;

/** What `vmadm create` came to: a zone, or vmadm's refusal before anything changed. */
export type ZoneCreation =
  | { kind: 'created'; inst: ScenarioInstance; warnings: string[] }
  | { kind: 'refused'; error: string }
  | { kind: 'image-missing'; image: string };

/** What `zfs recv` into a zone's delegated dataset came to. */
export type DatasetReceipt = 'received' | 'zone-running' | 'not-on-newest-snapshot' | 'exists-without-force';

export class SimWorld extends WorldCore {
  // ---- physics: servers ---------------------------------------------------

  /** Alive as seen from the console's headnode: powered on, not rebooting, not partitioned away from it. */
  isAlive(hostname: string): boolean {
    // The console's own server's power is not asked: tests stop it under a running console.
    return this.isPowered(hostname) && !this.cut(this.state.localServer, hostname);
  }

  /** Powered on and not in the middle of a reboot, whoever asks. */
  isPowered(hostname: string): boolean {
    const s = this.server(hostname);
    const now = this.now();
    return s?.alive === true && !(s.downUntil !== undefined && s.downUntil > now && (s.downFrom ?? 0) <= now);
  }

  /**
   * Whether a packet from one server (or a zone on it) gets to another: both
   * powered and no partition between them. A partition is symmetric and cuts
   * only the two named servers apart (scenario contract `partitions[]`); a
   * server's `partitioned` flag is a partition from the console's headnode.
   */
  reaches(from: string, to: string): boolean {
    return this.isPowered(from) && this.isPowered(to) && !this.cut(from, to);
  }

  /** What a server sees: from the console's headnode, isAlive (its own power not asked); from any other, reaches. */
  sees(from: string, to: string): boolean {
    return from === this.state.localServer ? this.isAlive(to) : this.reaches(from, to);
  }

  /** A partition between two servers (either way round). */
  private cut(from: string, to: string): boolean {
    if (from === to) return false;
    const local = this.state.localServer;
    const flagged = (a: string, b: string): boolean => a === local && this.server(b)?.partitioned === true;
    if (flagged(from, to) || flagged(to, from)) return true;
    return (this.state.partitions ?? []).some(
      (p) => (p.from === from && p.to === to) || (p.from === to && p.to === from),
    );
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

  /** Instances reachable right now: on a live server, not destroyed. */
  liveInstances(): ScenarioInstance[] {
    return this.state.instances.filter((i) => i.state !== 'destroyed' && this.isAlive(i.server));
  }

  // ---- physics: services, manatee, binder, first boots ---------------------

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
      const ownRecord =
        i.service !== 'sapi' ||
        this.state.sim.sapiMode !== 'full' ||
        this.state.sim.sapiInstances.some((r) => r.uuid === i.uuid);
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
        .map((i) => (i.bootStartedAt === undefined ? 0 : (i.setupDoneAt ?? readyAt(i)))),
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

  // ---- physics: zones and their NICs ------------------------------------------

  /** An image is in the server's zpool (a scenario without per-server images has them all). */
  imageInstalled(srv: ScenarioServer, image: string): boolean {
    return this.imagesOn(srv).includes(image);
  }

  /**
   * `vmadm create` on a server. vmadm refuses what VM.js refuses (vmadm-payload.ts),
   * and an image not in the zpool (imgadm must install it first). The admin IP is
   * the IP of the NIC tagged admin, whichever NIC is primary (triton-netconfig
   * adminIpFromVmMetadata, used by sdcadm). With autoboot the zone boots at once:
   * a delegated dataset is created empty, so its data is lost for good.
   */
  createZone(srv: ScenarioServer, raw: Record<string, unknown>): ZoneCreation {
    const checked = checkCreatePayload(raw, this.instancesOn(srv.hostname), (z) => nicsOf(this.state, z));
    if (!checked.ok) return { kind: 'refused', error: checked.error };
    const { payload, warnings } = checked;
    const uuid = String(raw['uuid']);
    const image = String(payload['image_uuid'] ?? '');
    if (!this.imageInstalled(srv, image)) return { kind: 'image-missing', image };
    const tags = (payload['tags'] ?? {}) as Record<string, unknown>;
    const nics = checked.nics.map((n) =>
      n.mac ? n : { ...n, mac: generatedMac(`${uuid}/${n.interface}/${this.now()}`) },
    );
    const adminNic = nics.find((n) => n.nic_tag === 'admin');
    const ext = nics.find((n) => n.nic_tag === 'external');
    const alias = String(payload['alias'] ?? '');
    const inst: ScenarioInstance = {
      service: String(tags['smartdc_role'] ?? alias.replace(/\d+$/, '')),
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
      mac: adminNic?.mac ?? generatedMac(`${uuid}/admin/${this.now()}`),
      autoboot: payload['autoboot'] !== false,
      payload,
    };
    this.state.instances.push(inst);
    this.registerNic(inst);
    if (inst.autoboot) {
      inst.state = 'running';
      inst.bootStartedAt = this.now();
      inst.netUpAt = this.now();
      if (inst.delegatedDataset) {
        inst.bootedWithoutData = true;
        this.event(`${alias} booted at create with an EMPTY delegated dataset: its data is lost`);
      }
    }
    this.event(`vmadm create ${alias} (${uuid}) on ${srv.hostname}`);
    this.commit();
    return { kind: 'created', inst, warnings };
  }

  /**
   * net-agent puts a new zone's admin NIC into NAPI, which refuses an IP
   * outside the network's subnet (sdc-napi lib/models/nic/common.js
   * validateSubnetContainsIP, IP_OUTSIDE) and an IP another NIC record holds.
   */
  private registerNic(inst: ScenarioInstance): void {
    const nics = this.state.sim.napiNics;
    const admin = nicsOf(this.state, inst).find((n) => n.nic_tag === 'admin');
    if (admin && !inSubnet(this.state, admin)) {
      inst.nicRegistration = 'failed';
      this.event(
        `net-agent: NIC ${inst.mac} of ${inst.alias}: ip ${inst.adminIp} cannot be outside subnet ${this.state.adminNetwork.subnet}`,
      );
      return;
    }
    const holder = nics.find((n) => n.ip === inst.adminIp && n.mac !== inst.mac);
    if (holder) {
      inst.nicRegistration = 'failed';
      this.event(
        `net-agent: NIC ${inst.mac} of ${inst.alias}: IP ${inst.adminIp} is in use by ${holder.belongs_to_type} ${holder.belongs_to_uuid}`,
      );
      return;
    }
    inst.nicRegistration = 'ok';
    const same = nics.findIndex((n) => n.mac === inst.mac);
    const rec = {
      mac: inst.mac!,
      ip: inst.adminIp,
      belongs_to_uuid: inst.uuid,
      belongs_to_type: 'zone' as const,
      owner_uuid: this.state.datacenter.adminUuid,
    };
    if (same >= 0) nics[same] = rec;
    else nics.push(rec);
  }

  /**
   * `vmadm start`. Starting a running VM is done already (vmadm exits 0). VM.js
   * startZone sets autoboot: a started zone comes back after a reboot. Its NICs
   * come up now, so a later claimant of an IP loses it (ip-owner.ts). A created
   * zone's first boot with its delegated dataset still empty loses the data.
   */
  startZone(inst: ScenarioInstance): 'started' | 'already-running' {
    if (inst.state === 'running' || inst.state === 'setup_failed') return 'already-running';
    inst.state = 'running';
    inst.netUpAt = this.now();
    inst.autoboot = true;
    if (inst.bootStartedAt === undefined && inst.payload) {
      inst.bootStartedAt = this.now();
      if (inst.delegatedDataset && inst.data === 'empty') {
        inst.bootedWithoutData = true;
        this.event(`${inst.alias} first boot with an EMPTY delegated dataset: its data is lost`);
      }
    }
    this.commit();
    return 'started';
  }

  /** `vmadm stop`. VM.js stopZone clears autoboot: a stopped zone stays down after a reboot. */
  stopZone(inst: ScenarioInstance): 'stopped' | 'already-stopped' {
    if (inst.state === 'stopped') return 'already-stopped';
    inst.state = 'stopped';
    inst.autoboot = false;
    this.commit();
    return 'stopped';
  }

  /** `imgadm install`: an image whose origin is not in the zpool cannot be installed (imgadm OriginNotInstalled). */
  installImage(
    srv: ScenarioServer,
    uuid: string,
    origin: string | undefined,
  ): 'installed' | 'already-installed' | 'origin-missing' {
    const installed = this.imagesOn(srv);
    if (installed.includes(uuid)) return 'already-installed';
    if (origin && !installed.includes(origin)) return 'origin-missing';
    srv.images = [...installed, uuid];
    this.commit();
    return 'installed';
  }

  /**
   * `zfs recv` into a zone's delegated dataset. A running zone holds it busy;
   * an incremental stream applies only on top of the snapshot it was made
   * from; a full stream replaces an existing dataset only with -F.
   */
  receiveDataset(
    inst: ScenarioInstance,
    stream: { snapshot: string; from?: string | undefined; bytes: number },
    force: boolean,
  ): DatasetReceipt {
    if (inst.state === 'running' || inst.state === 'setup_failed') return 'zone-running';
    const snap = stream.snapshot.split('@')[1] ?? 'received';
    const snaps = snapshotsOf(inst);
    if (stream.from !== undefined) {
      const newest = snaps.at(-1);
      if (inst.data !== 'received' || !newest || newest.name !== stream.from.split('@')[1])
        return 'not-on-newest-snapshot';
      inst.snapshots = [...snaps, { name: snap, at: this.now() }];
    } else {
      if (inst.delegatedDataset && !force) return 'exists-without-force';
      inst.snapshots = [{ name: snap, at: this.now() }];
    }
    inst.data = 'received';
    const name = `zones/${inst.uuid}/data`;
    inst.receivedSnapshot = `${name}@${snap}`;
    this.event(
      `zfs recv ${name} (${stream.from ? `incremental from ${stream.from}, ` : ''}${stream.bytes} bytes, snapshot ${stream.snapshot})`,
    );
    this.commit();
    return 'received';
  }

  // ---- scenario events --------------------------------------------------------

  /** Fire `primary-returns` once the named service has a new instance up. */
  checkEvents(): void {
    for (const f of this.state.faults) {
      if (!('event' in f) || (f.fired ?? 0) > 0) continue;
      const restored = this.liveInstances().some(
        (i) => i.service === f.after && i.bootStartedAt !== undefined && this.isUp(i),
      );
      if (!restored) continue;
      f.fired = 1;
      for (const s of this.state.servers) if (!s.alive && s.headnode) this.bootedAgain(s.hostname);
      this.commit();
    }
  }

  private bootedAgain(hostname: string): void {
    const s = this.server(hostname)!;
    s.alive = true;
    // It booted just now: its zones come up after the ones that took their IPs (ip-owner.ts).
    s.bootedAt = this.now();
    this.event(`${s.hostname} came back with its old zones`);
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

  /** A dead server boots again with its old zones, at a moment a test chooses (as `primary-returns` does). */
  bootServer(hostname: string): void {
    if (!this.server(hostname)) throw new Error(`no server ${hostname} in the simulated DC`);
    this.bootedAgain(hostname);
    this.commit();
  }
}

export type Snapshot = NonNullable<ScenarioInstance['snapshots']>[number];

/** A dataset's snapshots, oldest first (a live state from before snapshots: the received one). */
export function snapshotsOf(inst: ScenarioInstance): Snapshot[] {
  if (inst.snapshots) return inst.snapshots;
  const recv = inst.receivedSnapshot?.split('@')[1];
  return recv ? [{ name: recv, at: 0 }] : [];
}
