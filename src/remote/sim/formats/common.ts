// What several formatters share: timestamps, service IPs, the sim's made-up secrets.
import { parseCidr } from '../../../values/schemas.js';
import { dcSecret } from '../defaults.js';
import type { SimWorld } from '../world.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function netmaskOf(world: SimWorld): string {
  return parseCidr(world.state.adminNetwork.subnet).netmask;
}

export function ipsOf(world: SimWorld, service: string): string[] {
  return world.state.instances.filter((i) => i.service === service && i.state !== 'destroyed').map((i) => i.adminIp);
}

export function binderIps(world: SimWorld): string[] {
  return ipsOf(world, 'binder');
}

/** A made-up secret, stable per DC, that looks like nothing else in the sim. */
export function simSecret(world: SimWorld, name: string): string {
  return dcSecret(world.state.datacenter.name, name);
}
