// VMAPI client (facts C10). Its VM objects differ from vmadm's (no zonepath,
// nullable alias/quota/zpool), so they get their own schema.
import { z } from 'zod';
import { Uuid } from '../../values/schemas.js';
import { checkArg } from './command.js';
import { type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';
import { VmadmNic } from './vmadm.js';

export const VmapiPing = z.looseObject({
  healthy: z.boolean(),
  status: z.string(),
  services: z.record(z.string(), z.unknown()).optional(),
});
export type VmapiPing = z.infer<typeof VmapiPing>;

export const VmapiVm = z.looseObject({
  uuid: Uuid,
  alias: z.string().nullable().optional(),
  /** running | stopped | destroyed | provisioning | failed ... */
  state: z.string(),
  /**
   * VMAPI fills every field of its VM object it has no value for with null
   * (sdc-vmapi lib/common/vm-common.js translateVm): a VM still provisioning has
   * no zone_state (nor last_modified, zpool, ...: those pass through untyped).
   */
  zone_state: z.string().nullable().optional(),
  brand: z.string(),
  image_uuid: Uuid.optional(),
  server_uuid: Uuid.nullable().optional(),
  owner_uuid: Uuid,
  nics: z.array(VmadmNic),
  tags: z.record(z.string(), z.unknown()).optional(),
  customer_metadata: z.record(z.string(), z.unknown()).optional(),
  internal_metadata: z.record(z.string(), z.unknown()).optional(),
  destroyed: z.string().nullable().optional(),
});
export type VmapiVm = z.infer<typeof VmapiVm>;

export interface ListVmsFilter {
  'tag.smartdc_role'?: string;
  /** running | stopped | active | destroyed */
  state?: string;
  owner_uuid?: string;
  server_uuid?: string;
  alias?: string;
}

export function createVmapi(client: ApiClientOptions) {
  const api = createApiCaller('VMAPI', client);
  return {
    async ping(opts?: ApiCallOptions): Promise<VmapiPing> {
      return api.call({ method: 'GET', path: '/ping', schema: VmapiPing }, opts);
    },
    async listVms(filter: ListVmsFilter = {}, opts?: ApiCallOptions): Promise<VmapiVm[]> {
      const query = { ...filter };
      return api.call({ method: 'GET', path: '/vms', query, schema: z.array(VmapiVm) }, opts);
    },
    /** sync=true: VMAPI reloads the VM from CNAPI first (marks it destroyed if gone). */
    async getVm(uuid: string, opts: ApiCallOptions & { sync?: boolean } = {}): Promise<VmapiVm | null> {
      const path = `/vms/${seg(checkArg(Uuid, uuid, 'VM uuid'))}`;
      const query = { sync: opts.sync ? true : undefined };
      const callOpts: ApiCallOptions = {};
      if (opts.timeoutMs !== undefined) callOpts.timeoutMs = opts.timeoutMs;
      if (opts.signal) callOpts.signal = opts.signal;
      return api.callOrNull({ method: 'GET', path, query, schema: VmapiVm }, callOpts);
    },
  };
}
export type Vmapi = ReturnType<typeof createVmapi>;
