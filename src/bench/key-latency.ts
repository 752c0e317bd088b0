// Key to screen behind a 9600-baud line while a restore runs: the console in a
// real pty, its output throttled to 960 bytes a second with flow control (the
// program blocks while the line is busy), the operator opening and closing the
// quit question while zones are restored. Each sample: key pressed -> the
// screen shows the change.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPtyModules, openPtySession } from './pty-bytes.js';
import { percentile } from './stats.js';

export interface KeyLatency {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const QUESTION = 'Quit now?';

export async function measureKeyToScreen(
  o: { speed?: number; lineBytesPerSec?: number; cycles?: number } = {},
): Promise<KeyLatency> {
  const loaded = await loadPtyModules();
  if ('error' in loaded) throw new Error(`key latency needs node-pty and @xterm/headless: ${loaded.error}`);
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-keys-'));
  const s = openPtySession(loaded.mods, {
    args: ['--demo', '--serial', '--sim-state', join(dir, 'state.json'), '--sim-speed', String(o.speed ?? 4)],
    cols: 80,
    rows: 24,
    term: 'vt100',
    env: { LANG: 'C' },
    lineBytesPerSec: o.lineBytesPerSec ?? 960,
  });
  const times: number[] = [];
  try {
    const step = async (waitFor: string, keys: string) => {
      await s.waitFor(waitFor, 120_000);
      await sleep(300);
      s.press(keys);
    };
    await step('> 1 Restore after a dead primary', '1');
    await step('RESTORE 1/4: DETECTION', '\r');
    await step('RESTORE 2/4: PRE-FLIGHT', '\r');
    await step('> 1 reuse', '\r');
    await step('zone(s) of headnode0 re-created', '\r');
    await step('hostname to confirm', 'headnode0\r');
    await step('fenced?', 'b');
    await step('[1/21] Restore assets0', 'a');
    await step('without asking again', 'y');
    // Let the run settle into its steady output, then ask and dismiss the question.
    await sleep(1_500);
    const timed = async (keys: string, shown: (screen: string) => boolean): Promise<boolean> => {
      const t0 = performance.now();
      s.press(keys);
      await s.waitFor((screen) => shown(screen.join('\n')) || screen.join('\n').includes('RESTORE: SUMMARY'), 30_000);
      if (s.text().includes('RESTORE: SUMMARY')) return false;
      times.push(performance.now() - t0);
      return true;
    };
    for (let i = 0; i < (o.cycles ?? 12); i++) {
      if (!(await timed('q', (x) => x.includes(QUESTION)))) break;
      await sleep(400);
      if (!(await timed('n', (x) => !x.includes(QUESTION)))) break;
      await sleep(800);
    }
  } finally {
    s.kill();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1) ?? NaN,
  };
}
