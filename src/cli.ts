// argv -> one of the modes of the contract (design section 7); nothing else.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_CONFIG_PATH, DEFAULT_IDENTITY, DEFAULT_KNOWN_HOSTS } from './remote/ssh-paths.js';
import { DEFAULT_MIN_FREE_MB } from './steps/sync/timing.js';
import { EXIT } from './state/exit-codes.js';
import { FENCE_METHODS, FENCE_METHOD_TEXT } from './state/fence-methods.js';

// Each mode is loaded when it is chosen, not before: the console's first words
// reach the screen before the schemas, the simulator and ink are read (~0.5 s
// of module loading on a headnode, which the operator would stare at).
const modes = {
  check: () => import('./app/modes/check.js'),
  restore: () => import('./app/modes/restore.js'),
  sync: () => import('./app/modes/sync.js'),
  console: () => import('./app/modes/console.js'),
  convert: () => import('./app/modes/convert.js'),
  sshSetup: () => import('./app/modes/ssh-setup.js'),
  bundle: () => import('./app/modes/bundle.js'),
  capture: () => import('./app/modes/capture.js'),
  drill: () => import('./app/modes/drill.js'),
  accept: () => import('./app/modes/accept.js'),
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const positive =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
    return n;
  };

const nonNegative =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${what} must be a number, 0 or more`);
    return n;
  };

export function buildProgram(run: (p: Promise<number>) => void): Command {
  const program = new Command('triton-recover')
    .description('Recovery console for a Triton DataCenter whose primary headnode is dead (RFD 67)')
    .version(version(), '--version')
    .option('--sim <file>', 'use the simulated datacenter described by this scenario file')
    .option('--demo', 'use the simulated datacenter of the built-in scenario')
    .option('--sim-state <file>', "the simulated DC's live state (created from --sim if absent)")
    .option('--sim-speed <factor>', 'divide every simulated latency by this factor', positive('--sim-speed'), 1)
    .option(
      '--sim-latencies <profile>',
      "lay a latency profile over the scenario's: 'real' (a real headnode's, with sources) or a file",
    )
    .option('--restore-data <dir>', 'restore-data directory (default /var/sdcadm/restore-data)')
    .option('--journal-dir <dir>', 'where the journal, transcript and reports go')
    .option('--max-age <minutes>', 'restore-data older than this is stale (default 30)', positive('--max-age'))
    .option(
      '--max-verified-age <hours>',
      'restore-data last verified longer ago than this is unverified (default 26: daily verification + 2 h)',
      positive('--max-verified-age'),
    )
    .option('--serial', 'serial-console mode: ASCII, no colour, no animation')
    .option(
      '--plain',
      'linear console (also for TERM=dumb): numbered choices, one line per change, no cursor movement, full scrollback',
    )
    .option('--ascii', 'ASCII only')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .option(
      '--identity <file>',
      `SSH private key for the other headnodes (default ${DEFAULT_IDENTITY}, else SSH_AUTH_SOCK)`,
    )
    .option(
      '--known-hosts <file>',
      `known_hosts the peers' host keys are checked against (default ${DEFAULT_KNOWN_HOSTS})`,
    )
    .addOption(
      new Option(
        '--sim-binder <ips>',
        "the simulator's binder lock in a real ZooKeeper ensemble at these IPs, port 2181 (tests)",
      ).hideHelp(),
    )
    .addOption(
      new Option('--sim-ssh <port>', 'reach the simulated peers over a real SSH server on 127.0.0.1:PORT (tests)')
        .argParser(positive('--sim-ssh'))
        .hideHelp(),
    )
    .option(
      '--config <file>',
      `JSON config with "identity" and "knownHosts" (default ${DEFAULT_CONFIG_PATH}, if present)`,
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('check')
    .description('is the primary dead? could its services be restored from here? (readiness / disaster check)')
    .addOption(new Option('--json', 'one JSON object, as the contract says').conflicts('prometheus'))
    .option('--prometheus', 'node_exporter textfile metrics')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .action((_o, cmd: Command) => run(modes.check().then((m) => m.check(cmd))));

  program
    .command('plan')
    .description('show the exact commands a restore would run; nothing is executed')
    .option('--json', 'JSON output')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .action((_o, cmd: Command) => run(modes.check().then((m) => m.plan(cmd))));

  program
    .command('restore')
    .description('re-create the core zones lost with the dead primary, in order')
    .option('--yes', 'do not ask before each step')
    .option('--fenced <hostname>', 'the dead primary, typed: it is powered off or off the admin network')
    .addOption(
      new Option(
        '--fence-method <method>',
        `how it was fenced (journaled, in the report): ${FENCE_METHODS.map((m) => `${m} = ${FENCE_METHOD_TEXT[m]}`).join('; ')}`,
      ).choices([...FENCE_METHODS]),
    )
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .option('--only <services>', 'only these services (comma-separated)')
    .option(
      '--without-binder-quorum',
      "binder has no quorum: take the per-headnode lock instead of binder's DC-wide one (a console across a partition could restore the same zones)",
    )
    .action((_o, cmd: Command) => run(modes.restore().then((m) => m.restore(cmd))));

  program
    .command('sync')
    .description(
      'pull restore-data from the headnodes that run each core instance (run every 5 minutes on each headnode)',
    )
    .option('--reserve-ips', 'reserve free admin IPs in NAPI when fewer recovery IPs are reserved than a restore needs')
    .option(
      '--min-free-mb <mb>',
      `refuse writes that would leave less free space than this (default ${DEFAULT_MIN_FREE_MB})`,
      nonNegative('--min-free-mb'),
    )
    .option('--sapi-url <url>', 'where SAPI answers (only needed when no earlier sync or local core zone can say)')
    .option('--json', 'one JSON object: what was synced, failed, sent, and the disk usage')
    .action((_o, cmd: Command) => run(modes.sync().then((m) => m.sync(cmd))));

  program
    .command('ssh-setup')
    .description(
      "once per headnode: create the SSH key, trust the other headnodes' host keys, install the key where a reboot keeps it",
    )
    .option('--yes', 'trust every fetched host key without asking (compare the fingerprints printed)')
    .action((_o, cmd: Command) => run(modes.sshSetup().then((m) => m.sshSetup(cmd))));

  program
    .command('convert')
    .argument('<server>', 'hostname or UUID of a set-up compute node')
    .description('guide turning a compute node into a secondary headnode')
    .option('--yes', 'do not ask before each step')
    .option(
      '--without-binder-quorum',
      "binder has no quorum: take the per-headnode lock instead of binder's DC-wide one (a console across a partition could convert at the same time)",
    )
    .action((server: string, _o, cmd: Command) => run(modes.convert().then((m) => m.convert(server, cmd))));

  program
    .command('bundle')
    .description(
      'the incident bundle: journal, confirmations, check, plan, report, timings and status text in one .tar.gz, secrets redacted',
    )
    .option('--convert <server-uuid>', "a conversion's journal instead of the restore's")
    .action((_o, cmd: Command) => run(modes.bundle().then((m) => m.bundle(cmd))));

  program
    .command('capture')
    .description(
      'read this DC on a normal day (servers, core zones with NICs and datasets, images, networks, manatee roles, restore-data, latencies) into a scenario file for drills; no secrets',
    )
    .requiredOption('--out <file>', 'the scenario file to write')
    .option('--name <name>', "the scenario's name (default captured-<datacenter>)")
    .option('--sapi-url <url>', 'where SAPI answers (only needed when no sync or local core zone can say)')
    .action((_o, cmd: Command) => run(modes.capture().then((m) => m.capture(cmd))));

  program
    .command('drill')
    .description(
      'rehearse the whole restore in the simulator on a scenario (--sim FILE, e.g. from capture) with this headnode dead; the report and bundle give the timings against the 1 h goal',
    )
    .requiredOption('--dead <hostname>', 'the headnode that dies in the drill')
    .option('--yes', 'do not ask before each step')
    .option(
      '--drill-dir <dir>',
      "where the drill's scenario, simulated state, journal, report and bundle go (default a new temp dir)",
    )
    .addOption(
      new Option('--fence-method <method>', 'how the drill says the dead headnode was fenced').choices([
        ...FENCE_METHODS,
      ]),
    )
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .action((_o, cmd: Command) => run(modes.drill().then((m) => m.drill(cmd))));

  program
    .command('accept')
    .argument(
      '<word>',
      'the word shown in brackets beside the change (`check` lists them): typing it is the confirmation',
    )
    .description(
      'accept a change still in effect as it is (a zone left created, a lock left, ...): it is no longer listed',
    )
    .action((word: string, _o, cmd: Command) => run(modes.accept().then((m) => m.accept(word, cmd))));

  program.action((_o, cmd: Command) => run(modes.console().then((m) => m.consoleMode(cmd))));
  return program;
}

