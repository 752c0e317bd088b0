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

/** What every action has; each kind adds the typed fields its handler reads (plan-action.ts). */
const base = { id: z.string().min(1), host: z.string().min(1), summary: z.string() };
const Argv = z.array(z.string()).min(1);
const Strings = z.record(z.string(), z.string());

// One schema per kind: a field a handler reads is there, typed, or the plan is refused.
export const PlanActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...base,
    kind: z.literal('install-image'),
    image: z.string().min(1),
    manifest: z.string().min(1),
    file: z.string().min(1),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('create-vm'),
    uuid: Uuid,
    alias: z.string().min(1),
    payload: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('receive-dataset'),
    uuid: Uuid,
    stream: z.string().min(1),
    snapshot: z.string().min(1).optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('start-vm'), uuid: Uuid }),
  z.strictObject({
    ...base,
    kind: z.literal('wait-healthy'),
    uuid: Uuid,
    checks: z.array(Argv),
    http: z
      .strictObject({ method: z.literal('GET'), url: z.url(), tls: z.literal('accept-self-signed').optional() })
      .optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('sapi-instance'),
    http: z.strictObject({
      method: z.literal('POST'),
      url: z.url(),
      body: z.strictObject({
        service_uuid: z.string(),
        uuid: Uuid,
        params: z.strictObject({ alias: z.string().min(1), server_uuid: z.string() }),
      }),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('release-nic'),
    http: z.strictObject({ method: z.literal('DELETE'), url: z.url() }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('delete-server'),
    http: z.strictObject({ method: z.literal('DELETE'), url: z.url() }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('update-sapi-metadata'),
    http: z.strictObject({
      method: z.literal('PUT'),
      url: z.url(),
      body: z.strictObject({ action: z.literal('update'), metadata: Strings }),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('update-sapi-instance'),
    http: z.strictObject({
      method: z.literal('PUT'),
      url: z.url(),
      body: z.strictObject({ action: z.literal('update'), params: z.strictObject({ server_uuid: z.string() }) }),
    }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('update-boot-params'),
    http: z.strictObject({ method: z.literal('POST'), url: z.url(), body: z.strictObject({ kernel_args: Strings }) }),
  }),
]);

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
  // A plan journaled by version 1 (untyped actions) is refused here, by name.
  version: z.literal(2, { error: 'a plan of another triton-recover version (this one reads version 2)' }),
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
const agree: [
  Same<z.infer<typeof PlanSchema>, Plan>,
  Same<z.infer<typeof PlanActionSchema>, PlanAction>,
  Same<z.infer<typeof PlanStepSchema>, PlanStep>,
  Same<z.infer<typeof HttpCallSchema>, HttpCall>,
  Same<z.infer<typeof ProblemSchema>, Problem>,
  Same<z.infer<typeof PlanSchema>['notRestored'][number], NotRestored>,
] = [true, true, true, true, true, true];
void agree;

/** Why a journaled plan does not parse, as "field: what" lines an operator can look up. */
export function planIssues(err: z.ZodError): string[] {
  return err.issues.slice(0, 5).map((i) => `plan.${i.path.map(String).join('.') || '(whole)'}: ${i.message}`);
}
