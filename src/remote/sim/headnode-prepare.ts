// What share/headnode-prepare.sh does to a simulated compute node, and the
// booter's hn-netfile that writes a headnode's boot/networking.json.
import type { CmdResult } from './cmd-result.js';
import { serverAdminMac } from './physics.js';
import type { ScenarioServer } from './scenario.js';
import { usbkeyOsListing } from './usbkey.js';
import { tgzMembers } from './usbkey-key.js';
import type { SimWorld } from './world.js';

export const PREPARE_MARKER = '# triton-recover headnode-prepare v1';
export const PREPARE_DIR = '/usbkey/extra/headnode-prepare';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function runPrepareScript(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [assetsIp = '', uuid = ''] = args;
  const log: string[] = [];
  const files = (srv.files ??= {});
  const logPath = '/var/log/headnode-prepare.log';
  const say = (s: string): void => void log.push(`${iso(world.now())} ${s}`);
  const done = (code: number): CmdResult => {
    files[logPath] = (files[logPath] ?? '') + log.map((l) => `${l}\n`).join('');
    world.commit();
    return { code, stdout: log.map((l) => `${l}\n`).join(''), stderr: '' };
  };
  const fail = (s: string): CmdResult => {
    say(`ERROR: ${s}`);
    return done(1);
  };
  if (uuid !== srv.uuid) return fail(`this is not server ${uuid}`);
  if (srv.headnode) return fail('already booted as a headnode');
  if (srv.setup === false) return fail('this server is not set up');
  say(`fetching headnode data from assets at ${assetsIp}`);
  const assets = world.liveInstances().find((i) => i.service === 'assets' && i.adminIp === assetsIp && world.isUp(i));
  if (!assets) return fail(`curl: (7) Failed to connect to ${assetsIp} port 80: Connection refused`);
  // assets serves its headnode's /usbkey/extra.
  const served = world.server(assets.server)?.files ?? {};
  for (const f of ['usbkey-base.tgz', `${uuid}.config`, `${uuid}.networking.json`]) {
    if (!(`${PREPARE_DIR}/${f}` in served)) return fail(`curl: (22) The requested URL returned error: 404 (${f})`);
  }
  say('rewriting the USB key at /mnt/usbkey (keeping .joyliveusb)');
  files['/mnt/usbkey/config'] = served[`${PREPARE_DIR}/${uuid}.config`]!;
  files['/mnt/usbkey/boot/networking.json'] = served[`${PREPARE_DIR}/${uuid}.networking.json`]!;
  // The base tarball carries the serving headnode's /usbkey/os: the key boots with those platforms.
  const from = world.server(assets.server);
  const platforms = from ? usbkeyOsListing(world.state, from)?.filter((p) => p !== 'latest') : undefined;
  if (platforms) srv.usbkeyPlatforms = platforms;
  // The loader reads /os/<PLATFORM>/platform from the key (sdc-headnode
  // boot/loader.conf.tmpl): names case-folded by a pcfs mount, or no os/boot
  // at all, leave a key that does not boot, and the firmware falls through to
  // its next device, the network (sdcadm rfd67 create-headnode-prepare-data.sh
  // packs os from a --nofoldcase mount for this).
  const base = tgzMembers(served[`${PREPARE_DIR}/usbkey-base.tgz`]);
  const os = base.get('os');
  const bootable = !!os && !os.tag.includes('folded') && base.has('boot');
  if (!bootable)
    world.event(
      `${srv.hostname}: the prepared key has ${os ? 'a case-folded os/' : 'no os/'}${base.has('boot') ? '' : ' and no boot/'}: its loader will find no platform`,
    );
  srv.headnodeKey = bootable;
  say(`prepared ${uuid} to boot as a headnode`);
  world.event(`${srv.hostname}: USB key prepared as a headnode key`);
  return done(0);
}

/** `hn-netfile SERVER` in a dhcpd zone: networking.json for that server as a headnode. */
export function hnNetfile(world: SimWorld, target: string): CmdResult {
  const srv = world.server(target) ?? world.serverByUuid(target);
  if (!srv) return { code: 1, stdout: '', stderr: `hn-netfile: error: Could not find server "${target}" in CNAPI\n` };
  const mac = serverAdminMac(srv.uuid);
  const resolvers = world.state.instances
    .filter((i) => i.service === 'binder' && i.state !== 'destroyed')
    .map((i) => i.adminIp);
  const conf = {
    dns_domain: world.state.datacenter.dnsDomain,
    hostname: srv.hostname,
    nictags: [{ mac, name: 'admin' }],
    resolvers,
    routes: {},
    vnics: [
      {
        mac,
        ip: srv.adminIp,
        netmask: '255.255.255.0',
        nic_tag: 'admin',
        nic_tags_provided: ['admin'],
        belongs_to_uuid: srv.uuid,
        belongs_to_type: 'server',
        resolvers,
      },
    ],
  };
  return { code: 0, stdout: JSON.stringify(conf, null, 2) + '\n', stderr: '' };
}
