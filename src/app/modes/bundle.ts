// `bundle`: the incident bundle on request (a restore and a conversion make one
// at their end too): one .tar.gz in the journal directory, secrets redacted,
// and the three-line status for a status page.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { DEFAULT_JOURNAL_DIR, journalDirOf, type GlobalOptions } from '../open-dc.js';
import { bundleLines, makeIncidentBundle } from '../../steps/incident/bundle.js';
import { convertJournalDir } from '../../steps/convert-run.js';
import { EXIT } from '../../state/exit-codes.js';
import { globals, openDc } from './shared.js';

export async function bundle(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions & { convert?: string }>();
  // Where the runs journaled, decided as they decide it (a simulated DC's is beside its state).
  // A real DC is not opened: a broken SSH setup must not keep the bundle from being made.
  let root = o.journalDir ? resolve(o.journalDir) : DEFAULT_JOURNAL_DIR;
  if (!o.journalDir && (o.sim || o.demo || o.simState)) {
    const dc = await openDc(globals(cmd));
    root = journalDirOf(o, dc);
    await dc.close();
  }
  const dir = o.convert ? convertJournalDir(root, o.convert) : root;
  if (!existsSync(dir)) {
    process.stderr.write(
      `triton-recover bundle: no journal directory ${dir} on this headnode: nothing to bundle.\n  Give the one the run used: --journal-dir DIR${o.convert ? '' : ' (a conversion: --convert SERVER_UUID)'}\n`,
    );
    return EXIT.blocked;
  }
  const b = makeIncidentBundle(dir);
  process.stdout.write(`${bundleLines(b).join('\n')}\n`);
  return EXIT.ok;
}

/** At the end of a restore or conversion: make the bundle and say where it is; a failure to make it never changes the run's exit. */
export function printBundleAfterRun(make: () => ReturnType<typeof makeIncidentBundle> | undefined): void {
  try {
    const b = make();
    if (b) process.stdout.write(`${bundleLines(b).join('\n')}\n`);
  } catch (err) {
    process.stderr.write(
      `could not write the incident bundle: ${err instanceof Error ? err.message : String(err)}\n  make it later: triton-recover bundle\n`,
    );
  }
}
