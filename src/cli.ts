// argv -> one of the modes of the contract (design section 7); nothing else.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RemoteError } from './remote/errors.js';
import { ScenarioError } from './remote/sim/scenario.js';
import { CommandFailedError } from './remote/triton/command.js';
import { checkDirOption, UsageError } from './remote/dir-options.js';
import type { Dc } from './remote/dc.js';
import { journalDirOf, openDc as openAnyDc, sshSettingsOf, timingOf, type GlobalOptions } from './app/open-dc.js';
import { DEFAULT_CONFIG_PATH, DEFAULT_IDENTITY, DEFAULT_KNOWN_HOSTS } from './remote/ssh-config.js';
import { runSshSetup } from './steps/ssh-setup.js';
import { convertPrompter, linePrompter } from './app/console/line-prompt.js';
import { exitCodeOf, formatCheckText } from './state/check-report.js';
import { blocksRestore } from './state/problem.js';
import { sanitizeForDisplay as clean } from './state/display-text.js';
import { formatPlanText, planJson, type Strategy } from './state/plan.js';
import { formatPrometheus } from './state/prometheus.js';
import { DEFAULT_MAX_AGE_MINUTES } from './state/restore-age.js';
import { runCheck } from './steps/check.js';
import { checkConvert, formatConvertText } from './steps/convert.js';
import { runConvert } from './steps/convert-run.js';
import { buildPlan } from './steps/plan.js';
import { runRestore, type RestoreOutcome } from './steps/restore.js';
import { SIGNAL_EXIT, STOP_SIGNALS, StopRequest, type StopSignal } from './steps/stop-request.js';
import { formatServiceLine, formatSyncText, type ServiceSyncResult } from './state/sync-report.js';
import { DEFAULT_MIN_FREE_MB, runSync } from './steps/sync/run.js';
import { syncTimingFor } from './steps/sync/timing.js';
import { EXIT, outcomeLabel } from './state/exit-codes.js';
import { problemLines, type AnyProblem } from './state/problem.js';

/** A problem on stderr: its line, then its fix, indented under it; nothing unprintable. */
function problemText(p: AnyProblem): string {
  const { line, fix } = problemLines(p);
  return `  ${clean(line)}\n${fix ? `       ${clean(fix)}\n` : ''}`;
}


function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const positive = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

