// A latency profile: figures to lay over a scenario's latencyMs, each with its
// source. The reference scenario must stay equal to the contract, so the
// latencies of a real headnode live beside it (scenarios/latencies-real-headnode.json)
// and reach the simulator through --sim-latencies (drills at real speed, the bench).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const LatencyProfileSchema = z.strictObject({
  profile: z.string().min(1),
  description: z.string(),
  latencyMs: z.record(z.string(), z.number().nonnegative()),
  /** Why each figure: a figure without a source is not accepted. */
  sources: z.record(z.string(), z.string().min(1)),
});
export type LatencyProfile = z.infer<typeof LatencyProfileSchema>;

/** The profile `--sim-latencies real` names: shipped with the package. */
export function realHeadnodeProfilePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', '..', 'scenarios', 'latencies-real-headnode.json');
}

/** Reads and checks a profile: `real` is the built-in one, anything else a file. */
export async function loadLatencyProfile(nameOrPath: string): Promise<LatencyProfile> {
  const path = nameOrPath === 'real' ? realHeadnodeProfilePath() : resolve(nameOrPath);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`latency profile ${path}: ${(err as Error).message}`);
  }
  const p = LatencyProfileSchema.safeParse(raw);
  if (!p.success)
    throw new Error(
      `latency profile ${path}: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const unsourced = Object.keys(p.data.latencyMs).filter((k) => !p.data.sources[k]);
  if (unsourced.length > 0) throw new Error(`latency profile ${path}: no source for ${unsourced.join(', ')}`);
  return p.data;
}
