// A dhcpd zone's booter cache, seen from its headnode's GZ: booter writes the
// boot parameters of every server's admin NIC to /tftpboot/cache/<mac>.json
// (sdc-booter lib/bootparams.js; warmed every 300 s by lib/cache.js,
// HEAD-2207) and answers a compute node from it when CNAPI or NAPI fail. No
// file, no DHCP answer. The MAC is written as booter formats chaddr: six
// two-digit lower-case hex octets joined by ':' (lib/dhcp.js).
import { z } from 'zod';
import type { Host } from '../host.js';
import { Uuid } from '../../values/schemas.js';
import { type CallOptions, CommandFailedError, QUICK_TIMEOUT_MS, checkArg, runOptions } from './command.js';

export const BOOTER_CACHE = '/tftpboot/cache';

export const booterCacheDir = (zoneUuid: string): string =>
  `/zones/${checkArg(Uuid, zoneUuid, 'dhcpd zone uuid')}/root${BOOTER_CACHE}`;

const CacheName = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}\.json$/);

/** A MAC as booter names its cache files: 0:c:29:1:2:3 -> 00:0c:29:01:02:03. */
export function normalMac(mac: string): string {
  return mac
    .toLowerCase()
    .split(':')
    .map((o) => o.padStart(2, '0'))
    .join(':');
}

/**
 * `ls -1 /zones/<uuid>/root/tftpboot/cache`: the MACs cached (other names, such
 * as booter's temporary files, are skipped); an empty list when the directory
 * is not there (booter has written nothing yet). Other failures throw.
 */
export async function booterCacheMacs(host: Host, zoneUuid: string, opts: CallOptions = {}): Promise<string[]> {
  const argv = ['ls', '-1', booterCacheDir(zoneUuid)];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code !== 0 && /No such file or directory/.test(res.stderr)) return [];
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  return res.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => CacheName.safeParse(l).success)
    .map((l) => l.slice(0, -'.json'.length));
}
