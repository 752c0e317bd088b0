// What every conversion action handler works with: the run's context (DC,
// timing, target, journaled ids) and the few helpers they share (run a
// command and record its output, ask CNAPI/VMAPI about the target, wait).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dc } from '../../remote/dc.js';
import type { Host, RunResult } from '../../remote/host.js';
import { createCnapi, type CnapiServer } from '../../remote/triton/cnapi.js';
import { createVmapi } from '../../remote/triton/vmapi.js';
import type { ConvertAction } from '../../state/convert-action.js';
import { describeConvertAction } from '../../state/convert-describe.js';
import { adminNicOf } from '../../state/inventory.js';
import type { Prepared } from '../procedure/run-action.js';
import { ActionFailed } from '../procedure/action-failed.js';

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

export const DEFAULT_CONVERT_TIMING: ConvertTiming = {
  pollMs: 5_000,
  commandTimeoutMs: 10 * 60_000,
  bootTimeoutMs: 45 * 60_000,
  provisionTimeoutMs: 30 * 60_000,
  shutdownGraceMs: 3 * 60_000,
  settleMs: 3 * 60_000,
};

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

/** How one kind of action looks before (prepare) and acts (execute); its description is state/convert-describe.ts. */
export interface KindHandler<A extends ConvertAction> {
  /** Already done (then nothing runs), or not; throws when going on would be unsafe. */
  prepare(ctx: ConvertContext, a: A): Promise<Prepared>;
  /** Do it, once: a short result for the journal. */
  execute(ctx: ConvertContext, a: A): Promise<string>;
}

export function fail(a: ConvertAction, host: string, output: string, hint: string): ActionFailed<ConvertAction> {
  return new ActionFailed(a, host, describeConvertAction(a), output, hint);
}

export interface RunOpts {
  stdin?: string;
  timeoutMs?: number;
  /** The output holds secrets (/usbkey/config has password hashes): the journal gets its size only. */
  secret?: boolean;
}

/** Runs argv in `hostname`'s GZ; the output goes to the journal transcript. */
export async function run(
  ctx: ConvertContext,
  a: ConvertAction,
  hostname: string,
  argv: string[],
  opts: RunOpts = {},
): Promise<RunResult> {
  const r = await ctx.host(hostname).run(argv, {
    timeoutMs: opts.timeoutMs ?? ctx.timing.commandTimeoutMs,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const out = opts.secret
    ? `(${r.stdout.length} bytes of output, not recorded: it holds password hashes)\n${r.stderr}`
    : `${r.stdout}${r.stderr}`;
  ctx.onOutput?.(a, `${hostname}$ ${argv.join(' ')} -> exit ${r.code}\n${out}`);
  return r;
}

/** As run, and a non-zero exit fails the action. Resolves with stdout. */
export async function runOk(
  ctx: ConvertContext,
  a: ConvertAction,
  hostname: string,
  argv: string[],
  opts: RunOpts = {},
): Promise<string> {
  const r = await run(ctx, a, hostname, argv, opts);
  if (r.code !== 0)
    throw fail(
      a,
      hostname,
      `exit ${r.code}: ${(r.stderr || r.stdout).trim()}`,
      `read the output above, fix the cause on ${hostname}, then rerun: finished steps are not repeated`,
    );
  return r.stdout;
}

/** `test -<flag> path` in `a.host`'s GZ: true when it exits 0. */
export async function test(ctx: ConvertContext, a: ConvertAction, flag: '-d' | '-f', path: string): Promise<boolean> {
  return (await run(ctx, a, a.host, ['test', flag, path])).code === 0;
}

/** The target as CNAPI has it. */
export async function server(ctx: ConvertContext): Promise<CnapiServer | null> {
  return createCnapi({
    transport: ctx.dc.http,
    baseUrl: ctx.cnapiUrl,
    timeoutMs: ctx.timing.commandTimeoutMs,
  }).getServer(ctx.target.uuid, { timeoutMs: ctx.timing.commandTimeoutMs });
}

export const isHeadnodeNow = (s: CnapiServer | null): boolean => !!s && s.headnode && s.setup && s.status === 'running';

/** The new core zone of `service` on the target, as VMAPI lists it. */
export async function instanceOnTarget(
  ctx: ConvertContext,
  service: string,
): Promise<{ uuid: string; alias: string; state: string; ip: string | undefined } | undefined> {
  const vms = await createVmapi({
    transport: ctx.dc.http,
    baseUrl: ctx.vmapiUrl,
    timeoutMs: ctx.timing.commandTimeoutMs,
  }).listVms(
    { 'tag.smartdc_role': service, server_uuid: ctx.target.uuid, state: 'active' },
    { timeoutMs: ctx.timing.commandTimeoutMs },
  );
  const v = vms[0];
  return v
    ? { uuid: v.uuid, alias: v.alias ?? '', state: v.state, ip: adminNicOf(v.nics)?.ip ?? undefined }
    : undefined;
}

/** Polls `probe` until it says what it saw, the limit passes (a failure), or a stop is asked for. */
export async function waitFor(
  ctx: ConvertContext,
  a: ConvertAction,
  limitMs: number,
  probe: () => Promise<string | undefined>,
  what: string,
  hint: string,
): Promise<string> {
  const until = Date.now() + limitMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() >= until)
      throw fail(
        a,
        ctx.dc.local.name,
        `${what} within ${limitMs >= 120_000 ? `${Math.round(limitMs / 60_000)} min` : `${Math.round(limitMs / 1000)} s`}`,
        hint,
      );
    if (ctx.signal?.aborted)
      throw fail(a, ctx.dc.local.name, 'stopped by the operator', 'rerun to continue: the wait starts again');
    await sleep(ctx.timing.pollMs);
  }
}
