// The fence of the dead primary (issue 16 items 1-2): how the operator says it
// was fenced, the record a restore leaves behind ("its zones were re-created
// from this server"), and the problem when that server answers again. Pure.
import { z } from 'zod';
import type { Problem } from './problem.js';
import type { Signal } from './detection.js';
import { FENCE_METHODS, FENCE_METHOD_TEXT, type FenceMethod } from './fence-methods.js';

export { FENCE_METHODS, FENCE_METHOD_TEXT, type FenceMethod } from './fence-methods.js';

/** "headnode0 fenced: powered off through its BMC", or that the method was not stated. */
export function fenceText(hostname: string, method: FenceMethod | null): string {
  return `${hostname} fenced: ${method ? FENCE_METHOD_TEXT[method] : 'method not stated (--fence-method not given)'}`;
}

/** The file in the journal directory that says a restore re-created a dead primary's zones here. */
export const RESTORED_FROM_FILE = 'restored-from.json';

/** What a restore records before its first change: whose zones it re-creates, and the fence. */
export const RestoredFrom = z.object({
  hostname: z.string().min(1),
  uuid: z.string().min(1),
  adminIp: z.string().nullable(),
  /** null: no fence was confirmed (strategy new on a dead primary) or no method was stated. */
  fenceMethod: z.enum(FENCE_METHODS).nullable(),
  fencedBy: z.string().nullable(),
  /** The headnode the zones were re-created on. */
  restoredOn: z.string().min(1),
  at: z.string().min(1),
});
export type RestoredFrom = z.infer<typeof RestoredFrom>;

/**
 * PRIMARY_RETURNED: the server a restore re-created the zones of shows signs
 * of life. Its old zones have the same UUIDs and IPs as the re-created ones.
 */
export function primaryReturnedProblem(r: RestoredFrom, evidence: readonly Signal[]): Problem[] {
  const life = evidence.filter((s) => s.says === 'alive');
  if (life.length === 0) return [];
  const fence = r.fenceMethod
    ? ` (it was ${FENCE_METHOD_TEXT[r.fenceMethod]}${r.fencedBy ? `, said ${r.fencedBy}` : ''})`
    : '';
  return [
    {
      severity: 'critical',
      code: 'PRIMARY_RETURNED',
      message:
        `the old primary ${r.hostname} (${r.uuid}${r.adminIp ? `, ${r.adminIp}` : ''}) answers again after its zones were re-created on ${r.restoredOn} at ${r.at}${fence}: ` +
        `its old zones duplicate the re-created ones (same UUIDs and admin IPs). Seen: ${life.map((s) => `${s.signal}: ${s.detail}`).join('; ')}`,
      fix:
        `before anything else, power ${r.hostname} off (through its BMC: ipmitool -H <its BMC> chassis power off) or boot it without importing its zones pool so its zones stay down; ` +
        `do not let it rejoin, then run triton-recover check again`,
    },
  ];
}
