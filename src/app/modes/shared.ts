// What every mode of the command line shares: the DC opened with its directories
// checked, the global options, and a problem printed on stderr.
import type { Command } from 'commander';
import { checkDirOption } from '../../remote/dir-options.js';
import type { Dc } from '../../remote/dc.js';
import { journalDirOf, openDc as openAnyDc, type GlobalOptions } from '../open-dc.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { problemLines, type AnyProblem } from '../../state/problem.js';

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
    checkDirOption(g.journalDir ? '--journal-dir' : 'the journal directory (set it with --journal-dir)', journalDirOf(g, dc));
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
