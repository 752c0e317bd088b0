// Is a headnode dead? Never one signal: each probe says alive, dead or cannot
// tell, with its evidence, and the verdict needs independent kinds to agree.

/** `vantage`: other servers (compute nodes first) asked whether they reach it: our own isolation is not its death. */
export type SignalName = 'cnapi' | 'ping' | 'ssh' | 'binder' | 'manatee' | 'vantage';
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
const NETWORK: ReadonlySet<SignalName> = new Set(['ping', 'ssh', 'vantage']);
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

/** What one other server said when asked to ping the headnode: reached, not reached, or could not be asked. */
export interface VantageAnswer {
  from: string;
  reached: boolean | undefined;
  /** Why it could not be asked (reached undefined). */
  why?: string;
}

/**
 * The vantage signal from other servers' pings: one server that reaches it is
 * a sign of life (a partition that cuts off only this headnode is not a death);
 * "dead" only when every server asked answered and none reaches it.
 */
export function vantageSignal(ip: string, answers: readonly VantageAnswer[], durationMs: number): Signal {
  const asked = answers.filter((a) => a.reached !== undefined);
  const reach = asked.filter((a) => a.reached === true);
  const unasked = answers.filter((a) => a.reached === undefined).map((a) => `${a.from}: ${a.why ?? 'no answer'}`);
  const names = (xs: readonly VantageAnswer[]): string =>
    xs
      .map((a) => a.from)
      .join(', ')
      .replace(/, ([^,]*)$/, ' and $1');
  if (reach.length > 0) {
    return signal(
      'vantage',
      'alive',
      `${names(reach)} reach${reach.length === 1 ? 'es' : ''} ${ip} by ping: alive, whatever this headnode sees`,
      durationMs,
    );
  }
  if (asked.length === 0) {
    return signal(
      'vantage',
      'unknown',
      answers.length === 0 ? 'no other server to ask' : `no other server could be asked (${unasked.join('; ')})`,
      durationMs,
    );
  }
  const also = unasked.length > 0 ? `; not asked: ${unasked.join('; ')}` : '';
  return signal(
    'vantage',
    'dead',
    `${names(asked)} do${asked.length === 1 ? 'es' : ''} not reach ${ip} either${also}`,
    durationMs,
  );
}