async function report(err: unknown): Promise<number> {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return EXIT.ok;
    return EXIT.usage;
  }
  // Only an error needs these; a run that goes well never loads them here.
  let loaded;
  try {
    loaded = await Promise.all([
      import('./remote/errors.js'),
      import('./remote/triton/command.js'),
      import('./remote/dir-options.js'),
      import('./remote/sim/scenario.js'),
      import('./state/display-text.js'),
    ]);
  } catch {
    // A broken install or no file handles left: say the error as it is.
    process.stderr.write(
      `triton-recover: internal error: ${String((err as Error)?.message ?? err).replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '?')}\n`,
    );
    return EXIT.internal;
  }
  const [{ RemoteError }, { CommandFailedError }, { UsageError }, { ScenarioError }, { sanitizeForDisplay: clean }] =
    loaded;
  if (err instanceof RemoteError || err instanceof CommandFailedError) {
    // The console's own GZ did not answer as a Triton headnode does.
    process.stderr.write(
      `triton-recover: ${err.message}\n  is this the global zone of a Triton headnode? (to try it anywhere: triton-recover --demo)\n`,
    );
    return EXIT.blocked;
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
    return await report(err);
  }
}

main(process.argv).then(
  (code) => (process.exitCode = code),
  async (err: unknown) => (process.exitCode = await report(err)),
);
