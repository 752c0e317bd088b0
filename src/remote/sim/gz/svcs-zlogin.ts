// `svcs -z ZONE` and `zlogin ZONE CMD`: what runs inside a zone (manatee-adm,
// ipadm, booter's hn-netfile), reachable only while the zone runs.
import { err, ok, type CmdResult } from '../cmd-result.js';
import { manateeShow, svcsX } from '../formats/manatee-zk-svcs.js';
import { hnNetfile } from '../headnode-prepare.js';
import { nicAddressState } from '../ip-owner.js';
import type { ScenarioInstance, ScenarioServer } from '../scenario.js';
import type { SimWorld } from '../world.js';
import { nicsOf, vmadmNic } from '../zone-nics.js';

export function svcs(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const zi = args.indexOf('-z');
  const zxi = args.findIndex((a) => /^-x*z$/.test(a) || a === '-xz' || a === '-xvz');
  const zone = zi >= 0 ? args[zi + 1] : zxi >= 0 ? args[zxi + 1] : undefined;
  if (!zone) return ok();
  const inst = world.instanceOn(srv.hostname, zone);
  if (!inst) return err(1, `svcs: zone '${zone}' unknown`);
  if (inst.state !== 'running' && inst.state !== 'setup_failed') return err(1, `svcs: zone '${zone}' is not running`);
  return ok(svcsX(world, inst));
}

export function zlogin(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [zone, ...cmd] = args;
  const inst = zone ? world.instanceOn(srv.hostname, zone) : undefined;
  if (!inst) return err(1, `zlogin: zone '${zone ?? ''}' unknown`);
  if (inst.state !== 'running' && inst.state !== 'setup_failed')
    return err(1, `zlogin: login allocation failed: zone '${zone}' is not running`);
  const line = cmd.join(' ');
  if (cmd[0] === '/opt/smartdc/booter/bin/hn-netfile') {
    if (inst.service !== 'dhcpd') return err(127, `bash: ${cmd[0]}: No such file or directory`);
    return hnNetfile(world, cmd[1] ?? srv.hostname);
  }
  if (cmd[0] === 'ipadm' || cmd[0] === '/usr/sbin/ipadm') return ipadmShowAddr(world, inst, cmd.slice(1));
  if (/manatee-adm\s+(show|pg-status)/.test(line)) {
    if (inst.service !== 'manatee') return err(127, 'bash: manatee-adm: command not found');
    const out = manateeShow(world);
    if (/pg-status/.test(line)) {
      // pg-status prints the table on stdout and the issues on stderr after a
      // blank line (TritonDataCenter/manatee bin/manatee-adm printClusterIssues).
      const lines = out.split('\n');
      const start = lines.findIndex((l) => l.startsWith('ROLE'));
      const issues = lines.filter((l) => /^(error|warning): /.test(l));
      const table = lines
        .slice(start)
        .filter((l) => !issues.includes(l))
        .join('\n')
        .replace(/\n+$/, '\n');
      return ok(table, issues.length ? `\n${issues.join('\n')}\n` : '');
    }
    return ok(out);
  }
  return err(127, `bash: ${cmd[0] ?? ''}: command not found`);
}

/**
 * `ipadm show-addr -p -o FIELDS` in a zone: its loopbacks and one address per
 * NIC (addrobj netN/_a, as the zone's network/physical plumbs them). A NIC
 * whose IP another live NIC had first is in state "duplicate" (ip-owner.ts).
 * Parsable mode escapes the colons inside a field with a backslash (ipadm(8)).
 */
function ipadmShowAddr(world: SimWorld, inst: ScenarioInstance, args: string[]): CmdResult {
  const o = args.indexOf('-o');
  const fields = o >= 0 ? (args[o + 1] ?? '').split(',') : [];
  const known = ['addrobj', 'type', 'state', 'addr'];
  if (
    args[0] !== 'show-addr' ||
    !args.includes('-p') ||
    fields.length === 0 ||
    fields.some((f) => !known.includes(f))
  ) {
    return err(1, 'ipadm: the simulator knows only ipadm show-addr -p -o addrobj,type,state,addr (any of them)');
  }
  const rows = [
    { addrobj: 'lo0/v4', type: 'static', state: 'ok', addr: '127.0.0.1/8' },
    ...nicsOf(world.state, inst).map((n) => ({
      addrobj: `${n.interface}/_a`,
      type: 'static',
      state: nicAddressState(world, inst, n),
      addr: String((vmadmNic(n)['ips'] as string[])[0]),
    })),
    { addrobj: 'lo0/v6', type: 'static', state: 'ok', addr: '::1/128' },
  ];
  const line = (r: Record<string, string>): string => fields.map((f) => (r[f] ?? '').replace(/:/g, '\\:')).join(':');
  return ok(rows.map((r) => `${line(r)}\n`).join(''));
}
