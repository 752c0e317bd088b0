// The service catalogue: everything the restore knows about each core service,
// in one place. Order is RFD 67's, corrected by reference B (headnode.sh order
// minus the HA clusters binder/manatee/moray, post-setup services last).
// Per-service facts are here; per-instance facts (uuid, IPs, image, the
// datasets it really has) come from restore-data's vm dumps.

export type ServiceRole =
  /** Re-created on this headnode when it died with the primary and runs nowhere else. */
  | 'restore'
  /** HA clusters: must already run on survivors; checked, never restored. */
  | 'survivor'
  /** Known, but not something a restore should re-create (per-user zones). */
  | 'skip';

export interface ServiceSpec {
  name: string;
  role: ServiceRole;
  /**
   * 'delegated': its zones keep their data on zones/<uuid>/data (sdc-headnode
   * headnode.sh WANT_DELEGATED_DATASET; sdcadm update-other adds the flag to
   * older deployments, and the dataset appears at the zone's next reprovision).
   * The restore receives its stream before the first boot.
   */
  dataset: 'delegated' | 'none';
  /** HTTP health check once the zone runs (reference C14). */
  ping?: {
    path: string;
    port: number;
    https?: boolean;
    /** The zone's certificate cannot be verified from the admin network: accept it for the ping. */
    tls?: 'accept-self-signed';
  };
  /** lofs-mounts parts of /usbkey: only a headnode with a filled /usbkey can run it. */
  needsUsbkey?: boolean;
  /** Zones that configure themselves at first boot without asking SAPI (SAPI-294). */
  bootsWithoutSapi?: boolean;
  /** When several of its instances died together, one re-created here is enough. */
  restoreOne?: boolean;
  /** Said when the operator skips it: what the zones after it will miss. */
  skipWarning?: string;
  /** Operator-facing notes the plan shows where they apply; `new` only for the new-IP strategy. */
  notes?: { all?: string[]; new?: string[] };
}

/** headnode.sh's WANT_DELEGATED_DATASET (reference B3): the services whose zones have zones/<uuid>/data. */
const DELEGATED = new Set([
  'amonredis',
  'assets',
  'binder',
  'cloudapi',
  'cmon',
  'cns',
  'docker',
  'fwapi',
  'imgapi',
  'mahi',
  'manatee',
  'moray',
  'sapi',
  'ufds',
]);

const S = (
  name: string,
  role: ServiceRole,
  rest: Omit<ServiceSpec, 'name' | 'role' | 'dataset'> = {},
): ServiceSpec => ({
  name,
  role,
  dataset: DELEGATED.has(name) ? 'delegated' : 'none',
  ...rest,
});
const http = (path = '/ping', port = 80): ServiceSpec['ping'] => ({ path, port });

/** In restore order. */
export const CATALOGUE: readonly ServiceSpec[] = [
  S('assets', 'restore', {
    needsUsbkey: true,
    // headnode.sh creates assets0 before sapi0 exists and waits for its setup to complete.
    bootsWithoutSapi: true,
    notes: {
      all: ['serves /usbkey/os and /usbkey/extra (lofs): this headnode needs a filled /usbkey'],
      new: ['its IP is in SAPI metadata assets-ip and in the cnapi template (assets.url): update both'],
    },
  }),
  S('sapi', 'restore', {
    ping: http(),
    bootsWithoutSapi: true,
    skipWarning: 'every zone after it asks SAPI for its config at first boot: without SAPI they fail to set up',
    notes: {
      all: ['restored first: every later zone fetches its config from SAPI at first boot (within about a minute)'],
    },
  }),
  S('amonredis', 'restore'),
  S('ufds', 'restore', {
    notes: {
      all: ['in a multi-DC setup, check ufds replication (ufds_is_master, replication firewall rules) afterwards'],
    },
  }),
  S('workflow', 'restore', { ping: http() }),
  S('amon', 'restore', { ping: http() }),
  S('sdc', 'restore', {
    notes: { all: ['only one sdc zone may run hermes and napi-ufds-watcher: never start the old sdc0 again'] },
  }),
  S('papi', 'restore', { ping: http() }),
  S('napi', 'restore', { ping: http() }),
  S('rabbitmq', 'restore', {
    notes: {
      new: [
        'compute nodes boot with rabbitmq=guest:guest:<IP>:5672: update CNAPI /boot/default kernel_args and SAPI metadata rabbitmq',
      ],
    },
  }),
  S('imgapi', 'restore', {
    ping: http(),
    notes: { all: ['image files live on its delegated dataset (unless Manta is configured): the stream carries them'] },
  }),
  S('cnapi', 'restore', { ping: http() }),
  // headnode.sh creates dhcpd after cnapi. Not an HA cluster: re-created when
  // no dhcpd survives (compute nodes PXE boot from it), with dhcp_server on its
  // admin NIC; served from this headnode's /usbkey/os and /usbkey/extra.
  S('dhcpd', 'restore', {
    needsUsbkey: true,
    restoreOne: true,
    notes: { all: ["compute nodes PXE boot from it: it serves this headnode's /usbkey/os platforms"] },
  }),
  S('fwapi', 'restore', { ping: http() }),
  S('vmapi', 'restore', { ping: http() }),
  S('mahi', 'restore'),
  S('adminui', 'restore'),
  S('cloudapi', 'restore', {
    // Self-signed CN=* unless the operator installed one, and then it names the
    // public hostname, not the admin IP: sdcadm's checkHealth does not verify it either.
    ping: { path: '/--ping', port: 443, https: true, tls: 'accept-self-signed' },
    notes: { new: ["load balancers and DNS point at cloudapi's IPs: update them"] },
  }),
  S('cns', 'restore', { notes: { new: ['BIND slaves are configured with the CNS address: update their masters'] } }),
  S('docker', 'restore'),
  S('cmon', 'restore'),
  S('portolan', 'restore'),
  S('manatee', 'survivor'),
  S('moray', 'survivor'),
  S('binder', 'survivor'),
  S('nat', 'skip'),
];

const BY_NAME = new Map(CATALOGUE.map((s) => [s.name, s]));

export function spec(name: string): ServiceSpec | undefined {
  return BY_NAME.get(name);
}

/**
 * Restore position: catalogue order; services the catalogue does not know come
 * after all known ones (restored generically, with a warning).
 */
export function restoreRank(name: string): number {
  const i = CATALOGUE.findIndex((s) => s.name === name);
  return i < 0 ? CATALOGUE.length : i;
}

export const SURVIVOR_SERVICES = CATALOGUE.filter((s) => s.role === 'survivor').map((s) => s.name);

/** The one spelling of a zone's delegated dataset. */
export function delegatedDatasetName(uuid: string): string {
  return `zones/${uuid}/data`;
}

/** Does this vm dump's zone have its delegated dataset? */
export function hasDelegatedDataset(vm: { uuid: string; datasets?: readonly string[] | undefined }): boolean {
  return (vm.datasets ?? []).includes(delegatedDatasetName(vm.uuid));
}

/**
 * Does the restore re-create this service's zones? Services the catalogue
 * does not know are restored too (generically, with a warning).
 */
export function isRestored(name: string): boolean {
  return (spec(name)?.role ?? 'restore') === 'restore';
}

/** The URL of a zone's health ping at its admin IP (the scheme's default port left out). */
export function healthUrl(ping: NonNullable<ServiceSpec['ping']>, ip: string): string {
  const port = ping.port === (ping.https ? 443 : 80) ? '' : `:${ping.port}`;
  return `${ping.https ? 'https' : 'http'}://${ip}${port}${ping.path}`;
}
