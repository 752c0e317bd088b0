// The conversion's HA actions: create a core zone on the new headnode (sdcadm,
// or a SAPI CreateInstance for a manatee peer) and wait until it is running,
// healthy and joined (a binder answers ZooKeeper, a manatee shows in its shard).
import { z } from 'zod';
import { manateePgStatus } from '../../remote/triton/manatee.js';
import { svcsXz } from '../../remote/triton/svcs.js';
import { zkRuok } from '../../remote/triton/zookeeper.js';
import type { CreateInstanceAction, WaitInstanceAction } from '../../state/convert-action.js';
import { fail, instanceOnTarget, runOk, waitFor, type ConvertContext, type KindHandler } from './context.js';

const SapiInstances = z.array(
  z.looseObject({
    uuid: z.string(),
    params: z.looseObject({ alias: z.string().optional(), server_uuid: z.string().optional() }).optional(),
  }),
);

/** The instance a SAPI CreateInstance in this plan asks for (same alias, same server), if SAPI has it. */
async function sapiHasInstance(ctx: ConvertContext, a: CreateInstanceAction): Promise<boolean> {
  // A journaled plan is read back as written: look before trusting its body.
  const body = a.http?.body as { service_uuid?: string; params?: { alias?: string } } | undefined;
  if (!body?.service_uuid) return false;
  const r = await ctx.dc.http({
    method: 'GET',
    url: `${ctx.sapiUrl}/instances?service_uuid=${encodeURIComponent(body.service_uuid)}`,
    timeoutMs: ctx.timing.commandTimeoutMs,
  });
  if (r.status !== 200)
    throw fail(a, ctx.dc.local.name, `SAPI GET /instances: HTTP ${r.status}`, 'is sapi0 healthy? then rerun');
  const list = SapiInstances.safeParse(JSON.parse(r.body));
  if (!list.success)
    throw fail(
      a,
      ctx.dc.local.name,
      `SAPI /instances: unexpected answer (${list.error.issues[0]?.message ?? ''})`,
      'check SAPI by hand: sdc-sapi /instances',
    );
  return list.data.some((i) => i.params?.alias === body.params?.alias && i.params?.server_uuid === ctx.target.uuid);
}

export const createInstance: KindHandler<CreateInstanceAction> = {
  async prepare(ctx, a) {
    // ha-binder is idempotent and does more than create the zone (ZK_SERVERS,
    // resolvers): cut short, it runs again; it is done only once it finished.
    if (a.service === 'binder')
      return ctx.journaled.endedOk.has(a.id)
        ? { done: true, why: 'ha-binder finished in an earlier run' }
        : { done: false };
    // SAPI stores the instance before VMAPI knows the zone: ask SAPI first.
    if (a.http && (await sapiHasInstance(ctx, a)))
      return { done: true, why: `SAPI has the ${a.service} instance for ${ctx.target.hostname}` };
    const inst = await instanceOnTarget(ctx, a.service);
    return inst ? { done: true, why: `${inst.alias} (${inst.uuid}) is on ${ctx.target.hostname}` } : { done: false };
  },
  async execute(ctx, a) {
    if (a.http) {
      const r = await ctx.dc.http({
        method: a.http.method,
        url: a.http.url,
        body: a.http.body,
        timeoutMs: ctx.timing.provisionTimeoutMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      ctx.onOutput?.(a, `${a.http.method} ${a.http.url} -> HTTP ${r.status}\n${r.body.slice(0, 2000)}`);
      if (r.status >= 300)
        throw fail(
          a,
          ctx.dc.local.name,
          `HTTP ${r.status}: ${r.body.slice(0, 500)}`,
          'check SAPI, VMAPI and the workflow (sdcadm check-health), then rerun',
        );
      return `SAPI created the ${a.service} instance`;
    }
    return (
      (await runOk(ctx, a, a.host, a.argv, { timeoutMs: ctx.timing.provisionTimeoutMs })).trim().split('\n').at(-1) ??
      'created'
    );
  },
};

export const waitInstance: KindHandler<WaitInstanceAction> = {
  // Never done by itself: health is always looked at again.
  prepare: async () => ({ done: false }),
  execute(ctx, a) {
    const t = ctx.target;
    return waitFor(
      ctx,
      a,
      ctx.timing.provisionTimeoutMs,
      async () => {
        const inst = await instanceOnTarget(ctx, a.service).catch(() => undefined);
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
      },
      `the new ${a.service} on ${t.hostname} did not become healthy`,
      `zlogin to it on ${t.hostname} and read svcs -xv; the instance stays, a rerun waits again`,
    );
  },
};
