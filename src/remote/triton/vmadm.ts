// vmadm in a GZ (facts C1). JSON comes from `vmadm get` and `vmadm lookup -j`
// (`vmadm list` has no JSON mode).
import { z } from 'zod';
import type { Host } from '../host.js';
import { ParseError } from '../errors.js';
import { Mac, Uuid } from '../../values/schemas.js';
import {
  type CallOptions,
  CommandFailedError,
  QUICK_TIMEOUT_MS,
  checkArg,
  lastLine,
  runChecked,
  runOptions,
} from './command.js';
import { parseJson } from './parse.js';

export const VmadmNic = z.looseObject({
  // Missing in the 2011 format (it had physical/index); present on every current platform.
  interface: z.string().optional(),
  mac: Mac,
  nic_tag: z.string(),
  // Not Ipv4: vmadm also accepts "dhcp" and "addrconf" here.
  ip: z.string().optional(),
  ips: z.array(z.string()).optional(),
  netmask: z.string().optional(),
  primary: z.boolean().optional(),
});
export type VmadmNic = z.infer<typeof VmadmNic>;

export const VmadmVm = z.looseObject({
  uuid: Uuid,
  alias: z.string().optional(),
  state: z.string(),
  zone_state: z.string().optional(),
  image_uuid: Uuid.optional(),
  server_uuid: Uuid.optional(),
  owner_uuid: Uuid.optional(),
  brand: z.string(),
  // vmadm always adds nics (an empty array when the zone has none).
  nics: z.array(VmadmNic),
  tags: z.record(z.string(), z.unknown()).optional(),
  datasets: z.array(z.string()).optional(),
  customer_metadata: z.record(z.string(), z.unknown()).optional(),
  internal_metadata: z.record(z.string(), z.unknown()).optional(),
  zonepath: z.string().optional(),
  autoboot: z.boolean().optional(),
  max_physical_memory: z.number().optional(),
  quota: z.number().optional(),
});
export type VmadmVm = z.infer<typeof VmadmVm>;

/**
 * What vmadm prints (last stderr line, exit 1) for a uuid with no zone: the
 * zones library's Z_NO_ZONE text. node-vmadm's load() matches the same text.
 */
export const VMADM_NO_SUCH_ZONE = 'No such zone configured';

/** stderr line of a successful `vmadm create` (exit 0). */
export const VMADM_CREATED_RE =
  /^Successfully created VM ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/m;

/** Create installs the zone and boots it; core zones usually take well under a minute. */
export const VMADM_CREATE_TIMEOUT_MS = 10 * 60_000;
export const VMADM_START_TIMEOUT_MS = 2 * 60_000;
export const VMADM_STOP_TIMEOUT_MS = 3 * 60_000;

const FILTER_KEY = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_*-]+)*$/;

export function parseVmadmGet(text: string): VmadmVm {
  return parseJson('vmadm get', VmadmVm, text);
}

export function parseVmadmLookup(text: string): VmadmVm[] {
  return parseJson('vmadm lookup', z.array(VmadmVm), text);
}

/** `vmadm lookup -j k=v ...`: full objects of the VMs matching every filter. */
export async function vmadmLookup(
  host: Host,
  filters: Record<string, string>,
  opts: CallOptions = {},
): Promise<VmadmVm[]> {
  const argv = ['vmadm', 'lookup', '-j'];
  for (const [key, value] of Object.entries(filters)) {
    if (!FILTER_KEY.test(key)) throw new Error(`refusing vmadm lookup filter key ${JSON.stringify(key)}`);
    if (/[\n\0]/.test(value)) throw new Error(`refusing vmadm lookup filter value for ${key}`);
    argv.push(`${key}=${value}`);
  }
  const res = await runChecked(host, argv, runOptions(opts, QUICK_TIMEOUT_MS));
  return parseVmadmLookup(res.stdout);
}

/** `vmadm get <uuid>`; null when no such VM exists on this host. */
export async function vmadmGet(host: Host, uuid: string, opts: CallOptions = {}): Promise<VmadmVm | null> {
  const argv = ['vmadm', 'get', checkArg(Uuid, uuid, 'VM uuid')];
  const res = await host.run(argv, runOptions(opts, QUICK_TIMEOUT_MS));
  if (res.code === 1 && lastLine(res.stderr).includes(VMADM_NO_SUCH_ZONE)) return null;
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  return parseVmadmGet(res.stdout);
}

/** `vmadm create` with the payload on stdin; returns the uuid vmadm reports. */
export async function vmadmCreate(
  host: Host,
  payload: Record<string, unknown>,
  opts: CallOptions = {},
): Promise<string> {
  const res = await runChecked(
    host,
    ['vmadm', 'create'],
    runOptions(opts, VMADM_CREATE_TIMEOUT_MS, JSON.stringify(payload)),
  );
  const m = VMADM_CREATED_RE.exec(res.stderr);
  if (!m) {
    throw new ParseError(
      'vmadm create',
      'stderr',
      `no "Successfully created VM <uuid>" line in: ${lastLine(res.stderr) || '(empty)'}`,
    );
  }
  return m[1]!;
}

/** Exit 0 also when the VM was already running (vmadm treats that as a no-op). */
export async function vmadmStart(host: Host, uuid: string, opts: CallOptions = {}): Promise<void> {
  const argv = ['vmadm', 'start', checkArg(Uuid, uuid, 'VM uuid')];
  await runChecked(host, argv, runOptions(opts, VMADM_START_TIMEOUT_MS));
}

/** Exit 0 also when the VM was not running. force adds -F (halt without a clean shutdown). */
export async function vmadmStop(host: Host, uuid: string, opts: CallOptions & { force?: boolean } = {}): Promise<void> {
  const argv = ['vmadm', 'stop', checkArg(Uuid, uuid, 'VM uuid')];
  if (opts.force) argv.push('-F');
  await runChecked(host, argv, runOptions(opts, VMADM_STOP_TIMEOUT_MS));
}
