// CNAPI client (facts C7). The dead HN stays listed: headnode:true, status "unknown".
import { z } from 'zod';
import { Uuid } from '../../values/schemas.js';
import { checkArg } from './command.js';
import { type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';
import { Sysinfo } from './sysinfo.js';

export const CnapiPing = z.looseObject({
  ready: z.boolean().optional(),
  healthy: z.boolean().optional(),
  services: z.record(z.string(), z.unknown()).optional(),
});
export type CnapiPing = z.infer<typeof CnapiPing>;

export const CnapiServer = z.looseObject({
  uuid: Uuid,
  hostname: z.string(),
  headnode: z.boolean(),
  /** CNAPI's own record: it counts, also when an old sysinfo has no "Setup" key. */
  setup: z.boolean(),
  /** 'running' | 'unknown' (heartbeats older than 11 s), kept open for other values. */
  status: z.string(),
  last_heartbeat: z.string().nullable().optional(),
  // Only with extras=sysinfo (or all).
  sysinfo: Sysinfo.optional(),
  boot_platform: z.string().optional(),
  current_platform: z.string().optional(),
  reserved: z.boolean().optional(),
  transitional_status: z.string().optional(),
});
export type CnapiServer = z.infer<typeof CnapiServer>;

export const CnapiBootParams = z.looseObject({
  platform: z.string(),
  kernel_args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  kernel_flags: z.record(z.string(), z.unknown()).optional(),
  boot_modules: z.array(z.unknown()).optional(),
  default_console: z.string().optional(),
  serial: z.string().optional(),
});
export type CnapiBootParams = z.infer<typeof CnapiBootParams>;

export type CnapiExtra = 'sysinfo' | 'vms' | 'agents' | 'memory' | 'disk' | 'capacity' | 'all';

export interface ListServersFilter {
  headnode?: boolean;
  setup?: boolean;
  hostname?: string;
  extras?: CnapiExtra[];
}

export function createCnapi(client: ApiClientOptions) {
  const api = createApiCaller('CNAPI', client);
  const uuidSeg = (uuid: string): string => seg(checkArg(Uuid, uuid, 'server uuid'));
  return {
    async ping(opts?: ApiCallOptions): Promise<CnapiPing> {
      return api.call({ method: 'GET', path: '/ping', schema: CnapiPing }, opts);
    },
    async listServers(filter: ListServersFilter = {}, opts?: ApiCallOptions): Promise<CnapiServer[]> {
      const query = {
        headnode: filter.headnode,
        setup: filter.setup,
        hostname: filter.hostname,
        extras: filter.extras && filter.extras.length > 0 ? filter.extras.join(',') : undefined,
      };
      return api.call({ method: 'GET', path: '/servers', query, schema: z.array(CnapiServer) }, opts);
    },
    async getServer(uuid: string, opts?: ApiCallOptions): Promise<CnapiServer | null> {
      return api.callOrNull({ method: 'GET', path: `/servers/${uuidSeg(uuid)}`, schema: CnapiServer }, opts);
    },
    /** 'default' or a server uuid. */
    async getBootParams(target: 'default' | string, opts?: ApiCallOptions): Promise<CnapiBootParams> {
      const which = target === 'default' ? 'default' : uuidSeg(target);
      return api.call({ method: 'GET', path: `/boot/${which}`, schema: CnapiBootParams }, opts);
    },
    /** false when CNAPI did not know the server (404). */
    async deleteServer(uuid: string, opts?: ApiCallOptions): Promise<boolean> {
      return api.callNoBody({ method: 'DELETE', path: `/servers/${uuidSeg(uuid)}` }, opts);
    },
  };
}
export type Cnapi = ReturnType<typeof createCnapi>;
