// The physical USB key of a simulated headnode and what packs it: sdc-usbkey
// (mount, unmount, status), gtar, and updates-imgadm for the sdcadm installer
// the conversion puts on the new key.
import type { CmdResult } from './cmd-result.js';
import type { ScenarioServer } from './scenario.js';
import type { SimWorld } from './world.js';
import { usbkeyEntry } from './usbkey.js';

import { SIM_SDCADM_BUILDSTAMP } from './defaults.js';
export { SIM_SDCADM_BUILDSTAMP };
const ok = (stdout = ''): CmdResult => ({ code: 0, stdout, stderr: '' });
const err = (code: number, stderr: string): CmdResult => ({ code, stdout: '', stderr: `${stderr}\n` });

/** sdc-headnode tools/lib/usbkey.js DEFAULT_MOUNTPOINT. */
export const USBKEY_MOUNTPOINT = '/mnt/usbkey';
/** The sdcadm build updates-imgadm calls the latest (stands for updates.tritondatacenter.com). */
export const SIM_SDCADM_IMAGE = '5b1e7a3c-0d2f-4c1a-9e8b-7f6a5d4c3b2a';
export const SIM_SDCADM_DEPLOYED_IMAGE = '6c2f8b4d-1e3a-4d2b-8f9c-0a7b6e5d4c3b';

/**
 * sdc-usbkey (sdc-headnode tools/cmd/sdc-usbkey.js, tools/lib/usbkey.js):
 * `mount` prints the mount point, and a key mounted with other options is
 * unmounted and mounted again with the asked ones; pcfs folds names to lower
 * case unless `--nofoldcase`. `status` says "mounted" only for a mount with
 * the default options (foldcase): a nofoldcase mount reads "unmounted".
 */
export function sdcUsbkey(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [sub, ...opts] = args;
  if (!srv.usbkey) return err(1, 'sdc-usbkey: error: no suitable devices found for usbkey mount');
  switch (sub) {
    case 'status':
      return ok(srv.usbkeyMount === 'foldcase' ? 'mounted\n' : 'unmounted\n');
    case 'mount':
      srv.usbkeyMount = opts.includes('--nofoldcase') ? 'nofoldcase' : 'foldcase';
      world.commit();
      return ok(`${USBKEY_MOUNTPOINT}\n`);
    case 'unmount':
      delete srv.usbkeyMount;
      world.commit();
      return ok();
  }
  return err(2, `sdc-usbkey: error: unknown command "${sub ?? ''}"`);
}

/**
 * The top of a headnode's USB key (sdc-headnode's build: the prototype's list,
 * sdcadm rfd67 tools/create-headnode-prepare-data.sh, plus os and config).
 */
export const USBKEY_TOP: ReadonlyMap<string, 'file' | 'dir'> = new Map([
  ['.joyliveusb', 'file'],
  ['boot', 'dir'],
  ['config', 'file'],
  ['config.inc', 'dir'],
  ['license', 'file'],
  ['os', 'dir'],
  ['scripts', 'dir'],
  ['tools.tar.gz', 'file'],
  ['cn_tools.tar.gz', 'file'],
  ['banner', 'file'],
  ['boot_archive.manifest', 'file'],
  ['firmware', 'dir'],
  ['private', 'dir'],
  ['services', 'dir'],
  ['ur-scripts', 'dir'],
  ['usb_key.manifest', 'file'],
  ['version', 'file'],
]);

/** `test -f|-d /mnt/usbkey/NAME` on a headnode whose key is mounted. */
export function mountedKeyEntry(srv: ScenarioServer, path: string): 'file' | 'dir' | undefined {
  if (!srv.usbkey || !srv.usbkeyMount || !path.startsWith(`${USBKEY_MOUNTPOINT}/`)) return undefined;
  return USBKEY_TOP.get(path.slice(USBKEY_MOUNTPOINT.length + 1).replace(/\/+$/, ''));
}

/** What a directory gives gtar: a name's content tag, or why it cannot be read. */
function source(world: SimWorld, srv: ScenarioServer, dir: string, name: string): { tag: string } | { error: string } {
  const files = srv.files ?? {};
  if (dir === USBKEY_MOUNTPOINT) {
    if (!srv.usbkeyMount || !USBKEY_TOP.has(name)) return { error: 'Cannot stat: No such file or directory' };
    // A case-folding pcfs mount lists 20260901T101010Z as 20260901t101010z: the loader finds no platform.
    return { tag: srv.usbkeyMount === 'foldcase' ? 'key,folded' : 'key' };
  }
  if (dir === '/usbkey') {
    if (!srv.usbkey) return { error: 'Cannot stat: No such file or directory' };
    // /usbkey is a copy headnode.sh made from a folding mount (sdcadm rfd67 create-headnode-prepare-data.sh: "wrong case").
    return { tag: 'copy,folded' };
  }
  const path = `${dir}/${name}`;
  if (path in files) return { tag: 'file' };
  if (usbkeyEntry(world.state, srv, path)) return { tag: 'file' };
  return { error: 'Cannot stat: No such file or directory' };
}

