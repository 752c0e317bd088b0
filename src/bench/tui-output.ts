// Terminal output of a whole demo restore driven by keys in a real pty at 80x24:
// bytes per second on average and in the worst second, in --serial and normal
// modes, nothing while idle; and the time to the first screen next to `node -e 0`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measurePty, nodeStartupMs, type PtyMeasurement, type PtyScriptStep } from './pty-bytes.js';

/** What an operator types, with a human pause between screens. */
function restoreScript(pauseMs: number): PtyScriptStep[] {
  return [
    { waitFor: '> 1 Restore after a dead primary', delayMs: pauseMs, keys: '1' },
    { waitFor: 'RESTORE 1/4: DETECTION', delayMs: pauseMs, keys: '\r' },
    { waitFor: 'RESTORE 2/4: PRE-FLIGHT', delayMs: pauseMs, keys: '\r' },
    { waitFor: '> 1 reuse', delayMs: pauseMs, keys: '\r' },
    { waitFor: 'zone(s) of headnode0 re-created', delayMs: pauseMs, keys: '\r' },
    { waitFor: "hostname to confirm", delayMs: pauseMs, keys: 'headnode0\r' },
    { waitFor: '[1/21] Restore assets0', delayMs: pauseMs, keys: 'a' },
    { waitFor: 'without asking again', delayMs: pauseMs, keys: 'y' },
    { waitFor: 'RESTORE: SUMMARY' },
  ];
}

export async function measureConsole(serial: boolean, speed = 10): Promise<PtyMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-tui-'));
  return measurePty({
    args: ['--demo', '--sim-state', join(dir, 'state.json'), '--sim-speed', String(speed), ...(serial ? ['--serial'] : [])],
    cols: 80,
    rows: 24,
    term: serial ? 'vt100' : 'xterm-256color',
    env: serial ? { LANG: 'C' } : { LANG: 'en_US.UTF-8' },
    script: restoreScript(1_500),
    idleSeconds: 5,
    timeoutMs: 240_000,
  });
}

export async function benchTuiOutput(): Promise<string[]> {
  const line = (name: string, m: PtyMeasurement, avgGoal: number, worstGoal?: number): string =>
    `  ${name.padEnd(8)} avg ${m.avgBytesPerSec.toFixed(0)} B/s (goal <= ${avgGoal})  worst second ${m.worstSecondBytes} B${worstGoal ? ` (goal <= ${worstGoal})` : ''}  idle ${m.idleBytesPerSec?.toFixed(0) ?? '?'} B/s  total ${m.totalBytes} B in ${m.seconds.toFixed(1)} s  first screen ${m.firstScreenMs?.toFixed(0) ?? '?'} ms`;
  const serial = await measureConsole(true);
  const normal = await measureConsole(false);
  return [
    'console output during a whole demo restore by keys (pty 80x24, --sim-speed 10):',
    line('serial', serial, 300, 960),
    line('normal', normal, 4096),
    `  node -e 0: ${nodeStartupMs().toFixed(0)} ms (for scale against the first screen)`,
  ];
}
