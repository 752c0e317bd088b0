// Is a headnode dead? Never one signal: each probe says alive, dead or cannot
// tell, with its evidence, and the verdict needs independent kinds to agree.

export type SignalName = 'cnapi' | 'ping' | 'ssh' | 'binder' | 'manatee';
export type Says = 'alive' | 'dead' | 'unknown';

export interface Signal {
  signal: SignalName;
  says: Says;
  /** Contract field: true when the probe got a sign of life from the headnode. */
  ok: boolean;
  detail: string;
  durationMs: number;
}

export type HeadnodeState = 'alive' | 'dead' | 'uncertain';

/** Probes of the machine itself vs. what the clusters it was part of report. */
const NETWORK: ReadonlySet<SignalName> = new Set(['ping', 'ssh']);
const CLUSTER: ReadonlySet<SignalName> = new Set(['cnapi', 'binder', 'manatee']);

/**
 * alive: any probe saw it alive. dead: no probe saw life, and at least one
 * network probe and one cluster view say dead. Anything else is uncertain, and
 * the operator must confirm by typing the hostname.
 */
export function verdict(signals: readonly Signal[]): HeadnodeState {
  if (signals.some((s) => s.says === 'alive')) return 'alive';
  const dead = signals.filter((s) => s.says === 'dead');
  const network = dead.some((s) => NETWORK.has(s.signal));
  const cluster = dead.some((s) => CLUSTER.has(s.signal));
  return network && cluster ? 'dead' : 'uncertain';
}

export function signal(name: SignalName, says: Says, detail: string, durationMs: number): Signal {
  return { signal: name, says, ok: says === 'alive', detail, durationMs };
}

/** One headnode as detection saw it: its verdict and every signal behind it. */
export interface HeadnodeReport {
  hostname: string;
  uuid: string;
  adminIp: string | undefined;
  local: boolean;
  primary: boolean;
  state: HeadnodeState;
  evidence: Signal[];
}

export interface DetectionReport {
  /** This headnode, and whether it boots as one (sysinfo Boot Parameters headnode=true). */
  local: { hostname: string; uuid: string; bootsAsHeadnode: boolean };
  primary: HeadnodeReport | undefined;
  headnodes: HeadnodeReport[];
  mode: 'readiness' | 'disaster';
  wallMs: number;
}
