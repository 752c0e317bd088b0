// argv -> one of the modes of the contract (design section 7); nothing else.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ScenarioError } from './remote/sim/scenario.js';
import { openDc, type GlobalOptions } from './remote/open-dc.js';
import { exitCodeOf, formatCheckText } from './state/check-report.js';
import { runCheck } from './steps/check.js';

const EXIT = { ok: 0, warnings: 1, blocked: 2, failed: 3, usage: 64, internal: 70 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const positive = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

async function check(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { json?: boolean; prometheus?: boolean }>();
  const dc = await openDc(globals(cmd));
  try {
    const { report } = await runCheck(dc, { ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}) });
    if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else process.stdout.write(formatCheckText(report, dc.label));
    return exitCodeOf(report);
  } finally {
    await dc.close();
  }
}

function notYet(what: string): () => Promise<number> {
  return async () => {
    process.stderr.write(`triton-recover: ${what} is not in this build yet; nothing was changed.\n`);
    return EXIT.blocked;
  };
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
    .action(() => run(notYet('plan')()));

  program
    .command('restore')
    .description('re-create the core zones lost with the dead primary, in order')
    .option('--yes', 'do not ask before each step')
    .option('--fenced <hostname>', 'the dead primary, typed: it is powered off or off the admin network')
    .addOption(new Option('--strategy <strategy>', 'identity strategy').choices(['reuse', 'new']).default('reuse'))
    .option('--only <services>', 'only these services (comma-separated)')
    .action(() => run(notYet('restore')()));

  program
    .command('convert')
    .argument('<server>', 'hostname or UUID of a set-up compute node')
    .description('guide turning a compute node into a secondary headnode')
    .option('--yes', 'do not ask before each step')
    .action(() => run(notYet('convert')()));

  program.action((_o, cmd: Command) => {
    // The full-screen console arrives with the screens; until then the same
    // facts as `check`, as text.
    run(check(cmd));
  });
  return program;
}

function report(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (err instanceof ScenarioError) {
    process.stderr.write(`triton-recover: scenario: ${err.message}\n`);
    return EXIT.usage;
  }
  const e = err as Error;
  process.stderr.write(`triton-recover: internal error: ${e.message}\n`);
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
