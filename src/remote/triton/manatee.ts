// manatee-adm, run inside a manatee zone through zlogin (facts C4, C11).
// `show` prints a header (zookeeper/cluster/generation/mode/freeze), with -v a
// peers table, then the pg-status table, then warning:/error: lines. The
// pg-status table exists with and without a WRITE column, so rows are read by
// header name, never by position.
import { z } from 'zod';
import type { Host } from '../host.js';
import { ParseError } from '../errors.js';
import { type CallOptions, QUICK_TIMEOUT_MS, checkArg, runChecked, runOptions } from './command.js';
import { parseValue } from './parse.js';

export const MANATEE_ADM_PATH = '/opt/smartdc/manatee/node_modules/.bin/manatee-adm';
// ZK_IPS and SHARD come from the zone's ~/.bashrc; zlogin gets the whole line as one argument.
export const MANATEE_SHOW_CMD = `source ~/.bashrc; ${MANATEE_ADM_PATH} show`;
export const MANATEE_PG_STATUS_CMD = `source ~/.bashrc; ${MANATEE_ADM_PATH} pg-status`;

const dashIsNull = z.string().transform((v) => (v === '-' ? null : v));

export const ManateeRole = z.enum(['primary', 'sync', 'async', 'deposed']);
export type ManateeRole = z.infer<typeof ManateeRole>;

const ManateePeer = z.object({
  role: ManateeRole,
  /** Short peer id (first 8 chars of the zone name). */
  peer: z.string(),
  pg: z.enum(['ok', 'fail']),
  /** sync_state of this peer's downstream (sync/async); null for '-'. */
  repl: dashIsNull,
  /** Replication lag like 0m33s; null for '-'. */
  lag: dashIsNull,
});
export type ManateePeer = z.infer<typeof ManateePeer>;

const ManateePeerName = z.object({ role: ManateeRole, peername: z.string(), ip: z.string() });
export type ManateePeerName = z.infer<typeof ManateePeerName>;

export interface ManateePgStatus {
  peers: ManateePeer[];
  warnings: string[];
  errors: string[];
}

export interface ManateeShow extends ManateePgStatus {
  zookeeper: string;
  cluster: string;
  generation: number;
  mode: 'normal' | 'singleton';
  frozen: boolean;
  frozenSince?: string;
  freezeInfo?: string;
  /** Only with `show -v`. */
  peerNames?: ManateePeerName[];
}

const SHOW = 'manatee-adm show';
const PG_STATUS = 'manatee-adm pg-status';

interface Body extends ManateePgStatus {
  hasPgTable: boolean;
  peerNames?: ManateePeerName[];
}

/** Tables and warning:/error: lines; anything else is an output we do not know. */
function parseBody(tool: string, lines: string[], firstLineNo: number): Body {
  const body: Body = { peers: [], warnings: [], errors: [], hasPgTable: false };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const lineNo = firstLineNo + i;
    i++;
    if (line.trim() === '') continue;
    const msg = /^(warning|error):\s*(.*)$/.exec(line);
    if (msg) {
      (msg[1] === 'warning' ? body.warnings : body.errors).push(msg[2]!);
      continue;
    }
    if (!/^ROLE\s/.test(line)) throw new ParseError(tool, `line ${lineNo}`, `unexpected line: ${JSON.stringify(line)}`);
    const cols = line.trim().split(/\s+/);
    const rows: Record<string, string>[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(warning|error):/.test(lines[i]!)) {
      const cells = lines[i]!.trim().split(/\s+/);
      if (cells.length !== cols.length) {
        throw new ParseError(
          tool,
          `line ${firstLineNo + i}`,
          `${cells.length} cells under ${cols.length} columns (${cols.join(' ')})`,
        );
      }
      rows.push(Object.fromEntries(cols.map((c, k) => [c, cells[k]!])));
      i++;
    }
    if (['PEER', 'PG', 'REPL', 'LAG'].every((c) => cols.includes(c))) {
      const peers = rows.map((r) => ({ role: r.ROLE, peer: r.PEER, pg: r.PG, repl: r.REPL, lag: r.LAG }));
      body.peers = parseValue(tool, z.object({ peers: z.array(ManateePeer) }), { peers }).peers;
      body.hasPgTable = true;
    } else if (['PEERNAME', 'IP'].every((c) => cols.includes(c))) {
      const names = rows.map((r) => ({ role: r.ROLE, peername: r.PEERNAME, ip: r.IP }));
      body.peerNames = parseValue(tool, z.object({ peerNames: z.array(ManateePeerName) }), {
        peerNames: names,
      }).peerNames;
    } else {
      throw new ParseError(tool, `line ${lineNo}`, `unknown table: ${cols.join(' ')}`);
    }
  }
  return body;
}

