// Global options -> the DC the console talks to: the simulator (--sim/--demo)
// or the real one this headnode is part of.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dc } from '../remote/dc.js';
import { openRealDc } from '../remote/real-dc.js';
import { ZkCoordination } from '../remote/zk-coordination.js';
import { readConfigFile, resolveSshSettings, type SshSettings } from '../remote/ssh-config.js';
import { builtinScenarioPath, openSim, type SimDc } from '../remote/sim/index.js';
import { generateKeyPair } from '../remote/sim/keys.js';
import { loadLatencyProfile } from '../remote/sim/latency-profile.js';
import { serveSimOverSsh } from '../remote/sim/serve-ssh.js';
import { DEFAULT_RESTORE_DATA_DIR } from '../state/restore-data-layout.js';

export interface GlobalOptions {
  sim?: string;
  demo?: boolean;
  simState?: string;
  simSpeed?: number;
  /** --sim-latencies: 'real' or a profile file (src/remote/sim/latency-profile.ts). */
  simLatencies?: string;
  restoreData?: string;
  journalDir?: string;
  maxAge?: number;
  /** --max-verified-age HOURS: RESTORE_DATA_UNVERIFIED beyond it (check, plan, restore, the console). */
  maxVerifiedAge?: number;
  serial?: boolean;
  /** --plain: the linear console (numbered choices, one line per change, no cursor movement). */
  plain?: boolean;
  ascii?: boolean;
  color?: boolean;
  identity?: string;
  knownHosts?: string;
  config?: string;
  /** Serve the simulator over a real SSH server on 127.0.0.1:PORT and reach its peers through it. */
  simSsh?: number;
  /** The simulator's binder lock in a real ZooKeeper ensemble at these comma-separated IPs (tests). */
  simBinder?: string;
}

export async function openDc(g: GlobalOptions): Promise<Dc> {
  if (g.sim || g.demo || g.simState) {
    const sim = await openSim({
      scenarioPath: g.sim ? resolve(g.sim) : builtinScenarioPath(),
      ...(g.simState ? { statePath: g.simState } : {}),
      ...(g.restoreData ? { restoreDataDir: g.restoreData } : {}),
      speed: g.simSpeed ?? 1,
      ...(g.simLatencies ? { latencies: (await loadLatencyProfile(g.simLatencies)).latencyMs } : {}),
      ...(g.simBinder
        ? {
            coordination: (o?: { connectTimeoutMs?: number }) =>
              new ZkCoordination(
                g.simBinder!.split(',').map((ip, i) => ({ alias: `binder${i}`, ip: ip.trim() })),
                o,
              ),
          }
        : {}),
    });
    return g.simSsh !== undefined ? simOverSsh(sim, g, g.simSsh) : sim;
  }
  // Peers are reached with the persistent identity and known_hosts (ssh-config.ts), never ~/.ssh.
  const ssh = resolveSshSettings(g);
  return openRealDc({
    restoreDataDir: g.restoreData ?? DEFAULT_RESTORE_DATA_DIR,
    privateKeyPath: ssh.identity,
    privateKeyRequired: ssh.identityExplicit,
    knownHostsPath: ssh.knownHosts,
  });
}

export const DEFAULT_JOURNAL_DIR = '/var/sdcadm/triton-recover';

/** Where journal, lock and reports go: --journal-dir, else beside the sim state, else the real default. */
export function journalDirOf(g: GlobalOptions, dc: Dc): string {
  if (g.journalDir) return resolve(g.journalDir);
  if (g.simState) return resolve(`${g.simState.replace(/\.json$/, '')}.journal`);
  if (dc.simulated) return resolve(dc.restoreDataDir, '..', 'journal');
  return DEFAULT_JOURNAL_DIR;
}

/** The SSH identity and known_hosts: as configured, else in the simulator beside its restore-data (never the real default). */
export function sshSettingsOf(g: GlobalOptions, dc: Dc): SshSettings {
  const s = resolveSshSettings(g);
  if (!dc.simulated) return s;
  const dir = resolve(dc.restoreDataDir, '..', 'ssh');
  return {
    ...s,
    identity: s.identityExplicit ? s.identity : resolve(dir, 'id_ed25519'),
    knownHosts: g.knownHosts || readConfigFile(g.config).knownHosts ? s.knownHosts : resolve(dir, 'known_hosts'),
  };
}

/**
 * The simulator behind a real ssh2 server, logging in with the configured identity
 * and known_hosts exactly as a real DC does; the server accepts what each simulated
 * GZ's /root/.ssh/authorized_keys holds. Its host key is kept beside the sim state,
 * so known_hosts stays valid from one run to the next.
 */
async function simOverSsh(sim: SimDc, g: GlobalOptions, port: number): Promise<Dc> {
  const ssh = sshSettingsOf(g, sim);
  const hostKeyPath = resolve(sim.restoreDataDir, '..', 'sim-ssh-host-key');
  if (!existsSync(hostKeyPath)) writeFileSync(hostKeyPath, generateKeyPair().private, { mode: 0o600 });
  const svc = await serveSimOverSsh(
    sim,
    {
      hostKey: readFileSync(hostKeyPath),
      clientPrivateKeyPath: ssh.identity,
      privateKeyRequired: ssh.identityExplicit,
      knownHostsPath: ssh.knownHosts,
    },
    { port },
  );
  return { ...svc.dc, close: () => svc.close() };
}

export interface Timings {
  pollMs: number;
  healthTimeoutMs: number;
  commandTimeoutMs: number;
  probeTimeoutMs: number;
  bootTimeoutMs: number;
  provisionTimeoutMs: number;
  shutdownGraceMs: number;
  settleMs: number;
}

/** What a conversion waits by: the same scaled waits, picked out. */
export function convertTimingOf(t: Timings): {
  pollMs: number;
  commandTimeoutMs: number;
  bootTimeoutMs: number;
  provisionTimeoutMs: number;
  shutdownGraceMs: number;
  settleMs: number;
} {
  return {
    pollMs: t.pollMs,
    commandTimeoutMs: t.commandTimeoutMs,
    bootTimeoutMs: t.bootTimeoutMs,
    provisionTimeoutMs: t.provisionTimeoutMs,
    shutdownGraceMs: t.shutdownGraceMs,
    settleMs: t.settleMs,
  };
}

/** Waits scaled like the simulated DC's latencies, so a fast drill polls fast too. */
export function timingOf(g: GlobalOptions, dc: Dc): Timings {
  const speed = dc.simulated ? (g.simSpeed ?? 1) : 1;
  return {
    pollMs: Math.max(5, 1_000 / speed),
    healthTimeoutMs: Math.max(3_000, 600_000 / speed),
    commandTimeoutMs: Math.max(5_000, 600_000 / speed),
    // A dead host's probes end by their own (scaled) timeouts; this deadline only
    // catches hangs, and a loaded machine must not turn "fine" into "cannot tell".
    probeTimeoutMs: Math.max(2_000, 5_000 / speed),
    // A conversion's two reboots, and a new HA zone until it is healthy.
    bootTimeoutMs: Math.max(5_000, (45 * 60_000) / speed),
    provisionTimeoutMs: Math.max(5_000, (30 * 60_000) / speed),
    shutdownGraceMs: Math.max(5_000, (3 * 60_000) / speed),
    settleMs: Math.max(500, (3 * 60_000) / speed),
  };
}
