// A headnode's /usbkey beyond its config (facts F4): the platforms under
// /usbkey/os, which dhcpd lofs-mounts on /tftpboot/os for compute nodes to PXE
// boot (sdc-headnode config/sapi/services/dhcpd/service.json), and the files
// under /usbkey/extra that assets serves to compute node setup.
import { z } from 'zod';
import type { Host } from '../host.js';
import { type CallOptions, CommandFailedError, QUICK_TIMEOUT_MS, checkArg, runOptions } from './command.js';
import { parseValue } from './parse.js';

export const USBKEY_OS = '/usbkey/os';

const UsbkeyPath = z.string().regex(/^\/usbkey\/(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'not a path under /usbkey');

/** A platform directory name (e.g. 20240307T000552Z), or the `latest` link headnode.sh makes. */
const PlatformListing = z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a platform directory name'));

export function parseUsbkeyOs(text: string): string[] {
  const names = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return parseValue(`ls -1 ${USBKEY_OS}`, PlatformListing, names);
}

/**
 * `ls -1 /usbkey/os`: the platform directories, without the `latest` link
 * (sdc-cnapi lib/models/platform.js skips it too); null when /usbkey/os is not
 * there. Other failures throw.
 */
export async function usbkeyPlatforms(
  host: Host,
  opts: CallOptions = {},
): Promise<{ platforms: string[]; latest: boolean } | null> {
  const argv = ['ls', '-1', USBKEY_OS];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code !== 0 && /No such file or directory/.test(res.stderr)) return null;
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  const names = parseUsbkeyOs(res.stdout);
  return { platforms: names.filter((n) => n !== 'latest'), latest: names.includes('latest') };
}

/** `test -f PATH`: true (exit 0), false (exit 1); anything else throws. */
export async function fileExists(host: Host, path: string, opts: CallOptions = {}): Promise<boolean> {
  const argv = ['test', '-f', checkArg(UsbkeyPath, path, 'path under /usbkey')];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code === 0 || res.code === 1) return res.code === 0;
  throw new CommandFailedError(host.name, argv, res.code, res.stderr);
}