function header(text: string): { fields: Map<string, string>; rest: string[]; restStart: number } {
  const lines = text.split('\n');
  const fields = new Map<string, string>();
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^([a-z][a-z ]*):\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m || m[1] === 'warning' || m[1] === 'error') break;
    fields.set(m[1]!, m[2]!);
  }
  return { fields, rest: lines.slice(i), restStart: i + 1 };
}

export function parseManateeShow(text: string): ManateeShow {
  const { fields, rest, restStart } = header(text);
  const need = (key: string): string => {
    const v = fields.get(key);
    if (v === undefined) throw new ParseError(SHOW, key, 'missing from the header');
    return v;
  };
  const gen = /^(\d+)(?:\s+\(.*\))?$/.exec(need('generation'));
  if (!gen) throw new ParseError(SHOW, 'generation', `unreadable: ${JSON.stringify(fields.get('generation'))}`);
  const modeText = need('mode');
  let mode: ManateeShow['mode'];
  if (modeText === 'normal') mode = 'normal';
  else if (/^singleton\b/.test(modeText)) mode = 'singleton';
  else throw new ParseError(SHOW, 'mode', `unknown mode: ${JSON.stringify(modeText)}`);
  const freezeText = need('freeze');
  const frozenM = /^frozen(?:\s+since\s+(.*))?$/.exec(freezeText);
  if (freezeText !== 'not frozen' && !frozenM)
    throw new ParseError(SHOW, 'freeze', `unreadable: ${JSON.stringify(freezeText)}`);

  const body = parseBody(SHOW, rest, restStart);
  // `show` always prints the table header, even for an empty cluster.
  if (!body.hasPgTable) throw new ParseError(SHOW, 'peers', 'no pg-status table (ROLE PEER PG ...) in the output');

  const show: ManateeShow = {
    zookeeper: need('zookeeper'),
    cluster: need('cluster'),
    generation: Number(gen[1]),
    mode,
    frozen: frozenM !== null,
    peers: body.peers,
    warnings: body.warnings,
    errors: body.errors,
  };
  if (frozenM?.[1] !== undefined) show.frozenSince = frozenM[1];
  const info = fields.get('freeze info');
  if (info !== undefined) show.freezeInfo = info;
  if (body.peerNames) show.peerNames = body.peerNames;
  return show;
}

export function parseManateePgStatus(text: string): ManateePgStatus {
  const body = parseBody(PG_STATUS, text.split('\n'), 1);
  if (!body.hasPgTable) throw new ParseError(PG_STATUS, 'peers', 'no table (ROLE PEER PG ...) in the output');
  return { peers: body.peers, warnings: body.warnings, errors: body.errors };
}

const ZoneName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'not a zone name');

export async function manateeShow(host: Host, zone: string, opts: CallOptions = {}): Promise<ManateeShow> {
  const argv = ['zlogin', checkArg(ZoneName, zone, 'zone name'), MANATEE_SHOW_CMD];
  const res = await runChecked(host, argv, runOptions(opts, QUICK_TIMEOUT_MS));
  return parseManateeShow(res.stdout);
}

export async function manateePgStatus(host: Host, zone: string, opts: CallOptions = {}): Promise<ManateePgStatus> {
  const argv = ['zlogin', checkArg(ZoneName, zone, 'zone name'), MANATEE_PG_STATUS_CMD];
  const res = await runChecked(host, argv, runOptions(opts, QUICK_TIMEOUT_MS));
  return parseManateePgStatus(res.stdout);
}
