// A problem, as check, plan and restore name it (contract section 7): its
// code, how bad it is, what is wrong and what to do. Pure.

export type Severity = 'critical' | 'warning';

export const PROBLEM_CODES = [
  'PRIMARY_ALIVE',
  'PRIMARY_UNCERTAIN',
  'NOT_A_HEADNODE',
  'LOCK_HELD',
  'BINDER_4LW_DISABLED',
  'RESTORE_DATA_MISSING',
  'RESTORE_DATA_STALE',
  /** A held dataset stream failed its end-to-end verification (zstreamdump; svc-<service>/verified.json). */
  'RESTORE_DATA_CORRUPT',
  /** Held restore-data (a dataset stream chain or an image file) never verified, or not for too long (state/verify-problems.ts). */
  'RESTORE_DATA_UNVERIFIED',
  'IMAGE_MISSING',
  'DATASET_MISSING',
  'ADMIN_IPS_SHORT',
  'MANATEE_NO_WRITES',
  'MANATEE_DEGRADED',
  'BINDER_NO_QUORUM',
  'BINDER_DEGRADED',
  'MORAY_DOWN',
  'TOO_FEW_HEADNODES',
  'NO_DHCPD_SURVIVOR',
  'USBKEY_MISSING',
  'PLATFORM_MISSING',
  /** A compute node would not PXE boot again: no dhcpd, no booter cache entry, or no platform (state/cn-boot.ts). */
  'CN_WOULD_NOT_BOOT',
  /** A strategy the restore refuses (--strategy new, see state/strategy-gate.ts). */
  'STRATEGY_UNAVAILABLE',
  /** An IP the restore would give a zone is held by something else (state/ip-clash.ts). */
  'IP_CONFLICT',
  /** An IP the restore would give a zone is no usable address of its network. */
  'IP_INVALID',
  /** A live server could not be asked which IPs its zones hold (restore-data stands in). */
  'IP_UNVERIFIED',
  /** A zone of a service that keeps its data on a delegated dataset has none (restored without that data). */
  'DATASET_NOT_DELEGATED',
  /** The fenced primary answers again after a restore re-created its zones (state/fence.ts). */
  'PRIMARY_RETURNED',
  /** A run was killed or stopped with changes made and not finished (state/changes-in-effect.ts). */
  'CHANGES_IN_EFFECT',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  message: string;
  service?: string;
  /** What to do about it, when there is something to do. */
  fix?: string;
}

/**
 * Critical problems about what the DC serves compute nodes after a restore, not
 * about the restore itself: they make the verdict not-ready but never hold the
 * restore back (the control plane is what it takes to fix them).
 */
const AFTER_RESTORE: ReadonlySet<ProblemCode> = new Set(['PLATFORM_MISSING', 'CN_WOULD_NOT_BOOT']);

/** A critical problem that stops a restore (and makes services not ready). */
export function blocksRestore(p: Problem): boolean {
  return p.severity === 'critical' && !AFTER_RESTORE.has(p.code);
}

/** Any problem an operator reads: the restore's, or the conversion's own codes. */
export type AnyProblem = Omit<Problem, 'code'> & { code: string };

/** CRIT or WARN: the mark a problem line starts with, on every surface. */
export function severityMark(p: Pick<Problem, 'severity'>): 'CRIT' | 'WARN' {
  return p.severity === 'critical' ? 'CRIT' : 'WARN';
}

/** "CODE [service]": what a problem is about. */
export function problemHead(p: Pick<AnyProblem, 'code' | 'service'>): string {
  return `${p.code}${p.service ? ` [${p.service}]` : ''}`;
}

/**
 * A problem as the operator reads it, the same on the CLI, in the console's
 * logs and in the check text: "CRIT CODE [service]: message", then its fix.
 */
export function problemLines(p: AnyProblem): { line: string; fix?: string } {
  return { line: `${severityMark(p)} ${problemHead(p)}: ${p.message}`, ...(p.fix ? { fix: `fix: ${p.fix}` } : {}) };
}
