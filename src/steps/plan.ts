// Building the restore plan: ask this headnode which images it already has,
// then plan purely (state/restore-plan.ts).
import { randomUUID } from 'node:crypto';
import type { Dc } from '../remote/dc.js';
import { imgadmGet } from '../remote/triton/imgadm.js';
import { ipadmArgv } from '../remote/triton/ipadm.js';
import { setupMarker } from '../remote/triton/zone-setup.js';
import type { Plan } from '../state/plan.js';
import { imagesWanted, planRestore, type RestorePlanInput } from '../state/restore-plan.js';

export type PlanInput = Omit<RestorePlanInput, 'installed' | 'newUuid' | 'now' | 'healthChecks'> & {
  timeoutMs?: number;
};

/**
 * The order the restore checks a zone in (actions.ts waitHealthy): setup
 * finished (headnode.sh's signal), then SMF, then its addresses are its own
 * (not duplicate); the ping, when it has one, comes after.
 */
export function healthChecks(uuid: string): string[][] {
  return [['test', '-f', setupMarker(`/zones/${uuid}`, 'setup_complete')], ['svcs', '-xz', uuid], ipadmArgv(uuid)];
}

export async function buildPlan(dc: Dc, input: PlanInput): Promise<Plan> {
  const { timeoutMs, ...rest } = input;
  // Which images this headnode still needs (asked once per image, in parallel).
  const wanted = imagesWanted(input);
  const t = timeoutMs ?? 15_000;
  const installed = new Map(
    await Promise.all(
      wanted.map(
        async (u) =>
          [
            u,
            await imgadmGet(dc.local, u, { timeoutMs: t }).then(
              (r) => r !== null,
              () => false,
            ),
          ] as const,
      ),
    ),
  );
  return planRestore({ ...rest, installed, newUuid: randomUUID, now: new Date(), healthChecks });
}
