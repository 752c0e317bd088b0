// A real three-member ZooKeeper ensemble (Debian's zookeeper, run with java)
// for the tests of binder: detection's signal, readiness's quorum check and the
// DC-wide lock. Each member listens on its own loopback address (127.X.Y.1-3,
// all loopback on Linux) on 2181, the port the product's probes use, so the
// real `nc` probes reach them as they reach binder; X.Y is random so two test
// files (or two developers) on one machine do not collide.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { findProgram } from './programs.js';

const JAR = '/usr/share/java/zookeeper.jar';
const MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
export const ZK_CLIENT_PORT = 2181;

/** Java and the ZooKeeper jars; `skip` when not installed here (throws under CI=true). */
export function zookeeperProgram(): { java: string | undefined; skip: boolean } {
  const java = findProgram('java', 'zookeeper');
  if (java.skip) return { java: undefined, skip: true };
  if (!existsSync(JAR)) {
    if (process.env.CI === 'true')
      throw new Error(`${JAR} is missing, and CI=true needs it: apt-get install zookeeper (.ci/run does this)`);
    return { java: java.path, skip: true };
  }
  return { java: java.path, skip: false };
}

/** One four-letter word to host:2181; '' when nothing answers. */
export function fourLetter(ip: string, word: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = connect({ host: ip, port: ZK_CLIENT_PORT });
    const done = (): void => {
      s.destroy();
      resolve(out);
    };
    s.setTimeout(timeoutMs, done);
    s.on('connect', () => s.write(word));
    s.on('data', (d) => (out += d.toString()));
    s.on('end', done);
    s.on('error', done);
  });
}

export class ZkEnsemble {
  readonly ips: string[];
  private readonly dir: string;
  private readonly procs: (ChildProcess | undefined)[] = [undefined, undefined, undefined];

  constructor(
    private readonly java: string,
    opts: { tickMs?: number; whitelist?: string } = {},
  ) {
    const x = 16 + Math.floor(Math.random() * 200);
    const y = 1 + Math.floor(Math.random() * 250);
    this.ips = [1, 2, 3].map((n) => `127.${x}.${y}.${n}`);
    this.dir = mkdtempSync(join(tmpdir(), 'triton-recover-zk-'));
    const servers = this.ips.map((ip, i) => `server.${i + 1}=${ip}:2888:3888`).join('\n');
    this.ips.forEach((ip, i) => {
      const d = join(this.dir, `m${i + 1}`);
      mkdirSync(join(d, 'data'), { recursive: true });
      writeFileSync(join(d, 'data', 'myid'), `${i + 1}\n`);
      writeFileSync(
        join(d, 'zoo.cfg'),
        [
          `tickTime=${opts.tickMs ?? 200}`,
          'initLimit=20',
          'syncLimit=5',
          `dataDir=${join(d, 'data')}`,
          `clientPort=${ZK_CLIENT_PORT}`,
          `clientPortAddress=${ip}`,
          // Newer servers answer only whitelisted four-letter words; binder (3.4) has no whitelist.
          `4lw.commands.whitelist=${opts.whitelist ?? '*'}`,
          'admin.enableServer=false',
          'quorumListenOnAllIPs=false',
          servers,
          '',
        ].join('\n'),
      );
    });
  }

  /** Start member i (0-based); returns at once (use waitFor...). */
  start(i: number): void {
    if (this.procs[i]) return;
    const d = join(this.dir, `m${i + 1}`);
    const p = spawn(
      this.java,
      [
        '-Xmx96m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Dzookeeper.log.dir=' + d,
        '-Dzookeeper.root.logger=WARN,CONSOLE',
        '-cp',
        JAR,
        MAIN,
        join(d, 'zoo.cfg'),
      ],
      { stdio: 'ignore' },
    );
    this.procs[i] = p;
    p.on('exit', () => {
      if (this.procs[i] === p) this.procs[i] = undefined;
    });
  }

  async startAll(timeoutMs = 30_000): Promise<void> {
    for (let i = 0; i < 3; i++) this.start(i);
    await this.waitForQuorum([0, 1, 2], timeoutMs);
  }

  /** Kill member i hard (SIGKILL: as a power cut), and wait until it is gone. */
  async kill(i: number): Promise<void> {
    const p = this.procs[i];
    if (!p) return;
    const gone = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGKILL');
    await gone;
  }

  /** Mode of member i from `srvr`: leader/follower, 'not-serving', or '' when it does not answer. */
  async mode(i: number): Promise<string> {
    const out = await fourLetter(this.ips[i]!, 'srvr');
    if (out.includes('not currently serving')) return 'not-serving';
    return /^Mode:\s*(\S+)/m.exec(out)?.[1] ?? '';
  }

  /** Poll until every listed member serves (leader or follower). */
  async waitForQuorum(members: number[], timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const modes = await Promise.all(members.map((i) => this.mode(i)));
      if (modes.every((m) => m === 'leader' || m === 'follower')) return;
      if (Date.now() > end)
        throw new Error(
          `ZooKeeper ensemble: no quorum after ${timeoutMs} ms (modes ${modes.join(',')}; dir ${this.dir})`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Poll until member i answers but does not serve (it lost its quorum). */
  async waitForNotServing(i: number, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((await this.mode(i)) !== 'not-serving') {
      if (Date.now() > end) throw new Error(`member ${i + 1} still serves after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** host:port list for a client, of the given members. */
  connectString(members: number[] = [0, 1, 2]): string {
    return members.map((i) => `${this.ips[i]}:${ZK_CLIENT_PORT}`).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all([0, 1, 2].map((i) => this.kill(i)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A started ensemble for the enclosing describe: made and started (quorum
 * reached) in beforeAll, stopped and its files removed in afterAll. Returns a
 * getter, since the ensemble exists only once beforeAll has run.
 */
export function useZkEnsemble(
  java: string | undefined,
  opts: { tickMs?: number; whitelist?: string } = {},
): () => ZkEnsemble {
  let ens: ZkEnsemble | undefined;
  beforeAll(async () => {
    if (java === undefined) throw new Error('no java: skip this suite with zookeeperProgram().skip');
    ens = new ZkEnsemble(java, opts);
    await ens.startAll();
  }, 40_000);
  afterAll(async () => {
    await ens?.stop();
  });
  return () => {
    if (!ens) throw new Error('the ZooKeeper ensemble is used before its beforeAll ran');
    return ens;
  };
}
