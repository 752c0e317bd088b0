// SAPI client (facts C9, F2). In full mode CreateInstance provisions through
// VMAPI and DeleteInstance destroys the zone, hence their long timeouts.
import { z } from 'zod';
import { Uuid } from '../../values/schemas.js';
import { checkArg } from './command.js';
import { type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';

/** CreateInstance waits for the VMAPI provision job in full mode. */
export const SAPI_CREATE_TIMEOUT_MS = 15 * 60_000;
export const SAPI_DELETE_TIMEOUT_MS = 10 * 60_000;

const Metadata = z.record(z.string(), z.unknown());

export const SapiPing = z.looseObject({
  mode: z.enum(['proto', 'full']),
  storType: z.string().optional(),
});
export type SapiPing = z.infer<typeof SapiPing>;

export const SapiApplication = z.looseObject({
  uuid: Uuid,
  name: z.string(),
  owner_uuid: Uuid.optional(),
  params: Metadata.optional(),
  metadata: Metadata.optional(),
});
export type SapiApplication = z.infer<typeof SapiApplication>;

export const SapiService = z.looseObject({
  uuid: Uuid,
  name: z.string(),
  application_uuid: Uuid,
  /** 'vm' | 'agent' */
  type: z.string().optional(),
  params: Metadata.optional(),
  metadata: Metadata.optional(),
});
export type SapiService = z.infer<typeof SapiService>;

export const SapiInstance = z.looseObject({
  uuid: Uuid,
  service_uuid: Uuid,
  params: z
    .looseObject({
      alias: z.string().optional(),
      server_uuid: Uuid.optional(),
    })
    .optional(),
  metadata: Metadata.optional(),
  type: z.string().optional(),
});
export type SapiInstance = z.infer<typeof SapiInstance>;

/** GET /configs/:uuid, what config-agent and a new zone's setup download. */
export const SapiConfig = z.looseObject({
  metadata: Metadata,
  manifests: z.array(z.unknown()).optional(),
});
export type SapiConfig = z.infer<typeof SapiConfig>;

/** GET /instances/:uuid/payload: the createVm payload SAPI would send to VMAPI. */
export const SapiInstancePayload = z.looseObject({
  uuid: Uuid.optional(),
  alias: z.string().optional(),
  image_uuid: Uuid,
  brand: z.string().optional(),
  owner_uuid: Uuid.optional(),
  server_uuid: Uuid.optional(),
  customer_metadata: Metadata.optional(),
  tags: Metadata.optional(),
});
export type SapiInstancePayload = z.infer<typeof SapiInstancePayload>;

export interface CreateInstanceBody {
  service_uuid: string;
  uuid?: string;
  params: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Adopt an existing VM (VMAPI must already know it). */
  exists?: boolean;
}

export function createSapi(client: ApiClientOptions) {
  const api = createApiCaller('SAPI', client);
  const instSeg = (uuid: string): string => seg(checkArg(Uuid, uuid, 'instance uuid'));
  return {
    async ping(opts?: ApiCallOptions): Promise<SapiPing> {
      return api.call({ method: 'GET', path: '/ping', schema: SapiPing }, opts);
    },
    async listApplications(filter: { name?: string } = {}, opts?: ApiCallOptions): Promise<SapiApplication[]> {
      return api.call(
        { method: 'GET', path: '/applications', query: { name: filter.name }, schema: z.array(SapiApplication) },
        opts,
      );
    },
    async listServices(
      filter: { name?: string; application_uuid?: string } = {},
      opts?: ApiCallOptions,
    ): Promise<SapiService[]> {
      const query = { name: filter.name, application_uuid: filter.application_uuid };
      return api.call({ method: 'GET', path: '/services', query, schema: z.array(SapiService) }, opts);
    },
    async listInstances(filter: { service_uuid?: string } = {}, opts?: ApiCallOptions): Promise<SapiInstance[]> {
      const query = { service_uuid: filter.service_uuid };
      return api.call({ method: 'GET', path: '/instances', query, schema: z.array(SapiInstance) }, opts);
    },
    async getInstance(uuid: string, opts?: ApiCallOptions): Promise<SapiInstance | null> {
      return api.callOrNull({ method: 'GET', path: `/instances/${instSeg(uuid)}`, schema: SapiInstance }, opts);
    },
    async createInstance(body: CreateInstanceBody, opts: ApiCallOptions = {}): Promise<SapiInstance> {
      checkArg(Uuid, body.service_uuid, 'service uuid');
      if (body.uuid !== undefined) checkArg(Uuid, body.uuid, 'instance uuid');
      return api.call(
        { method: 'POST', path: '/instances', body, schema: SapiInstance },
        { ...opts, timeoutMs: opts.timeoutMs ?? SAPI_CREATE_TIMEOUT_MS },
      );
    },
    /** false when SAPI had no such instance (404). */
    async deleteInstance(uuid: string, opts: ApiCallOptions = {}): Promise<boolean> {
      return api.callNoBody(
        { method: 'DELETE', path: `/instances/${instSeg(uuid)}` },
        { ...opts, timeoutMs: opts.timeoutMs ?? SAPI_DELETE_TIMEOUT_MS },
      );
    },
    async getConfig(uuid: string, opts?: ApiCallOptions): Promise<SapiConfig> {
      return api.call({ method: 'GET', path: `/configs/${instSeg(uuid)}`, schema: SapiConfig }, opts);
    },
    async getInstancePayload(uuid: string, opts?: ApiCallOptions): Promise<SapiInstancePayload> {
      return api.call(
        { method: 'GET', path: `/instances/${instSeg(uuid)}/payload`, schema: SapiInstancePayload },
        opts,
      );
    },
  };
}
export type Sapi = ReturnType<typeof createSapi>;
