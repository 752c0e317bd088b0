// What a simulated headnode's /usbkey holds beyond its config: the platforms
// under /usbkey/os and the files under /usbkey/extra. dhcpd lofs-mounts both
// into /tftpboot and assets into /assets (sdc-headnode
// config/sapi/services/dhcpd/service.json, zones/assets/create.json), so these
// are what compute nodes can boot and set up from.
import { DEFAULT_PLATFORM, dcSecret } from './defaults.js';
import { parseCidr } from '../../values/schemas.js';
import { serverAdminMac } from './physics.js';
import type { Scenario, ScenarioServer } from './scenario.js';

/**
 * What headnode.sh leaves in /usbkey/extra on a headnode it set up
 * (sdc-headnode scripts/headnode.sh: joysetup/ when absent; agents/ with a
 * `latest` link only when it installs the agents itself).
 */
export const USBKEY_EXTRA_FULL: readonly string[] = [
  'joysetup/',
  'joysetup/joysetup.sh',
  'joysetup/agentsetup.sh',
  'joysetup/cn_tools.tar.gz',
  'joysetup/node.config',
  'agents/',
  'agents/agents-master-20260901T101010Z-g0a1b2c3.sh',
  'agents/latest',
];

/**
 * A compute node turned headnode: headnode.sh skips the agents install (they are
 * already there), so nothing fills /usbkey/extra/agents (RFD 67 M0 TODO: "after
 * headnode.sh runs we don't have /usbkey/extra/{agents,dockerlogger}").
 */
export const USBKEY_EXTRA_CONVERTED: readonly string[] = USBKEY_EXTRA_FULL.filter((p) => !p.startsWith('agents/'));

/**
 * `ls /usbkey/os`: its platform directories, plus the `latest` link headnode.sh's
 * create_latest_link makes (sdc-cnapi lib/models/platform.js skips it when
 * listing). undefined: there is no /usbkey/os.
 */
export function usbkeyOsListing(state: Pick<Scenario, 'servers'>, srv: ScenarioServer): string[] | undefined {
  if (!srv.usbkey) return undefined;
  const platforms = srv.usbkeyPlatforms ?? state.servers.map((s) => s.platform ?? DEFAULT_PLATFORM);
  const names = [...new Set(platforms)].sort();
  return names.length > 0 ? [...names, 'latest'] : [];
}

/** 'dir', 'file' or undefined for an absolute path under /usbkey/os or /usbkey/extra. */
export function usbkeyEntry(
  state: Pick<Scenario, 'servers'>,
  srv: ScenarioServer,
  path: string,
): 'dir' | 'file' | undefined {
  if (!srv.usbkey) return undefined;
  const p = path.replace(/\/+$/, '');
  if (p === '/usbkey' || p === '/usbkey/os' || p === '/usbkey/extra') return 'dir';
  const os = /^\/usbkey\/os\/([^/]+)$/.exec(p);
  if (os) return usbkeyOsListing(state, srv)?.includes(os[1]!) ? 'dir' : undefined;
  const extra = /^\/usbkey\/extra\/(.+)$/.exec(p);
  if (!extra) return undefined;
  const have = srv.usbkeyExtra ?? USBKEY_EXTRA_FULL;
  if (have.includes(`${extra[1]}/`)) return 'dir';
  return have.includes(extra[1]!) ? 'file' : undefined;
}

/**
 * A headnode's /usbkey/config (the keys sdc-headnode's prompt-config writes that matter here).
 * It holds secrets, as Triton's does (sdc-headnode scripts/prompt-config.sh writes
 * root_shadow='<crypt hash>', ufds_ldap_root_pw=<random hex>, ufds_admin_pw=<typed>):
 * the same values sapi0's usbkey_config carries (formats.ts earlyZoneSecrets).
 */
export function usbkeyConfig(
  state: Pick<Scenario, 'datacenter' | 'adminNetwork' | 'instances'>,
  srv: ScenarioServer,
): string {
  const { netmask } = parseCidr(state.adminNetwork.subnet);
  const services = [...new Set(state.instances.map((i) => i.service))].sort();
  const ips = (svc: string): string =>
    state.instances
      .filter((i) => i.service === svc)
      .map((i) => i.adminIp)
      .join(',');
  const mac = serverAdminMac(srv.uuid);
  return [
    '# Triton headnode configuration',
    `datacenter_name=${state.datacenter.name}`,
    `dns_domain=${state.datacenter.dnsDomain}`,
    `hostname=${srv.hostname}`,
    `admin_nic=${mac}`,
    `admin_ip=${srv.adminIp}`,
    `admin_netmask=${netmask}`,
    `admin_network=${state.adminNetwork.subnet.split('/')[0]}`,
    `admin_gateway=${state.adminNetwork.gateway}`,
    `external_nic=${mac.replace(/..$/, 'ff')}`,
    `external_ip=203.0.113.${srv.adminIp.split('.')[3]}`,
    'external_netmask=255.255.255.0',
    'external_gateway=203.0.113.1',
    '# This is the entry from /etc/shadow for root',
    `root_shadow='$5$${dcSecret(state.datacenter.name, 'root_shadow')}'`,
    ...services.map((s) => `${s}_admin_ips=${ips(s)}`),
    'ufds_ldap_root_dn=cn=root',
    `ufds_ldap_root_pw=${dcSecret(state.datacenter.name, 'ufds_ldap_root_pw')}`,
    'ufds_admin_login=admin',
    `ufds_admin_pw=${dcSecret(state.datacenter.name, 'ufds_admin_pw')}`,
    '',
  ].join('\n');
}
