// The conversion's USB key actions on the assets headnode: fetch the sdcadm
// installer the new headnode installs from, mount the physical key without
// case folding (to pack it), unmount it, mount it again as it was.
import type { FetchSdcadmAction, UsbkeyMountAction, UsbkeyUnmountAction } from '../../state/convert-action.js';
import { PREPARE_DIR } from '../../state/convert-plan.js';
import { Uuid } from '../../values/schemas.js';
import { fail, run, runOk, test, type ConvertContext, type KindHandler } from './context.js';

/** The action that packs usbkey-base.tgz (convert-plan.ts). */
const BASE_ID = 'usbkey-data/base';

/** The updates-server image of the sdcadm build this headnode runs, or why not. */
async function deployedSdcadmImage(
  ctx: ConvertContext,
  a: FetchSdcadmAction,
  stamp: { path: string; argv: string[] },
): Promise<{ uuid?: string; stamp?: string; why: string }> {
  const r = await run(ctx, a, a.host, ['cat', stamp.path]);
  // "-dirty" is dropped, as sdcadm does when it compares builds (lib/sdcadm.js).
  const build = r.stdout.trim().replace(/-dirty$/, '');
  if (r.code !== 0 || !/^[A-Za-z0-9._-]{1,200}$/.test(build))
    return { why: `${stamp.path} on ${a.host} is unreadable` };
  const list = await run(
    ctx,
    a,
    a.host,
    stamp.argv.map((x) => x.replace('BUILDSTAMP', build)),
  );
  const uuid = list.stdout.trim().split('\n')[0]?.trim() ?? '';
  if (list.code !== 0 || !Uuid.safeParse(uuid).success)
    return { stamp: build, why: `the updates server has no sdcadm image with buildstamp ${build}` };
  return { uuid, stamp: build, why: '' };
}

export const fetchSdcadm: KindHandler<FetchSdcadmAction> = {
  prepare: async (ctx, a) =>
    (await test(ctx, a, '-f', a.path)) ? { done: true, why: `${a.path} is there` } : { done: false },
  async execute(ctx, a) {
    const src = a.source;
    const deployed = a.stamp ? await deployedSdcadmImage(ctx, a, a.stamp) : { why: 'no buildstamp asked' };
    const uuid = deployed.uuid ?? (await runOk(ctx, a, src.host, src.argv)).trim();
    if (!Uuid.safeParse(uuid).success)
      throw fail(
        a,
        src.host,
        `updates-imgadm named no sdcadm image: "${uuid.slice(0, 200)}"`,
        `check the headnode reaches the updates server (updates-imgadm list name=sdcadm), or put an sdcadm installer at ${a.path} by hand, then rerun`,
      );
    const dir = a.path.replace(/\/[^/]+$/, '');
    await runOk(ctx, a, a.host, ['mkdir', '-p', dir]);
    await runOk(ctx, a, a.host, [...a.argv, uuid]);
    await runOk(ctx, a, a.host, ['mv', `${a.path}.tmp`, a.path]);
    return deployed.uuid
      ? `wrote ${a.path} (sdcadm image ${uuid}, the build this headnode runs: ${deployed.stamp ?? ''})`
      : `wrote ${a.path} (sdcadm image ${uuid}, the latest build: ${deployed.why})`;
  },
};

export const usbkeyMount: KindHandler<UsbkeyMountAction> = {
  async prepare(ctx, a) {
    // Nothing more to pack: the nofoldcase mount is not needed again.
    if (
      a.argv.includes('--nofoldcase') &&
      ctx.journaled.endedOk.has(BASE_ID) &&
      (await test(ctx, a, '-f', `${PREPARE_DIR}/usbkey-base.tgz`))
    )
      return { done: true, why: 'usbkey-base.tgz is packed' };
    // Mounted by this conversion and still there (a reboot unmounts it).
    if (ctx.journaled.endedOk.has(a.id) && (await test(ctx, a, '-f', `${a.path}/.joyliveusb`)))
      return { done: true, why: `the USB key is mounted at ${a.path}` };
    return { done: false };
  },
  async execute(ctx, a) {
    // sdc-usbkey mount prints where the key is mounted; gtar packs from there.
    const at = (await runOk(ctx, a, a.host, a.argv)).trim();
    if (at !== a.path)
      throw fail(
        a,
        a.host,
        `sdc-usbkey mounted the key at "${at}", not ${a.path}`,
        `mount it at ${a.path} by hand (sdc-usbkey unmount; sdc-usbkey mount --nofoldcase), then rerun`,
      );
    return `USB key mounted at ${at}`;
  },
};

export const usbkeyUnmount: KindHandler<UsbkeyUnmountAction> = {
  prepare: async (ctx, a) =>
    ctx.journaled.endedOk.has(a.id) ? { done: true, why: 'unmounted by this conversion' } : { done: false },
  async execute(ctx, a) {
    await runOk(ctx, a, a.host, a.argv);
    return 'USB key unmounted';
  },
};
