// What each simulated service needs before it answers. This is the simulated
// DC's own truth, kept apart on purpose from the console's service catalogue
// (src/steps): if the console's beliefs are wrong, the simulator must not share
// the mistake.
import { createHash } from 'node:crypto';
import type { Scenario } from './scenario.js';

/** Services an API needs running before it answers (moray implies manatee writes). */
export const SERVICE_DEPENDS_ON: Readonly<Record<string, readonly string[]>> = {
  moray: ['manatee'],
  sapi: [],
  ufds: ['moray'],
  workflow: ['moray'],
  napi: ['moray'],
  cnapi: ['moray'],
  vmapi: ['moray', 'workflow'],
  imgapi: ['moray'],
  papi: ['moray'],
  fwapi: ['moray', 'ufds'],
  amon: ['amonredis', 'ufds'],
  mahi: ['ufds'],
  adminui: ['ufds', 'vmapi', 'cnapi', 'napi'],
  cloudapi: ['ufds', 'vmapi', 'cnapi', 'napi', 'imgapi', 'papi', 'mahi'],
  docker: ['ufds', 'vmapi', 'imgapi', 'cnapi'],
  cns: ['ufds', 'vmapi', 'napi'],
  cmon: ['cnapi', 'vmapi', 'mahi'],
  portolan: ['moray'],
};

/**
 * Zones that configure themselves without asking SAPI on first boot. SAPI has
 * not needed itself since SAPI-294; headnode.sh sets assets0 up before sapi0
 * exists. Everything else fetches /configs/<uuid>.
 */
export const BOOTS_WITHOUT_SAPI = new Set(['sapi', 'assets']);

/** How long a first-booting zone keeps asking SAPI (30 tries, 2 s apart). */
export const FIRST_BOOT_SAPI_WINDOW_MS = 60_000;

/** Deterministic MAC for a uuid, so NAPI and vmadm agree across restarts. */
export function macFor(uuid: string): string {
  const hex = uuid.replace(/-/g, '').slice(-10);
  return ['90', ...hex.match(/../g)!].join(':');
}

/** A MAC vmadm makes up for a NIC given none (locally administered, like vmadm's). */
export function generatedMac(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex').slice(0, 10);
  return ['92', ...hex.match(/../g)!].join(':');
}

/** The admin NIC MAC of a server's GZ: sysinfo and NAPI's server NIC record agree on it. */
export function serverAdminMac(serverUuid: string): string {
  const hex = serverUuid.replace(/-/g, '').slice(-10);
  return ['0c', ...hex.match(/../g)!].join(':');
}

/**
 * How an API zone listens, where it is not plain HTTP on port 80. cloudapi's
 * haproxy binds only *:443 with TLS (sdc-cloudapi etc/haproxy.cfg.in), and its
 * first boot makes a self-signed `CN=*` certificate when the operator gave none
 * (sdc-cloudapi boot/setup.sh setup_tls_certificate): a client that verifies
 * certificates, as Node's fetch does by default, cannot talk to it.
 */
export const API_LISTENERS: Readonly<Record<string, { scheme: 'https'; port: number; selfSigned: true }>> = {
  cloudapi: { scheme: 'https', port: 443, selfSigned: true },
};

/**
 * Manatee's state machine after a loss: the sync takes over only if an async is
 * there to become the new sync; the lost primary is deposed. Lost asyncs drop out.
 */
export function manateeTakeover(state: Pick<Scenario, 'manatee' | 'instances' | 'servers'>): void {
  const m = state.manatee;
  if (!m) return;
  const alive = (alias: string | null | undefined): boolean => {
    const inst = state.instances.find((i) => i.alias === alias && i.service === 'manatee');
    return !!inst && state.servers.some((s) => s.hostname === inst.server && s.alive);
  };
  const asyncs = m.async.filter(alive);
  m.deposed ??= [];
  if (!alive(m.primary)) {
    if (alive(m.sync) && asyncs.length > 0) {
      m.deposed.push(m.primary);
      m.primary = m.sync!;
      m.sync = asyncs.shift()!;
      delete m.syncReplication; // a new generation: the new sync connects afresh
    }
  } else if (m.sync && !alive(m.sync) && asyncs.length > 0) {
    // The primary picks a new sync only from a present async; with none, the lost
    // sync stays assigned and writes wait (TritonDataCenter/manatee-state-machine README.md).
    m.sync = asyncs.shift()!;
    delete m.syncReplication;
  }
  m.async = asyncs;
}
