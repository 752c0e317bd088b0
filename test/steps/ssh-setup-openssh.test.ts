// ssh-setup against a real OpenSSH sshd standing in for a peer headnode: our
// key created, the host key fetched over the wire shown with the fingerprint
// ssh-keygen -lf prints, recorded in known_hosts, and our key installed where
// sshd then accepts it. The peer's /root/.ssh and /usbkey are this machine's,
// so sshd's ForceCommand moves those paths into the fixture's temp dir (and
// refuses any command that would still reach the real ones).
import { NO_BINDER } from '../support/fake-dc.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dc } from '../../src/remote/dc.js';
import type { Host, RunResult } from '../../src/remote/host.js';
import { scanHostKey } from '../../src/remote/host-key-scan.js';
import { SshHost } from '../../src/remote/ssh.js';
import { runSshSetup } from '../../src/steps/ssh-setup.js';
import { findProgram } from '../support/programs.js';
import { startRealSshd, type RealSshd } from '../support/real-sshd.js';

const sshdProgram = findProgram('sshd', 'openssh-server', ['/usr/sbin/sshd']);
const PEER = 'headnode1';

const cnapi = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'samples', 'cnapi-server.json'), 'utf8'),
) as { sysinfo: Record<string, unknown> };

/** This headnode: only `sysinfo` is asked of it (the real sample's, under our name). */
class SelfHost implements Host {
  readonly name = 'headnode0';
  async run(argv: readonly string[]): Promise<RunResult> {
    if (argv[0] !== 'sysinfo')
      return { code: 127, stdout: '', stderr: `${argv[0]}: not in this test\n`, durationMs: 0 };
    return { code: 0, stdout: JSON.stringify({ ...cnapi.sysinfo, Hostname: 'headnode0' }), stderr: '', durationMs: 0 };
  }
  async close(): Promise<void> {}
}

describe.skipIf(sshdProgram.skip)('ssh-setup against a real OpenSSH sshd', () => {
  let sshd: RealSshd;
  let work: string;
  const peers: SshHost[] = [];

  beforeAll(async () => {
    sshd = await startRealSshd(sshdProgram.path!, {
      moreAuthorizedKeys: ['peer-root/root/.ssh/authorized_keys'],
      forceCommand: (dir) => {
        const script = join(dir, 'peer-paths');
        writeFileSync(
          script,
          [
            '#!/bin/sh',
            `root=${dir}/peer-root`,
            'cmd=$(printf "%s" "$SSH_ORIGINAL_COMMAND" | sed -e "s#/usbkey#$root/usbkey#g" -e "s#/root/\\.ssh#$root/root/.ssh#g")',
            // Anything still naming the real paths is refused: this test must not write them.
            'case "$cmd" in *" /root"*|*" /usbkey"*|*"\'/root"*|*"\'/usbkey"*) echo "refused: $cmd" >&2; exit 99;; esac',
            'exec /bin/sh -c "$cmd"',
            '',
          ].join('\n'),
        );
        chmodSync(script, 0o755);
        return script;
      },
    });
    // The peer's /usbkey as a Triton headnode has it: config.inc/generic names the file
    // the boot copies to /root/.ssh/authorized_keys (sdc-headnode config/config.inc/generic).
    mkdirSync(join(sshd.dir, 'peer-root', 'usbkey', 'config.inc'), { recursive: true });
    writeFileSync(
      join(sshd.dir, 'peer-root', 'usbkey', 'config.inc', 'generic'),
      'root_authorized_keys_file=root.authorized_keys\n',
    );
    writeFileSync(join(sshd.dir, 'peer-root', 'usbkey', 'config'), `hostname=${PEER}\n`);
    work = join(sshd.dir, 'work');
    // Restore-data as sync leaves it: CNAPI's server list names the peer headnode.
    mkdirSync(join(work, 'rd', 'dc'), { recursive: true });
    writeFileSync(join(work, 'rd', 'LAYOUT'), '1\n');
    writeFileSync(
      join(work, 'rd', 'dc', 'servers.json'),
      JSON.stringify([{ ...cnapi, hostname: PEER, headnode: true }]),
    );
  });
  afterAll(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await sshd?.stop();
  });

  const dc = (): Dc => ({
    label: 'test',
    simulated: false,
    local: new SelfHost(),
    // Logged in with the fixture's key, as an operator's agent (ssh -A) would.
    peer: (hostname) => {
      const h = new SshHost({
        name: hostname,
        address: '127.0.0.1',
        port: sshd.port,
        username: sshd.username,
        privateKeyPath: sshd.clientKeyPath,
        agent: '',
        knownHostsPath: join(work, 'known_hosts'),
      });
      peers.push(h);
      return h;
    },
    hostKey: () => scanHostKey('127.0.0.1', sshd.port, 30_000),
    coordination: () => NO_BINDER,
    http: () => Promise.reject(new Error('no HTTP in this test')),
    restoreDataDir: join(work, 'rd'),
    close: async () => {},
  });

  it('creates the key, shows the fingerprint ssh-keygen -lf prints, records the host key, installs our key', async () => {
    const lines: string[] = [];
    const asked: string[] = [];
    const identity = join(work, 'ssh', 'id_ed25519');
    const res = await runSshSetup({
      dc: dc(),
      identity,
      knownHosts: join(work, 'known_hosts'),
      ask: async (q) => {
        asked.push(q);
        return true;
      },
      log: (l) => lines.push(l),
      timeoutMs: 30_000,
    });
    expect(existsSync(identity)).toBe(true);
    expect(res.peers, lines.join('\n')).toMatchObject([
      { hostname: PEER, status: 'installed', fingerprint: sshd.fingerprint() },
    ]);
    expect(lines.join('\n')).toContain(sshd.fingerprint());
    expect(asked).toHaveLength(1);
    expect(readFileSync(join(work, 'known_hosts'), 'utf8')).toContain(
      `[${PEER}]:${sshd.port},[127.0.0.1]:${sshd.port} ssh-ed25519 `,
    );
    const keyPart = res.publicLine.split(' ').slice(0, 2).join(' ');
    expect(readFileSync(join(sshd.dir, 'peer-root', 'usbkey', 'config.inc', 'root.authorized_keys'), 'utf8')).toContain(
      keyPart,
    );
    expect(readFileSync(join(sshd.dir, 'peer-root', 'root', '.ssh', 'authorized_keys'), 'utf8')).toContain(keyPart);

    // sshd now lets the new key in, checked against the known_hosts ssh-setup wrote.
    const own = new SshHost({
      name: PEER,
      address: '127.0.0.1',
      port: sshd.port,
      username: sshd.username,
      privateKeyPath: identity,
      agent: '',
      knownHostsPath: join(work, 'known_hosts'),
    });
    peers.push(own);
    expect(await own.run(['echo', 'in'], { timeoutMs: 30_000 })).toMatchObject({ code: 0, stdout: 'in\n' });

    // Again: nothing asked, nothing written twice.
    const again = await runSshSetup({
      dc: dc(),
      identity,
      knownHosts: join(work, 'known_hosts'),
      log: () => {},
      timeoutMs: 30_000,
    });
    expect(again.peers).toMatchObject([{ status: 'already' }]);
    expect(
      readFileSync(join(sshd.dir, 'peer-root', 'root', '.ssh', 'authorized_keys'), 'utf8').split(keyPart),
    ).toHaveLength(2);
  }, 120_000);
});
