// `svcs -xz <zone>` in a GZ (facts C4): nothing on stdout when every enabled
// service runs; otherwise one block per service, blocks separated by a blank line:
//   svc:/application/foo:default (Foo service)
//    Zone: <zonename>
//    State: maintenance since Mon Feb 13 17:56:21 2006
//   Reason: Start method exited with $SMF_EXIT_ERR_FATAL.
//      See: http://illumos.org/msg/SMF-8000-KS
//   Impact: This service is not running.
import type { Host } from '../host.js';
import { ParseError } from '../errors.js';
import { type CallOptions, QUICK_TIMEOUT_MS, checkArg, runChecked, runOptions } from './command.js';
import { z } from 'zod';

export interface SvcProblem {
  fmri: string;
  description?: string;
  zone?: string;
  state: string;
  since?: string;
  reason?: string;
  see: string[];
  impact?: string;
}

export interface SvcsHealth {
  /** No block, or (as sdcadm check-health does) only blocks in state online. */
  healthy: boolean;
  problems: SvcProblem[];
}

const TOOL = 'svcs -x';
const HEAD_RE = /^(svc:\/\S+|lrc:\/\S+)(?:\s+\((.*)\))?$/;
const FIELD_RE = /^\s*(Zone|State|Reason|See|Impact):\s?(.*)$/;
const ZoneName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'not a zone name');

export function parseSvcsX(text: string): SvcProblem[] {
  // A block starts at an FMRI in column 0; -v dependency lists are indented.
  const blocks: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const starts = /^(svc|lrc):\//.test(line);
    if (starts) blocks.push([line]);
    else if (blocks.length > 0) blocks[blocks.length - 1]!.push(line);
    else throw new ParseError(TOOL, '0.fmri', `output does not start with an FMRI: ${JSON.stringify(line)}`);
  }
  return blocks.map((lines, i) => parseBlock(lines, i));
}

function parseBlock(lines: string[], i: number): SvcProblem {
  const head = HEAD_RE.exec(lines[0]!.trim());
  if (!head) throw new ParseError(TOOL, `${i}.fmri`, `block does not start with an FMRI: ${JSON.stringify(lines[0])}`);
  const p: Partial<SvcProblem> & { see: string[] } = { fmri: head[1]!, see: [] };
  if (head[2] !== undefined) p.description = head[2];
  for (const line of lines.slice(1)) {
    const m = FIELD_RE.exec(line);
    // Continuation and -v detail lines (dependency lists) are not needed here.
    if (!m) continue;
    const value = m[2]!.trim();
    switch (m[1]) {
      case 'Zone':
        p.zone = value;
        break;
      case 'State': {
        // "maintenance since ...", or mid-transition "offline* transitioning to online since ...".
        const st = /^(\S+?\*?)(?:\s+transitioning to \S+)?(?:\s+since\s+(.*))?$/.exec(value);
        if (!st) throw new ParseError(TOOL, `${i}.state`, `unreadable State line: ${JSON.stringify(line)}`);
        p.state = st[1]!;
        if (st[2] !== undefined) p.since = st[2];
        break;
      }
      case 'Reason':
        p.reason = value;
        break;
      case 'See':
        p.see.push(value);
        break;
      case 'Impact':
        p.impact = value;
        break;
    }
  }
  if (p.state === undefined) throw new ParseError(TOOL, `${i}.state`, `no State line for ${p.fmri}`);
  return { ...p, fmri: p.fmri!, state: p.state };
}

export function svcsHealth(problems: SvcProblem[]): SvcsHealth {
  return { healthy: problems.every((p) => p.state === 'online'), problems };
}

/** `svcs -xz <zone>`: which enabled services of the zone are not running, and why. */
export async function svcsXz(host: Host, zone: string, opts: CallOptions = {}): Promise<SvcsHealth> {
  const argv = ['svcs', '-xz', checkArg(ZoneName, zone, 'zone name')];
  const res = await runChecked(host, argv, runOptions(opts, QUICK_TIMEOUT_MS));
  return svcsHealth(parseSvcsX(res.stdout));
}
