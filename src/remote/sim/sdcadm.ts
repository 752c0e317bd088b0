// The two sdcadm commands the conversion uses (reference A4): `sdcadm create
// SVC -s SERVER -y` and `sdcadm post-setup ha-binder -y S1 S2 S3`. sdcadm runs
// where the sdc zone is (its sdc-* helpers need it) and needs the API stack.
import type { CmdResult } from './cmd-result.js';
import { provisionInstance, provisionMs } from './provision.js';
import type { ScenarioServer } from './scenario.js';
import type { SimWorld } from './world.js';

const ok = (stdout: string, extraMs = 0): CmdResult => ({ code: 0, stdout, stderr: '', extraMs });
const fail = (stderr: string): CmdResult => ({ code: 1, stdout: '', stderr: `sdcadm: error: ${stderr}\n` });

/**
 * Services `sdcadm create` accepts without --dev-allow-multiple-instances
 * (sdcadm lib/procedures/index.js ALL_HA_READY_SVCS); any other is refused
 * with a UsageError, whatever number of instances it has.
 */
const HA_READY = new Set(['adminui', 'cloudapi', 'cmon', 'mahi', 'nat', 'papi', 'portolan', 'workflow', 'moray']);

export function sdcadm(world: SimWorld, here: ScenarioServer, args: string[]): CmdResult {
  if (!world.instancesOn(here.hostname).some((i) => i.service === 'sdc' && world.isUp(i))) {
    return fail(`no running sdc zone on ${here.hostname}: run sdcadm on the headnode that has it`);
  }
  for (const api of ['sapi', 'vmapi', 'cnapi', 'napi', 'imgapi', 'workflow']) {
    if (!world.serviceUp(api)) return fail(`${api} is not available (ServiceUnavailableError)`);
  }
  // Option values are not positional: `-s SERVER` (sdcadm lib/cli/do_create.js).
  const pos = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-s' && args[i - 1] !== '--servers');
  const sIdx = args.findIndex((a) => a === '-s' || a === '--servers');
  if (pos[0] === 'create')
    return create(
      world,
      pos[1] ?? '',
      sIdx >= 0 ? (args[sIdx + 1] ?? '') : '',
      args.includes('--dev-allow-multiple-instances'),
    );
  if (pos[0] === 'post-setup' && pos[1] === 'ha-binder') return haBinder(world, pos.slice(2));
  return fail(`the simulator knows "sdcadm create" and "sdcadm post-setup ha-binder", not "${args.join(' ')}"`);
}

function findServer(world: SimWorld, name: string): ScenarioServer | undefined {
  return world.server(name) ?? world.serverByUuid(name);
}

function create(world: SimWorld, service: string, servers: string, devAllowMultiple: boolean): CmdResult {
  if (service === 'binder' || service === 'manatee' || service === 'zookeeper' || service === 'rabbitmq') {
    return fail(
      `creating "${service}" instances is not supported: use "sdcadm post-setup ha-${service === 'manatee' ? 'manatee' : 'binder'}"`,
    );
  }
  if (!HA_READY.has(service) && !devAllowMultiple) {
    return fail(
      `The "${service}" service does not support proper operation with multiple instances. Running multiple instances is unsupported.\n(For development of Triton, this guard can be skipped with "--dev-allow-multiple-instances")`,
    );
  }
  const names = servers.split(',').filter(Boolean);
  if (names.length === 0) return fail('a server is required (-s SERVER)');
  const out: string[] = [];
  let extra = 0;
  for (const name of names) {
    const srv = findServer(world, name);
    if (!srv || !world.isAlive(srv.hostname) || srv.setup === false)
      return fail(`server "${name}" not found, not running or not set up`);
    if (service === 'dhcpd' && !srv.usbkey) return fail(`dhcpd needs /usbkey: ${srv.hostname} is not a headnode`);
    const r = provisionInstance(world, service, srv);
    if (!r.ok) return fail(r.error);
    out.push(
      `Creating "${r.inst.alias}" instance on server ${srv.hostname}`,
      `Created ${r.inst.alias} (${r.inst.uuid}) on ${srv.hostname}, admin IP ${r.inst.adminIp}`,
    );
    extra += provisionMs(world);
  }
  return ok(out.join('\n') + '\n', extra);
}

function haBinder(world: SimWorld, names: string[]): CmdResult {
  if (![1, 3, 5].includes(names.length)) return fail(`ha-binder takes 1, 3 or 5 servers, not ${names.length}`);
  const servers = names.map((n) => findServer(world, n));
  const missing = names.filter((_, i) => !servers[i]);
  if (missing.length) return fail(`unknown server(s): ${missing.join(', ')}`);
  const binders = world.state.instances.filter((i) => i.service === 'binder' && i.state !== 'destroyed');
  const listed = new Set(servers.map((s) => s!.hostname));
  const dropped = binders.filter((b) => !listed.has(b.server));
  if (dropped.length)
    return fail(`binder(s) ${dropped.map((b) => b.alias).join(', ')} would be removed: that needs --allow-delete`);
  if (!world.zkQuorum()) return fail('the ZooKeeper ensemble has no quorum: fix the existing binders first');
  const out: string[] = [];
  let extra = 0;
  for (const srv of servers) {
    if (binders.some((b) => b.server === srv!.hostname)) continue;
    const r = provisionInstance(world, 'binder', srv!);
    if (!r.ok) return fail(r.error);
    out.push(`Created ${r.inst.alias} (${r.inst.uuid}) on ${srv!.hostname}, admin IP ${r.inst.adminIp}`);
    extra += provisionMs(world);
  }
  if (out.length === 0) return ok('binder HA is already set up as asked: nothing to do\n');
  out.push(
    'Updated ZK_SERVERS in the sdc application, moray and manatee services',
    'Waiting for the ZooKeeper ensemble: ok',
    'Set the admin network resolvers to the binder IPs',
  );
  return ok(out.join('\n') + '\n', extra);
}
