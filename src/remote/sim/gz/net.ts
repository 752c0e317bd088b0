// Network probes from a GZ: `ping` and `nc`. An IP answers from its first live
// holder (ip-owner.ts); ZooKeeper's four-letter words answer from a binder zone.
import { err, ok, type CmdResult } from '../cmd-result.js';
import { zkStat } from '../formats/manatee-zk-svcs.js';
import { ipOwner } from '../ip-owner.js';
import type { ScenarioServer } from '../scenario.js';
import type { SimWorld } from '../world.js';

/** Something answers on this IP as seen from server `from` (a partition hides what is behind it). */
function ipAnswers(world: SimWorld, ip: string, from: string): boolean {
  return ipOwner(world, ip, from) !== undefined;
}

export function nc(world: SimWorld, srv: ScenarioServer, args: string[], stdin: Buffer): CmdResult {
  const pos = args.filter((a, i) => !a.startsWith('-') && !(args[i - 1] === '-w'));
  const [ip, port] = pos;
  if (!ip || !port) return err(1, 'usage: nc [-z] [-w secs] host port');
  if (!ipAnswers(world, ip, srv.hostname)) return err(1, `nc: connect to ${ip} port ${port} (tcp) timed out`);
  const owner = ipOwner(world, ip, srv.hostname);
  if (args.includes('-z')) {
    const open =
      owner?.kind === 'server' ? port === '22' : port === '2181' || port === '80' || port === '443' || port === '5432';
    return open ? ok() : err(1, `nc: connect to ${ip} port ${port} (tcp) failed: Connection refused`);
  }
  if (port === '2181') {
    const binder =
      owner?.kind === 'zone' && owner.inst.service === 'binder' && world.isUp(owner.inst) ? owner.inst : undefined;
    if (!binder) return err(1, `nc: connect to ${ip} port 2181 (tcp) failed: Connection refused`);
    const word = stdin.toString('utf8').trim();
    if (word === 'ruok') return ok('imok');
    if (word === 'stat') return ok(zkStat(world, ip));
    return ok();
  }
  return err(1, `nc: connect to ${ip} port ${port} (tcp) failed: Connection refused`);
}

/** `ping IP [timeout]` in a server's GZ: from that server, so a partition between it and IP is a timeout. */
export function ping(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const ip = args.find((a) => !a.startsWith('-')) ?? '';
  return ipAnswers(world, ip, srv.hostname) ? ok(`${ip} is alive\n`) : err(1, `no answer from ${ip}\n`);
}

/** How long `ping IP [timeout]` waits before saying "no answer" (seconds, default 20). */
export function pingTimeoutMs(argv: readonly string[]): number {
  const t = Number(argv.filter((a) => !a.startsWith('-'))[2] ?? 20);
  return (Number.isFinite(t) ? t : 20) * 1000;
}
