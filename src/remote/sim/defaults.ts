// What the simulated DC has when its scenario does not say, and how it makes
// stable identities (the same scenario gives the same UUIDs on every run).
import { createHash } from 'node:crypto';

export function stableUuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A made-up secret, stable per DC, that looks like nothing else in the sim. */
export function dcSecret(datacenter: string, name: string): string {
  return `sim-${name}-${stableUuid('secret', datacenter, name).slice(0, 13)}`;
}

/** The platform a server boots when the scenario does not say. */
export const DEFAULT_PLATFORM = '20260901T101010Z';
/** gz-tools build a server has when the scenario does not say. */
export const GZ_TOOLS = '20260901T101010Z';
/** The sdcadm build the simulated headnodes run (/opt/smartdc/sdcadm/etc/buildstamp), also on the updates server. */
export const SIM_SDCADM_BUILDSTAMP = 'release-20260820-20260820T101010Z-g7fb53d9';
