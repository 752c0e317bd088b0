// `accept WORD`: an operator accepts one change still in effect as it is (the
// word typed is the confirmation, as --fenced HOSTNAME is for a restore). The
// acceptance is appended to the journal the change came from; the change is
// no longer listed until a later run acts on it again.
import type { Command } from 'commander';
import { journalDirOf, timingOf, type GlobalOptions } from '../open-dc.js';
import { changeLines } from '../../state/check-report.js';
import { EXIT } from '../../state/exit-codes.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { runCheck } from '../../steps/check.js';
import { acceptChange } from '../../steps/changes-in-effect.js';
import { operatorName } from '../../steps/procedure/job-journal.js';
import { globals, openDc } from './shared.js';

export async function accept(word: string, cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  const dc = await openDc(globals(cmd));
  try {
    const journalDir = journalDirOf(o, dc);
    // The same list `check` shows: the journals, the left locks, the zones still there.
    const { report } = await runCheck(dc, { journalDir, timeoutMs: timingOf(o, dc).probeTimeoutMs });
    const changes = report.changesInEffect ?? [];
    const c = changes.find((x) => x.word === word);
    if (!c) {
      process.stderr.write(
        changes.length === 0
          ? `triton-recover accept: no change is still in effect (journal directory ${journalDir}); nothing was accepted\n`
          : `triton-recover accept: no change still in effect is called "${clean(word)}"; nothing was accepted. Type the word in brackets of one of these:\n${changeLines(
              changes,
            )
              .map((l) => clean(l))
              .join('\n')}\n`,
      );
      return EXIT.blocked;
    }
    const where = acceptChange(journalDir, c, operatorName());
    process.stdout.write(`accepted as it is: ${clean(c.what)} (on ${c.host})\n  journaled in ${where}\n`);
    return EXIT.ok;
  } finally {
    await dc.close();
  }
}
