// Each plan action as prepare (look at what exists: is it already done?) and
// execute (do it, once). Prepare makes every action safe to meet again after a
// crash: nothing is repeated blindly.
import { createReadStream } from 'node:fs';
import { RemoteError } from '../remote/errors.js';
import type { Host } from '../remote/host.js';
import { formatCommand } from '../values/shell-quote.js';
import { imgadmGet } from '../remote/triton/imgadm.js';
import { vmadmGet } from '../remote/triton/vmadm.js';
import { zfsListSnapshots } from '../remote/triton/zfs.js';
import { z } from 'zod';
import {
  argvOf,
  stdinOf,
  type ActionKind,
  type ApiAction,
  type CommandAction,
  type PlanAction,
  type UpdateBootParams,
  type UpdateSapiMetadata,
} from '../state/plan-action.js';
import { delegatedDatasetName } from '../catalogue.js';
import type { Prepared } from './procedure/run-action.js';
import { ActionFailed } from './procedure/action-failed.js';
import type { ActionContext } from './action-context.js';
import { waitHealthy } from './wait-healthy.js';

export { DEFAULT_TIMING, type ActionContext, type Timing } from './action-context.js';
export { ActionFailed };
export type { Prepared };

async function http(
  ctx: ActionContext,
  a: PlanAction,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const r = await ctx.dc.http({
    method,
    url,
    timeoutMs: ctx.timing.commandTimeoutMs,
    ...(body !== undefined ? { body } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  ctx.onOutput?.(a, `${method} ${url} -> HTTP ${r.status}\n${r.body.slice(0, 2000)}`, '');
  return r;
}

async function runArgv(ctx: ActionContext, a: CommandAction, host: Host): Promise<void> {
  const argv = argvOf(a);
  const feed = stdinOf(a);
  const stdin = feed && 'file' in feed ? createReadStream(feed.file) : feed ? JSON.stringify(feed.json) : undefined;
  const cmd = formatCommand(argv) + (feed && 'file' in feed ? ` < ${feed.file}` : '');
  let r;
  try {
    r = await host.run(argv, {
      timeoutMs: ctx.timing.commandTimeoutMs,
      ...(stdin !== undefined ? { stdin } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (err) {
    if (err instanceof RemoteError) throw new ActionFailed(a, host.name, cmd, err.message, err.hint);
    throw err;
  }
  ctx.onOutput?.(a, r.stdout, r.stderr);
  if (r.code !== 0) {
    throw new ActionFailed(
      a,
      host.name,
      cmd,
      `exit ${r.code}\n${r.stderr}${r.stdout}`.trim(),
      'read the error above; fix what it names, then rerun: finished steps are not repeated',
    );
  }
}

async function runHttp(ctx: ActionContext, a: ApiAction, ok: (status: number) => boolean): Promise<void> {
  const call = a.http;
  const body = 'body' in call ? call.body : undefined;
  let r;
  try {
    r = await http(ctx, a, call.method, call.url, body);
  } catch (err) {
    throw new ActionFailed(
      a,
      ctx.dc.local.name,
      `${call.method} ${call.url}`,
      (err as Error).message,
      'the API did not answer: is its zone running and healthy?',
    );
  }
  if (!ok(r.status)) {
    throw new ActionFailed(
      a,
      ctx.dc.local.name,
      `${call.method} ${call.url}`,
      `HTTP ${r.status} ${r.body.slice(0, 500)}`,
      'read the API error above; fix it, then rerun',
    );
  }
}

/** What SAPI or CNAPI answers about the settings an update sets (the rest of the answer is not ours to read). */
const Settings = z.object({
  metadata: z.record(z.string(), z.unknown()).optional(),
  kernel_args: z.record(z.string(), z.unknown()).optional(),
  params: z.object({ server_uuid: z.unknown().optional() }).optional(),
});

async function currentSettings(ctx: ActionContext, a: ApiAction): Promise<z.infer<typeof Settings> | undefined> {
  const r = await http(ctx, a, 'GET', a.http.url);
  if (r.status !== 200) return undefined;
  const cur = Settings.safeParse(JSON.parse(r.body));
  return cur.success ? cur.data : undefined;
}

/** SAPI metadata or CNAPI boot parameters: done when the API already holds every value the update would set. */
async function settingsAlreadySet(ctx: ActionContext, a: UpdateSapiMetadata | UpdateBootParams): Promise<Prepared> {
  const cur = await currentSettings(ctx, a);
  if (!cur) return { done: false };
  const [want, have] =
    a.kind === 'update-sapi-metadata'
      ? [a.http.body.metadata, cur.metadata]
      : [a.http.body.kernel_args, cur.kernel_args];
  return Object.entries(want).every(([k, v]) => (have ?? {})[k] === v)
    ? { done: true, why: 'already set' }
    : { done: false };
}

/** How one kind of action looks before (prepare) and acts (execute). */
interface KindHandler<A extends PlanAction> {
  /** Already done (then nothing runs), or not; throws when going on would be unsafe. */
  prepare(
    ctx: ActionContext,
    a: A,
    look: { host: Host; t: { timeoutMs: number; signal?: AbortSignal } },
  ): Promise<Prepared>;
  /** Do it, once: a short result for the journal. */
  execute(ctx: ActionContext, a: A): Promise<string>;
}

/** The action of one kind, with the fields that kind carries. */
type OfKind<K extends ActionKind> = Extract<PlanAction, { kind: K }>;

const ok2xx = (st: number): boolean => st >= 200 && st < 300;
/** Runs the action's argv in this GZ (stdin: its payload or stream file). */
const argvAction =
  (result: string) =>
  (ctx: ActionContext, a: CommandAction): Promise<string> =>
    runArgv(ctx, a, ctx.dc.local).then(() => result);
/** Makes the action's HTTP call; `ok` says which statuses mean done. */
const httpAction =
  (result: string, ok: (status: number) => boolean) =>
  (ctx: ActionContext, a: ApiAction): Promise<string> =>
    runHttp(ctx, a, ok).then(() => result);

/**
 * Every action kind, one entry each: what prepare looks at on a rerun and what
 * execute does (test/steps/actions.test.ts pins each rule). The compiler asks
 * for an entry for every ActionKind, each typed by its own kind's fields.
 */
const KINDS: { [K in ActionKind]: KindHandler<OfKind<K>> } = {
  'install-image': {
    async prepare(ctx, a, { host, t }) {
      return (await imgadmGet(host, a.image, t))
        ? { done: true, why: `image ${a.image} is installed` }
        : { done: false };
    },
    execute: argvAction('ok'),
  },
  'create-vm': {
    async prepare(ctx, a, { host, t }) {
      const vm = await vmadmGet(host, a.uuid, t);
      if (!vm) return { done: false };
      if (vm.alias !== a.alias) {
        throw new ActionFailed(
          a,
          host.name,
          formatCommand(['vmadm', 'get', a.uuid]),
          `alias ${vm.alias ?? '(none)'}`,
          `a VM with uuid ${a.uuid} exists here but is not ${a.alias}: find out what it is before going on`,
        );
      }
      if (vm.state === 'failed' || vm.state === 'provisioning') {
        throw new ActionFailed(
          a,
          host.name,
          formatCommand(['vmadm', 'get', a.uuid]),
          `state ${vm.state}`,
          `the earlier create did not finish: check it, then remove it with vmadm delete ${a.uuid} and rerun`,
        );
      }
      return { done: true, why: `VM ${a.uuid} exists (${vm.state})` };
    },
    execute: argvAction('ok'),
  },
  'receive-dataset': {
    async prepare(ctx, a, { host, t }) {
      const ds = delegatedDatasetName(a.uuid);
      const snaps = await zfsListSnapshots(host, ds, t);
      if (snaps?.some((s) => a.snapshot !== undefined && s === `${ds}@${a.snapshot}`))
        return { done: true, why: `${ds}@${a.snapshot} is there: the stream was received` };
      const vm = await vmadmGet(host, a.uuid, t);
      if (vm && vm.state === 'running') {
        throw new ActionFailed(
          a,
          host.name,
          formatCommand(argvOf(a)),
          `zone ${a.uuid} is running without its data`,
          `stop it (vmadm stop ${a.uuid}), then rerun: the receive replaces what it wrote, and what it wrote is lost`,
        );
      }
      return { done: false };
    },
    execute: argvAction('ok'),
  },
  'start-vm': {
    async prepare(ctx, a, { host, t }) {
      const vm = await vmadmGet(host, a.uuid, t);
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
      const { uuid } = a.http.body;
      const r = await http(ctx, a, 'GET', `${a.http.url}/${uuid}`);
      return r.status === 200 ? { done: true, why: `SAPI has instance ${uuid}` } : { done: false };
    },
    execute: httpAction('recorded', ok2xx),
  },
  'release-nic': {
    async prepare(ctx, a) {
      const r = await http(ctx, a, 'GET', a.http.url);
      return r.status === 404 ? { done: true, why: 'NAPI has no such NIC' } : { done: false };
    },
    execute: httpAction('done', (st) => ok2xx(st) || st === 404),
  },
  'delete-server': {
    async prepare(ctx, a) {
      const r = await http(ctx, a, 'GET', a.http.url);
      return r.status === 404 ? { done: true, why: 'CNAPI has no such server' } : { done: false };
    },
    execute: httpAction('done', (st) => ok2xx(st) || st === 404),
  },
  'update-sapi-instance': {
    async prepare(ctx, a) {
      const want = a.http.body.params.server_uuid;
      const cur = await currentSettings(ctx, a);
      return cur?.params?.server_uuid === want
        ? { done: true, why: `SAPI already has it on ${want}` }
        : { done: false };
    },
    execute: httpAction('updated', ok2xx),
  },
  'update-sapi-metadata': { prepare: (ctx, a) => settingsAlreadySet(ctx, a), execute: httpAction('updated', ok2xx) },
  'update-boot-params': { prepare: (ctx, a) => settingsAlreadySet(ctx, a), execute: httpAction('updated', ok2xx) },
};

/** The handler of an action's own kind: the index keeps the kind and its fields together. */
function prepareAs<K extends ActionKind>(ctx: ActionContext, kind: K, a: OfKind<K>): Promise<Prepared> {
  const t = { timeoutMs: ctx.timing.commandTimeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const h: KindHandler<OfKind<K>> = KINDS[kind];
  return h.prepare(ctx, a, { host: ctx.dc.local, t });
}

function executeAs<K extends ActionKind>(ctx: ActionContext, kind: K, a: OfKind<K>): Promise<string> {
  const h: KindHandler<OfKind<K>> = KINDS[kind];
  return h.execute(ctx, a);
}

export function prepare(ctx: ActionContext, a: PlanAction): Promise<Prepared> {
  return prepareAs(ctx, a.kind, a);
}

export function execute(ctx: ActionContext, a: PlanAction): Promise<string> {
  return executeAs(ctx, a.kind, a);
}
