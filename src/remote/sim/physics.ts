// The simulated DC's physics: its index, the service dependency table, the
// first-boot constants, MACs, listeners and manatee's takeover. The rules
// themselves live in SimWorld (world.ts, "---- physics"); protocol handlers
// (gz/, api/, sdcadm.ts) only parse, ask the world and format.
//
// The dependency table is the simulated DC's own truth, kept apart on purpose
// from the console's service catalogue (src/steps, and the arrows forbid the
// import): if the console's beliefs are wrong, the simulator must not share the mistake.
//
// INDEX: rule (design section 8, or the source it cites) -> where it is enforced
// -> the test that fails without it (test/sim/FILE.test.ts: test name, abridged).
//
// A dead server answers nothing (SSH/ping time out)
//   -> SimWorld.isAlive; sim-host.ts refuses a dead host
//   -> physics: "a dead server answers nothing"; ssh: "a dead server never answers"
// Partitions cut two live hosts apart -> SimWorld.isAlive (partitioned)
//   -> coordination: "a partition that cuts headnode2 off"
// An API answers only while an instance runs on a live server and its
// dependencies (moray; manatee for moray) are up
//   -> SimWorld.serviceUp + SERVICE_DEPENDS_ON, NEEDS_MORAY; api/index.ts answers 503
//   -> physics: "an API answers only while its zone runs"
// Manatee takes writes with a live primary and a live sync that streams as sync
// (manatee-state-machine README "Cluster state")
//   -> SimWorld.manateeWritable -> physics: "a sync that does not replicate as sync blocks writes"
// Manatee's takeover after a loss: the sync takes over only with an async to
// become the new sync; a lost sync stays assigned without one
//   -> manateeTakeover (below) -> physics: "manatee takes over with 3 peers",
//      "with only 2 manatee peers", "losing the sync with no async"
// Binder quorum: a majority of members up -> SimWorld.zkQuorum
//   -> physics: "binder quorum"; coordination: "1 of 3 ... no quorum"
// vmadm create fails if the image is not installed
//   -> SimWorld.createZone ('image-missing'); provision.ts via imageInstalled
//   -> physics: "vmadm create fails when the image is not installed"
// vmadm create refuses what vmadm refuses (two primary NICs, missing/unknown nic
// tag, IP/MAC/UUID in use, wrong types; VM.js)
//   -> SimWorld.createZone -> checkCreatePayload (vmadm-payload.ts)
//   -> real-shape: "refuses ...: exit 1, vmadm's message, nothing created"
// Zones with several NICs; the admin IP is the admin-tagged NIC's
// (triton-netconfig adminIpFromVmMetadata) -> SimWorld.createZone; zone-nics.ts
//   -> real-shape: "a zone with its primary on external", "NICs in interface order"
// imgadm install fails if the origin is missing
//   -> SimWorld.installImage ('origin-missing') -> physics: "imgadm install needs the origin first"
// A first boot succeeds only if SAPI answers and knows the uuid within about a
// minute, else setup_failed with SMF maintenance (sdc-scripts download_metadata)
//   -> SimWorld.settle + FIRST_BOOT_SAPI_WINDOW_MS, BOOTS_WITHOUT_SAPI
//   -> physics: "a first boot without a SAPI record ends setup_failed",
//      "a first boot succeeds once SAPI answers"; real-shape: "a new sapi zone with no record"
// Setup writes setup_complete, nothing writes setup_failed (sdc-scripts sdc_setup_complete)
//   -> gz/files.ts setupCompleteWritten (reads SimWorld's first-boot state)
//   -> physics: "setup_complete is written only when a first boot ends well"
// A zone with a delegated dataset that booted without its data comes up empty
//   -> SimWorld.createZone (autoboot), SimWorld.startZone (first boot)
//   -> physics: "delegated data is lost if the zone boots before the stream is received",
//      world-rules: "a zone created without autoboot and started before its data arrives"
// zfs recv: busy while the zone runs, incremental only on its base, full only with -F
//   -> SimWorld.receiveDataset -> physics: "delegated data is lost ..." (-F, busy);
//      zfs-snapshots: "an incremental is received only on top of its base"
// zfs send -c only where the platform has it (illumos 7252) -> gz/zfs.ts zfsSend
//   -> zfs-snapshots: "send -c (compressed, illumos 7252)"
// An admin IP held by a NIC record of another VM, or outside the subnet, makes
// the NIC registration fail (sdc-napi validateSubnetContainsIP)
//   -> SimWorld.registerNic -> physics: "an admin IP held by another VM's NIC record";
//      duplicate-ip: "an IP outside the admin subnet"
// Two live NICs on one IP: the first to come up keeps it (illumos DAD)
//   -> ip-owner.ts ipOwner/nicAddressState -> duplicate-ip: every case
// A service whose instance never came up healthy is still down for the services after it
//   -> SimWorld.isUp/serviceUp -> physics: "a service whose new instance never came up healthy"
// vmadm start/stop set/clear autoboot (VM.js startZone/stopZone)
//   -> SimWorld.startZone/stopZone -> real-shape: "start sets autoboot, stop clears it"
// cloudapi serves HTTPS on 443 with a self-signed certificate (sdc-cloudapi)
//   -> API_LISTENERS (below), sim-host.ts listenerRefusal -> physics: "cloudapi serves HTTPS on 443 only"
// SAPI in full mode provisions through VMAPI on CreateInstance (sdc-sapi model.js)
//   -> api/sapi.ts sapiCreate + provision.ts -> real-shape: "SAPI in full mode" (both)
// sdcadm refuses extra instances of services it does not call HA-ready
//   -> sdcadm.ts HA_READY -> real-shape: "refuses a service outside the HA-ready list"
// illumos tar has no -C key -> gz/files.ts illumosTar -> real-shape: "is illumos tar"
// The GZ's /root is a ramdisk; a boot restores authorized_keys from config.inc
//   -> SimWorld.settleBoots -> filesAfterBoot (gz-ramdisk.ts) -> gz-ramdisk: every case
// A CN whose key was prepared boots as a headnode twice (HEAD-2343); from PXE, as a CN
//   -> SimWorld.reboot/settleBoots -> usbkey-key: "a server that PXE boots comes back";
//      world-rules: "a prepared key makes a headnode in two boots"
// VMAPI shows a dead server's VMs as state unknown while CNAPI still has the
// server (sdc-vmapi updateVmFromServerStatus) -> formats/vm.ts vmapiObject
//   -> world-rules: "VMAPI: a dead server's VMs are unknown until CNAPI forgets the server"
// VMAPI holds one record per uuid, the one a live vm-agent reported
//   -> api/vmapi-imgapi.ts vmapiRecords -> world-rules: "VMAPI: ... one record per uuid, the live one"
// A pre-2013-01-18 platform has no sysinfo "Setup" (OS-1824) -> formats/server.ts
//   -> physics: "a server on a platform from before 2013-01-18"
// VMAPI answers null for what only vmadm knows while provisioning -> formats/vm.ts
//   -> physics: "VMAPI answers null for what only vmadm knows"
// NAPI lists the external network beside admin (sdc-napi docs/index.md ListNetworks)
//   -> formats/napi.ts napiExternalNetwork -> real-shape: "lists the external network beside admin"
// Persistence: every change written atomically; a killed console resumes
//   -> SimWorld.commit -> physics: "persists every change atomically"
import { createHash } from 'node:crypto';
import type { Scenario } from './scenario.js';

