// Runs the console in a real pseudo-terminal and rebuilds its screen with
// @xterm/headless, counting every byte the app writes: what a 9600-baud line
// would have to carry. Shared by the bench and by test/support/pty.ts, so it
// must not import vitest. node-pty and @xterm/headless are dev dependencies,
// loaded on demand so a missing native build is reported, not thrown at import.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { IPty } from 'node-pty';
import type { Terminal as XTerminal } from '@xterm/headless';
import { serialLine } from './serial-line.js';

type NodePty = typeof import('node-pty');
type XTermModule = typeof import('@xterm/headless');
export interface PtyModules {
  pty: NodePty;
  Terminal: XTermModule['Terminal'];
}

/** Repository root: this file sits in src/bench or dist/bench. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const defaultEntry = fileURLToPath(new URL('../../bin/triton-recover', import.meta.url));

let loaded: Promise<{ mods: PtyModules } | { error: string }> | undefined;

/** Loads node-pty and @xterm/headless once; `error` says why they could not be. */
export function loadPtyModules(): Promise<{ mods: PtyModules } | { error: string }> {
  loaded ??= (async () => {
    try {
      const pty = await import('node-pty');
      // @xterm/headless is a CJS bundle: under Node's ESM loader only `default` exists.
      const x = (await import('@xterm/headless')) as XTermModule & { default?: XTermModule };
      const Terminal = x.Terminal ?? x.default?.Terminal;
      if (!Terminal) return { error: '@xterm/headless has no Terminal export' };
      return { mods: { pty, Terminal } };
    } catch (err) {
      return { error: (err as Error).message.split('\n')[0] ?? String(err) };
    }
  })();
  return loaded;
}

export interface PtySpawnOptions {
  /** Arguments to bin/triton-recover (or to `entry`). */
  args: string[];
  /** Script run with node instead of bin/triton-recover (test fixtures). */
  entry?: string;
  cols?: number;
  rows?: number;
  term?: string;
  /** Added to the child's environment; NO_COLOR only reaches it from here. */
  env?: Record<string, string>;
  /**
   * A serial line's speed (960 for 9600 baud): the screen receives at most this
   * many bytes a second, and the program is held back (pty flow control) while
   * the line is busy, as on a real serial console.
   */
  lineBytesPerSec?: number;
  /** Lines kept above the screen, as a terminal's scrollback (default 0: only the screen). */
  scrollback?: number;
}

export type ScreenCondition = string | RegExp | ((screen: string[]) => boolean);

export interface PtySession {
  screen(): string[];
  /** The lines scrolled off above the screen (empty unless `scrollback` was asked for). */
  scrolledOff(): string[];
  text(): string;
  waitFor(cond: ScreenCondition, timeoutMs?: number): Promise<void>;
  press(keys: string): void;
  bytes: { readonly total: number; perSecond(): number[] };
  /** Everything the program wrote, as written (escape sequences included). */
  raw(): string;
  /** ms from spawn to the first screen with any text; undefined until then. */
  firstScreenMs(): number | undefined;
  exit(): Promise<number>;
  kill(): void;
}

// ink prints only the last frame when it thinks it runs in CI (is-in-ci), and
// colour must be what the test asks for, not what the parent shell had.
const STRIPPED_ENV = ['CI', 'CONTINUOUS_INTEGRATION', 'GITHUB_ACTIONS', 'NO_COLOR', 'FORCE_COLOR'];

export function childEnv(term: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !STRIPPED_ENV.includes(k)) env[k] = v;
  }
  return { ...env, TERM: term, ...extra };
}

