// The first load of a scenario: what the DC's APIs hold before anything happens
// (NAPI's NIC records, SAPI's instances, boot parameters), the files every GZ has,
// and manatee's reaction to the servers the scenario starts dead.
import type { Scenario } from './scenario.js';
import { macFor, manateeTakeover, serverAdminMac } from './physics.js';
import { GZ_TOOLS, SIM_SDCADM_BUILDSTAMP, stableUuid } from './defaults.js';
import { usbkeyConfig } from './usbkey.js';
import { CONFIG_INC_GENERIC } from './gz-ramdisk.js';

/** A scenario once loaded: with the `sim` block of what the DC's APIs hold. */
export type SimState = Scenario & { sim: NonNullable<Scenario['sim']> };

/** First load of a scenario: derive what the DC's APIs hold, and let manatee react. */
export function initialState(scenario: Scenario, now: number): SimState {
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
    srv.files = {
      ...(srv.files ?? {}),
      '/opt/smartdc/etc/': '',
      '/opt/smartdc/etc/gz-tools.image': `${stableUuid('gz-tools', srv.gzTools ?? GZ_TOOLS)}\n`,
    };
    // sdcadm runs on the headnodes (installed from its shar, which leaves etc/buildstamp).
    if (srv.usbkey) srv.files['/opt/smartdc/sdcadm/etc/buildstamp'] ??= `${SIM_SDCADM_BUILDSTAMP}\n`;
    if (srv.usbkey)
      Object.assign(srv.files, {
        '/usbkey/config': usbkeyConfig(state, srv),
        '/usbkey/config.inc/': '',
        '/usbkey/config.inc/generic': CONFIG_INC_GENERIC,
      });
  }
  // Other headnodes' restore-data, as far as a remote look shows it: the layout
  // marker and when their sync last succeeded (the console's own is real files).
  const rd = '/var/sdcadm/restore-data';
  for (const srv of state.servers) {
    if (!state.restoreData.on.includes(srv.hostname)) continue;
    const time = new Date(now - state.restoreData.syncedSecondsAgo * 1000).toISOString();
    srv.files = {
      ...(srv.files ?? {}),
      [`${rd}/`]: '',
      [`${rd}/LAYOUT`]: '1\n',
      [`${rd}/dc/`]: '',
      [`${rd}/dc/synced.json`]: JSON.stringify({ time, ok: true }) + '\n',
    };
  }
  return state;
}
