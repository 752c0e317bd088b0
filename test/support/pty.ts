// The pty test harness: the console (or a fixture) in a real pseudo-terminal,
// its screen rebuilt by @xterm/headless. ink-testing-library never runs ink's
// real renderer; these tests do. Suites skip, saying why, where node-pty
// cannot load (its native build did not run).
import { fileURLToPath } from 'node:url';
import { afterEach, describe } from 'vitest';
import { loadPtyModules, openPtySession, type PtySession, type PtySpawnOptions } from '../../src/bench/pty-bytes.js';

export type { PtySession, ScreenCondition } from '../../src/bench/pty-bytes.js';

const loaded = await loadPtyModules();

/** Why pty tests cannot run here, or undefined when they can. */
export const ptyUnavailable: string | undefined = 'error' in loaded ? loaded.error : undefined;

/** `describe` for pty suites: skipped, with the reason in its title, without node-pty. */
export function describePty(name: string, fn: () => void): void {
  if (ptyUnavailable === undefined) describe(name, fn);
  else describe.skip(`${name} [skipped: node-pty unavailable (${ptyUnavailable}); run npm ci to build it]`, fn);
}

const live = new Set<PtySession>();
afterEach(() => {
  for (const s of live) s.kill();
  live.clear();
});

/**
 * Spawns `node bin/triton-recover ...args` (or `node entry ...args`) at
 * cols x rows (80x24) with TERM=term (xterm-256color). CI, GITHUB_ACTIONS,
 * NO_COLOR and FORCE_COLOR are removed from its environment unless `env`
 * sets them. Sessions still running are killed after each test.
 */
export function startPty(opts: PtySpawnOptions): PtySession {
  if ('error' in loaded) throw new Error(`node-pty unavailable: ${loaded.error}`);
  const s = openPtySession(loaded.mods, opts);
  live.add(s);
  return s;
}

/** Resolves after ms milliseconds (for gaps between key bytes). */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The fixture apps under test/pty/fixtures, by file name. */
export const fixture = (name: string) => fileURLToPath(new URL(`../pty/fixtures/${name}`, import.meta.url));
