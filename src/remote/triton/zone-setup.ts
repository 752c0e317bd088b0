// A new zone's first-boot setup, as the files it leaves in the zone (facts:
// sdc-scripts lib/util.sh sdc_setup_complete touches /var/svc/setup_complete
// last; sdc-headnode scripts/headnode.sh create_zone waits for that file or
// setup_failed under the zonepath before it trusts `svcs -xvz`).
import type { Host } from '../host.js';
import { type CallOptions, QUICK_TIMEOUT_MS, runOptions } from './command.js';

export type ZoneSetup = 'complete' | 'failed' | 'pending';

/** The marker files, seen from the GZ: under the zone's root. */
export function setupMarker(zonepath: string, which: 'setup_complete' | 'setup_failed'): string {
  return `${zonepath}/root/var/svc/${which}`;
}

/**
 * Read as headnode.sh reads them: setup_complete first, then setup_failed.
 * Until either appears SMF can look clean while nothing is set up yet.
 */
export async function zoneSetup(host: Host, zonepath: string, opts: CallOptions = {}): Promise<ZoneSetup> {
  const o = runOptions(opts, QUICK_TIMEOUT_MS);
  const [failed, complete] = await Promise.all([
    host.run(['test', '-f', setupMarker(zonepath, 'setup_failed')], o),
    host.run(['test', '-f', setupMarker(zonepath, 'setup_complete')], o),
  ]);
  if (complete.code === 0) return 'complete';
  return failed.code === 0 ? 'failed' : 'pending';
}