const nonNegative = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a number, 0 or more`);
  return n;
};

/** The DC, once the directory options are directories (or absent): a usage error otherwise. */
async function openDc(g: GlobalOptions): Promise<Dc> {
  if (g.restoreData) checkDirOption('--restore-data', g.restoreData);
  if (g.journalDir) checkDirOption('--journal-dir', g.journalDir);
  const dc = await openAnyDc(g);
  try {
    checkDirOption(g.journalDir ? '--journal-dir' : 'the journal directory (set it with --journal-dir)', journalDirOf(g, dc));
    if (!g.restoreData) checkDirOption('the restore-data directory (set it with --restore-data)', dc.restoreDataDir);
  } catch (err) {
    await dc.close();
    throw err;
  }
  return dc;
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

async function check(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean; prometheus?: boolean; strategy?: Strategy }>();
  const dc = await openDc(globals(cmd));
  try {
    const { report } = await runCheck(dc, {
      strategy: o.strategy ?? 'reuse',
      journalDir: journalDirOf(o, dc),
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
    });
    if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (o.prometheus) process.stdout.write(formatPrometheus(report, new Date(), { maxAgeMinutes: o.maxAge ?? DEFAULT_MAX_AGE_MINUTES }));
    else process.stdout.write(formatCheckText(report, dc.label));
    return exitCodeOf(report);
  } finally {
    await dc.close();
  }
}

async function plan(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean; strategy: Strategy }>();
  const dc = await openDc(globals(cmd));
  try {
    const chk = await runCheck(dc, {
      strategy: o.strategy,
      journalDir: journalDirOf(o, dc),
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
    });
    const blocked = chk.report.problems.filter(blocksRestore);
    const p = await buildPlan(dc, { rd: chk.restoreData, inv: chk.inventory, det: chk.detection, strategy: o.strategy, ipCandidates: chk.ipCandidates, blocked });
    process.stdout.write(o.json ? JSON.stringify(planJson(p), null, 2) + '\n' : formatPlanText(p));
    return blocked.length > 0 ? EXIT.blocked : EXIT.ok;
  } finally {
    await dc.close();
  }
}

async function restore(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { yes?: boolean; fenced?: string; strategy: Strategy; only?: string; withoutBinderQuorum?: boolean }>();
  if (!o.yes && !process.stdin.isTTY) {
    process.stderr.write(
      'triton-recover restore: standard input is not a terminal, so nobody can answer the confirmations.\n' +
        '  Run it from a terminal, or say yes up front: triton-recover restore --yes --fenced <dead primary hostname>\n' +
        '  (see first: triton-recover check; triton-recover plan)\n',
    );
    return EXIT.blocked;
  }
  const dc = await openDc(globals(cmd));
  const t = timingOf(o, dc);
  const prompter = o.yes ? undefined : linePrompter(process.stdin, process.stderr);
  const log = (s: string): boolean => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${clean(s)}\n`);
  // SIGINT/SIGTERM/SIGHUP: stop cleanly (journal, locks, report, how to
  // resume); a second one exits at once (the journal is fsync'd throughout).
  const stop = new AbortController();
  const onSignal = (sig: StopSignal): void => {
    if (stop.signal.aborted) {
      process.stderr.write(`${sig} again: exiting now, without the report; the journal holds what was done, rerun the same command to resume\n`);
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
      journalDir: journalDirOf(o, dc),
      strategy: o.strategy,
      signal: stop.signal,
      ...(o.only ? { only: o.only.split(',').map((x) => x.trim()).filter(Boolean) } : {}),
      ...(o.fenced ? { fenced: o.fenced } : {}),
      ...(o.withoutBinderQuorum === true ? { confirmNoQuorum: async () => true } : {}),
      ...(prompter ? { confirm: prompter.confirm, skipReason: prompter.skipReason } : {}),
      timing: { pollMs: t.pollMs, healthTimeoutMs: t.healthTimeoutMs, commandTimeoutMs: t.commandTimeoutMs },
      probeTimeoutMs: t.probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      command: ['triton-recover', ...process.argv.slice(2)].join(' '),
      events: {
        phase: (p) => log(p),
        notice: (n) => log(`NOTE ${n}`),
        plan: (p, resumed) => log(`${resumed ? 'resuming the journaled plan' : 'plan'}: ${p.steps.length} zone(s), ${p.strategy} strategy`),
        serviceStart: (s, i, n) => log(`[${i + 1}/${n}] ${s.service}: ${s.alias} ${s.uuid} ${s.adminIp}`),
        actionEnd: (a, r) => log(`    ${r.ok ? (r.skipped ? 'SKIP' : 'OK  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : ''} ${(r.ms / 1000).toFixed(1)} s`),
        serviceEnd: (s, status, d) => log(`    ${status.toUpperCase()}: ${s.alias}${d ? ` (${d})` : ''}`),
      },
    });
    for (const p of out.problems) process.stderr.write(problemText(p));
    if (out.failure) {
      const f = out.failure;
      process.stderr.write(`\nFAILED on ${clean(f.host)}: ${clean(f.action.summary)}\n  command: ${clean(f.command)}\n  output:\n${f.output.split('\n').map((l) => `    ${clean(l)}`).join('\n')}\n`);
    }
    process.stdout.write(`${outcomeLabel(out.exitCode)}: ${clean(out.message)}\n`);
    if (out.next) process.stdout.write(`next: ${clean(out.next)}\n`);
    if (out.report) process.stdout.write(`report: ${out.report.md}\n`);
    return out.exitCode;
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    prompter?.close();
    await dc.close();
  }
}

async function sync(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { reserveIps?: boolean; minFreeMb?: number; json?: boolean; sapiUrl?: string }>();
  const dc = await openDc(globals(cmd));
  try {
    const r = await runSync({
      dc,
      journalDir: journalDirOf(o, dc),
      ...(o.reserveIps ? { reserveIps: true } : {}),
      ...(o.minFreeMb !== undefined ? { minFreeMb: o.minFreeMb } : {}),
      ...(o.sapiUrl ? { sapiUrl: o.sapiUrl } : {}),
      timing: syncTimingFor(dc.simulated ? (o.simSpeed ?? 1) : 1),
      command: ['triton-recover', ...process.argv.slice(2)].join(' '),
      // Each service's line as it finishes: a cron log shows how far a long sync got.
      ...(o.json ? {} : { events: { serviceEnd: (s: ServiceSyncResult) => void process.stdout.write(`${formatServiceLine(s)}\n`) } }),
    });
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : formatSyncText(r, { services: false }));
    return r.exitCode;
  } finally {
    await dc.close();
  }
}

