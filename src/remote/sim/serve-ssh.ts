// The simulated DC over a real SSH wire (127.0.0.1 only): one server whose SSH
// user name picks the simulated host, and a silent listener standing in for
// dead servers, so the client's connect timeout is what fires.
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Dc } from '../dc.js';
import type { Host } from '../host.js';
import { scanHostKey } from '../host-key-scan.js';
import { SshHost } from '../ssh.js';
import type { SimDc } from './index.js';
import { ROOT_AUTHORIZED_KEYS } from './gz-ramdisk.js';
import { generateKeyPair } from './keys.js';
import { SimHost } from './sim-host.js';
import { startSshServer } from './ssh-server.js';

export interface SshKeys {
  /** Server host key (private, OpenSSH or PEM). */
  hostKey: string | Buffer;
  /** Client key the server accepts (public); beside each GZ's own /root/.ssh/authorized_keys. */
  clientPublicKey?: string | Buffer;
  /** Client private key file used by SshHost. */
  clientPrivateKeyPath: string;
  /** false: a missing key file means "no key" (the CLI's persistent default before ssh-setup). */
  privateKeyRequired?: boolean;
  /** known_hosts file the client checks the host key against. */
  knownHostsPath: string;
}

export interface SimSshService {
  port: number;
  blackholePort: number;
  /** A Dc like the sim's own, but whose peers are reached over SSH. */
  dc: Dc;
  close(): Promise<void>;
}

export async function serveSimOverSsh(
  sim: SimDc,
  keys: SshKeys,
  opts: { connectTimeoutMs?: number; port?: number } = {},
): Promise<SimSshService> {
  const server = await startSshServer({
    hostKey: keys.hostKey,
    authorizedKeys: keys.clientPublicKey !== undefined ? [keys.clientPublicKey] : [],
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    resolveHost: (username) => new SimHost(sim.world, username),
    // Root's authorized_keys in that server's GZ, as sshd reads it at each login.
    authorizedKeysFor: (username) => (sim.world.server(username)?.files?.[ROOT_AUTHORIZED_KEYS] ?? '').split('\n'),
  });
  const sockets = new Set<Socket>();
  const blackhole: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((res) => blackhole.listen(0, '127.0.0.1', res));
  const blackholePort = (blackhole.address() as { port: number }).port;
  const peers = new Map<string, Host>();
  const dc: Dc = {
    label: `${sim.label} (over SSH)`,
    simulated: true,
    local: sim.local,
    peer(hostname) {
      let h = peers.get(hostname);
      if (!h) {
        const alive = sim.world.isAlive(hostname);
        h = new SshHost({
          name: hostname,
          address: '127.0.0.1',
          port: alive ? server.port : blackholePort,
          username: hostname,
          privateKeyPath: keys.clientPrivateKeyPath,
          privateKeyRequired: keys.privateKeyRequired ?? true,
          agent: '',
          knownHostsPath: keys.knownHostsPath,
          connectTimeoutMs: opts.connectTimeoutMs ?? 2_000,
        });
        peers.set(hostname, h);
      }
      return h;
    },
    // Every simulated server answers on the same port with the same key: scan it for real.
    hostKey: (hostname) =>
      scanHostKey(
        '127.0.0.1',
        sim.world.isAlive(hostname) ? server.port : blackholePort,
        opts.connectTimeoutMs ?? 2_000,
      ),
    http: sim.http,
    coordination: (members, o) => sim.coordination(members, o),
    restoreDataDir: sim.restoreDataDir,
    async close() {
      await Promise.all([...peers.values()].map((p) => p.close()));
    },
  };
  return {
    port: server.port,
    blackholePort,
    dc,
    async close() {
      await dc.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => blackhole.close(() => res()));
      await server.close();
    },
  };
}

/**
 * The same, with a fresh host key and client key written into `dir` (the
 * client key file and a known_hosts naming the server's key): what tests and
 * the bench need. One host key answers for every simulated server.
 */
export async function serveSimOverSshWithFreshKeys(
  sim: SimDc,
  dir: string,
  opts: { connectTimeoutMs?: number } = {},
): Promise<SimSshService> {
  const host = generateKeyPair();
  const client = generateKeyPair();
  const keyPath = join(dir, 'id');
  const known = join(dir, 'known_hosts');
  writeFileSync(keyPath, client.private, { mode: 0o600 });
  const svc = await serveSimOverSsh(
    sim,
    { hostKey: host.private, clientPublicKey: client.public, clientPrivateKeyPath: keyPath, knownHostsPath: known },
    opts,
  );
  writeFileSync(known, `[127.0.0.1]:${svc.port} ${host.public}\n`);
  return svc;
}
