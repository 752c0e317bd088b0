// The booter (dhcpd zone) as a compute node's PXE boot meets it. Rules, from
// TritonDataCenter/sdc-booter:
// - lib/bootparams.js getBootParams: the answer comes from NAPI and CNAPI; when
//   either fails (or the call budget runs out) it falls back to the on-disk
//   cache /tftpboot/cache/<mac>.json (getFromCache); with no cache file the
//   DHCP request gets no reply at all.
// - lib/cache.js CacheSentinel (HEAD-2207): every refreshIntervalSeconds (300,
//   sapi_manifests/dhcpd/template) it writes a cache file for every server's
//   admin NIC, but only while CNAPI and NAPI answer; a fresh zone starts empty.
// - sdc-headnode config/sapi/services/dhcpd/service.json: /usbkey/os of the
//   zone's headnode is lofs-mounted on /tftpboot/os; a platform absent there
//   cannot be served (the boot loader's TFTP/HTTP fetch fails).
import type { Scenario, ScenarioInstance, ScenarioServer } from './scenario.js';
import { serverAdminMac } from './physics.js';
import { DEFAULT_PLATFORM } from './defaults.js';
import { usbkeyOsListing } from './usbkey.js';

/** What the booter sees of the world (world.ts calls in here: no import back). */
export interface BooterWorld {
  state: Scenario;
  server(hostname: string): ScenarioServer | undefined;
  instanceOn(hostname: string, uuid: string): ScenarioInstance | undefined;
  isAlive(hostname: string): boolean;
  isUp(inst: ScenarioInstance): boolean;
  serviceUp(service: string): boolean;
}

export const BOOTER_CACHE_DIR = '/tftpboot/cache';

/** The admin MACs a dhcpd zone holds a cache file for. */
export function booterCacheMacs(world: BooterWorld, inst: ScenarioInstance): string[] {
  if (inst.booterCache !== undefined) return inst.booterCache;
  // A zone the scenario starts with has long been refreshed; one created since
  // holds entries only once a refresh could run (CNAPI and NAPI answering).
  const warm = inst.payload === undefined || (world.isUp(inst) && world.serviceUp('cnapi') && world.serviceUp('napi'));
  return warm ? world.state.servers.filter((s) => !s.headnode).map((s) => serverAdminMac(s.uuid)) : [];
}

/** `ls -1 /zones/<uuid>/root/tftpboot/cache` in a GZ: one <mac>.json per cached server, or undefined (no such dhcpd zone here). */
export function booterCacheListing(world: BooterWorld, srv: ScenarioServer, dir: string): string[] | undefined {
  const m = /^\/zones\/([0-9a-f-]{36})\/root\/tftpboot\/cache$/.exec(dir);
  const inst = m ? world.instanceOn(srv.hostname, m[1]!) : undefined;
  if (!inst || inst.service !== 'dhcpd') return undefined;
  return booterCacheMacs(world, inst)
    .map((mac) => `${mac}.json`)
    .sort();
}

/** Whether this dhcpd zone answers this compute node's DHCP request at all. */
function answers(world: BooterWorld, dhcpd: ScenarioInstance, cn: ScenarioServer): boolean {
  const hn = world.server(dhcpd.server);
  if (!hn || !world.isAlive(hn.hostname) || dhcpd.state !== 'running') return false;
  if (world.serviceUp('cnapi') && world.serviceUp('napi')) return true;
  return booterCacheMacs(world, dhcpd).includes(serverAdminMac(cn.uuid));
}

/**
 * A PXE booting server comes up when a dhcpd zone answers it and every zone
 * that answers can serve its platform: DHCP offers are broadcast answers and
 * the first one wins, so one zone lacking the platform can fail the boot.
 * Returns why it does not boot, or undefined.
 */
export function pxeRefusal(world: BooterWorld, cn: ScenarioServer): string | undefined {
  const dhcpds = world.state.instances.filter((i) => i.service === 'dhcpd' && i.state !== 'destroyed');
  const answering = dhcpds.filter((d) => answers(world, d, cn));
  if (answering.length === 0)
    return dhcpds.length === 0
      ? 'no dhcpd zone'
      : `no dhcpd zone answers (${dhcpds.map((d) => d.alias).join(', ')}: not running, or CNAPI or NAPI down and no ${BOOTER_CACHE_DIR} entry)`;
  const platform = cn.platform ?? DEFAULT_PLATFORM;
  const lacking = answering.filter(
    (d) => !(usbkeyOsListing(world.state, world.server(d.server)!) ?? []).includes(platform),
  );
  return lacking.length > 0
    ? `platform ${platform} not under /usbkey/os of ${lacking.map((d) => d.server).join(', ')}`
    : undefined;
}