async function consoleMode(cmd: Command): Promise<number> {
  const o = globals(cmd);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(
      'triton-recover: the console needs a terminal (standard input and output are not one).\n' +
        '  For scripts and pipes:  triton-recover check [--json]   triton-recover plan [--json]\n' +
        '                          triton-recover restore --yes --fenced <dead primary hostname>\n',
    );
    return EXIT.blocked;
  }
  // A dumb terminal cannot move the cursor: a full-screen console would print
  // garbage. The line-by-line commands work there (restore asks each question on a line).
  if (process.env['TERM'] === 'dumb') {
    process.stderr.write(
      'triton-recover: TERM=dumb cannot move the cursor, so the full-screen console does not start.\n' +
        '  Line by line instead:   triton-recover check        triton-recover plan\n' +
        '                          triton-recover restore --fenced <dead primary hostname>   (asks before each zone)\n' +
        '  Or set TERM to what your terminal is (vt100 works on any serial console) and run triton-recover again.\n',
    );
    return EXIT.blocked;
  }
  // A drill keeps its simulated DC in a file, so quitting and reopening resumes it.
  if ((o.demo || o.sim) && !o.simState) o.simState = join(mkdtempSync(join(tmpdir(), 'triton-recover-drill-')), 'state.json');
  // Loading ink (~0.5 s) and opening the DC overlap: the first screen comes sooner.
  const consoleModule = import('./app/console/run-console.js');
  const dc = await openDc(o);
  const t = timingOf(o, dc);
  const argv = process.argv.slice(2);
  const again = ['triton-recover', ...argv, ...(o.simState && !argv.includes('--sim-state') ? ['--sim-state', o.simState] : [])];
  try {
    const { runConsole } = await consoleModule;
    const code = await runConsole(dc, {
      journalDir: journalDirOf(o, dc),
      timing: { pollMs: t.pollMs, healthTimeoutMs: t.healthTimeoutMs, commandTimeoutMs: t.commandTimeoutMs },
      convertTiming: { pollMs: t.pollMs, commandTimeoutMs: t.commandTimeoutMs, bootTimeoutMs: t.bootTimeoutMs, provisionTimeoutMs: t.provisionTimeoutMs, shutdownGraceMs: t.shutdownGraceMs, settleMs: t.settleMs },
      probeTimeoutMs: t.probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      resumeCommand: again.join(' '),
      flags: { ...(o.serial ? { serial: true } : {}), ...(o.ascii ? { ascii: true } : {}), ...(o.color === false ? { noColor: true } : {}) },
    });
    await dc.close();
    // Quitting stops the work now: a restore still under way must not go on
    // unseen. The journal is fsync'd before and after every action, and a
    // rerun re-checks whatever was cut short.
    process.exit(code);
  } finally {
    await dc.close();
  }
}

async function convert(server: string, cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { yes?: boolean; withoutBinderQuorum?: boolean }>();
  const dc = await openDc(globals(cmd));
  const t = timingOf(o, dc);
  // Without --yes and nobody at a terminal, show what would run and change nothing.
  const interactive = !o.yes && process.stdin.isTTY === true;
  const prompter = interactive ? convertPrompter(process.stdin, process.stderr) : undefined;
  const log = (s: string): boolean => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${clean(s)}\n`);
  try {
    if (!o.yes && !interactive) {
      const c = await checkConvert(dc, server, t.probeTimeoutMs);
      process.stdout.write(formatConvertText(c));
      process.stdout.write('\nNothing was changed: run it from a terminal to confirm each step, or with --yes.\n');
      return EXIT.blocked;
    }
    const out = await runConvert({
      dc,
      journalDir: journalDirOf(o, dc),
      server,
      command: ['triton-recover', ...process.argv.slice(2)].join(' '),
      ...(o.withoutBinderQuorum === true ? { confirmNoQuorum: async () => true } : {}),
      ...(prompter ? { confirm: prompter.confirm } : {}),
      timing: { pollMs: t.pollMs, commandTimeoutMs: t.commandTimeoutMs, bootTimeoutMs: t.bootTimeoutMs, provisionTimeoutMs: t.provisionTimeoutMs, shutdownGraceMs: t.shutdownGraceMs, settleMs: t.settleMs },
      probeTimeoutMs: t.probeTimeoutMs,
      events: {
        checked: (c, resumed) => {
          process.stdout.write(formatConvertText(resumed ? { ...c, problems: [] } : c));
          if (resumed) log('resuming the journaled conversion: pre-checks gate only its start');
        },
        stepStart: (s, i, n) => log(`[${i + 1}/${n}] ${s.title} (on ${s.where})`),
        actionEnd: (a, r) => log(`    ${r.ok ? (r.skipped ? 'SKIP' : 'OK  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : r.ok ? `: ${r.detail}` : ''} ${(r.ms / 1000).toFixed(1)} s`),
        stepEnd: (s, _i, status) => log(`    ${status.toUpperCase()}: ${s.title}`),
      },
    });
    for (const p of out.problems) process.stderr.write(problemText(p));
    if (out.failure) {
      const f = out.failure;
      process.stderr.write(`\nFAILED on ${clean(f.host)}: ${clean(f.action.summary)}\n  command: ${clean(f.command)}\n  output:\n${f.output.split('\n').map((l) => `    ${clean(l)}`).join('\n')}\n`);
    }
    process.stdout.write(`${outcomeLabel(out.exitCode)}: ${clean(out.message)}\n`);
    if (out.next) process.stdout.write(`next: ${clean(out.next)}\n`);
    return out.exitCode;
  } finally {
    prompter?.close();
    await dc.close();
  }
}

