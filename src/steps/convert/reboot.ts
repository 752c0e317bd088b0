// The conversion's actions on the server itself: run headnode-prepare.sh,
// reboot it, wait until CNAPI shows it back as a headnode. A rerun after a
// crash never reboots it twice: prepare looks at when it last booted.
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteError } from '../../remote/errors.js';
import { bootTimeMs, getSysinfo, isHeadnode } from '../../remote/triton/sysinfo.js';
import type {
  ConvertAction,
  PrepareServerAction,
  RebootAction,
  WaitHeadnodeAction,
} from '../../state/convert-action.js';
import { ActionFailed } from '../procedure/action-failed.js';
import { fail, isHeadnodeNow, run, runOk, server, waitFor, type ConvertContext, type KindHandler } from './context.js';

/** When headnode-prepare.sh last said "prepared" (epoch ms), from its log on the server. */
async function preparedAt(ctx: ConvertContext, a: ConvertAction): Promise<number | undefined> {
  const r = await run(ctx, a, ctx.target.hostname, ['cat', '/var/log/headnode-prepare.log']);
  if (r.code !== 0) return undefined;
  const lines = r.stdout.split('\n').filter((l) => l.includes(`prepared ${ctx.target.uuid}`));
  const t = Date.parse(lines.at(-1)?.split(' ')[0] ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** Why the server counts as rebooted since its preparation, or undefined while it is up on its old boot. */
async function rebootedSincePrepare(ctx: ConvertContext, a: ConvertAction): Promise<string | undefined> {
  try {
    const at = await preparedAt(ctx, a);
    const boot = bootTimeMs(
      await getSysinfo(ctx.host(ctx.target.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }),
    );
    return at !== undefined && boot !== undefined && boot >= at
      ? `it booted at ${new Date(boot).toISOString()}, after the preparation`
      : undefined;
  } catch (err) {
    // Not answering after a reboot was started: it is rebooting. Never reboot it again blindly.
    if (
      err instanceof RemoteError &&
      (err.kind === 'unreachable' || err.kind === 'timeout' || err.kind === 'connection-lost')
    ) {
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
async function bootedAsCnSincePrepare(
  ctx: ConvertContext,
  a: ConvertAction,
  seen: { preparedAt?: number } = {},
): Promise<number | undefined> {
  const si = await getSysinfo(ctx.host(ctx.target.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }).catch(
    () => undefined,
  );
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

export const prepareServer: KindHandler<PrepareServerAction> = {
  async prepare(ctx, a) {
    if (isHeadnodeNow(await server(ctx))) return { done: true, why: `${ctx.target.hostname} is a headnode already` };
    // Only this conversion's run counts: a log line from an earlier conversion
    // says nothing of the key now. Running the script again is harmless.
    if (!ctx.journaled.endedOk.has(a.id)) return { done: false };
    return (await preparedAt(ctx, a)) !== undefined
      ? { done: true, why: '/var/log/headnode-prepare.log says it was prepared' }
      : { done: false };
  },
  async execute(ctx, a) {
    const out = await runOk(ctx, a, a.host, a.argv, { stdin: ctx.prepareScript });
    return out.trim().split('\n').at(-1) ?? 'prepared';
  },
};

export const reboot: KindHandler<RebootAction> = {
  async prepare(ctx, a) {
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
  },
  async execute(ctx, a) {
    ctx.rebootSentAt = Date.now();
    try {
      const r = await run(ctx, a, a.host, a.argv, { timeoutMs: Math.min(ctx.timing.commandTimeoutMs, 60_000) });
      if (r.code !== 0)
        throw fail(
          a,
          a.host,
          `exit ${r.code}: ${(r.stderr || r.stdout).trim()}`,
          `reboot ${a.host} by hand (its console, or IPMI), then rerun: the wait picks it up`,
        );
    } catch (err) {
      if (err instanceof ActionFailed) throw err;
      // The link goes down with the server: that is the reboot happening.
      if (!(err instanceof RemoteError && err.mayHaveRun)) throw err;
    }
    return 'reboot started';
  },
};

export const waitHeadnode: KindHandler<WaitHeadnodeAction> = {
  prepare: async (ctx) =>
    isHeadnodeNow(await server(ctx))
      ? { done: true, why: 'CNAPI shows it set up, running, headnode=true' }
      : { done: false },
  execute(ctx, a) {
    const t = ctx.target;
    const seen: { preparedAt?: number } = {};
    return waitFor(
      ctx,
      a,
      ctx.timing.bootTimeoutMs,
      async () => {
        await failIfPxeBooted(ctx, a, seen);
        const s = await server(ctx).catch(() => null);
        if (!isHeadnodeNow(s)) return undefined;
        // Boot 1 already says headnode=true, then headnode.sh reboots it once
        // more: only a server that stays up past the settle time is done.
        const si = await getSysinfo(ctx.host(t.hostname), { timeoutMs: ctx.timing.commandTimeoutMs }).catch(
          () => undefined,
        );
        const boot = si ? bootTimeMs(si) : undefined;
        if (boot === undefined || Date.now() - boot < ctx.timing.settleMs) return undefined;
        return `CNAPI: running, setup=true, headnode=true; up since ${new Date(boot).toISOString()}`;
      },
      `${t.hostname} did not come back as a headnode`,
      `look at ${t.hostname}'s console (IPMI): did it boot from the USB key? /var/log/headnode-prepare.log and /var/svc/log/*headnode* say more`,
    );
  },
};
