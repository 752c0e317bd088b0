// The full-screen console (no subcommand): the terminal checks, then ink.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { journalDirOf, timingOf } from '../open-dc.js';
import { EXIT } from '../../state/exit-codes.js';
import { globals, openDc } from './shared.js';

export async function consoleMode(cmd: Command): Promise<number> {
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
  const consoleModule = import('../console/run-console.js');
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