async function sshSetup(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { yes?: boolean }>();
  if (!o.yes && !process.stdin.isTTY) {
    process.stderr.write('triton-recover ssh-setup: standard input is not a terminal, so nobody can compare the host keys.\n' +
      '  Run it from a terminal, or with --yes after checking the fingerprints it prints\n');
    return EXIT.blocked;
  }
  const dc = await openDc(globals(cmd));
  const rl = o.yes ? undefined : createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    const ssh = sshSettingsOf(o, dc);
    const out = await runSshSetup({
      dc,
      identity: ssh.identity,
      knownHosts: ssh.knownHosts,
      timeoutMs: timingOf(o, dc).probeTimeoutMs,
      log: (l) => process.stdout.write(`${clean(l)}\n`),
      ...(rl ? { ask: async (q: string) => /^y(es)?$/i.test((await rl.question(q)).trim()) } : {}),
    });
    for (const p of out.peers) {
      process.stdout.write(`${p.status.toUpperCase().padEnd(9)} ${p.hostname} ${p.adminIp}${p.fingerprint ? ` ${p.fingerprint}` : ''}${p.persistent ? ` (kept in ${clean(p.persistent)})` : ''}${p.detail ? `: ${clean(p.detail)}` : ''}\n`);
    }
    const bad = out.peers.filter((p) => p.status === 'failed' || p.status === 'declined' || p.status === 'live-only');
    if (bad.length === 0) process.stdout.write(`done: sync and restore now log in with ${ssh.identity}, checking ${ssh.knownHosts}\n`);
    return bad.length === 0 ? EXIT.ok : EXIT.blocked;
  } catch (e) {
    if (e instanceof RemoteError || e instanceof CommandFailedError || !(e instanceof Error)) throw e;
    process.stderr.write(`triton-recover ssh-setup: ${clean(e.message)}\n`);
    return EXIT.blocked;
  } finally {
    rl?.close();
    await dc.close();
  }
}

