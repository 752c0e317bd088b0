// Terminal output of a whole demo restore driven by keys in a real pty at 80x24:
// bytes per second on average and in the worst second, in --serial and normal
// modes, nothing while idle; and the time to the first screen next to `node -e 0`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureKeyToScreen } from './key-latency.js';
import { measurePty, nodeStartupMs, type PtyMeasurement, type PtyScriptStep } from './pty-bytes.js';

/** What an operator types, with a human pause between screens. */
function restoreScript(pauseMs: number): PtyScriptStep[] {
  return [
    { waitFor: '> 1 Restore after a dead primary', delayMs: pauseMs, keys: '1' },
    { waitFor: 'RESTORE 1/4: DETECTION', delayMs: pauseMs, keys: '\r' },
    { waitFor: 'RESTORE 2/4: PRE-FLIGHT', delayMs: pauseMs, keys: '\r' },
    { waitFor: '> 1 reuse', delayMs: pauseMs, keys: '\r' },
    { waitFor: 'zone(s) of headnode0 re-created', delayMs: pauseMs, keys: '\r' },
    { waitFor: 'hostname to confirm', delayMs: pauseMs, keys: 'headnode0\r' },
    { waitFor: 'fenced?', delayMs: pauseMs, keys: 'b' },
    { waitFor: '[1/21] Restore assets0', delayMs: pauseMs, keys: 'a' },
    { waitFor: 'without asking again', delayMs: pauseMs, keys: 'y' },
    { waitFor: 'RESTORE: SUMMARY' },
  ];
}

export async function measureConsole(serial: boolean, speed = 10): Promise<PtyMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-tui-'));
  return measurePty({
    args: [
      '--demo',
      '--sim-state',
      join(dir, 'state.json'),
      '--sim-speed',
      String(speed),
      ...(serial ? ['--serial'] : []),
    ],
    cols: 80,
    rows: 24,
    term: serial ? 'vt100' : 'xterm-256color',
    env: serial ? { LANG: 'C' } : { LANG: 'en_US.UTF-8' },
    script: restoreScript(1_500),
    idleSeconds: 5,
    timeoutMs: 240_000,
  });
}

export interface ConsoleBench {
  serial: {
    avgBytesPerSec: number;
    worstSecondBytes: number;
    firstPaintMs: number | null;
    keyToScreenP95Ms: number;
    keyToScreenP50Ms: number;
    keySamples: number;
    idleBytesPerSec: number | null;
  };
  normal: {
    avgBytesPerSec: number;
    worstSecondBytes: number;
    firstPaintMs: number | null;
    idleBytesPerSec: number | null;
  };
  nodeBaselineMs: number;
}

export async function benchConsole(): Promise<ConsoleBench> {
  const serial = await measureConsole(true);
  const normal = await measureConsole(false);
  const keys = await measureKeyToScreen();
  return {
    serial: {
      avgBytesPerSec: serial.avgBytesPerSec,
      worstSecondBytes: serial.worstSecondBytes,
      firstPaintMs: serial.firstScreenMs ?? null,
      keyToScreenP95Ms: keys.p95Ms,
      keyToScreenP50Ms: keys.p50Ms,
      keySamples: keys.samples,
      idleBytesPerSec: serial.idleBytesPerSec ?? null,
    },
    normal: {
      avgBytesPerSec: normal.avgBytesPerSec,
      worstSecondBytes: normal.worstSecondBytes,
      firstPaintMs: normal.firstScreenMs ?? null,
      idleBytesPerSec: normal.idleBytesPerSec ?? null,
    },
    nodeBaselineMs: nodeStartupMs(),
  };
}

export function consoleLines(c: ConsoleBench): string[] {
  const n = (x: number | null, d = 0): string => (x === null ? '?' : x.toFixed(d));
  return [
    'console output during a whole demo restore by keys (pty 80x24, --sim-speed 10):',
    `  serial   avg ${n(c.serial.avgBytesPerSec)} B/s (goal < 300)  worst second ${c.serial.worstSecondBytes} B (goal <= 960)  idle ${n(c.serial.idleBytesPerSec)} B/s  first paint ${n(c.serial.firstPaintMs)} ms (goal < 500)`,
    `  normal   avg ${n(c.normal.avgBytesPerSec)} B/s  worst second ${c.normal.worstSecondBytes} B  idle ${n(c.normal.idleBytesPerSec)} B/s  first paint ${n(c.normal.firstPaintMs)} ms`,
    `key to screen behind a 9600-baud line (960 B/s, flow control) while a restore runs, --serial, quit question opened and closed:`,
    `  p50 ${n(c.serial.keyToScreenP50Ms)} ms  p95 ${n(c.serial.keyToScreenP95Ms)} ms (goal < 300) over ${c.serial.keySamples} keys`,
    `  node -e 0: ${n(c.nodeBaselineMs)} ms (for scale against the first paint)`,
  ];
}
