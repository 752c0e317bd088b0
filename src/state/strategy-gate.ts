// Which identity strategies a restore may use. `new` is refused: against a
// SAPI in full mode (every DC after setup) it cannot work, and a strategy that
// half works must not ship. Pure.
import type { Problem } from './problem.js';
import type { Strategy } from './plan.js';

/**
 * Why `new` cannot work (sdc-sapi lib/server/model.js, boot/setup.sh):
 * - CreateInstance in full mode asks VMAPI about the uuid: with `exists: true`
 *   it refuses a zone VMAPI does not know, without it VMAPI provisions a second
 *   VM under that uuid; VMAPI died with the primary and comes back only at
 *   step 14, so no zone before it can be given a SAPI record, and a zone
 *   without one fails its first boot.
 * - A new sapi zone fetches /configs/<its own uuid> from itself at first boot;
 *   no SAPI is left to write that record.
 */
export const NEW_STRATEGY_REFUSAL =
  'the new-identity strategy cannot work against SAPI in full mode: SAPI records for new zones need VMAPI (lost with the primary) to know the zone first, and a new sapi zone needs a record of itself that no running SAPI can write';

export function strategyProblems(strategy: Strategy): Problem[] {
  if (strategy !== 'new') return [];
  return [
    {
      severity: 'critical',
      code: 'STRATEGY_UNAVAILABLE',
      message: NEW_STRATEGY_REFUSAL,
      fix: 'use the reuse strategy (the default): fence the dead primary (power it off or cut it from the admin network) and type its hostname',
    },
  ];
}
