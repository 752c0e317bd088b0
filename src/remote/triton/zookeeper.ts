// ZooKeeper four-letter words through nc in a GZ (facts C12): the way sdcadm
// ha-binder checks binders. "No answer" is a value (null), not an exception:
// detection needs to count the members that answer.
import type { Host } from '../host.js';
import { ParseError } from '../errors.js';
import { Ipv4 } from '../../values/schemas.js';
import { type CallOptions, checkArg, runOptions } from './command.js';

export const ZK_PORT = '2181';
/**
 * nc -w: give up on a connect or an idle connection after this many seconds.
 * Without it a powered-off member (no RST) keeps nc in connect() for minutes,
 * the run times out, and "no answer" would surface as an exception.
 */
export const ZK_NC_WAIT_S = 5;
/** Longer than ZK_NC_WAIT_S so nc itself reports the dead member. */
export const ZK_PROBE_TIMEOUT_MS = 15_000;

/**
 * 'not-serving': the member is up but has no quorum; ZooKeeper then answers
 * `stat` with "This ZooKeeper instance is not currently serving requests".
 */
export type ZkMode = 'leader' | 'follower' | 'standalone' | 'not-serving' | 'four-letter-words-disabled';

export interface ZkStat {
  mode: ZkMode;
  raw: string;
}

export const ZK_NOT_SERVING_TEXT = 'This ZooKeeper instance is not currently serving requests';
/**
 * ZooKeeper >= 3.5 answers only the four-letter words in 4lw.commands.whitelist
 * (default: srvr alone) with "<word> is not executed because it is not in the
 * whitelist." (apache/zookeeper, ServerCnxn/NettyServerCnxn). The member is up;
 * what it would say is unknown. Triton's binder runs 3.4, and its zoo.cfg sets no
 * whitelist (TritonDataCenter/binder, sapi_manifests/zookeeper/template).
 */
export const ZK_NOT_WHITELISTED_TEXT = 'is not executed because it is not in the whitelist';

async function fourLetters(host: Host, ip: string, word: string, opts: CallOptions): Promise<string | null> {
  const argv = ['nc', '-w', String(ZK_NC_WAIT_S), checkArg(Ipv4, ip, 'ZooKeeper IP'), ZK_PORT];
  const res = await host.run(argv, runOptions(opts, ZK_PROBE_TIMEOUT_MS, word));
  // nc exits non-zero when it cannot connect: no answer.
  if (res.code !== 0) return null;
  return res.stdout;
}

/** true: "imok"; false: connected but another reply; 'disabled': up, four-letter words off; null: no connection. */
export async function zkRuok(host: Host, ip: string, opts: CallOptions = {}): Promise<boolean | 'disabled' | null> {
  const out = await fourLetters(host, ip, 'ruok', opts);
  if (out === null) return null;
  if (out.includes(ZK_NOT_WHITELISTED_TEXT)) return 'disabled';
  return out.trim() === 'imok';
}

export function parseZkStat(text: string): ZkStat {
  if (text.includes(ZK_NOT_SERVING_TEXT)) return { mode: 'not-serving', raw: text };
  if (text.includes(ZK_NOT_WHITELISTED_TEXT)) return { mode: 'four-letter-words-disabled', raw: text };
  const m = /^Mode:\s*(\S+)\s*$/m.exec(text);
  if (!m)
    throw new ParseError('zk stat', 'Mode', `no "Mode:" line in the reply: ${JSON.stringify(text.slice(0, 200))}`);
  const mode = m[1]!;
  if (mode !== 'leader' && mode !== 'follower' && mode !== 'standalone') {
    throw new ParseError('zk stat', 'Mode', `unknown mode ${JSON.stringify(mode)}`);
  }
  return { mode, raw: text };
}

/** The member's role from `stat`; null when nc could not connect. */
export async function zkStat(host: Host, ip: string, opts: CallOptions = {}): Promise<ZkStat | null> {
  const out = await fourLetters(host, ip, 'stat', opts);
  if (out === null) return null;
  return parseZkStat(out);
}
