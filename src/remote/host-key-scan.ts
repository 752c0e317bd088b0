// A server's SSH host key, fetched over the wire (as ssh-keyscan does): ssh2's
// hostVerifier sees the key during the handshake, and we refuse it there, so
// nothing is authenticated and nothing runs.
import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

export interface ScannedHostKey {
  /** Raw public key blob, as known_hosts stores it (base64). */
  key: Buffer;
  /** Where it was fetched: what SshHost will dial, hence what known_hosts must name. */
  address: string;
  port: number;
}

export function scanHostKey(address: string, port = 22, timeoutMs = 10_000): Promise<ScannedHostKey> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let key: Buffer | undefined;
    const done = (): void => {
      client.destroy();
      if (key) resolve({ key, address, port });
      else
        reject(
          new Error(
            `no host key from ${address}:${port}: ${why ?? 'the connection closed first'}; check that sshd answers there`,
          ),
        );
    };
    let why: string | undefined;
    client.on('error', (e: Error) => {
      why ??= e.message;
      done();
    });
    client.on('close', done);
    client.on('ready', done);
    client.connect({
      host: address,
      port,
      username: 'root',
      readyTimeout: timeoutMs,
      hostVerifier: (k: Buffer): boolean => {
        key = Buffer.from(k);
        return false;
      },
    });
  });
}

/** The simulator's servers have no sshd: a stable ed25519 key blob per hostname stands in. */
export function simHostKey(hostname: string): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const pub = createHash('sha256').update(`sim host key ${hostname}`).digest();
  const len = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(type.length), type, len(pub.length), pub]);
}
