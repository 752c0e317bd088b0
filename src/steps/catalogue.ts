// The service catalogue: everything the restore knows about each core service,
// in one place. Order is RFD 67's, corrected by reference B (headnode.sh order
// minus the HA clusters binder/manatee/moray, post-setup services last).

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
  /** Must never run twice in the DC (two would fight). */
  single?: boolean;
  /** When several of its instances died together, one re-created here is enough. */
  restoreOne?: boolean;
  /** Said when the operator skips it: what the zones after it will miss. */
  skipWarning?: string;
  /** Operator-facing notes the plan shows where they apply; `new` only for the new-IP strategy. */
  notes?: { all?: string[]; new?: string[] };
}

const S = (name: string, role: ServiceRole, rest: Omit<ServiceSpec, 'name' | 'role'> = {}): ServiceSpec => ({ name, role, ...rest });
const http = (path = '/ping', port = 80): ServiceSpec['ping'] => ({ path, port });

/** In restore order. */
export const CATALOGUE: readonly ServiceSpec[] = [
  S('assets', 'restore', {
    needsUsbkey: true,
    single: true,
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
    notes: { all: ['restored first: every later zone fetches its config from SAPI at first boot (within about a minute)'] },
  }),
  S('amonredis', 'restore'),
  S('ufds', 'restore', {
    single: true,
    notes: { all: ['in a multi-DC setup, check ufds replication (ufds_is_master, replication firewall rules) afterwards'] },
  }),
  S('workflow', 'restore', { ping: http() }),
  S('amon', 'restore', { ping: http() }),
  S('sdc', 'restore', {
    single: true,
    notes: { all: ['only one sdc zone may run hermes and napi-ufds-watcher: never start the old sdc0 again'] },
  }),
  S('papi', 'restore', { ping: http() }),
  S('napi', 'restore', { ping: http() }),
  S('rabbitmq', 'restore', {
    notes: { new: ['compute nodes boot with rabbitmq=guest:guest:<IP>:5672: update CNAPI /boot/default kernel_args and SAPI metadata rabbitmq'] },
  }),
  S('imgapi', 'restore', {
    ping: http(),
    single: true,
    notes: { all: ['image files live on its delegated dataset (unless Manta is configured): the stream carries them'] },
  }),
  S('cnapi', 'restore', { ping: http() }),
  // headnode.sh creates dhcpd after cnapi. Not an HA cluster: re-created when
  // no dhcpd survives (compute nodes PXE boot from it), with dhcp_server on its
  // admin NIC; served from this headnode's /usbkey/os and /usbkey/extra.
  S('dhcpd', 'restore', {
    needsUsbkey: true,
    restoreOne: true,
    notes: { all: ['compute nodes PXE boot from it: it serves this headnode\'s /usbkey/os platforms'] },
  }),
  S('fwapi', 'restore', { ping: http() }),
  S('vmapi', 'restore', { ping: http() }),
  S('mahi', 'restore'),
  S('adminui', 'restore'),
  S('cloudapi', 'restore', {
    // Self-signed CN=* unless the operator installed one, and then it names the
    // public hostname, not the admin IP: sdcadm's checkHealth does not verify it either.
    ping: { path: '/--ping', port: 443, https: true, tls: 'accept-self-signed' },
    notes: { new: ['load balancers and DNS point at cloudapi\'s IPs: update them'] },
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
