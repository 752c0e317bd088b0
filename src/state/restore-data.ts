// The restore-data model (design section 6) as the console reads it: what each
// file gave, and what was wrong with the ones that could not be used. Read by
// steps/restore-data.ts; judged by the state/*-problems files.
import type { CnapiServer } from '../remote/triton/cnapi.js';
import type { ImageManifest } from '../remote/triton/image-manifest.js';
import type { NapiIp, NapiNetwork } from '../remote/triton/napi.js';
import type { SapiApplication, SapiInstance, SapiService } from '../remote/triton/sapi.js';
import type { VmadmVm } from '../remote/triton/vmadm.js';
import type { DatasetMeta, ImagesVerified, RecoveryIps, Synced, Verified } from './restore-data-layout.js';

export interface FileProblem {
  file: string;
  kind: 'missing' | 'corrupt' | 'unreadable';
  detail: string;
}

/** An incremental stream of a dataset's chain, as restore applies it (after the full one). */
export interface ChainLink {
  /** Relative to the restore-data root. */
  file: string;
  path: string;
  from: string;
  snapshot: string;
  bytes: number;
  time: string;
}

export interface DatasetData {
  instanceUuid: string;
  meta: DatasetMeta | undefined;
  /** Absolute path of the full stream, when the file exists. */
  streamPath: string | undefined;
  streamBytes: number | undefined;
  /** Incrementals to apply after it, in order (empty without a chain). */
  chain: ChainLink[];
}

export interface ServiceData {
  name: string;
  synced: Synced | undefined;
  /** svc-<name>/verified.json: the last end-to-end check of each dataset's streams (absent: never verified). */
  verified?: Verified;
  sapiInstances: SapiInstance[] | undefined;
  vms: VmadmVm[];
  datasets: DatasetData[];
  problems: FileProblem[];
  /** Why svc-<name>/ gives nothing at all (not a directory, unreadable, empty, only temp files). */
  unusable?: string;
}

export interface ImageData {
  uuid: string;
  manifest: ImageManifest | undefined;
  manifestPath: string;
  /** Set only when the file is there and matches the manifest's size and sha1. */
  filePath: string | undefined;
  /** Why the file cannot be used (missing, wrong size or sha1, not a regular file). */
  fileProblem?: string;
}

export interface RestoreData {
  dir: string;
  /** LAYOUT exists and has a version this console reads. */
  present: boolean;
  dc: {
    synced?: Synced;
    application?: SapiApplication;
    services?: SapiService[];
    servers?: CnapiServer[];
    adminNetwork?: NapiNetwork;
    adminIps?: NapiIp[];
    recoveryIps?: RecoveryIps;
  };
  dcProblems: FileProblem[];
  services: Map<string, ServiceData>;
  images: Map<string, ImageData>;
  /** images/verified.json: the last check of each image file against its manifest (absent: never verified). */
  imagesVerified?: ImagesVerified;
}
