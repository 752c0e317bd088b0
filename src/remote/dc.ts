// How the console reaches one datacenter: this headnode's GZ, the other
// headnodes' GZs, the core APIs over HTTP, and the local restore-data.
import type { HttpTransport } from './http.js';
import type { Host } from './host.js';
import type { ScannedHostKey } from './host-key-scan.js';
import type { BinderMember, Coordination } from './coordination.js';

export interface Dc {
  /** Shown in titles and reports: "us-west-1" or "simulated: primary-dead". */
  readonly label: string;
  readonly simulated: boolean;
  /** The GZ the console runs in. */
  readonly local: Host;
  /** Another server's GZ (SSH in a real DC). Same object for the same hostname. */
  peer(hostname: string, adminIp: string): Host;
  /** That server's SSH host key, fetched over the wire (ssh-setup shows it to compare). */
  hostKey?(hostname: string, adminIp: string): Promise<ScannedHostKey>;
  readonly http: HttpTransport;
  /** binder's ZooKeeper, for the DC-wide recovery lock; `members` as restore-data lists them. */
  coordination(members: BinderMember[], opts?: { connectTimeoutMs?: number }): Coordination;
  readonly restoreDataDir: string;
  close(): Promise<void>;
}
