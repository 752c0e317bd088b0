// Each conversion action as prepare (is it already done? look at the servers
// and APIs) and execute (do it once). A rerun after a crash meets every action
// again through prepare: nothing is repeated blindly, a server is never
// rebooted twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Dc } from '../remote/dc.js';
import { RemoteError } from '../remote/errors.js';
import type { Host, RunResult } from '../remote/host.js';
import { createCnapi, type CnapiServer } from '../remote/triton/cnapi.js';
import { manateePgStatus } from '../remote/triton/manatee.js';
import { svcsXz } from '../remote/triton/svcs.js';
import { Sysinfo, adminIpOf, bootTimeMs, getSysinfo, isHeadnode, macOfTag } from '../remote/triton/sysinfo.js';
import { Uuid } from '../values/schemas.js';
import { zkRuok } from '../remote/triton/zookeeper.js';
import { createVmapi } from '../remote/triton/vmapi.js';
import { describeConvertAction } from '../state/convert-describe.js';
import { PREPARE_DIR, type ConvertAction } from '../state/convert-plan.js';
import { secondaryHeadnodeConfig } from '../state/headnode-config.js';
import { adminNicOf } from '../state/inventory.js';
import type { Prepared } from './procedure/run-action.js';
import { ActionFailed } from './procedure/action-failed.js';

/** The action that packs usbkey-base.tgz (convert-plan.ts). */
const BASE_ID = 'usbkey-data/base';

export interface ConvertTiming {
  pollMs: number;
  /** One command or HTTP call. */
  commandTimeoutMs: number;
  /** The two reboots, until CNAPI shows a headnode. */
  bootTimeoutMs: number;
  /** An sdcadm create / SAPI provision, until the zone is healthy. */
  provisionTimeoutMs: number;
  /** After `reboot` is sent, how long a server may take to go down. */
  shutdownGraceMs: number;
  /** How long it must stay up as a headnode before the wait ends (headnode.sh's own reboot comes first). */
  settleMs: number;
}

export const DEFAULT_CONVERT_TIMING: ConvertTiming = { pollMs: 5_000, commandTimeoutMs: 10 * 60_000, bootTimeoutMs: 45 * 60_000, provisionTimeoutMs: 30 * 60_000, shutdownGraceMs: 3 * 60_000, settleMs: 3 * 60_000 };

export interface ConvertContext {
  dc: Dc;
  timing: ConvertTiming;
  target: { hostname: string; uuid: string };
  cnapiUrl: string;
  vmapiUrl: string;
  /** share/headnode-prepare.sh, fed to bash on the server. */
  prepareScript: string;
  /** A server's GZ by hostname (local or over SSH). */
  host(hostname: string): Host;
  onOutput?: (a: ConvertAction, text: string) => void;
  signal?: AbortSignal;
  /** What this conversion's journal says of earlier runs: actions started, actions that ended ok. */
  journaled: { started: ReadonlySet<string>; endedOk: ReadonlySet<string> };
  sapiUrl: string;
  /** Set when this run sent the reboot (epoch ms): only a boot after it tells how the server booted. */
  rebootSentAt?: number;
}

/** The conversion's failures are the shared ActionFailed (procedure/action-failed.ts). */
export { ActionFailed };

export type { Prepared };

const NetFile = z.object({ nictags: z.array(z.object({ name: z.string(), mac: z.string() })).refine((t) => t.some((x) => x.name === 'admin'), 'no admin nictag') });

function fail(a: ConvertAction, host: string, output: string, hint: string): ActionFailed<ConvertAction> {
  return new ActionFailed(a, host, describeConvertAction(a), output, hint);
}

interface RunOpts {
  stdin?: string;
  timeoutMs?: number;
  /** The output holds secrets (/usbkey/config has password hashes): the journal gets its size only. */
  secret?: boolean;
}

