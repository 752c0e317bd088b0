// `check` and `plan`: what the DC would need, printed for a person, a script or Prometheus.
import type { Command } from 'commander';
import { journalDirOf, timingOf, type GlobalOptions } from '../open-dc.js';
import { exitCodeOf, formatCheckText } from '../../state/check-report.js';
import { blocksRestore } from '../../state/problem.js';
import { formatPlanText, planJson, type Strategy } from '../../state/plan.js';
import { formatPrometheus } from '../../state/prometheus.js';
import { DEFAULT_MAX_AGE_MINUTES } from '../../state/restore-age.js';
import { runCheck } from '../../steps/check.js';
import { DEFAULT_MAX_VERIFIED_AGE_HOURS } from '../../state/verified-age.js';
import { buildPlan } from '../../steps/plan.js';
import { EXIT } from '../../state/exit-codes.js';
import { globals, openDc } from './shared.js';

export async function check(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean; prometheus?: boolean; strategy?: Strategy }>();
  const dc = await openDc(globals(cmd));
  try {
    const { report } = await runCheck(dc, {
      strategy: o.strategy ?? 'reuse',
      journalDir: journalDirOf(o, dc),
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      ...(o.maxVerifiedAge ? { maxVerifiedAgeHours: o.maxVerifiedAge } : {}),
    });
    if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (o.prometheus)
      process.stdout.write(
        formatPrometheus(report, new Date(), {
          maxAgeMinutes: o.maxAge ?? DEFAULT_MAX_AGE_MINUTES,
          maxVerifiedAgeHours: o.maxVerifiedAge ?? DEFAULT_MAX_VERIFIED_AGE_HOURS,
        }),
      );
    else process.stdout.write(formatCheckText(report, dc.label));
    return exitCodeOf(report);
  } finally {
    await dc.close();
  }
}

export async function plan(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean; strategy: Strategy }>();
  const dc = await openDc(globals(cmd));
  try {
    const chk = await runCheck(dc, {
      strategy: o.strategy,
      journalDir: journalDirOf(o, dc),
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      ...(o.maxVerifiedAge ? { maxVerifiedAgeHours: o.maxVerifiedAge } : {}),
    });
    const blocked = chk.report.problems.filter(blocksRestore);
    const p = await buildPlan(dc, {
      rd: chk.restoreData,
      inv: chk.inventory,
      det: chk.detection,
      strategy: o.strategy,
      ipCandidates: chk.ipCandidates,
      blocked,
    });
    process.stdout.write(o.json ? JSON.stringify(planJson(p), null, 2) + '\n' : formatPlanText(p));
    return blocked.length > 0 ? EXIT.blocked : EXIT.ok;
  } finally {
    await dc.close();
  }
}