/** Services an API needs running before it answers (moray implies manatee writes). */
export const SERVICE_DEPENDS_ON: Readonly<Record<string, readonly string[]>> = {
  moray: ['manatee'],
  sapi: [],
  ufds: ['moray'],
  workflow: ['moray'],
  napi: ['moray'],
  cnapi: ['moray'],
  vmapi: ['moray', 'workflow'],
  imgapi: ['moray'],
  papi: ['moray'],
  fwapi: ['moray', 'ufds'],
  amon: ['amonredis', 'ufds'],
  mahi: ['ufds'],
  adminui: ['ufds', 'vmapi', 'cnapi', 'napi'],
  cloudapi: ['ufds', 'vmapi', 'cnapi', 'napi', 'imgapi', 'papi', 'mahi'],
  docker: ['ufds', 'vmapi', 'imgapi', 'cnapi'],
  cns: ['ufds', 'vmapi', 'napi'],
  cmon: ['cnapi', 'vmapi', 'mahi'],
  portolan: ['moray'],
};

/** Services whose every call needs moray (SAPI serves from a local copy instead). */
export const NEEDS_MORAY: ReadonlySet<string> = new Set([
  'napi',
  'cnapi',
  'vmapi',
  'imgapi',
  'papi',
  'fwapi',
  'workflow',
  'ufds',
]);

/**
 * Zones that configure themselves without asking SAPI on first boot. SAPI has
 * not needed itself since SAPI-294; headnode.sh sets assets0 up before sapi0
 * exists. Everything else fetches /configs/<uuid>.
 */
export const BOOTS_WITHOUT_SAPI = new Set(['sapi', 'assets']);

/** How long a first-booting zone keeps asking SAPI (30 tries, 2 s apart). */
export const FIRST_BOOT_SAPI_WINDOW_MS = 60_000;

/** Deterministic MAC for a uuid, so NAPI and vmadm agree across restarts. */
export function macFor(uuid: string): string {
  const hex = uuid.replace(/-/g, '').slice(-10);
  return ['90', ...hex.match(/../g)!].join(':');
}

/** A MAC vmadm makes up for a NIC given none (locally administered, like vmadm's). */
export function generatedMac(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex').slice(0, 10);
  return ['92', ...hex.match(/../g)!].join(':');
}

/** The admin NIC MAC of a server's GZ: sysinfo and NAPI's server NIC record agree on it. */
export function serverAdminMac(serverUuid: string): string {
  const hex = serverUuid.replace(/-/g, '').slice(-10);
  return ['0c', ...hex.match(/../g)!].join(':');
}

/**
 * How an API zone listens, where it is not plain HTTP on port 80. cloudapi's
 * haproxy binds only *:443 with TLS (sdc-cloudapi etc/haproxy.cfg.in), and its
 * first boot makes a self-signed `CN=*` certificate when the operator gave none
 * (sdc-cloudapi boot/setup.sh setup_tls_certificate): a client that verifies
 * certificates, as Node's fetch does by default, cannot talk to it.
 */
export const API_LISTENERS: Readonly<Record<string, { scheme: 'https'; port: number; selfSigned: true }>> = {
  cloudapi: { scheme: 'https', port: 443, selfSigned: true },
};

/**
 * Manatee's state machine after a loss: the sync takes over only if an async is
 * there to become the new sync; the lost primary is deposed. Lost asyncs drop out.
 */
export function manateeTakeover(state: Pick<Scenario, 'manatee' | 'instances' | 'servers'>): void {
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
