// The conversion's last step: which HA members the new headnode gets (a third
// binder, manatee peer and moray; a dhcpd), from the instances the DC has now.
// Apart from convert-plan.ts because it is the one step that judges the DC's
// layout rather than listing fixed commands. Pure.
import type { ConvertAction, CreateInstanceAction } from './convert-action.js';
import { sdcadmCreateDhcpd } from './sdcadm-commands.js';

export interface LiveInstance {
  service: string;
  alias: string;
  uuid: string;
  serverUuid: string;
  serverHostname: string;
}

/** Binder, manatee and moray members a DC should have; a dhcpd on every headnode. */
export const HA_SIZE = 3;

/** What the HA step is planned from (a part of ConvertPlanInput). */
export interface HaStepInput {
  local: string;
  target: { hostname: string; uuid: string };
  /** The headnode with the sdc zone: sdcadm create and post-setup need it (reference C3). */
  sdcHost: string | undefined;
  headnodes: { hostname: string; uuid: string }[];
  instances: LiveInstance[];
  sapiUrl: string;
  vmapiUrl: string;
  manateeServiceUuid: string | undefined;
}

/** How a new instance is made: an sdcadm command on the sdc headnode, or a SAPI call. */
type HowToCreate = Pick<CreateInstanceAction, 'host' | 'summary'> &
  ({ argv: string[] } | { http: Extract<CreateInstanceAction, { http: object }>['http'] });

export function haActions(i: HaStepInput): { where: string; actions: ConvertAction[]; notes: string[] } {
  const t = i.target;
  const sdc = i.sdcHost ?? 'UNKNOWN-SDC-HEADNODE';
  const of = (svc: string): LiveInstance[] => i.instances.filter((x) => x.service === svc);
  const onTarget = (svc: string): boolean => of(svc).some((x) => x.serverUuid === t.uuid);
  const actions: ConvertAction[] = [];
  const notes: string[] = [];
  const create = (svc: string, how: HowToCreate): void => {
    actions.push({ id: `ha/${svc}`, kind: 'create-instance', service: svc, ...how });
    actions.push({
      id: `ha/${svc}-wait`,
      kind: 'wait-instance',
      service: svc,
      host: i.local,
      summary: `wait until the new ${svc} on ${t.hostname} is running and healthy`,
      http: { method: 'GET', url: `${i.vmapiUrl}/vms?tag.smartdc_role=${svc}&server_uuid=${t.uuid}&state=active` },
    });
  };
  const binders = of('binder');
  if (binders.length < HA_SIZE && !onTarget('binder')) {
    // ha-binder takes 1, 3 or 5 servers, the existing binders' included.
    const servers = [...new Set(binders.map((b) => b.serverHostname))];
    const spare = i.headnodes.map((h) => h.hostname).filter((h) => h !== t.hostname && !servers.includes(h));
    while (servers.length + 1 < HA_SIZE && spare.length > 0) servers.push(spare.shift()!);
    servers.push(t.hostname);
    if (servers.length === HA_SIZE) {
      create('binder', {
        host: sdc,
        summary: `binder HA on ${servers.join(', ')} (sdcadm post-setup ha-binder)`,
        argv: ['sdcadm', 'post-setup', 'ha-binder', '-y', ...servers],
      });
    } else
      notes.push(
        `binders: ${binders.length}; ha-binder needs 3 servers and only ${servers.length} headnode(s) are available: add a headnode, then run sdcadm post-setup ha-binder`,
      );
  }
  const manatees = of('manatee');
  if (manatees.length < HA_SIZE && !onTarget('manatee')) {
    if (manatees.length === HA_SIZE - 1 && i.manateeServiceUuid) {
      const n = Math.max(-1, ...manatees.map((m) => Number(/(\d+)$/.exec(m.alias)?.[1] ?? -1))) + 1;
      create('manatee', {
        host: i.local,
        summary: `a third manatee peer, manatee${n}, on ${t.hostname} (SAPI CreateInstance: it joins the shard as an async)`,
        http: {
          method: 'POST',
          url: `${i.sapiUrl}/instances`,
          body: { service_uuid: i.manateeServiceUuid, params: { alias: `manatee${n}`, server_uuid: t.uuid } },
        },
      });
    } else
      notes.push(
        `manatee peers: ${manatees.length}; from one peer, HA is "sdcadm post-setup ha-manatee -s SERVER1 -s SERVER2" (two servers at once): run it by hand`,
      );
  }
  if (of('moray').length < HA_SIZE && !onTarget('moray')) {
    create('moray', {
      host: sdc,
      summary: `a moray on ${t.hostname} (sdcadm create moray)`,
      argv: ['sdcadm', 'create', 'moray', '-s', t.hostname, '-y'],
    });
  }
  // dhcpd is outside sdcadm's HA-ready list: without the dev flag sdcadm
  // refuses a second instance (sdcadm lib/procedures/index.js ALL_HA_READY_SVCS).
  if (!onTarget('dhcpd')) {
    create('dhcpd', {
      host: sdc,
      summary: `a dhcpd on ${t.hostname}: compute nodes boot while any one headnode is down (sdcadm create dhcpd)`,
      argv: sdcadmCreateDhcpd(t.hostname),
    });
  }
  if (actions.length === 0)
    notes.push(`nothing to add: the DC has ${HA_SIZE} binders, manatees and morays, and ${t.hostname} has a dhcpd`);
  return { where: sdc, actions, notes };
}
