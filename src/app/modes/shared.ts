// What every mode of the command line shares: the DC opened with its directories
// checked, the global options, a problem and a run's outcome as printed.
import type { Command } from 'commander';
import { checkDirOption } from '../../remote/dir-options.js';
import type { Dc } from '../../remote/dc.js';
import { journalDirOf, openDc as openAnyDc, type GlobalOptions } from '../open-dc.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { problemLines, type AnyProblem } from '../../state/problem.js';
import { outcomeLabel } from '../../state/exit-codes.js';

/** A problem on stderr: its line, then its fix, indented under it; nothing unprintable. */
export function problemText(p: AnyProblem): string {
  const { line, fix } = problemLines(p);
  return `  ${clean(line)}\n${fix ? `       ${clean(fix)}\n` : ''}`;
}

/** The DC, once the directory options are directories (or absent): a usage error otherwise. */
export async function openDc(g: GlobalOptions): Promise<Dc> {
  if (g.restoreData) checkDirOption('--restore-data', g.restoreData);
  if (g.journalDir) checkDirOption('--journal-dir', g.journalDir);
  const dc = await openAnyDc(g);
  try {
    checkDirOption(
      g.journalDir ? '--journal-dir' : 'the journal directory (set it with --journal-dir)',
      journalDirOf(g, dc),
    );
    if (!g.restoreData) checkDirOption('the restore-data directory (set it with --restore-data)', dc.restoreDataDir);
  } catch (err) {
    await dc.close();
    throw err;
  }
  return dc;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** How a restore or a conversion ended, as the CLI prints it: problems and the failure on stderr, the outcome and what next on stdout. */
export function printOutcome(out: {
  exitCode: number;
  message: string;
  next?: string;
  problems: readonly AnyProblem[];
  failure?: { host: string; command: string; output: string; action: { summary: string } };
}): void {
  for (const p of out.problems) process.stderr.write(problemText(p));
  if (out.failure) {
    const f = out.failure;
    process.stderr.write(
      `\nFAILED on ${clean(f.host)}: ${clean(f.action.summary)}\n  command: ${clean(f.command)}\n  output:\n${f.output
        .split('\n')
        .map((l) => `    ${clean(l)}`)
        .join('\n')}\n`,
    );
  }
  process.stdout.write(`${outcomeLabel(out.exitCode)}: ${clean(out.message)}\n`);
  if (out.next) process.stdout.write(`next: ${clean(out.next)}\n`);
}
