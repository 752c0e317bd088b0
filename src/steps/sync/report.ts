// The sync report, one shape for every ending: refused before anything was
// written, frozen by a restore that took the lock, or the whole run (ok or
// partial). The exit code and the operator's next step are decided here.
import { EXIT } from '../../state/exit-codes.js';
import type { ServiceSyncResult, SyncReport } from '../../state/sync-report.js';

export type ReportBase = Omit<SyncReport, 'outcome' | 'exitCode' | 'message'>;

export interface ReportMaker {
  /** Where, on which host, since when and for how long (the end is now); nothing done yet. */
  base(): ReportBase;
  /** Nothing was synced: exit 2, with what to do next. */
  refuse(message: string, next: string, extra?: Partial<SyncReport>): SyncReport;
}

/** Reports of one run, started now(). */
export function reportMaker(dir: string, host: string, now: () => Date): ReportMaker {
  const started = now();
  const base = (): ReportBase => ({
    dir,
    host,
    startedAt: started.toISOString(),
    endedAt: now().toISOString(),
    wallSeconds: (now().getTime() - started.getTime()) / 1000,
    dc: { ok: false, warnings: [] },
    services: [],
    images: { fetched: [], held: 0, pruned: [] },
    bytes: { full: 0, incremental: 0, images: 0, total: 0 },
  });
  return {
    base,
    refuse: (message, next, extra = {}) => ({
      ...base(),
      ...extra,
      outcome: 'refused',
      exitCode: EXIT.blocked,
      message,
      next,
    }),
  };
}

/** What every report after the service loop carries: the services, images, recovery IPs and bytes written. */
export type RunTotals = Pick<SyncReport, 'services' | 'images' | 'bytes'> & {
  recoveryIps: NonNullable<SyncReport['recoveryIps']>;
};

export function runTotals(
  results: ServiceSyncResult[],
  images: SyncReport['images'],
  recoveryIps: RunTotals['recoveryIps'],
): RunTotals {
  const fullBytes = sum(results.flatMap((r) => r.datasets.filter((d) => d.kind === 'full').map((d) => d.bytes)));
  const incBytes = sum(results.flatMap((r) => r.datasets.filter((d) => d.kind === 'incremental').map((d) => d.bytes)));
  const imgBytes = sum(images.fetched.map((f) => f.bytes));
  return {
    services: results,
    images,
    recoveryIps,
    bytes: { full: fullBytes, incremental: incBytes, images: imgBytes, total: fullBytes + incBytes + imgBytes },
  };
}

/** A restore took the lock between two services: what was synced stays, nothing more is written. */
export function frozenReport(
  base: ReportBase,
  totals: RunTotals,
  warnings: string[],
  disk: SyncReport['disk'],
  message: string,
): SyncReport {
  return {
    ...base,
    ...totals,
    dc: { ok: false, warnings },
    disk,
    outcome: 'frozen',
    exitCode: EXIT.blocked,
    message,
    next: 'nothing to do: sync runs again once the restore has released its lock',
  };
}

/** The whole run: ok when every service and the DC-wide part synced, partial (exit 1) otherwise. */
export function finishedReport(
  base: ReportBase,
  totals: RunTotals,
  dc: { errors: string[]; warnings: string[] },
  disk: SyncReport['disk'],
  problems: readonly string[],
  recoveryShort: number,
): SyncReport {
  const results = totals.services;
  const failed = results.filter((r) => !r.ok);
  const ok = problems.length === 0;
  const shortNote = recoveryShort > 0 ? `; recovery IPs short by ${recoveryShort} (--reserve-ips reserves them)` : '';
  return {
    ...base,
    ...totals,
    dc: {
      ok: dc.errors.length === 0,
      ...(dc.errors.length > 0 ? { error: dc.errors.join('; ') } : {}),
      warnings: dc.warnings,
    },
    disk,
    outcome: ok ? 'ok' : 'partial',
    exitCode: ok ? EXIT.ok : EXIT.warnings,
    message: ok
      ? `${results.length} service(s) synced${shortNote}`
      : `${results.length - failed.length} of ${results.length} service(s) synced${dc.errors.length > 0 ? '; the DC-wide part is incomplete' : ''}${shortNote}`,
    ...(ok
      ? {}
      : {
          next:
            failed[0]?.next ?? 'see the errors above; the next sync tries again (what failed keeps its last good copy)',
        }),
  };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);
