// A real datacenter: local commands through execa, peers over SSH with host
// keys checked against known_hosts, APIs with fetch.
import type { Dc } from './dc.js';
import type { Host } from './host.js';
import { fetchTransport } from './http.js';
import { LocalHost } from './local.js';
import { SshHost } from './ssh.js';

export interface RealDcOptions {
  restoreDataDir: string;
  knownHostsPath?: string;
  privateKeyPath?: string;
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
          ...(opts.privateKeyPath ? { privateKeyPath: opts.privateKeyPath } : {}),
        });
        peers.set(hostname, h);
      }
      return h;
    },
    http: fetchTransport,
    restoreDataDir: opts.restoreDataDir,
    async close() {
      await Promise.all([...peers.values()].map((p) => p.close()));
    },
  };
}