export function buildProgram(run: (p: Promise<number>) => void): Command {
  const program = new Command('triton-recover')
    .description('Recovery console for a Triton DataCenter whose primary headnode is dead (RFD 67)')
    .version(version(), '--version')
    .option('--sim <file>', 'use the simulated datacenter described by this scenario file')
    .option('--demo', 'use the simulated datacenter of the built-in scenario')
    .option('--sim-state <file>', "the simulated DC's live state (created from --sim if absent)")
    .option('--sim-speed <factor>', 'divide every simulated latency by this factor', positive('--sim-speed'), 1)
    .option('--restore-data <dir>', 'restore-data directory (default /var/sdcadm/restore-data)')
    .option('--journal-dir <dir>', 'where the journal, transcript and reports go')
    .option('--max-age <minutes>', 'restore-data older than this is stale (default 30)', positive('--max-age'))
    .option('--serial', 'serial-console mode: ASCII, no colour, no animation')
    .option('--ascii', 'ASCII only')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option('--identity <file>', `SSH private key for the other headnodes (default ${DEFAULT_IDENTITY}, else SSH_AUTH_SOCK)`)
    .option('--known-hosts <file>', `known_hosts the peers' host keys are checked against (default ${DEFAULT_KNOWN_HOSTS})`)
    .addOption(new Option('--sim-binder <ips>', "the simulator's binder lock in a real ZooKeeper ensemble at these IPs, port 2181 (tests)").hideHelp())
    .addOption(new Option('--sim-ssh <port>', 'reach the simulated peers over a real SSH server on 127.0.0.1:PORT (tests)').argParser(positive('--sim-ssh')).hideHelp())
    .option('--config <file>', `JSON config with "identity" and "knownHosts" (default ${DEFAULT_CONFIG_PATH}, if present)`)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('is the primary dead? could its services be restored from here? (readiness / disaster check)')
    .addOption(new Option('--json', 'one JSON object, as the contract says').conflicts('prometheus'))
    .option('--prometheus', 'node_exporter textfile metrics')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .action((_o, cmd: Command) => run(check(cmd)));

  program
    .command('plan')
    .description('show the exact commands a restore would run; nothing is executed')
    .option('--json', 'JSON output')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .action((_o, cmd: Command) => run(plan(cmd)));

  program
    .command('restore')
    .description('re-create the core zones lost with the dead primary, in order')
    .option('--yes', 'do not ask before each step')
    .option('--fenced <hostname>', 'the dead primary, typed: it is powered off or off the admin network')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .option('--only <services>', 'only these services (comma-separated)')
    .option('--without-binder-quorum', "binder has no quorum: take the per-headnode lock instead of binder's DC-wide one (a console across a partition could restore the same zones)")
    .action((_o, cmd: Command) => run(restore(cmd)));

  program
    .command('sync')
    .description('pull restore-data from the headnodes that run each core instance (run every 5 minutes on each headnode)')
    .option('--reserve-ips', 'reserve free admin IPs in NAPI when fewer recovery IPs are reserved than a restore needs')
    .option('--min-free-mb <mb>', `refuse writes that would leave less free space than this (default ${DEFAULT_MIN_FREE_MB})`, nonNegative('--min-free-mb'))
    .option('--sapi-url <url>', 'where SAPI answers (only needed when no earlier sync or local core zone can say)')
    .option('--json', 'one JSON object: what was synced, failed, sent, and the disk usage')
    .action((_o, cmd: Command) => run(sync(cmd)));

  program
    .command('ssh-setup')
    .description('once per headnode: create the SSH key, trust the other headnodes\' host keys, install the key where a reboot keeps it')
    .option('--yes', 'trust every fetched host key without asking (compare the fingerprints printed)')
    .action((_o, cmd: Command) => run(sshSetup(cmd)));

  program
    .command('convert')
    .argument('<server>', 'hostname or UUID of a set-up compute node')
    .description('guide turning a compute node into a secondary headnode')
    .option('--yes', 'do not ask before each step')
    .option('--without-binder-quorum', "binder has no quorum: take the per-headnode lock instead of binder's DC-wide one (a console across a partition could convert at the same time)")
    .action((server: string, _o, cmd: Command) => run(convert(server, cmd)));

  program.action((_o, cmd: Command) => run(consoleMode(cmd)));
  return program;
}

function report(err: unknown): number {
  if (err instanceof RemoteError || err instanceof CommandFailedError) {
    // The console's own GZ did not answer as a Triton headnode does.
    process.stderr.write(`triton-recover: ${err.message}\n  is this the global zone of a Triton headnode? (to try it anywhere: triton-recover --demo)\n`);
    return EXIT.blocked;
  }
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof UsageError) {
    // 64, not 2: nothing about the DC was judged; the command line needs fixing.
    process.stderr.write(`triton-recover: ${clean(err.message)}\n`);
    return EXIT.usage;
  }
  if (err instanceof ScenarioError) {
    process.stderr.write(`triton-recover: scenario: ${err.message}\n`);
    return EXIT.usage;
  }
  const e = err as Error;
  process.stderr.write(`triton-recover: internal error: ${clean(e.message)}\n`);
  if (process.env['TRITON_RECOVER_DEBUG']) process.stderr.write(`${e.stack ?? ''}\n`);
  return EXIT.internal;
}

async function main(argv: string[]): Promise<number> {
  let pending: Promise<number> | undefined;
  try {
    buildProgram((p) => {
      pending = p;
    }).parse(argv);
    return pending ? await pending : EXIT.ok;
  } catch (err) {
    return report(err);
  }
}

main(process.argv).then(
  (code) => (process.exitCode = code),
  (err: unknown) => (process.exitCode = report(err)),
);
