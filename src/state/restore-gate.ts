// The restore's gate: the refusals before anything changes (no primary, the
// primary alive, this is the primary, --fenced naming another host, fencing
// not confirmed, critical problems), judged purely from what check found and
// what the operator typed. runRestore asks it; the console asks its pieces
// (fencingNeed, blockingProblems) so both refuse for the same reasons.
import { EXIT } from './exit-codes.js';
import { primaryAliveRefusal } from './headnode-problems.js';
import { blocksRestore, type Problem } from './problem.js';
import { fencingWhy, type Strategy } from './strategies.js';

/** The primary as detection saw it. */
export interface GatePrimary {
  hostname: string;
  state: 'alive' | 'dead' | 'uncertain';
  /** This headnode is the primary. */
  local?: boolean;
}

export interface GateFacts {
  primary: GatePrimary | undefined;
  problems: Problem[];
}

export interface GateOptions {
  strategy: Strategy;
  /** The dead primary's hostname, as the operator typed it (--fenced). */
  fenced?: string;
  /** --only: problems of other services do not block. */
  only?: string[];
  /** The command as typed, for the "run this next" line. */
  command: string;
}

export type GateVerdict =
  | { ok: true; primary: GatePrimary; fenced: boolean }
  | { ok: false; exitCode: typeof EXIT.blocked; message: string; next?: string; problems: Problem[] };

/** Problems a fenced confirmation answers; everything else critical blocks. */
const ANSWERED_BY_FENCING: ReadonlySet<string> = new Set(['PRIMARY_UNCERTAIN']);

/**
 * Must the operator confirm the primary is fenced, and why: reusing its
 * identities, or evidence that is not conclusive, could run its zones twice.
 */
export function fencingNeed(
  primary: Pick<GatePrimary, 'hostname' | 'state'> | undefined,
  strategy: Strategy,
): { required: boolean; why: string } {
  const uncertain = primary?.state === 'uncertain';
  return {
    required: strategy === 'reuse' || uncertain,
    why: fencingWhy(primary?.hostname ?? 'the dead primary', strategy, uncertain),
  };
}

/** The critical problems that block a restore, once fencing is (or will be) confirmed or not, within --only. */
export function blockingProblems(
  problems: readonly Problem[],
  o: { fenced: boolean; only?: readonly string[] },
): Problem[] {
  const scoped = new Set(o.only ?? []);
  return problems.filter(
    (p) =>
      blocksRestore(p) &&
      !(o.fenced && ANSWERED_BY_FENCING.has(p.code)) &&
      (!p.service || scoped.size === 0 || scoped.has(p.service)),
  );
}

/** May this restore begin? Nothing has changed when it says no (exit 2). */
export function restoreGate(facts: GateFacts, o: GateOptions): GateVerdict {
  const { primary, problems } = facts;
  const refuse = (message: string, rest: { next?: string; problems?: Problem[] } = {}): GateVerdict => ({
    ok: false,
    exitCode: EXIT.blocked,
    message,
    ...(rest.next !== undefined ? { next: rest.next } : {}),
    problems: rest.problems ?? problems,
  });
  if (!primary) return refuse('no primary headnode could be identified (no restore-data, no CNAPI)');
  if (primary.state === 'alive') {
    return refuse(`the primary ${primary.hostname} is ALIVE: nothing was changed`, {
      next: 'a restore is only for a dead primary; see `triton-recover check` for the evidence',
      problems: [primaryAliveRefusal(primary.hostname), ...problems.filter((p) => p.code !== 'PRIMARY_ALIVE')],
    });
  }
  if (primary.local) return refuse('this is the primary headnode itself: run the restore on a surviving secondary');
  const fenced = o.fenced === primary.hostname;
  if (o.fenced !== undefined && !fenced)
    return refuse(`--fenced ${o.fenced} does not name the dead primary (${primary.hostname}): nothing was changed`);
  const fencing = fencingNeed(primary, o.strategy);
  if (fencing.required && !fenced) {
    return refuse(`${fencing.why}. Nothing was changed: confirm the fence with --fenced ${primary.hostname}`, {
      next: `${o.command} --fenced ${primary.hostname}`,
    });
  }
  const blocking = blockingProblems(problems, { fenced, ...(o.only ? { only: o.only } : {}) });
  if (blocking.length > 0) {
    return refuse(`not ready to restore (${blocking.length} critical problem(s)); nothing was changed`, {
      next: 'fix the problems listed, then run again',
      problems: blocking,
    });
  }
  return { ok: true, primary, fenced };
}
