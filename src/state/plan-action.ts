// One restore action, typed by kind: each kind carries the fields its handler
// needs (a create-vm its uuid, alias and payload; an API call its method, URL
// and body), so nothing reads a fact back out of an argv. The command a person
// sees and the one that runs are both derived here, by argvOf: one spelling.
// Pure.
import { delegatedDatasetName } from '../catalogue.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpCall {
  method: HttpMethod;
  url: string;
  body?: unknown;
  /** The zone serves HTTPS with its own self-signed certificate: do not verify it (curl -k). */
  tls?: 'accept-self-signed';
}

/** An API call of a known method, with the body its kind sends (none: a GET or DELETE). */
export type Call<M extends HttpMethod, B = undefined> = B extends undefined
  ? { method: M; url: string }
  : { method: M; url: string; body: B };

interface Base {
  /** Stable across runs: "sapi/sapi0/create-vm". The journal matches on it. */
  id: string;
  host: string;
  summary: string;
}

/** imgadm install -m <manifest> -f <file>. */
export interface InstallImage extends Base {
  kind: 'install-image';
  image: string;
  manifest: string;
  file: string;
}

/** vmadm create, the payload on stdin. */
export interface CreateVm extends Base {
  kind: 'create-vm';
  uuid: string;
  alias: string;
  payload: Record<string, unknown>;
}

/** zfs recv -F zones/<uuid>/data, the stream file on stdin. */
export interface ReceiveDataset extends Base {
  kind: 'receive-dataset';
  uuid: string;
  stream: string;
  /** The snapshot the stream carries (the part after @): there once it was received. */
  snapshot?: string;
}

/** vmadm start <uuid>. */
export interface StartVm extends Base {
  kind: 'start-vm';
  uuid: string;
}

/** Polls its checks (then its ping) until the zone is healthy. */
export interface WaitHealthy extends Base {
  kind: 'wait-healthy';
  uuid: string;
  /** The commands it polls, in the order it checks them (shown to the operator). */
  checks: string[][];
  /** The zone's health ping. */
  http?: { method: 'GET'; url: string; tls?: 'accept-self-signed' };
}

export interface SapiInstance extends Base {
  kind: 'sapi-instance';
  http: Call<'POST', { service_uuid: string; uuid: string; params: { alias: string; server_uuid: string } }>;
}

export interface ReleaseNic extends Base {
  kind: 'release-nic';
  http: Call<'DELETE'>;
}

export interface DeleteServer extends Base {
  kind: 'delete-server';
  http: Call<'DELETE'>;
}

export interface UpdateSapiMetadata extends Base {
  kind: 'update-sapi-metadata';
  http: Call<'PUT', { action: 'update'; metadata: Record<string, string> }>;
}

export interface UpdateSapiInstance extends Base {
  kind: 'update-sapi-instance';
  http: Call<'PUT', { action: 'update'; params: { server_uuid: string } }>;
}

export interface UpdateBootParams extends Base {
  kind: 'update-boot-params';
  http: Call<'POST', { kernel_args: Record<string, string> }>;
}

export type PlanAction =
  | InstallImage
  | CreateVm
  | ReceiveDataset
  | StartVm
  | WaitHealthy
  | SapiInstance
  | ReleaseNic
  | DeleteServer
  | UpdateSapiMetadata
  | UpdateSapiInstance
  | UpdateBootParams;

export type ActionKind = PlanAction['kind'];

/** The actions that run a command in the GZ (the rest are API calls). */
export type CommandAction = InstallImage | CreateVm | ReceiveDataset | StartVm | WaitHealthy;
export type ApiAction = Exclude<PlanAction, CommandAction>;

/**
 * The command an action runs, as argv: what executes and what is shown are
 * this one spelling. wait-healthy's is the SMF check its summary names (its
 * whole poll is `checks`); an API action has none.
 */
export function argvOf(a: CommandAction): string[];
export function argvOf(a: PlanAction): string[] | undefined;
export function argvOf(a: PlanAction): string[] | undefined {
  switch (a.kind) {
    case 'install-image':
      return ['imgadm', 'install', '-m', a.manifest, '-f', a.file];
    case 'create-vm':
      return ['vmadm', 'create'];
    case 'receive-dataset':
      return ['zfs', 'recv', '-F', delegatedDatasetName(a.uuid)];
    case 'start-vm':
      return ['vmadm', 'start', a.uuid];
    case 'wait-healthy':
      return ['svcs', '-xz', a.uuid];
    default:
      return undefined;
  }
}

/** The HTTP call of an action, if it makes one (wait-healthy: its ping). */
export function httpOf(a: PlanAction): HttpCall | undefined {
  return 'http' in a ? a.http : undefined;
}

/** What a command action is fed on stdin: a JSON payload or a stream file. */
export function stdinOf(a: PlanAction): { json: Record<string, unknown> } | { file: string } | undefined {
  if (a.kind === 'create-vm') return { json: a.payload };
  if (a.kind === 'receive-dataset') return { file: a.stream };
  return undefined;
}
