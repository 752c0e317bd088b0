// A server as sysinfo and CNAPI show it.
import { serverAdminMac } from '../physics.js';
import type { ScenarioServer } from '../scenario.js';
import { DEFAULT_PLATFORM } from '../defaults.js';
import type { SimWorld } from '../world.js';
import { iso } from './common.js';

/** A platform stamp (20130117T...) older than the first build with sysinfo's "Setup". */
export function predatesSetupKey(platform: string): boolean {
  return /^\d{8}/.test(platform) && platform.slice(0, 8) < '20130118';
}

export function sysinfoObject(world: SimWorld, srv: ScenarioServer): Record<string, unknown> {
  const dc = world.state.datacenter;
  const boot: Record<string, string> = srv.headnode
    ? { console: 'ttyb', ttyb: '115200,8,n,1,-', headnode: 'true' }
    : {
        rabbitmq: world.state.sim.bootParams?.['rabbitmq'] ?? '',
        rabbitmq_dns: `guest:guest:rabbitmq.${dc.name}.${dc.dnsDomain}:5672`,
        admin_nic: srv.uuid ? adminMac(srv) : '',
        console: 'ttyb',
      };
  return {
    'Live Image': srv.platform ?? DEFAULT_PLATFORM,
    'System Type': 'SunOS',
    'Boot Time': String(Math.floor((srv.bootedAt ?? world.state.sim.createdAt - 86_400_000 * 12) / 1000)),
    'Datacenter Name': dc.name,
    'SDC Version': '7.0',
    Manufacturer: 'Supermicro',
    Product: 'SSG-6049P',
    'Serial Number': `S${srv.uuid.slice(0, 8).toUpperCase()}`,
    // Platforms built before 2013-01-18 have no "Setup" key (TritonDataCenter/smartos-live
    // src/sysinfo, OS-1824 added it on 2013-01-17): CNAPI's own `setup` field tells.
    ...(predatesSetupKey(srv.platform ?? DEFAULT_PLATFORM) ? {} : { Setup: String(srv.setup ?? true) }),
    'VM Capable': true,
    'CPU Type': 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz',
    'CPU Virtualization': 'vmx',
    'CPU Physical Cores': 2,
    'Admin NIC Tag': 'admin',
    'Admin IP': srv.adminIp,
    UUID: srv.uuid,
    Hostname: srv.hostname,
    'CPU Total Cores': 48,
    'MiB of Memory': '262013',
    Zpool: 'zones',
    'Zpool Disks': 'c1t0d0,c1t1d0',
    'Zpool Profile': 'mirror',
    'Zpool Size in GiB': 3570,
    'Boot Parameters': boot,
    'SDC Agents': [
      { name: 'cn-agent', version: '2.14.0' },
      { name: 'net-agent', version: '2.2.0' },
      { name: 'vm-agent', version: '1.11.0' },
      { name: 'config-agent', version: '1.8.3' },
    ],
    'Network Interfaces': {
      ixgbe0: { 'MAC Address': adminMac(srv), ip4addr: srv.adminIp, 'Link Status': 'up', 'NIC Names': ['admin'] },
      ixgbe1: {
        'MAC Address': adminMac(srv).replace(/..$/, 'ff'),
        ip4addr: '',
        'Link Status': 'up',
        'NIC Names': ['external'],
      },
    },
    'Virtual Network Interfaces': {},
    'Link Aggregations': {},
  };
}

function adminMac(srv: ScenarioServer): string {
  return serverAdminMac(srv.uuid);
}

/**
 * Whether CNAPI hears a server's heartbeats: its cn-agent POSTs one every 5 s
 * to CNAPI (sdc-cn-agent lib/app.js postHeartbeat, HEARTBEAT_INTERVAL), and
 * any CNAPI instance that gets it records it (sdc-cnapi lib/endpoints/servers.js
 * eventHeartbeat). So it is a view from the CNAPI zones, not from the console:
 * a server only we are cut off from still heartbeats to a CNAPI it reaches.
 */
function heartbeats(world: SimWorld, srv: ScenarioServer): boolean {
  if (!world.isPowered(srv.hostname)) return false;
  // Reached from here: it heartbeats (a CNAPI that answers us runs somewhere; restore-data's copy was taken when all ran).
  if (world.isAlive(srv.hostname)) return true;
  return world.state.instances.some(
    (i) => i.service === 'cnapi' && i.state === 'running' && world.reaches(srv.hostname, i.server),
  );
}

export function cnapiServer(world: SimWorld, srv: ScenarioServer, withSysinfo: boolean): Record<string, unknown> {
  const created = world.state.sim.createdAt;
  const o: Record<string, unknown> = {
    uuid: srv.uuid,
    hostname: srv.hostname,
    headnode: srv.headnode,
    setup: srv.setup ?? true,
    setting_up: false,
    reserved: false,
    datacenter: world.state.datacenter.name,
    status: heartbeats(world, srv) ? 'running' : 'unknown',
    // A dead server's last heartbeat is from when it died, before the console started.
    last_heartbeat: iso(
      heartbeats(world, srv) ? world.now() - 2_000 : srv.alive ? world.now() - 60_000 : created - 600_000,
    ),
    transitional_status: '',
    boot_platform: srv.platform ?? DEFAULT_PLATFORM,
    current_platform: srv.platform ?? DEFAULT_PLATFORM,
    boot_params: srv.headnode ? {} : { rabbitmq: world.state.sim.bootParams?.['rabbitmq'] ?? '' },
    kernel_flags: {},
    default_console: 'serial',
    serial: 'ttyb',
    ram: 262013,
    created: iso(created - 86_400_000 * 400),
    last_boot: iso(srv.bootedAt ?? created - 86_400_000 * 12),
    rack_identifier: '',
    comments: '',
    traits: {},
  };
  if (withSysinfo) o['sysinfo'] = sysinfoObject(world, srv);
  return o;
}
