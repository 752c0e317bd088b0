// NAPI client (facts C8, D). The dead HN's GZ and zone NICs keep their IPs
// until they are deleted or unassigned here.
import { z } from 'zod';
import { Ipv4, Mac, Uuid } from '../../values/schemas.js';
import { checkArg } from './command.js';
import { type ApiCallOptions, type ApiClientOptions, createApiCaller, seg } from './api.js';

export const NapiPing = z.looseObject({
  status: z.string(),
  healthy: z.boolean().optional(),
  services: z.record(z.string(), z.unknown()).optional(),
});
export type NapiPing = z.infer<typeof NapiPing>;

// Addresses stay plain strings: networks may be IPv6 (family).
export const NapiNetwork = z.looseObject({
  uuid: Uuid,
  name: z.string(),
  vlan_id: z.number(),
  family: z.string().optional(),
  subnet: z.string(),
  netmask: z.string().optional(),
  provision_start_ip: z.string(),
  provision_end_ip: z.string(),
  nic_tag: z.string().optional(),
  gateway: z.string().optional(),
  resolvers: z.array(z.string()),
  owner_uuids: z.array(Uuid).optional(),
});
export type NapiNetwork = z.infer<typeof NapiNetwork>;

export const NapiIp = z.looseObject({
  ip: z.string(),
  network_uuid: Uuid.optional(),
  reserved: z.boolean(),
  free: z.boolean().optional(),
  belongs_to_type: z.string().optional(),
  belongs_to_uuid: Uuid.optional(),
  owner_uuid: Uuid.optional(),
});
export type NapiIp = z.infer<typeof NapiIp>;

export const NapiNic = z.looseObject({
  mac: Mac,
  ip: z.string().optional(),
  belongs_to_uuid: Uuid,
  /** 'zone' | 'server' | 'other' */
  belongs_to_type: z.string(),
  owner_uuid: Uuid,
  network_uuid: Uuid.optional(),
  nic_tag: z.string().optional(),
  primary: z.boolean().optional(),
  /** 'provisioning' | 'running' | 'stopped' */
  state: z.string().optional(),
});
export type NapiNic = z.infer<typeof NapiNic>;

export interface UpdateIpBody {
  reserved?: boolean;
  /** Removes belongs_to_*; cannot be combined with free. */
  unassign?: boolean;
  /** Clears everything. */
  free?: boolean;
  belongs_to_uuid?: string;
  belongs_to_type?: 'zone' | 'server' | 'other';
  owner_uuid?: string;
}

export interface IpFilters {
  belongs_to_uuid?: string;
  belongs_to_type?: string;
  owner_uuid?: string;
}

export interface NicFilters {
  belongs_to_uuid?: string;
  belongs_to_type?: string;
  nic_tag?: string;
}

/** NAPI's URL form of a MAC: no colons (older NAPIs accept only this). */
export function macPathSegment(mac: string): string {
  return checkArg(Mac, mac, 'MAC').toLowerCase().replace(/:/g, '');
}

export function createNapi(client: ApiClientOptions) {
  const api = createApiCaller('NAPI', client);
  const netSeg = (uuid: string): string => seg(checkArg(Uuid, uuid, 'network uuid'));
  const ipSeg = (ip: string): string => seg(checkArg(Ipv4, ip, 'IP'));
  return {
    async ping(opts?: ApiCallOptions): Promise<NapiPing> {
      return api.call({ method: 'GET', path: '/ping', schema: NapiPing }, opts);
    },
    async listNetworks(
      filter: { name?: string; nic_tag?: string } = {},
      opts?: ApiCallOptions,
    ): Promise<NapiNetwork[]> {
      const query = { name: filter.name, nic_tag: filter.nic_tag };
      return api.call({ method: 'GET', path: '/networks', query, schema: z.array(NapiNetwork) }, opts);
    },
    async getNetwork(uuid: string, opts?: ApiCallOptions): Promise<NapiNetwork | null> {
      return api.callOrNull({ method: 'GET', path: `/networks/${netSeg(uuid)}`, schema: NapiNetwork }, opts);
    },
    /** Only IPs that have a record (used, reserved or once used). */
    async listIps(networkUuid: string, filters: IpFilters = {}, opts?: ApiCallOptions): Promise<NapiIp[]> {
      const query = { ...filters };
      return api.call(
        { method: 'GET', path: `/networks/${netSeg(networkUuid)}/ips`, query, schema: z.array(NapiIp) },
        opts,
      );
    },
    async getIp(networkUuid: string, ip: string, opts?: ApiCallOptions): Promise<NapiIp | null> {
      return api.callOrNull(
        { method: 'GET', path: `/networks/${netSeg(networkUuid)}/ips/${ipSeg(ip)}`, schema: NapiIp },
        opts,
      );
    },
    async updateIp(networkUuid: string, ip: string, body: UpdateIpBody, opts?: ApiCallOptions): Promise<NapiIp> {
      if (body.free && body.unassign) throw new Error('NAPI refuses free and unassign together');
      return api.call(
        { method: 'PUT', path: `/networks/${netSeg(networkUuid)}/ips/${ipSeg(ip)}`, body, schema: NapiIp },
        opts,
      );
    },
    async listNics(filters: NicFilters, opts?: ApiCallOptions): Promise<NapiNic[]> {
      const query = { ...filters };
      return api.call({ method: 'GET', path: '/nics', query, schema: z.array(NapiNic) }, opts);
    },
    /** false when NAPI had no such NIC (404). */
    async deleteNic(mac: string, opts?: ApiCallOptions): Promise<boolean> {
      return api.callNoBody({ method: 'DELETE', path: `/nics/${macPathSegment(mac)}` }, opts);
    },
  };
}
export type Napi = ReturnType<typeof createNapi>;
