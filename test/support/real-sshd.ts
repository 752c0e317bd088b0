// A real OpenSSH sshd on 127.0.0.1 for the tests that prove SshHost talks to
// the sshd SmartOS runs, not only to our own ssh2 server. Everything lives in
// a temp dir it creates (host keys, authorized_keys, config, pid file); it runs
// as the current user, so it can only log that user in.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './cli.js';

export interface RealSshd {
  dir: string;
  port: number;
  username: string;
  /** The private key that authorized_keys lets in. */
  clientKeyPath: string;
  /** The host key sshd offers now (its .pub is next to it). */
  hostKeyPath: string;
  /** pid of the listening sshd (-D: the one we spawned). */
  pid: number;
  /** What ssh-keygen -lf prints for the host key: "SHA256:...". */
  fingerprint(): string;
  /** Stop, then start again on the same port with a freshly generated host key. */
  restartWithNewHostKey(): Promise<void>;
  /** What sshd logged so far (-e: to stderr), for failure messages. */
  log(): string;
  /** pids of the per-connection sshd processes (children of the listener). */
  sessionPids(): number[];
  /** SIGKILL every open session and what runs under it: the connection drops as if the peer died. */
  killSessions(): number;
  stop(): Promise<void>;
}

function keygen(path: string, type: 'ed25519' | 'rsa'): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  execFileSync(
    'ssh-keygen',
    ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', 'test', '-f', path],
    { stdio: 'ignore' },
  );
}

/** Starts `sshd -D -e -f config` and resolves once it says it listens. */
function launch(sshdPath: string, config: string, port: number, logFile: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const onData = (b: Buffer): void => {
      log += b.toString('utf8');
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        child.stderr!.off('data', onData);
        // Keep draining into a file: a full pipe would block sshd, and the log explains failures.
        child.stderr!.on('data', (d: Buffer) => {
          try {
            appendFileSync(logFile, d);
          } catch {
            // stop() removed the directory; a session still exiting has nothing left to explain.
          }
        });
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`sshd exited (${code}) before listening:\n${log}`));
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // pgrep exits 1 when there is none.
    return [];
  }
}

function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((c) => [c, ...descendantsOf(c)]);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface RealSshdOptions {
  hostKeyType?: 'ed25519' | 'rsa';
  /** sshd's ForceCommand (the client's command is in SSH_ORIGINAL_COMMAND); `dir` is the fixture's temp dir. */
  forceCommand?: (dir: string) => string;
  /** More authorized_keys files, relative to the temp dir, read after the fixture's own. */
  moreAuthorizedKeys?: string[];
}

export async function startRealSshd(sshdPath: string, opts: RealSshdOptions = {}): Promise<RealSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'real-sshd-'));
  const hostKeyType = opts.hostKeyType ?? 'ed25519';
  const hostKeyPath = join(dir, `ssh_host_${hostKeyType}_key`);
  const clientKeyPath = join(dir, 'id_ed25519');
  keygen(hostKeyPath, hostKeyType);
  keygen(clientKeyPath, 'ed25519');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKeyPath}.pub`), { mode: 0o600 });
  // Debian's sshd refuses to start without its privilege-separation directory.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${[authorized, ...(opts.moreAuthorizedKeys ?? []).map((f) => join(dir, f))].join(' ')}`,
      ...(opts.forceCommand ? [`ForceCommand ${opts.forceCommand(dir)}`] : []),
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      // The temp dir is world-traversable /tmp; StrictModes would refuse authorized_keys there.
      'StrictModes no',
      'UsePAM no',
      'PrintMotd no',
      `LogLevel ${process.env.REAL_SSHD_LOGLEVEL ?? 'VERBOSE'}`,
      '',
    ].join('\n'),
  );
  let child = await launch(sshdPath, config, port, join(dir, 'sshd.log'));
  const sshd: RealSshd = {
    dir,
    port,
    username: userInfo().username,
    clientKeyPath,
    hostKeyPath,
    get pid() {
      return child.pid!;
    },
    fingerprint: () => execFileSync('ssh-keygen', ['-lf', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(/\s+/)[1]!,
    async restartWithNewHostKey() {
      await stopChild(child);
      keygen(hostKeyPath, hostKeyType);
      child = await launch(sshdPath, config, port, join(dir, 'sshd.log'));
    },
    log: () => (existsSync(join(dir, 'sshd.log')) ? readFileSync(join(dir, 'sshd.log'), 'utf8') : ''),
    sessionPids: () => childrenOf(child.pid!),
    killSessions() {
      // Only our own listener's descendants: other sshds on this machine are not ours.
      const pids = descendantsOf(child.pid!);
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      return pids.length;
    },
    async stop() {
      // Open sessions first: SIGTERM to a -D sshd leaves them running.
      sshd.killSessions();
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sshd;
}