function matches(cond: ScreenCondition, screen: string[]): boolean {
  if (typeof cond === 'function') return cond(screen);
  const text = screen.join('\n');
  return typeof cond === 'string' ? text.includes(cond) : cond.test(text);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function openPtySession(mods: PtyModules, opts: PtySpawnOptions): PtySession {
  const cols = opts.cols ?? 80;
  const rows = opts.rows ?? 24;
  const term = opts.term ?? 'xterm-256color';
  const xterm: XTerminal = new mods.Terminal({
    cols,
    rows,
    allowProposedApi: true,
    scrollback: opts.scrollback ?? 0,
  });
  const start = performance.now();
  const buckets: number[] = [];
  let total = 0;
  let written = '';
  let firstScreen: number | undefined;
  let exitCode: number | undefined;
  let disposed = false;
  const child: IPty = mods.pty.spawn(process.execPath, [opts.entry ?? defaultEntry, ...opts.args], {
    name: term,
    cols,
    rows,
    cwd: repoRoot,
    env: childEnv(term, opts.env),
  });
  const lineAt = (y: number): string => xterm.buffer.active.getLine(y)?.translateToString(true) ?? '';
  const screen = (): string[] => Array.from({ length: rows }, (_, i) => lineAt(xterm.buffer.active.baseY + i));
  const flush = () => new Promise<void>((r) => xterm.write('', r));

  const show = (d: string): void => {
    const at = performance.now() - start;
    if (disposed) return;
    xterm.write(d, () => {
      if (firstScreen === undefined && screen().some((l) => l.trim() !== '')) firstScreen = at;
    });
  };
  const line = opts.lineBytesPerSec
    ? serialLine(
        opts.lineBytesPerSec,
        show,
        () => child.pause(),
        () => child.resume(),
      )
    : undefined;
  child.onData((d) => {
    const n = Buffer.byteLength(d);
    const sec = Math.floor((performance.now() - start) / 1000);
    while (buckets.length <= sec) buckets.push(0);
    buckets[sec] = (buckets[sec] ?? 0) + n;
    total += n;
    if (written.length < 1 << 20) written += d;
    if (line) line.send(d);
    else show(d);
  });
  const exited = new Promise<number>((resolve) => {
    child.onExit((e) => {
      exitCode = e.exitCode;
      resolve(e.exitCode);
    });
  });

  return {
    screen,
    scrolledOff: () => Array.from({ length: xterm.buffer.active.baseY }, (_, y) => lineAt(y)),
    text: () => screen().join('\n'),
    raw: () => written,
    async waitFor(cond, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        await flush();
        if (matches(cond, screen())) return;
        const why =
          exitCode !== undefined
            ? `the app exited (${exitCode})`
            : performance.now() > deadline
              ? `${timeoutMs} ms passed`
              : '';
        if (why) throw new Error(`waitFor(${String(cond)}): ${why}; screen:\n${screen().join('\n')}`);
        await sleep(15);
      }
    },
    press(keys) {
      child.write(keys);
    },
    bytes: {
      get total() {
        return total;
      },
      perSecond() {
        const upTo = Math.floor((performance.now() - start) / 1000);
        return Array.from({ length: Math.max(upTo + 1, buckets.length) }, (_, i) => buckets[i] ?? 0);
      },
    },
    firstScreenMs: () => firstScreen,
    async exit() {
      const code = await exited;
      await flush();
      return code;
    },
    kill() {
      if (disposed) return;
      disposed = true;
      line?.stop();
      if (exitCode === undefined) child.kill();
      xterm.dispose();
    },
  };
}

export interface PtyScriptStep {
  waitFor?: string | RegExp;
  keys?: string;
  delayMs?: number;
}

export interface MeasurePtyOptions extends PtySpawnOptions {
  script: PtyScriptStep[];
  /** After the script, wait for the app to exit instead of killing it. */
  untilExit?: boolean;
  /** After the script, keep counting this long and report the rate as idleBytesPerSec. */
  idleSeconds?: number;
  timeoutMs?: number;
}

export interface PtyMeasurement {
  firstScreenMs: number | undefined;
  totalBytes: number;
  avgBytesPerSec: number;
  worstSecondBytes: number;
  idleBytesPerSec?: number;
  seconds: number;
  exitCode?: number;
  finalScreen: string[];
}

export async function measurePty(opts: MeasurePtyOptions): Promise<PtyMeasurement> {
  const loadedMods = await loadPtyModules();
  if ('error' in loadedMods) throw new Error(`pty bench needs node-pty and @xterm/headless: ${loadedMods.error}`);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = performance.now();
  const left = () => Math.max(1, timeoutMs - (performance.now() - started));
  const s = openPtySession(loadedMods.mods, opts);
  try {
    for (const step of opts.script) {
      if (step.waitFor !== undefined) await s.waitFor(step.waitFor, left());
      if (step.keys !== undefined) s.press(step.keys);
      if (step.delayMs !== undefined) await sleep(step.delayMs);
    }
    let idleBytesPerSec: number | undefined;
    if (opts.idleSeconds !== undefined) {
      // Idle starts once the last screen is out: a second with no bytes (at most 10 s).
      const quietBy = performance.now() + 10_000;
      let last = s.bytes.total;
      let quietSince = performance.now();
      while (performance.now() - quietSince < 1_000 && performance.now() < quietBy) {
        await sleep(100);
        if (s.bytes.total !== last) {
          last = s.bytes.total;
          quietSince = performance.now();
        }
      }
      const before = s.bytes.total;
      await sleep(opts.idleSeconds * 1000);
      idleBytesPerSec = (s.bytes.total - before) / opts.idleSeconds;
    }
    let exitCode: number | undefined;
    if (opts.untilExit) {
      const timedOut = sleep(left()).then(() => undefined);
      exitCode = await Promise.race([s.exit(), timedOut]);
      if (exitCode === undefined) throw new Error(`app did not exit within ${timeoutMs} ms; screen:\n${s.text()}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = s.bytes.perSecond();
    return {
      firstScreenMs: s.firstScreenMs(),
      totalBytes: s.bytes.total,
      avgBytesPerSec: s.bytes.total / seconds,
      worstSecondBytes: Math.max(0, ...perSecond),
      ...(idleBytesPerSec !== undefined ? { idleBytesPerSec } : {}),
      seconds,
      ...(exitCode !== undefined ? { exitCode } : {}),
      finalScreen: s.screen(),
    };
  } finally {
    s.kill();
  }
}

/** Median wall time of `node -e 0`: the floor under any first-screen time. */
export function nodeStartupMs(runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}
