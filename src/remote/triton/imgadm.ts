// imgadm in a GZ (facts C2).
import { z } from 'zod';
import type { Host } from '../host.js';
import { Uuid } from '../../values/schemas.js';
import { type CallOptions, CommandFailedError, QUICK_TIMEOUT_MS, checkArg, runChecked, runOptions } from './command.js';
import { ImageManifest } from './image-manifest.js';
import { parseJson } from './parse.js';

export const ImgadmImage = z.looseObject({
  manifest: ImageManifest,
  zpool: z.string(),
  source: z.string().optional(),
});
export type ImgadmImage = z.infer<typeof ImgadmImage>;

export const ImgadmListEntry = ImgadmImage.extend({
  // How many VMs/images are cloned from it.
  clones: z.number().optional(),
});
export type ImgadmListEntry = z.infer<typeof ImgadmListEntry>;

/** imgadm's exit status for ImageNotInstalled. */
export const IMGADM_NOT_INSTALLED_EXIT = 3;

/** Unpacking a core image file (hundreds of MB, bzip2/gzip) into the zpool. */
export const IMGADM_INSTALL_TIMEOUT_MS = 30 * 60_000;

const LocalPath = z.string().regex(/^\/[^\0\n]*$/, 'not an absolute path');

export function parseImgadmGet(text: string): ImgadmImage {
  return parseJson('imgadm get', ImgadmImage, text);
}

export function parseImgadmList(text: string): ImgadmListEntry[] {
  return parseJson('imgadm list', z.array(ImgadmListEntry), text);
}

/** `imgadm get <uuid>`; null when the image is not installed (exit 3). */
export async function imgadmGet(host: Host, uuid: string, opts: CallOptions = {}): Promise<ImgadmImage | null> {
  const argv = ['imgadm', 'get', checkArg(Uuid, uuid, 'image uuid')];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code === IMGADM_NOT_INSTALLED_EXIT) return null;
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  return parseImgadmGet(res.stdout);
}

/** Install from local files, the way headnode.sh installs /usbkey/images. */
export async function imgadmInstall(
  host: Host,
  files: { manifestPath: string; filePath: string },
  opts: CallOptions = {},
): Promise<void> {
  const argv = [
    'imgadm',
    'install',
    '-m',
    checkArg(LocalPath, files.manifestPath, 'image manifest path'),
    '-f',
    checkArg(LocalPath, files.filePath, 'image file path'),
  ];
  await runChecked(host, argv, runOptions(opts, IMGADM_INSTALL_TIMEOUT_MS));
}

export async function imgadmList(host: Host, opts: CallOptions = {}): Promise<ImgadmListEntry[]> {
  const res = await runChecked(host, ['imgadm', 'list', '-j'], runOptions(opts, QUICK_TIMEOUT_MS));
  return parseImgadmList(res.stdout);
}
