// The restore-data layout (design section 6): where each file lives and what it
// must contain. Written by sync (and the simulator), read by the restore engine.
import { z } from 'zod';
import { Ipv4, ServiceName, Uuid } from '../remote/values.js';

export const LAYOUT_VERSION = '1';
export const DEFAULT_RESTORE_DATA_DIR = '/var/sdcadm/restore-data';

export const paths = {
  layout: 'LAYOUT',
  dcSynced: 'dc/synced.json',
  sdcApplication: 'dc/sdc-application.json',
  services: 'dc/services.json',
  servers: 'dc/servers.json',
  adminNetwork: 'dc/admin-network.json',
  adminIps: 'dc/admin-ips.json',
  recoveryIps: 'dc/recovery-ips.json',
  svcDir: (svc: string): string => `svc-${ServiceName.parse(svc)}`,
  svcSynced: (svc: string): string => `svc-${ServiceName.parse(svc)}/synced.json`,
  sapiInstances: (svc: string): string => `svc-${ServiceName.parse(svc)}/sapi-instances.json`,
  vm: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/vm-${Uuid.parse(uuid)}.json`,
  datasetStream: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/dataset-${Uuid.parse(uuid)}.zfs`,
  datasetMeta: (svc: string, uuid: string): string => `svc-${ServiceName.parse(svc)}/dataset-${Uuid.parse(uuid)}.json`,
  imageManifest: (uuid: string): string => `images/${Uuid.parse(uuid)}.json`,
  imageFile: (uuid: string): string => `images/${Uuid.parse(uuid)}.file`,
} as const;

export const Synced = z.object({ time: z.iso.datetime(), ok: z.boolean(), error: z.string().optional() });
export type Synced = z.infer<typeof Synced>;

export const RecoveryIps = z.array(z.object({ ip: Ipv4, service: ServiceName.nullable() }));
export type RecoveryIps = z.infer<typeof RecoveryIps>;

export const DatasetMeta = z.object({ snapshot: z.string().min(1), time: z.iso.datetime(), bytes: z.number().int().nonnegative() });
export type DatasetMeta = z.infer<typeof DatasetMeta>;
