// Each plan action as prepare (look at what exists: is it already done?) and
// execute (do it, once). Prepare makes every action safe to meet again after a
// crash: nothing is repeated blindly.
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dc } from '../remote/dc.js';
import { RemoteError } from '../remote/errors.js';
import type { Host } from '../remote/host.js';
import { formatCommand } from '../values/shell-quote.js';
import { imgadmGet } from '../remote/triton/imgadm.js';
import { svcsXz } from '../remote/triton/svcs.js';
import { ipadmArgv, zoneAddrs } from '../remote/triton/ipadm.js';
import { vmadmGet, type VmadmVm } from '../remote/triton/vmadm.js';
import { Ipv4 } from '../values/schemas.js';
import { setupMarker, zoneSetup } from '../remote/triton/zone-setup.js';
import { zfsListSnapshots } from '../remote/triton/zfs.js';
import type { ActionKind, PlanAction } from '../state/plan.js';
import { redactText } from '../state/redact.js';
import { delegatedDatasetName } from '../catalogue.js';
import type { Prepared } from './procedure/run-action.js';

export interface Timing {
  /** Between health polls. */
  pollMs: number;
  /** How long a zone gets to become healthy after its first boot starts. */
  healthTimeoutMs: number;
  /** Deadline of one command or HTTP call. */
  commandTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = { pollMs: 1_000, healthTimeoutMs: 10 * 60_000, commandTimeoutMs: 10 * 60_000 };

/** A failed action, said the way an operator needs it: what, where, the command, output, next step. */
export class ActionFailed extends Error {
  /** Shown, journaled and reported: redacted (an API error may echo a payload). */
  readonly output: string;
  constructor(
    readonly action: PlanAction,
    readonly host: string,
    readonly command: string,
    output: string,
    readonly hint: string,
  ) {
    super(`${action.summary} failed on ${host}`);
    this.name = 'ActionFailed';
    this.output = redactText(output);
  }
}

export type { Prepared };

export interface ActionContext {
  dc: Dc;
  timing: Timing;
  signal?: AbortSignal;
  /** Command output, for the journal transcript and the log pane. */
  onOutput?: (a: PlanAction, stdout: string, stderr: string) => void;
}

function uuidOfVmAction(a: PlanAction): string {
  if (a.kind === 'create-vm') return String(a.stdinJson?.['uuid']);
  if (a.kind === 'receive-dataset') return /^zones\/([0-9a-f-]{36})\/data$/.exec(a.argv?.at(-1) ?? '')?.[1] ?? '';
  return a.argv?.at(-1) ?? '';
}

async function http(ctx: ActionContext, a: PlanAction, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: string }> {
  const r = await ctx.dc.http({ method, url, timeoutMs: ctx.timing.commandTimeoutMs, ...(body !== undefined ? { body } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  ctx.onOutput?.(a, `${method} ${url} -> HTTP ${r.status}\n${r.body.slice(0, 2000)}`, '');
  return r;
}

async function runArgv(ctx: ActionContext, a: PlanAction, host: Host): Promise<void> {
  const stdin = a.stdinFile ? createReadStream(a.stdinFile) : a.stdinJson ? JSON.stringify(a.stdinJson) : undefined;
  const cmd = formatCommand(a.argv!) + (a.stdinFile ? ` < ${a.stdinFile}` : '');
  let r;
  try {
    r = await host.run(a.argv!, { timeoutMs: ctx.timing.commandTimeoutMs, ...(stdin !== undefined ? { stdin } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (err) {
    if (err instanceof RemoteError) throw new ActionFailed(a, host.name, cmd, err.message, err.hint);
    throw err;
  }
  ctx.onOutput?.(a, r.stdout, r.stderr);
  if (r.code !== 0) {
    throw new ActionFailed(a, host.name, cmd, `exit ${r.code}\n${r.stderr}${r.stdout}`.trim(), 'read the error above; fix what it names, then rerun: finished steps are not repeated');
  }
}

async function runHttp(ctx: ActionContext, a: PlanAction, ok: (status: number) => boolean): Promise<void> {
  const call = a.http!;
  let r;
  try {
    r = await http(ctx, a, call.method, call.url, call.body);
  } catch (err) {
    throw new ActionFailed(a, ctx.dc.local.name, `${call.method} ${call.url}`, (err as Error).message, 'the API did not answer: is its zone running and healthy?');
  }
  if (!ok(r.status)) {
    throw new ActionFailed(a, ctx.dc.local.name, `${call.method} ${call.url}`, `HTTP ${r.status} ${r.body.slice(0, 500)}`, 'read the API error above; fix it, then rerun');
  }
}

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
async function addressesUp(a: PlanAction, host: Host, vm: VmadmVm, t: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
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
      throw new ActionFailed(a, host.name, cmd, `${addr.addrobj} ${n.ip} of ${vm.alias ?? vm.uuid} (${vm.uuid}) is DUPLICATE: another host on the network held ${n.ip} first, so whatever answers on ${n.ip} is not this zone`,
        `find the other holder (arp -an | grep ${n.ip} in this GZ shows the MAC that answers; sdc-napi /networks/<admin uuid>/ips/${n.ip} names its owner, belongs_to_uuid) and take the IP from it; then vmadm stop ${vm.uuid}; vmadm start ${vm.uuid} so the zone claims it again, and rerun`);
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
async function waitHealthy(ctx: ActionContext, a: PlanAction): Promise<string> {
  const uuid = a.argv!.at(-1)!;
  const host = ctx.dc.local;
  const deadline = Date.now() + ctx.timing.healthTimeoutMs;
  const t = { timeoutMs: Math.min(ctx.timing.commandTimeoutMs, 60_000), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  let last = 'not checked yet';
  while (Date.now() < deadline) {
    const vm = await vmadmGet(host, uuid, t);
    if (!vm) throw new ActionFailed(a, host.name, formatCommand(['vmadm', 'get', uuid]), 'no such VM', 'the zone is gone: rerun to re-create it');
    const zonepath = vm.zonepath ?? `/zones/${uuid}`;
    // svcs fails on a zone that is not running, which is then moot.
    const [setup, svcs] = vm.state === 'running'
      ? await Promise.all([zoneSetup(host, zonepath, t), svcsXz(host, uuid, t).catch(() => undefined)])
      : [undefined, undefined];
    if (setup === 'failed') {
      throw new ActionFailed(a, host.name, formatCommand(['test', '-f', setupMarker(zonepath, 'setup_failed')]), `${uuid}: its first-boot setup failed`,
        firstBootFailedHint(uuid, `read its setup log (${zonepath}/root/var/svc/setup.log)`));
    }
    const broken = svcs?.problems.find((p) => p.state.startsWith('maintenance'));
    if (broken) {
      throw new ActionFailed(a, host.name, formatCommand(['svcs', '-xz', uuid]), `${broken.fmri}: ${broken.state}${broken.reason ? ` (${broken.reason})` : ''}`,
        firstBootFailedHint(uuid, `look at the service log (svcs -L -z ${uuid} ${broken.fmri})`));
    }
    const pending = vm.state !== 'running' || !svcs ? `zone state ${vm.state}`
      : setup !== 'complete' ? `setup not complete yet (no ${setupMarker(zonepath, 'setup_complete')})`
      : !svcs.healthy ? `svcs: ${svcs.problems.map((p) => `${p.fmri} ${p.state}`).join(', ')}`
      // Only now ask whose answer the ping would be: DAD may still be probing before.
      : await addressesUp(a, host, vm, t);
    if (pending) last = pending;
    else if (a.http) {
      try {
        const r = await ctx.dc.http({ method: 'GET', url: a.http.url, timeoutMs: 10_000, ...(a.http.tls ? { tls: a.http.tls } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
        if (r.status === 200) return `healthy: running, setup complete, svcs clean, its addresses its own, ${new URL(a.http.url).pathname} answers`;
        last = `${a.http.url} answered HTTP ${r.status}`;
      } catch (err) {
        last = `${a.http.url}: ${(err as Error).message}`;
      }
    } else return 'healthy: running, setup complete, svcs clean, its addresses its own';
    await sleep(ctx.timing.pollMs, undefined, ctx.signal ? { signal: ctx.signal } : undefined);
  }
  throw new ActionFailed(a, host.name, formatCommand(['svcs', '-xz', uuid]), `still not healthy after ${Math.round(ctx.timing.healthTimeoutMs / 1000)} s: ${last}`,
    `check the zone by hand (zlogin ${uuid} svcs -x; tail its SMF logs and /var/svc/setup.log); rerun once it is healthy: the restore continues after it`);
}

/** SAPI metadata or CNAPI boot parameters: done when the API already holds every value the update would set. */
async function settingsAlreadySet(ctx: ActionContext, a: PlanAction): Promise<Prepared> {
  const want = a.kind === 'update-sapi-metadata'
    ? ((a.http!.body as { metadata: Record<string, unknown> }).metadata)
    : ((a.http!.body as { kernel_args: Record<string, unknown> }).kernel_args);
  const r = await http(ctx, a, 'GET', a.http!.url);
  if (r.status !== 200) return { done: false };
  const cur = JSON.parse(r.body) as { metadata?: Record<string, unknown>; kernel_args?: Record<string, unknown> };
  const have = (a.kind === 'update-sapi-metadata' ? cur.metadata : cur.kernel_args) ?? {};
  return Object.entries(want).every(([k, v]) => have[k] === v) ? { done: true, why: 'already set' } : { done: false };
}

/** How one kind of action looks before (prepare) and acts (execute). */
interface KindHandler {
  /** Already done (then nothing runs), or not; throws when going on would be unsafe. */
  prepare(ctx: ActionContext, a: PlanAction, look: { host: Host; t: { timeoutMs: number; signal?: AbortSignal } }): Promise<Prepared>;
  /** Do it, once: a short result for the journal. */
  execute(ctx: ActionContext, a: PlanAction): Promise<string>;
}

const ok2xx = (st: number): boolean => st >= 200 && st < 300;
/** Runs the action's argv in this GZ (stdin: its payload or stream file). */
const argvAction = (result: string) => (ctx: ActionContext, a: PlanAction): Promise<string> => runArgv(ctx, a, ctx.dc.local).then(() => result);
/** Makes the action's HTTP call; `ok` says which statuses mean done. */
const httpAction = (result: string, ok: (status: number) => boolean) => (ctx: ActionContext, a: PlanAction): Promise<string> => runHttp(ctx, a, ok).then(() => result);

/**
 * Every action kind, one entry each: what prepare looks at on a rerun and what
 * execute does (test/steps/actions.test.ts pins each rule). The compiler asks
 * for an entry for every ActionKind.
 */
const KINDS: Record<ActionKind, KindHandler> = {
  'install-image': {
    async prepare(ctx, a, { host, t }) {
      return (await imgadmGet(host, a.image!, t)) ? { done: true, why: `image ${a.image} is installed` } : { done: false };
    },
    execute: argvAction('ok'),
  },
  'create-vm': {
    async prepare(ctx, a, { host, t }) {
      const uuid = uuidOfVmAction(a);
      const vm = await vmadmGet(host, uuid, t);
      if (!vm) return { done: false };
      if (vm.alias !== a.stdinJson?.['alias']) {
        throw new ActionFailed(a, host.name, formatCommand(['vmadm', 'get', uuid]), `alias ${vm.alias ?? '(none)'}`, `a VM with uuid ${uuid} exists here but is not ${String(a.stdinJson?.['alias'])}: find out what it is before going on`);
      }
      if (vm.state === 'failed' || vm.state === 'provisioning') {
        throw new ActionFailed(a, host.name, formatCommand(['vmadm', 'get', uuid]), `state ${vm.state}`, `the earlier create did not finish: check it, then remove it with vmadm delete ${uuid} and rerun`);
      }
      return { done: true, why: `VM ${uuid} exists (${vm.state})` };
    },
    execute: argvAction('ok'),
  },
  'receive-dataset': {
    async prepare(ctx, a, { host, t }) {
      const uuid = uuidOfVmAction(a);
      const ds = delegatedDatasetName(uuid);
      const snaps = await zfsListSnapshots(host, ds, t);
      if (snaps?.some((s) => a.snapshot !== undefined && s === `${ds}@${a.snapshot}`)) return { done: true, why: `${ds}@${a.snapshot} is there: the stream was received` };
      const vm = await vmadmGet(host, uuid, t);
      if (vm && vm.state === 'running') {
        throw new ActionFailed(a, host.name, formatCommand(a.argv!), `zone ${uuid} is running without its data`, `stop it (vmadm stop ${uuid}), then rerun: the receive replaces what it wrote, and what it wrote is lost`);
      }
      return { done: false };
    },
    execute: argvAction('ok'),
  },
  'start-vm': {
    async prepare(ctx, a, { host, t }) {
      const vm = await vmadmGet(host, uuidOfVmAction(a), t);
      return vm && vm.state === 'running' ? { done: true, why: 'zone is running' } : { done: false };
    },
    execute: argvAction('ok'),
  },
  'wait-healthy': {
    // Never done by itself: health is always looked at again.
    prepare: async () => ({ done: false }),
    execute: waitHealthy,
  },
  'sapi-instance': {
    async prepare(ctx, a) {
      const body = a.http!.body as { uuid: string };
      const r = await http(ctx, a, 'GET', `${a.http!.url}/${body.uuid}`);
      return r.status === 200 ? { done: true, why: `SAPI has instance ${body.uuid}` } : { done: false };
    },
    execute: httpAction('recorded', ok2xx),
  },
  'release-nic': {
    async prepare(ctx, a) {
      const r = await http(ctx, a, 'GET', a.http!.url);
      return r.status === 404 ? { done: true, why: 'NAPI has no such NIC' } : { done: false };
    },
    execute: httpAction('done', (st) => ok2xx(st) || st === 404),
  },
  'delete-server': {
    async prepare(ctx, a) {
      const r = await http(ctx, a, 'GET', a.http!.url);
      return r.status === 404 ? { done: true, why: 'CNAPI has no such server' } : { done: false };
    },
    execute: httpAction('done', (st) => ok2xx(st) || st === 404),
  },
  'update-sapi-instance': {
    async prepare(ctx, a) {
      const want = (a.http!.body as { params: { server_uuid: string } }).params.server_uuid;
      const r = await http(ctx, a, 'GET', a.http!.url);
      if (r.status !== 200) return { done: false };
      const cur = JSON.parse(r.body) as { params?: { server_uuid?: unknown } };
      return cur.params?.server_uuid === want ? { done: true, why: `SAPI already has it on ${want}` } : { done: false };
    },
    execute: httpAction('updated', ok2xx),
  },
  'update-sapi-metadata': { prepare: (ctx, a) => settingsAlreadySet(ctx, a), execute: httpAction('updated', ok2xx) },
  'update-boot-params': { prepare: (ctx, a) => settingsAlreadySet(ctx, a), execute: httpAction('updated', ok2xx) },
};

export function prepare(ctx: ActionContext, a: PlanAction): Promise<Prepared> {
  const t = { timeoutMs: ctx.timing.commandTimeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  return KINDS[a.kind].prepare(ctx, a, { host: ctx.dc.local, t });
}

export function execute(ctx: ActionContext, a: PlanAction): Promise<string> {
  return KINDS[a.kind].execute(ctx, a);
}
