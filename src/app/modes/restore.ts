// `restore` on the command line: the run, with its progress, problems, failure and
// outcome printed; signals stop it before its next action.
import type { Command } from 'commander';
import type { Dc } from '../../remote/dc.js';
import { journalDirOf, timingOf, type GlobalOptions } from '../open-dc.js';
import { linePrompter } from '../console/line-prompt.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import type { Strategy } from '../../state/plan.js';
import { runRestore, type RestoreOutcome } from '../../steps/restore.js';
import { SIGNAL_EXIT, STOP_SIGNALS, StopRequest, type StopSignal } from '../../steps/stop-request.js';
import { EXIT } from '../../state/exit-codes.js';
import type { FenceMethod } from '../../state/fence.js';
import { globals, openDc, printOutcome } from './shared.js';
import { printBundleAfterRun } from './bundle.js';
import { bundleAfterRun } from '../../steps/incident/bundle.js';

export async function restore(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<RestoreCliOptions>();
  if (!o.yes && !process.stdin.isTTY) {
    process.stderr.write(
      'triton-recover restore: standard input is not a terminal, so nobody can answer the confirmations.\n' +
        '  Run it from a terminal, or say yes up front: triton-recover restore --yes --fenced <dead primary hostname>\n' +
        '  (see first: triton-recover check; triton-recover plan)\n',
    );
    return EXIT.blocked;
  }
  if (o.fenceMethod && !o.fenced) {
    process.stderr.write(
      'triton-recover restore: --fence-method says how the dead primary was fenced; give its hostname too: --fenced <dead primary hostname>\n',
    );
    return EXIT.usage;
  }
  // Without a method the contract's `--yes --fenced HOST` still runs (scripts keep working);
  // the journal and report say the method was not stated rather than guess one.
  if (o.fenced && !o.fenceMethod) {
    process.stderr.write(
      `NOTE --fence-method not given: the journal and report will say how ${o.fenced} was fenced was not stated (bmc-off, cables or no-pool-import)\n`,
    );
  }
  const dc = await openDc(globals(cmd));
  // On the simulator every restore is a drill: its report and status say so, times scaled back.
  const drill = dc.simulated && o.timeScale === undefined ? { timeScale: o.simSpeed ?? 1 } : {};
  return restoreOn(dc, { ...o, ...drill }, journalDirOf(o, dc));
}

export type RestoreCliOptions = GlobalOptions & {
  yes?: boolean;
  fenced?: string;
  fenceMethod?: FenceMethod;
  strategy: Strategy;
  only?: string;
  withoutBinderQuorum?: boolean;
  /** A drill: journaled, so the report and bundle read the times scaled back (steps/restore-options.ts). */
  timeScale?: number;
};

/** The run on an opened DC, as `restore` prints it; the DC is closed at the end. `drill` runs it too. */
export async function restoreOn(dc: Dc, o: RestoreCliOptions, journalDir: string): Promise<number> {
  const t = timingOf(o, dc);
  const prompter = o.yes ? undefined : linePrompter(process.stdin, process.stderr);
  const log = (s: string): boolean => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${clean(s)}\n`);
  // SIGINT/SIGTERM/SIGHUP: stop cleanly (journal, locks, report, how to
  // resume); a second one exits at once (the journal is fsync'd throughout).
  const stop = new AbortController();
  const onSignal = (sig: StopSignal): void => {
    if (stop.signal.aborted) {
      process.stderr.write(
        `${sig} again: exiting now, without the report; the journal holds what was done, rerun the same command to resume\n`,
      );
      process.exit(SIGNAL_EXIT[sig]);
    }
    log(`${sig} received: stopping after the command under way (a second ${sig} exits at once)`);
    stop.abort(new StopRequest(sig));
  };
  const handlers = STOP_SIGNALS.map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    const out: RestoreOutcome = await runRestore({
      dc,
      journalDir,
      strategy: o.strategy,
      ...(o.timeScale ? { timeScale: o.timeScale } : {}),
      signal: stop.signal,
      ...(o.only
        ? {
            only: o.only
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          }
        : {}),
      ...(o.fenced ? { fenced: o.fenced } : {}),
      ...(o.fenceMethod ? { fenceMethod: o.fenceMethod } : {}),
      ...(o.withoutBinderQuorum === true ? { confirmNoQuorum: async () => true } : {}),
      ...(prompter ? { confirm: prompter.confirm, skipReason: prompter.skipReason } : {}),
      timing: { pollMs: t.pollMs, healthTimeoutMs: t.healthTimeoutMs, commandTimeoutMs: t.commandTimeoutMs },
      probeTimeoutMs: t.probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      ...(o.maxVerifiedAge ? { maxVerifiedAgeHours: o.maxVerifiedAge } : {}),
      command: ['triton-recover', ...process.argv.slice(2)].join(' '),
      events: {
        phase: (p) => log(p),
        notice: (n) => log(`NOTE ${n}`),
        plan: (p, resumed) =>
          log(`${resumed ? 'resuming the journaled plan' : 'plan'}: ${p.steps.length} zone(s), ${p.strategy} strategy`),
        serviceStart: (s, i, n) => log(`[${i + 1}/${n}] ${s.service}: ${s.alias} ${s.uuid} ${s.adminIp}`),
        actionEnd: (a, r) =>
          log(
            `    ${r.ok ? (r.skipped ? 'SKIP' : 'OK  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : ''} ${(r.ms / 1000).toFixed(1)} s`,
          ),
        serviceEnd: (s, status, d) => log(`    ${status.toUpperCase()}: ${s.alias}${d ? ` (${d})` : ''}`),
      },
    });
    printOutcome(out);
    if (out.report) process.stdout.write(`report: ${out.report.md}\n`);
    printBundleAfterRun(() => bundleAfterRun(journalDir));
    return out.exitCode;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    prompter?.close();
    await dc.close();
  }
}
