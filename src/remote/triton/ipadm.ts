// `zlogin <zone> ipadm show-addr -p -o addrobj,state,addr` from a GZ: a zone's
// addresses and their state as the zone's own IP stack sees them. An address
// whose duplicate address detection found another holder is "duplicate" and
// is not up: whatever answers on that IP is not this zone. Parsable mode
// (ipadm(8) -p) separates fields with ':' and escapes a ':' inside a field as '\:'.
import { ParseError } from '../errors.js';
import type { Host } from '../host.js';
import { Uuid } from '../../values/schemas.js';
import { type CallOptions, QUICK_TIMEOUT_MS, checkArg, runChecked, runOptions } from './command.js';

export interface ZoneAddr {
  addrobj: string;
  /** ok, tentative (DAD still running), duplicate, down, disabled, inaccessible ... */
  state: string;
  /** The address without its prefix length: 10.99.99.30 */
  ip: string;
  prefix: number | undefined;
}

const TOOL = 'ipadm show-addr';
export const IPADM_FIELDS = 'addrobj,state,addr';

export function ipadmArgv(zone: string): string[] {
  return ['zlogin', checkArg(Uuid, zone, 'zone uuid'), 'ipadm', 'show-addr', '-p', '-o', IPADM_FIELDS];
}

/** Splits one parsable line on unescaped ':' and unescapes '\:'. */
function fields(line: string): string[] {
  const out: string[] = [''];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && line[i + 1] === ':') {
      out[out.length - 1] += ':';
      i++;
    } else if (c === ':') out.push('');
    else out[out.length - 1] += c;
  }
  return out;
}

export function parseIpadmShowAddr(text: string): ZoneAddr[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const f = fields(line.trim());
      if (f.length !== 3 || !f[0] || !f[1])
        throw new ParseError(TOOL, `${i}`, `expected addrobj:state:addr, got ${JSON.stringify(line)}`);
      const [ip, prefix] = f[2]!.split('/');
      return {
        addrobj: f[0],
        state: f[1],
        ip: ip ?? '',
        prefix: prefix === undefined || prefix === '' ? undefined : Number(prefix),
      };
    });
}

/** A zone's addresses (the zone must be running: zlogin fails otherwise). */
export async function zoneAddrs(host: Host, zone: string, opts: CallOptions = {}): Promise<ZoneAddr[]> {
  const res = await runChecked(host, ipadmArgv(zone), runOptions(opts, QUICK_TIMEOUT_MS));
  return parseIpadmShowAddr(res.stdout);
}
