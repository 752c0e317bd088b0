// `convert SERVER`: the conversion's pre-checks and plan, then the run with its progress.
import type { Command } from 'commander';
import { convertTimingOf, journalDirOf, timingOf, type GlobalOptions } from '../open-dc.js';
import { convertPrompter } from '../console/line-prompt.js';
import { sanitizeForDisplay as clean } from '../../state/display-text.js';
import { checkConvert, formatConvertText } from '../../steps/convert.js';
import { convertJournalDir, runConvert } from '../../steps/convert-run.js';
import { bundleAfterRun } from '../../steps/incident/bundle.js';
import { printBundleAfterRun } from './bundle.js';
import { EXIT } from '../../state/exit-codes.js';
import { globals, openDc, printOutcome } from './shared.js';

export async function convert(server: string, cmd: Command): Promise<number> {
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
      timing: convertTimingOf(t),
      probeTimeoutMs: t.probeTimeoutMs,
      events: {
        checked: (c, resumed) => {
          process.stdout.write(formatConvertText(resumed ? { ...c, problems: [] } : c));
          if (resumed) log('resuming the journaled conversion: pre-checks gate only its start');
        },
        stepStart: (s, i, n) => log(`[${i + 1}/${n}] ${s.title} (on ${s.where})`),
        actionEnd: (a, r) =>
          log(
            `    ${r.ok ? (r.skipped ? 'SKIP' : 'OK  ') : 'FAIL'} ${a.summary}${r.skipped ? ` (already done: ${r.detail})` : r.ok ? `: ${r.detail}` : ''} ${(r.ms / 1000).toFixed(1)} s`,
          ),
        stepEnd: (s, _i, status) => log(`    ${status.toUpperCase()}: ${s.title}`),
      },
    });
    printOutcome(out);
    const target = out.plan?.target.uuid ?? out.check?.facts.target?.uuid;
    if (target) printBundleAfterRun(() => bundleAfterRun(convertJournalDir(journalDirOf(o, dc), target), out.check));
    return out.exitCode;
  } finally {
    prompter?.close();
    await dc.close();
  }
}
