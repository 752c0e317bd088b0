// The conversion's file actions on the assets headnode: make the prepare
// directory, write usbkey-base.tgz, networking.json and the new headnode's
// config (each to a .tmp, then moved into place), remove the config again.
// A file left by an earlier conversion (an older platform, another config) is
// written anew: only this conversion's journal says a file is done.
import { z } from 'zod';
import { Sysinfo, adminIpOf, macOfTag } from '../../remote/triton/sysinfo.js';
import type {
  MkdirAction,
  RemoveFileAction,
  WriteBaseAction,
  WriteConfigAction,
  WriteNetfileAction,
} from '../../state/convert-action.js';
import { secondaryHeadnodeConfig } from '../../state/headnode-config.js';
import type { Prepared } from '../procedure/run-action.js';
import { fail, runOk, server, test, type ConvertContext, type KindHandler } from './context.js';

const NetFile = z.object({
  nictags: z
    .array(z.object({ name: z.string(), mac: z.string() }))
    .refine((t) => t.some((x) => x.name === 'admin'), 'no admin nictag'),
});

/** Written by this conversion (journaled ok) and still there. */
async function writtenByUs(
  ctx: ConvertContext,
  a: WriteBaseAction | WriteNetfileAction | WriteConfigAction,
): Promise<Prepared> {
  if (!ctx.journaled.endedOk.has(a.id)) return { done: false };
  return (await test(ctx, a, '-f', a.path))
    ? { done: true, why: `${a.path} was written by this conversion` }
    : { done: false };
}

/** networking.json from hn-netfile's output: JSON with an admin nictag, else the action fails. */
function netfileContent(a: WriteNetfileAction, got: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(got);
  } catch {
    throw fail(
      a,
      a.source.host,
      `hn-netfile did not print JSON: ${got.slice(0, 200)}`,
      'check the dhcpd zone (svcs -xz) and that CNAPI/NAPI answer, then rerun',
    );
  }
  const ok = NetFile.safeParse(parsed);
  if (!ok.success)
    throw fail(
      a,
      a.source.host,
      `hn-netfile output has no admin nictag: ${ok.error.issues[0]?.message ?? ''}`,
      'check the server has an admin NIC in NAPI (sdc-napi /nics?belongs_to_uuid=...)',
    );
  return JSON.stringify(parsed, null, 2) + '\n';
}

/** This headnode's config with the target's hostname and admin NIC (CNAPI's sysinfo of the target). */
async function configContent(ctx: ConvertContext, a: WriteConfigAction, got: string): Promise<string> {
  const t = ctx.target;
  const si = Sysinfo.safeParse((await server(ctx))?.sysinfo);
  const adminMac = si.success ? macOfTag(si.data, 'admin') : undefined;
  const adminIp = si.success ? adminIpOf(si.data) : undefined;
  if (!si.success || !adminMac || !adminIp)
    throw fail(
      a,
      ctx.dc.local.name,
      `CNAPI sysinfo of ${t.hostname} names no admin NIC or admin IP`,
      `check sdc-server sysinfo ${t.uuid}`,
    );
  const ext = macOfTag(si.data, 'external');
  return secondaryHeadnodeConfig(got, {
    hostname: t.hostname,
    adminMac,
    adminIp,
    ...(ext ? { externalMac: ext } : {}),
  });
}

/** Writes `content` through the action's tee to path.tmp, then moves it into place. */
async function writeThrough(
  ctx: ConvertContext,
  a: WriteNetfileAction | WriteConfigAction,
  content: string,
  secret: boolean,
): Promise<string> {
  await runOk(ctx, a, a.host, a.argv, { stdin: content, secret });
  await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path]);
  return `wrote ${a.path} (${content.length} bytes)`;
}

export const mkdir: KindHandler<MkdirAction> = {
  prepare: async (ctx, a) =>
    (await test(ctx, a, '-d', a.path)) ? { done: true, why: `${a.path} exists` } : { done: false },
  async execute(ctx, a) {
    await runOk(ctx, a, a.host, a.argv);
    return `created ${a.path}`;
  },
};

export const writeBase: KindHandler<WriteBaseAction> = {
  prepare: writtenByUs,
  async execute(ctx, a) {
    await runOk(ctx, a, a.host, a.argv);
    await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path]);
    return `wrote ${a.path}`;
  },
};

export const writeNetfile: KindHandler<WriteNetfileAction> = {
  prepare: writtenByUs,
  async execute(ctx, a) {
    const got = await runOk(ctx, a, a.source.host, a.source.argv, { secret: false });
    return writeThrough(ctx, a, netfileContent(a, got), false);
  },
};

export const writeConfig: KindHandler<WriteConfigAction> = {
  prepare: writtenByUs,
  async execute(ctx, a) {
    const got = await runOk(ctx, a, a.source.host, a.source.argv, { secret: true });
    return writeThrough(ctx, a, await configContent(ctx, a, got), true);
  },
};

export const removeFile: KindHandler<RemoveFileAction> = {
  prepare: async (ctx, a) =>
    !(await test(ctx, a, '-f', a.path)) ? { done: true, why: `${a.path} is gone` } : { done: false },
  async execute(ctx, a) {
    await runOk(ctx, a, a.host, a.argv);
    return `removed ${a.path}`;
  },
};
