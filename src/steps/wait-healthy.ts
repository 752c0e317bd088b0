// The health wait of a re-created zone: running, its first-boot setup
// complete, SMF clean, its addresses its own (not DUPLICATE), its ping
// answering. A failure that will not clear by waiting fails at once, with
// what to do.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from '../remote/host.js';
import { ipadmArgv, zoneAddrs } from '../remote/triton/ipadm.js';
import { svcsXz } from '../remote/triton/svcs.js';
import { vmadmGet, type VmadmVm } from '../remote/triton/vmadm.js';
import { setupMarker, zoneSetup } from '../remote/triton/zone-setup.js';
import type { WaitHealthy } from '../state/plan-action.js';
import { Ipv4 } from '../values/schemas.js';
import { formatCommand } from '../values/shell-quote.js';
import type { ActionContext } from './action-context.js';
import { ActionFailed } from './procedure/action-failed.js';

/** What to do about a zone whose first boot failed: it does not retry by itself. */
function firstBootFailedHint(uuid: string, look: string): string {
  return `${look}. A first boot that could not reach SAPI fails like this and does not retry: once SAPI answers and knows ${uuid}, run vmadm stop ${uuid}; vmadm delete ${uuid}, then retry: the zone is created and its data received again`;
}

/**
 * Proof that an answer on the zone's IPs comes from this zone: each of its
 * addresses is up inside it (`zlogin <uuid> ipadm show-addr`), not
 * "duplicate". illumos runs duplicate address detection before an address
 * comes up; an address another host answered for first stays down, and then
 * every ping, TCP or HTTP call to that IP reaches the other host (sdcadm's
 * checkHealth would take that host's /ping for this zone's). '' when all are
 * up; else what is still pending. A duplicate is an immediate failure: it does
 * not clear while the other holder keeps the IP.
 */
async function addressesUp(
  a: WaitHealthy,
  host: Host,
  vm: VmadmVm,
  t: { timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const ips = vm.nics.filter((n) => n.ip !== undefined && Ipv4.safeParse(n.ip).success);
  if (ips.length === 0) return '';
  const cmd = formatCommand(ipadmArgv(vm.uuid));
  let addrs;
  try {
    addrs = await zoneAddrs(host, vm.uuid, t);
  } catch (err) {
    return `${cmd}: ${(err as Error).message}`;
  }
  for (const n of ips) {
    const addr = addrs.find((x) => x.ip === n.ip);
    if (addr?.state === 'duplicate') {
      throw new ActionFailed(
        a,
        host.name,
        cmd,
        `${addr.addrobj} ${n.ip} of ${vm.alias ?? vm.uuid} (${vm.uuid}) is DUPLICATE: another host on the network held ${n.ip} first, so whatever answers on ${n.ip} is not this zone`,
        `find the other holder (arp -an | grep ${n.ip} in this GZ shows the MAC that answers; sdc-napi /networks/<admin uuid>/ips/${n.ip} names its owner, belongs_to_uuid) and take the IP from it; then vmadm stop ${vm.uuid}; vmadm start ${vm.uuid} so the zone claims it again, and rerun`,
      );
    }
    if (!addr) return `${n.ip} is not configured in the zone yet (${cmd})`;
    if (addr.state !== 'ok') return `${addr.addrobj} ${n.ip} is ${addr.state} (${cmd})`;
  }
  return '';
}

/**
 * Zone running, its setup complete, `svcs -xz` clean, its addresses its own, and its ping answering:
 * polled until the deadline. setup_complete comes first, as in headnode.sh
 * create_zone: early in a first boot SMF can look clean before setup has even
 * started, so svcs alone would call a zone healthy too soon.
 */
export async function waitHealthy(ctx: ActionContext, a: WaitHealthy): Promise<string> {
  const uuid = a.uuid;
  const host = ctx.dc.local;
  const deadline = Date.now() + ctx.timing.healthTimeoutMs;
  const t = { timeoutMs: Math.min(ctx.timing.commandTimeoutMs, 60_000), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  let last = 'not checked yet';
  while (Date.now() < deadline) {
    const vm = await vmadmGet(host, uuid, t);
    if (!vm)
      throw new ActionFailed(
        a,
        host.name,
        formatCommand(['vmadm', 'get', uuid]),
        'no such VM',
        'the zone is gone: rerun to re-create it',
      );
    const zonepath = vm.zonepath ?? `/zones/${uuid}`;
    // svcs fails on a zone that is not running, which is then moot.
    const [setup, svcs] =
      vm.state === 'running'
        ? await Promise.all([zoneSetup(host, zonepath, t), svcsXz(host, uuid, t).catch(() => undefined)])
        : [undefined, undefined];
    if (setup === 'failed') {
      throw new ActionFailed(
        a,
        host.name,
        formatCommand(['test', '-f', setupMarker(zonepath, 'setup_failed')]),
        `${uuid}: its first-boot setup failed`,
        firstBootFailedHint(uuid, `read its setup log (${zonepath}/root/var/svc/setup.log)`),
      );
    }
    const broken = svcs?.problems.find((p) => p.state.startsWith('maintenance'));
    if (broken) {
      throw new ActionFailed(
        a,
        host.name,
        formatCommand(['svcs', '-xz', uuid]),
        `${broken.fmri}: ${broken.state}${broken.reason ? ` (${broken.reason})` : ''}`,
        firstBootFailedHint(uuid, `look at the service log (svcs -L -z ${uuid} ${broken.fmri})`),
      );
    }
    const pending =
      vm.state !== 'running' || !svcs
        ? `zone state ${vm.state}`
        : setup !== 'complete'
          ? `setup not complete yet (no ${setupMarker(zonepath, 'setup_complete')})`
          : !svcs.healthy
            ? `svcs: ${svcs.problems.map((p) => `${p.fmri} ${p.state}`).join(', ')}`
            : // Only now ask whose answer the ping would be: DAD may still be probing before.
              await addressesUp(a, host, vm, t);
    if (pending) last = pending;
    else if (a.http) {
      try {
        const r = await ctx.dc.http({
          method: 'GET',
          url: a.http.url,
          timeoutMs: 10_000,
          ...(a.http.tls ? { tls: a.http.tls } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        if (r.status === 200)
          return `healthy: running, setup complete, svcs clean, its addresses its own, ${new URL(a.http.url).pathname} answers`;
        last = `${a.http.url} answered HTTP ${r.status}`;
      } catch (err) {
        last = `${a.http.url}: ${(err as Error).message}`;
      }
    } else return 'healthy: running, setup complete, svcs clean, its addresses its own';
    await sleep(ctx.timing.pollMs, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
  }
  throw new ActionFailed(
    a,
    host.name,
    formatCommand(['svcs', '-xz', uuid]),
    `still not healthy after ${Math.round(ctx.timing.healthTimeoutMs / 1000)} s: ${last}`,
    `check the zone by hand (zlogin ${uuid} svcs -x; tail its SMF logs and /var/svc/setup.log); rerun once it is healthy: the restore continues after it`,
  );
}