/**
 * gtar (GNU tar) `-czf OUT [-C DIR NAMES...]... [--transform=s,^A$,B,]`: the
 * archive is a file listing each member as `name<TAB>from<TAB>tag`. Like GNU
 * tar, a member it cannot read is reported and the archive still written, exit 2.
 */
export function gtar(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const files = (srv.files ??= {});
  const f = args.findIndex((a) => /^-c?z?f$/.test(a));
  const out = f >= 0 ? (args[f + 1] ?? '') : '';
  if (!out || !args.includes('-czf')) return err(2, 'gtar: the simulator knows only gtar -czf OUT -C DIR NAMES...');
  const parent = out.replace(/\/[^/]+$/, '');
  if (!(`${parent}/` in files)) return err(2, `gtar: ${out}: Cannot open: No such file or directory`);
  const renames = new Map<string, string>();
  for (const a of args) {
    const m = /^--transform=s,\^([^,$]+)\$,([^,]+),$/.exec(a);
    if (m) renames.set(m[1]!, m[2]!);
  }
  let dir = '';
  const members: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (i === f || i === f + 1 || a.startsWith('--')) continue;
    if (a === '-C') {
      dir = args[++i] ?? '';
      continue;
    }
    const got = source(world, srv, dir, a);
    if ('error' in got) problems.push(`gtar: ${a}: ${got.error}`);
    else members.push(`${renames.get(a) ?? a}\t${dir}\t${got.tag}`);
  }
  files[out] = `sim-tgz\n${members.map((m) => `${m}\n`).join('')}`;
  world.commit();
  if (problems.length > 0)
    return {
      code: 2,
      stdout: '',
      stderr: `${problems.join('\n')}\ngtar: Exiting with failure status due to previous errors\n`,
    };
  return ok();
}

/** The members of a sim-tgz archive: name -> 'from<TAB>tag'. */
export function tgzMembers(content: string | undefined): Map<string, { from: string; tag: string }> {
  const m = new Map<string, { from: string; tag: string }>();
  for (const line of (content ?? '').split('\n').slice(1)) {
    const [name, from, tag] = line.split('\t');
    if (name && from !== undefined && tag !== undefined) m.set(name, { from, tag });
  }
  return m;
}

/**
 * updates-imgadm (imgapi-cli against updates.tritondatacenter.com), as the
 * prototype uses it for the sdcadm installer (sdcadm rfd67
 * tools/create-headnode-prepare-data.sh): `list name=sdcadm --latest -H -o
 * uuid`, `list name=sdcadm tag.buildstamp=STAMP -H -o uuid` and `get-file -o FILE UUID`.
 */
export function updatesImgadm(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const files = (srv.files ??= {});
  if (args[0] === 'list' && args.includes('name=sdcadm') && args.includes('--latest'))
    return ok(`${SIM_SDCADM_IMAGE}\n`);
  // imgapi-cli passes key=value filters to ListImages, which matches tag.KEY (sdc-imgapi-cli lib/cli.js do_list).
  const tag = args.find((x) => x.startsWith('tag.buildstamp='));
  if (args[0] === 'list' && args.includes('name=sdcadm') && tag)
    return ok(tag === `tag.buildstamp=${SIM_SDCADM_BUILDSTAMP}` ? `${SIM_SDCADM_DEPLOYED_IMAGE}\n` : '');
  if (args[0] === 'get-file') {
    const o = args.indexOf('-o');
    const out = o >= 0 ? (args[o + 1] ?? '') : '';
    const uuid = args.filter((a, i) => i > 0 && !a.startsWith('-') && i !== o + 1).pop();
    if (uuid !== SIM_SDCADM_IMAGE && uuid !== SIM_SDCADM_DEPLOYED_IMAGE)
      return err(1, `updates-imgadm get-file: error (ResourceNotFound): image "${uuid ?? ''}" not found`);
    if (!out) return err(1, 'updates-imgadm: the simulator writes the file only with -o FILE');
    if (!(`${out.replace(/\/[^/]+$/, '')}/` in files))
      return err(1, `updates-imgadm get-file: error: ENOENT, open '${out}'`);
    files[out] = `#!/bin/sh\n# sdcadm installer ${uuid}\n`;
    world.commit();
    return ok();
  }
  return err(
    1,
    `updates-imgadm: the simulator knows "list name=sdcadm --latest|tag.buildstamp=STAMP -H -o uuid" and "get-file -o FILE UUID", not "${args.join(' ')}"`,
  );
}
