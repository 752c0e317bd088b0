// What each identity strategy means, said once: its title, what it does and
// what it costs, and why the operator must confirm the dead primary is fenced.
// The console's strategy screen, the plan text and the restore's refusal all
// read this.
/** How the lost zones get their identities: the dead ones' own, or new ones. */
export type Strategy = 'reuse' | 'new';

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

export interface StrategyWords {
  /** One line: its name and what it keeps or changes. */
  title: string;
  /** What it means for the DC, for the operator choosing it. */
  consequences: string;
  /** Shown when the operator must type the primary's hostname first. */
  fencingReason: (host: string) => string;
}

export const STRATEGY: Record<Strategy, StrategyWords> = {
  reuse: {
    title: 'reuse: same UUIDs, aliases, admin IPs and MACs',
    consequences:
      'SAPI and VMAPI records (kept in moray, which survived) still match, so zones configure themselves at first boot and nothing that names an IP changes. The dead primary must NEVER come back with its old zones: you will type its hostname to confirm it is fenced.',
    fencingReason: (host) =>
      `the reuse strategy takes over ${host}'s UUIDs, IPs and MACs: it must be powered off or off the admin network for good`,
  },
  new: {
    title: 'new: new UUIDs, next free aliases, admin IPs from the recovery pool',
    consequences: `NOT AVAILABLE: ${NEW_STRATEGY_REFUSAL}. The plan shows it blocked; nothing runs.`,
    fencingReason: (host) =>
      `the restore ends by releasing ${host}'s admin IPs in NAPI and removing it from CNAPI: it must be powered off or off the admin network for good`,
  },
};

/** Why the fence must be confirmed: the evidence, when it is not conclusive, comes first. */
export function fencingWhy(host: string, strategy: Strategy, uncertain: boolean): string {
  return uncertain
    ? `the evidence about ${host} is not conclusive: confirm it is powered off or off the admin network`
    : STRATEGY[strategy].fencingReason(host);
}
