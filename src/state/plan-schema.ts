// The plan as a journal holds it, checked field by field on resume: a rerun
// executes the journaled plan (its argv, payloads, URLs), so a plan that was
// edited, truncated or written by another version must be refused, not cast.
import { z } from 'zod';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { HttpCall, NotRestored, Plan, PlanAction, PlanStep } from './plan.js';

const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a UUID');

const HttpCallSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  url: z.url(),
  body: z.unknown().optional(),
  tls: z.literal('accept-self-signed').optional(),
});

export const PlanActionSchema = z
  .strictObject({
    id: z.string().min(1),
    kind: z.enum(['install-image', 'create-vm', 'sapi-instance', 'receive-dataset', 'start-vm', 'wait-healthy', 'release-nic', 'delete-server', 'update-sapi-metadata', 'update-sapi-instance', 'update-boot-params']),
    host: z.string().min(1),
    argv: z.array(z.string()).min(1).optional(),
    stdinJson: z.record(z.string(), z.unknown()).optional(),
    stdinFile: z.string().min(1).optional(),
    http: HttpCallSchema.optional(),
    image: z.string().optional(),
    snapshot: z.string().optional(),
    checks: z.array(z.array(z.string()).min(1)).optional(),
    summary: z.string(),
  })
  // What execute() reads without asking: an action missing it would fail half-way.
  .refine((a) => a.argv !== undefined || a.http !== undefined, { message: 'an action needs argv or http' })
  .refine((a) => a.kind !== 'install-image' || a.image !== undefined, { message: 'install-image needs its image', path: ['image'] })
  .refine((a) => a.kind !== 'wait-healthy' || a.argv !== undefined, { message: 'wait-healthy needs argv (the zone uuid last)', path: ['argv'] });

const Ident = z.strictObject({ uuid: Uuid, alias: z.string().min(1), adminIp: z.string().min(1) });

export const PlanStepSchema = z.strictObject({
  service: z.string().min(1),
  alias: z.string().min(1),
  uuid: Uuid,
  adminIp: z.string().min(1),
  old: Ident,
  image: z.string(),
  delegatedDataset: z.boolean(),
  images: z.array(z.string()),
  actions: z.array(PlanActionSchema),
  notes: z.array(z.string()),
});

const ProblemSchema = z.strictObject({
  severity: z.enum(['critical', 'warning']),
  code: z.enum(PROBLEM_CODES),
  message: z.string(),
  service: z.string().optional(),
  fix: z.string().optional(),
});

export const PlanSchema = z.strictObject({
  version: z.literal(1),
  strategy: z.enum(['reuse', 'new']),
  createdAt: z.string(),
  local: z.strictObject({ hostname: z.string().min(1), uuid: Uuid }),
  dead: z.strictObject({ hostname: z.string().min(1), uuid: Uuid, adminIp: z.string().nullable() }),
  steps: z.array(PlanStepSchema),
  reconcile: z.array(PlanActionSchema),
  notRestored: z.array(z.strictObject({ service: z.string(), alias: z.string(), why: z.string() })),
  notes: z.array(z.string()),
  blocked: z.array(ProblemSchema),
});

// The schemas and the hand-written types must say the same thing, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [Same<z.infer<typeof PlanSchema>, Plan>, Same<z.infer<typeof PlanActionSchema>, PlanAction>, Same<z.infer<typeof PlanStepSchema>, PlanStep>, Same<z.infer<typeof HttpCallSchema>, HttpCall>, Same<z.infer<typeof ProblemSchema>, Problem>, Same<z.infer<typeof PlanSchema>['notRestored'][number], NotRestored>] = [true, true, true, true, true, true];
void agree;

/** Why a journaled plan does not parse, as "field: what" lines an operator can look up. */
export function planIssues(err: z.ZodError): string[] {
  return err.issues.slice(0, 5).map((i) => `plan.${i.path.map(String).join('.') || '(whole)'}: ${i.message}`);
}