async function run(ctx: ConvertContext, a: ConvertAction, hostname: string, argv: string[], opts: RunOpts = {}): Promise<RunResult> {
  const r = await ctx.host(hostname).run(argv, { timeoutMs: opts.timeoutMs ?? ctx.timing.commandTimeoutMs, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const out = opts.secret ? `(${r.stdout.length} bytes of output, not recorded: it holds password hashes)\n${r.stderr}` : `${r.stdout}${r.stderr}`;
  ctx.onOutput?.(a, `${hostname}$ ${argv.join(' ')} -> exit ${r.code}\n${out}`);
  return r;
}

async function runOk(ctx: ConvertContext, a: ConvertAction, hostname: string, argv: string[], opts: RunOpts = {}): Promise<string> {
  const r = await run(ctx, a, hostname, argv, opts);
  if (r.code !== 0) throw fail(a, hostname, `exit ${r.code}: ${(r.stderr || r.stdout).trim()}`, `read the output above, fix the cause on ${hostname}, then rerun: finished steps are not repeated`);
  return r.stdout;
}

async function server(ctx: ConvertContext): Promise<CnapiServer | null> {
  return createCnapi({ transport: ctx.dc.http, baseUrl: ctx.cnapiUrl, timeoutMs: ctx.timing.commandTimeoutMs }).getServer(ctx.target.uuid, { timeoutMs: ctx.timing.commandTimeoutMs });
}

const isHeadnodeNow = (s: CnapiServer | null): boolean => !!s && s.headnode && s.setup && s.status === 'running';

/** The new core zone of `service` on the target, as VMAPI lists it. */
async function instanceOnTarget(ctx: ConvertContext, service: string): Promise<{ uuid: string; alias: string; state: string; ip: string | undefined } | undefined> {
  const vms = await createVmapi({ transport: ctx.dc.http, baseUrl: ctx.vmapiUrl, timeoutMs: ctx.timing.commandTimeoutMs }).listVms(
    { 'tag.smartdc_role': service, server_uuid: ctx.target.uuid, state: 'active' },
    { timeoutMs: ctx.timing.commandTimeoutMs },
  );
  const v = vms[0];
  return v ? { uuid: v.uuid, alias: v.alias ?? '', state: v.state, ip: adminNicOf(v.nics)?.ip ?? undefined } : undefined;
}

/** When headnode-prepare.sh last said "prepared" (epoch ms), from its log on the server. */
async function preparedAt(ctx: ConvertContext, a: ConvertAction): Promise<number | undefined> {
  const r = await run(ctx, a, ctx.target.hostname, ['cat', '/var/log/headnode-prepare.log']);
  if (r.code !== 0) return undefined;
  const lines = r.stdout.split('\n').filter((l) => l.includes(`prepared ${ctx.target.uuid}`));
  const t = Date.parse(lines.at(-1)?.split(' ')[0] ?? '');
  return Number.isNaN(t) ? undefined : t;
}

const SapiInstances = z.array(z.looseObject({ uuid: z.string(), params: z.looseObject({ alias: z.string().optional(), server_uuid: z.string().optional() }).optional() }));

/** The instance a SAPI CreateInstance in this plan asks for (same alias, same server), if SAPI has it. */
async function sapiHasInstance(ctx: ConvertContext, a: ConvertAction): Promise<boolean> {
  const body = a.http?.body as { service_uuid?: string; params?: { alias?: string } } | undefined;
  if (!body?.service_uuid) return false;
  const r = await ctx.dc.http({ method: 'GET', url: `${ctx.sapiUrl}/instances?service_uuid=${encodeURIComponent(body.service_uuid)}`, timeoutMs: ctx.timing.commandTimeoutMs });
  if (r.status !== 200) throw fail(a, ctx.dc.local.name, `SAPI GET /instances: HTTP ${r.status}`, 'is sapi0 healthy? then rerun');
  const list = SapiInstances.safeParse(JSON.parse(r.body));
  if (!list.success) throw fail(a, ctx.dc.local.name, `SAPI /instances: unexpected answer (${list.error.issues[0]?.message ?? ''})`, 'check SAPI by hand: sdc-sapi /instances');
  return list.data.some((i) => i.params?.alias === body.params?.alias && i.params?.server_uuid === ctx.target.uuid);
}

/** Why the server counts as rebooted since its preparation, or undefined while it is up on its old boot. */
async function rebootedSincePrepare(ctx: ConvertContext, a: ConvertAction): Promise<string | undefined> {
  try {
    const at = await preparedAt(ctx, a);
    const boot = bootTimeMs(await getSysinfo(ctx.host(ctx.target.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }));
    return at !== undefined && boot !== undefined && boot >= at ? `it booted at ${new Date(boot).toISOString()}, after the preparation` : undefined;
  } catch (err) {
    // Not answering after a reboot was started: it is rebooting. Never reboot it again blindly.
    if (err instanceof RemoteError && (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'connection-lost')) {
      return `${ctx.target.hostname} does not answer: taken as rebooting (the wait that follows checks it comes back)`;
    }
    throw err;
  }
}

/**
 * When it booted after the preparation without headnode=true in its boot
 * parameters: it did not boot its USB key (the key's loader config sets
 * headnode=true, sdc-headnode boot/loader.conf; the booter's PXE boot
 * parameters for a CN do not). It came back as a compute node.
 */
async function bootedAsCnSincePrepare(ctx: ConvertContext, a: ConvertAction, seen: { preparedAt?: number } = {}): Promise<number | undefined> {
  const si = await getSysinfo(ctx.host(ctx.target.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }).catch(() => undefined);
  const boot = si ? bootTimeMs(si) : undefined;
  if (!si || boot === undefined || isHeadnode(si)) return undefined;
  // The log line does not change while the server reboots: read once per wait.
  seen.preparedAt ??= await preparedAt(ctx, a).catch(() => undefined);
  if (seen.preparedAt === undefined || boot < seen.preparedAt) return undefined;
  // Still up on the boot before the reboot this run sent (sysinfo's Boot Time is in seconds).
  if (ctx.rebootSentAt !== undefined && boot < Math.floor(ctx.rebootSentAt / 1000) * 1000) return undefined;
  return boot;
}

/** A PXE boot after the preparation: waiting longer changes nothing. */
async function failIfPxeBooted(ctx: ConvertContext, a: ConvertAction, seen: { preparedAt?: number }): Promise<void> {
  const t = ctx.target;
  const boot = await bootedAsCnSincePrepare(ctx, a, seen);
  if (boot === undefined) return;
  throw fail(
    a,
    t.hostname,
    `${t.hostname} booted at ${new Date(boot).toISOString()} as a compute node (no headnode=true in bootparams): it booted from the network (PXE), not from its USB key`,
    `set ${t.hostname} to boot from its USB key (BIOS setup or IPMI boot order, not PXE/network), then run the conversion again: the key stays prepared and the conversion reboots it once more`,
  );
}

export async function prepareConvert(ctx: ConvertContext, a: ConvertAction): Promise<Prepared> {
  switch (a.kind) {
    case 'mkdir':
      return (await run(ctx, a, a.host, ['test', '-d', a.path!])).code === 0 ? { done: true, why: `${a.path} exists` } : { done: false };
    case 'fetch-sdcadm':
      return (await run(ctx, a, a.host, ['test', '-f', a.path!])).code === 0 ? { done: true, why: `${a.path} is there` } : { done: false };
    case 'usbkey-mount': {
      // Nothing more to pack: the nofoldcase mount is not needed again.
      if (a.argv!.includes('--nofoldcase') && ctx.journaled.endedOk.has(BASE_ID) && (await run(ctx, a, a.host, ['test', '-f', `${PREPARE_DIR}/usbkey-base.tgz`])).code === 0) return { done: true, why: 'usbkey-base.tgz is packed' };
      // Mounted by this conversion and still there (a reboot unmounts it).
      if (ctx.journaled.endedOk.has(a.id) && (await run(ctx, a, a.host, ['test', '-f', `${a.path!}/.joyliveusb`])).code === 0) return { done: true, why: `the USB key is mounted at ${a.path!}` };
      return { done: false };
    }
    case 'usbkey-unmount':
      return ctx.journaled.endedOk.has(a.id) ? { done: true, why: 'unmounted by this conversion' } : { done: false };
    case 'write-base':
    case 'write-netfile':
    case 'write-config':
      // A file left by an earlier conversion (an older platform, another config) is written anew.
      if (!ctx.journaled.endedOk.has(a.id)) return { done: false };
      return (await run(ctx, a, a.host, ['test', '-f', a.path!])).code === 0 ? { done: true, why: `${a.path} was written by this conversion` } : { done: false };
    case 'remove-file':
      return (await run(ctx, a, a.host, ['test', '-f', a.path!])).code !== 0 ? { done: true, why: `${a.path} is gone` } : { done: false };
    case 'prepare-server': {
      if (isHeadnodeNow(await server(ctx))) return { done: true, why: `${ctx.target.hostname} is a headnode already` };
      // Only this conversion's run counts: a log line from an earlier conversion
      // says nothing of the key now. Running the script again is harmless.
      if (!ctx.journaled.endedOk.has(a.id)) return { done: false };
      return (await preparedAt(ctx, a)) !== undefined ? { done: true, why: '/var/log/headnode-prepare.log says it was prepared' } : { done: false };
    }
    case 'reboot': {
      if (isHeadnodeNow(await server(ctx))) return { done: true, why: `${ctx.target.hostname} is back as a headnode` };
      // Back from an earlier reboot as a compute node (PXE): once the boot order is fixed, it reboots again.
      if ((await bootedAsCnSincePrepare(ctx, a)) !== undefined) return { done: false };
      // Journaled as started by an earlier run: it may or may not have been sent
      // (the kill can fall on either side), and a server keeps answering for a
      // while after `reboot`. Watch it for the shutdown grace: it goes down or
      // boots anew -> sent, never again; still up on its old boot -> never sent.
      const sent = ctx.journaled.started.has(a.id);
      const until = Date.now() + (sent ? ctx.timing.shutdownGraceMs : 0);
      for (;;) {
        const seen = await rebootedSincePrepare(ctx, a);
        if (seen) return { done: true, why: seen };
        if (Date.now() >= until) return { done: false };
        await sleep(ctx.timing.pollMs);
      }
    }
    case 'wait-headnode':
      return isHeadnodeNow(await server(ctx)) ? { done: true, why: 'CNAPI shows it set up, running, headnode=true' } : { done: false };
    case 'create-instance': {
      // ha-binder is idempotent and does more than create the zone (ZK_SERVERS,
      // resolvers): cut short, it runs again; it is done only once it finished.
      if (a.service === 'binder') return ctx.journaled.endedOk.has(a.id) ? { done: true, why: 'ha-binder finished in an earlier run' } : { done: false };
      // SAPI stores the instance before VMAPI knows the zone: ask SAPI first.
      if (a.http && (await sapiHasInstance(ctx, a))) return { done: true, why: `SAPI has the ${a.service} instance for ${ctx.target.hostname}` };
      const inst = await instanceOnTarget(ctx, a.service!);
      return inst ? { done: true, why: `${inst.alias} (${inst.uuid}) is on ${ctx.target.hostname}` } : { done: false };
    }
    case 'wait-instance':
      return { done: false };
  }
}

/** The updates-server image of the sdcadm build this headnode runs, or why not. */
async function deployedSdcadmImage(ctx: ConvertContext, a: ConvertAction, stamp: { path: string; argv: string[] }): Promise<{ uuid?: string; stamp?: string; why: string }> {
  const r = await run(ctx, a, a.host, ['cat', stamp.path]);
  // "-dirty" is dropped, as sdcadm does when it compares builds (lib/sdcadm.js).
  const build = r.stdout.trim().replace(/-dirty$/, '');
  if (r.code !== 0 || !/^[A-Za-z0-9._-]{1,200}$/.test(build)) return { why: `${stamp.path} on ${a.host} is unreadable` };
  const list = await run(ctx, a, a.host, stamp.argv.map((x) => x.replace('BUILDSTAMP', build)));
  const uuid = list.stdout.trim().split('\n')[0]?.trim() ?? '';
  if (list.code !== 0 || !Uuid.safeParse(uuid).success) return { stamp: build, why: `the updates server has no sdcadm image with buildstamp ${build}` };
  return { uuid, stamp: build, why: '' };
}

export async function executeConvert(ctx: ConvertContext, a: ConvertAction): Promise<string> {
  const t = ctx.target;
  switch (a.kind) {
    case 'mkdir':
      await runOk(ctx, a, a.host, a.argv!);
      return `created ${a.path}`;
    case 'fetch-sdcadm': {
      const src = a.source!;
      const deployed = a.stamp ? await deployedSdcadmImage(ctx, a, a.stamp) : { why: 'no buildstamp asked' };
      const uuid = deployed.uuid ?? (await runOk(ctx, a, src.host, src.argv)).trim();
      if (!Uuid.safeParse(uuid).success) throw fail(a, src.host, `updates-imgadm named no sdcadm image: "${uuid.slice(0, 200)}"`, `check the headnode reaches the updates server (updates-imgadm list name=sdcadm), or put an sdcadm installer at ${a.path ?? ''} by hand, then rerun`);
      const dir = a.path!.replace(/\/[^/]+$/, '');
      await runOk(ctx, a, a.host, ['mkdir', '-p', dir]);
      await runOk(ctx, a, a.host, [...a.argv!, uuid]);
      await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path!]);
      return deployed.uuid
        ? `wrote ${a.path} (sdcadm image ${uuid}, the build this headnode runs: ${deployed.stamp ?? ''})`
        : `wrote ${a.path} (sdcadm image ${uuid}, the latest build: ${deployed.why})`;
    }
    case 'usbkey-mount': {
      // sdc-usbkey mount prints where the key is mounted; gtar packs from there.
      const at = (await runOk(ctx, a, a.host, a.argv!)).trim();
      if (at !== a.path) throw fail(a, a.host, `sdc-usbkey mounted the key at "${at}", not ${a.path ?? ''}`, `mount it at ${a.path ?? ''} by hand (sdc-usbkey unmount; sdc-usbkey mount --nofoldcase), then rerun`);
      return `USB key mounted at ${at}`;
    }
    case 'usbkey-unmount':
      await runOk(ctx, a, a.host, a.argv!);
      return 'USB key unmounted';
    case 'write-base':
      await runOk(ctx, a, a.host, a.argv!);
      await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path!]);
      return `wrote ${a.path}`;
    case 'write-netfile':
    case 'write-config': {
      const src = a.source!;
      const secret = a.kind === 'write-config';
      const got = await runOk(ctx, a, src.host, src.argv, { secret });
      let content: string;
      if (a.kind === 'write-netfile') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(got);
        } catch {
          throw fail(a, src.host, `hn-netfile did not print JSON: ${got.slice(0, 200)}`, 'check the dhcpd zone (svcs -xz) and that CNAPI/NAPI answer, then rerun');
        }
        const ok = NetFile.safeParse(parsed);
        if (!ok.success) throw fail(a, src.host, `hn-netfile output has no admin nictag: ${ok.error.issues[0]?.message ?? ''}`, 'check the server has an admin NIC in NAPI (sdc-napi /nics?belongs_to_uuid=...)');
        content = JSON.stringify(parsed, null, 2) + '\n';
      } else {
        const si = Sysinfo.safeParse((await server(ctx))?.sysinfo);
        const adminMac = si.success ? macOfTag(si.data, 'admin') : undefined;
        const adminIp = si.success ? adminIpOf(si.data) : undefined;
        if (!si.success || !adminMac || !adminIp) throw fail(a, ctx.dc.local.name, `CNAPI sysinfo of ${t.hostname} names no admin NIC or admin IP`, `check sdc-server sysinfo ${t.uuid}`);
        const ext = macOfTag(si.data, 'external');
        content = secondaryHeadnodeConfig(got, { hostname: t.hostname, adminMac, adminIp, ...(ext ? { externalMac: ext } : {}) });
      }
      await runOk(ctx, a, a.host, a.argv!, { stdin: content, secret });
      await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path!]);
      return `wrote ${a.path} (${content.length} bytes)`;
    }
    case 'remove-file': {
      await runOk(ctx, a, a.host, a.argv!);
      return `removed ${a.path}`;
    }
    case 'prepare-server': {
      const out = await runOk(ctx, a, a.host, a.argv!, { stdin: ctx.prepareScript });
      return out.trim().split('\n').at(-1) ?? 'prepared';
    }
    case 'reboot': {
      ctx.rebootSentAt = Date.now();
      try {
        const r = await run(ctx, a, a.host, a.argv!, { timeoutMs: Math.min(ctx.timing.commandTimeoutMs, 60_000) });
        if (r.code !== 0) throw fail(a, a.host, `exit ${r.code}: ${(r.stderr || r.stdout).trim()}`, `reboot ${a.host} by hand (its console, or IPMI), then rerun: the wait picks it up`);
      } catch (err) {
        if (err instanceof ActionFailed) throw err;
        // The link goes down with the server: that is the reboot happening.
        if (!(err instanceof RemoteError && err.mayHaveRun)) throw err;
      }
      return 'reboot started';
    }
    case 'wait-headnode': {
      const seen: { preparedAt?: number } = {};
      return waitFor(ctx, a, ctx.timing.bootTimeoutMs, async () => {
        await failIfPxeBooted(ctx, a, seen);
        const s = await server(ctx).catch(() => null);
        if (!isHeadnodeNow(s)) return undefined;
        // Boot 1 already says headnode=true, then headnode.sh reboots it once
        // more: only a server that stays up past the settle time is done.
        const si = await getSysinfo(ctx.host(t.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }).catch(() => undefined);
        const boot = si ? bootTimeMs(si) : undefined;
        if (boot === undefined || Date.now() - boot < ctx.timing.settleMs) return undefined;
        return `CNAPI: running, setup=true, headnode=true; up since ${new Date(boot).toISOString()}`;
      }, `${t.hostname} did not come back as a headnode`, `look at ${t.hostname}'s console (IPMI): did it boot from the USB key? /var/log/headnode-prepare.log and /var/svc/log/*headnode* say more`);
    }
    case 'create-instance': {
      if (a.http) {
        const r = await ctx.dc.http({ method: a.http.method, url: a.http.url, body: a.http.body, timeoutMs: ctx.timing.provisionTimeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        ctx.onOutput?.(a, `${a.http.method} ${a.http.url} -> HTTP ${r.status}\n${r.body.slice(0, 2000)}`);
        if (r.status >= 300) throw fail(a, ctx.dc.local.name, `HTTP ${r.status}: ${r.body.slice(0, 500)}`, 'check SAPI, VMAPI and the workflow (sdcadm check-health), then rerun');
        return `SAPI created the ${a.service} instance`;
      }
      return (await runOk(ctx, a, a.host, a.argv!, { timeoutMs: ctx.timing.provisionTimeoutMs })).trim().split('\n').at(-1) ?? 'created';
    }
    case 'wait-instance':
      return waitFor(ctx, a, ctx.timing.provisionTimeoutMs, async () => {
        const inst = await instanceOnTarget(ctx, a.service!).catch(() => undefined);
        if (!inst || inst.state !== 'running') return undefined;
        const gz = ctx.host(t.hostname);
        const o = { timeoutMs: ctx.timing.commandTimeoutMs };
        const h = await svcsXz(gz, inst.uuid, o).catch(() => undefined);
        if (!h?.healthy) return undefined;
        // Running is not joined: a binder answers ZooKeeper, a manatee peer shows in its shard.
        if (a.service === 'binder') {
          if (!inst.ip || (await zkRuok(gz, inst.ip, o).catch(() => null)) !== true) return undefined;
          return `${inst.alias} (${inst.uuid}) running, svcs -xz clean, ZooKeeper answers imok`;
        }
        if (a.service === 'manatee') {
          const pg = await manateePgStatus(gz, inst.uuid, o).catch(() => undefined);
          const ok = pg?.peers.filter((p) => p.pg === 'ok').length ?? 0;
          if (ok < 3) return undefined;
          return `${inst.alias} (${inst.uuid}) running; manatee-adm pg-status: ${ok} peers with postgres ok`;
        }
        return `${inst.alias} (${inst.uuid}) running, svcs -xz clean`;
      }, `the new ${a.service} on ${t.hostname} did not become healthy`, `zlogin to it on ${t.hostname} and read svcs -xv; the instance stays, a rerun waits again`);
  }
}

async function waitFor(ctx: ConvertContext, a: ConvertAction, limitMs: number, probe: () => Promise<string | undefined>, what: string, hint: string): Promise<string> {
  const until = Date.now() + limitMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() >= until) throw fail(a, ctx.dc.local.name, `${what} within ${limitMs >= 120_000 ? `${Math.round(limitMs / 60_000)} min` : `${Math.round(limitMs / 1000)} s`}`, hint);
    if (ctx.signal?.aborted) throw fail(a, ctx.dc.local.name, 'stopped by the operator', 'rerun to continue: the wait starts again');
    await sleep(ctx.timing.pollMs);
  }
}
