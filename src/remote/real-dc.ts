// A real datacenter: local commands through execa, peers over SSH with host
// keys checked against known_hosts, APIs with fetch.
import type { Dc } from './dc.js';
import type { Host } from './host.js';
import { scanHostKey } from './host-key-scan.js';
import { fetchTransport } from './http.js';
import { LocalHost } from './local.js';
import { SshHost } from './ssh.js';
import { ZkCoordination } from './zk-coordination.js';

export interface RealDcOptions {
  restoreDataDir: string;
  knownHostsPath?: string;
  privateKeyPath?: string;
  /** The operator named the key: its absence is an error rather than "use the agent". */
  privateKeyRequired?: boolean;
  label?: string;
}

export function openRealDc(opts: RealDcOptions): Dc {
  const local = new LocalHost();
  const peers = new Map<string, Host>();
  return {
    label: opts.label ?? local.name,
    simulated: false,
    local,
    peer(hostname, adminIp) {
      let h = peers.get(hostname);
      if (!h) {
        h = new SshHost({
          name: hostname,
          address: adminIp,
          ...(opts.knownHostsPath ? { knownHostsPath: opts.knownHostsPath } : {}),
          ...(opts.privateKeyPath
            ? { privateKeyPath: opts.privateKeyPath, privateKeyRequired: opts.privateKeyRequired ?? true }
            : {}),
        });
        peers.set(hostname, h);
      }
      return h;
    },
    hostKey: (_hostname, adminIp) => scanHostKey(adminIp, 22),
    http: fetchTransport,
    // The console runs in a GZ on the admin network: binder's members are reached directly.
    coordination: (members, o) => new ZkCoordination(members, o),
    restoreDataDir: opts.restoreDataDir,
    async close() {
      await Promise.all([...peers.values()].map((p) => p.close()));
    },
  };
}
