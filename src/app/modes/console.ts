// The console (no subcommand): the terminal checks, then ink, or the linear
// console for --plain and TERM=dumb.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { GlobalOptions } from '../open-dc.js';
import { EXIT } from '../../state/exit-codes.js';
import { openingLines } from '../../screens/opening.js';
import { detectTerminal } from '../../screens/terminal.js';

export async function consoleMode(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  // A dumb terminal cannot move the cursor: it gets the linear console, which
  // never does (as --plain). It reads answers as lines, so a pipe works too.
  const plain = o.plain === true || process.env['TERM'] === 'dumb';
  if (!plain && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    process.stderr.write(
      'triton-recover: the console needs a terminal (standard input and output are not one).\n' +
        '  Line by line:           triton-recover --plain   (numbered questions, answers typed as lines)\n' +
        '  For scripts and pipes:  triton-recover check [--json]   triton-recover plan [--json]\n' +
        '                          triton-recover restore --yes --fenced <dead primary hostname>\n',
    );
    return EXIT.blocked;
  }
  // A drill keeps its simulated DC in a file, so quitting and reopening resumes it.
  if ((o.demo || o.sim) && !o.simState)
    o.simState = join(mkdtempSync(join(tmpdir(), 'triton-recover-drill-')), 'state.json');
  // The first words before anything heavy loads: the operator sees at once that
  // it runs, what it opens, and that nothing changes yet. The home screen
  // replaces them (runConsole erases them before its first frame).
  const opening = plain
    ? []
    : openingLines({
        version: cmd.version() ?? '',
        dc: o.demo
          ? { kind: 'demo' }
          : o.sim
            ? { kind: 'sim', file: o.sim }
            : { kind: 'real', ...(o.restoreData ? { restoreDataDir: o.restoreData } : {}) },
        // The width the console will assume (the tty's, else $COLUMNS, else 80).
        cols: detectTerminal({}, process.env, process.stdout).cols,
      });
  if (opening.length > 0) process.stdout.write(`${opening.join('\n')}\n`);
  // Loading ink (~0.5 s) and opening the DC overlap: the first screen comes sooner.
  const consoleModule = plain ? undefined : import('../console/run-console.js');
  const [{ openDc }, { convertTimingOf, journalDirOf, timingOf }] = await Promise.all([
    import('./shared.js'),
    import('../open-dc.js'),
  ]);
  const dc = await openDc(o);
  const t = timingOf(o, dc);
  const argv = process.argv.slice(2);
  const again = [
    'triton-recover',
    ...argv,
    ...(o.simState && !argv.includes('--sim-state') ? ['--sim-state', o.simState] : []),
  ];
  try {
    const session = {
      journalDir: journalDirOf(o, dc),
      timing: { pollMs: t.pollMs, healthTimeoutMs: t.healthTimeoutMs, commandTimeoutMs: t.commandTimeoutMs },
      convertTiming: convertTimingOf(t),
      probeTimeoutMs: t.probeTimeoutMs,
      ...(o.maxAge ? { maxAgeMinutes: o.maxAge } : {}),
      ...(o.maxVerifiedAge ? { maxVerifiedAgeHours: o.maxVerifiedAge } : {}),
      resumeCommand: again.join(' '),
      // On the simulator every restore is a drill: its report and status say so, times scaled back.
      ...(dc.simulated ? { timeScale: o.simSpeed ?? 1 } : {}),
    };
    const code = consoleModule
      ? await (
          await consoleModule
        ).runConsole(dc, {
          ...session,
          openingLines: opening.length,
          flags: {
            ...(o.serial ? { serial: true } : {}),
            ...(o.ascii ? { ascii: true } : {}),
            ...(o.color === false ? { noColor: true } : {}),
          },
        })
      : await (await import('../console/run-plain.js')).runPlain(dc, session);
    await dc.close();
    // Quitting stops the work now: a restore still under way must not go on
    // unseen. The journal is fsync'd before and after every action, and a
    // rerun re-checks whatever was cut short.
    process.exit(code);
  } finally {
    await dc.close();
  }
}
