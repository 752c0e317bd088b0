// Starting the full-screen console: decide what the terminal can do, give ink
// a size and its cheapest renderer, and connect the screens to a session.
import { render } from 'ink';
import type { Dc } from '../../remote/dc.js';
import { initialState } from '../../state/console/index.js';
import { ConsoleSession, type SessionOptions } from './session.js';
import { App } from '../../screens/App.js';
import { EscapeJoiner } from '../../screens/escape-joiner.js';
import { eraseOpening } from '../../screens/opening.js';
import { PacedOutput } from '../../screens/paced-output.js';
import { createStore } from '../../screens/store.js';
import { applyTerminalSize, detectTerminal, sttyHint, type TerminalFlags } from '../../screens/terminal.js';
import type { Theme } from '../../screens/theme.js';

/** 9600 baud is ~960 bytes a second; stay a little under it. */
const SERIAL_BYTES_PER_SECOND = 900;
/** At most two engine-driven frames a second on a serial line. */
const SERIAL_ENGINE_FRAME_MS = 500;

export interface ConsoleOptions extends SessionOptions {
  flags: TerminalFlags;
  /** Lines the console mode wrote before ink loaded (screens/opening.ts): erased before the first frame. */
  openingLines?: number;
}

export async function runConsole(dc: Dc, o: ConsoleOptions): Promise<number> {
  const term = detectTerminal(o.flags, process.env, process.stdout);
  applyTerminalSize(process.stdout, term.rows, term.cols);
  const theme: Theme = {
    color: term.color,
    ascii: term.ascii,
    serial: term.serial,
    tickMs: term.serial ? 5_000 : 1_000,
  };
  let session: ConsoleSession | undefined;
  // On a serial line the engine's changes reach the screen at most twice a second; keys at once.
  const store = createStore(initialState(dc.label, Date.now()), (e) => session?.handle(e), {
    engineFrameMs: term.serial ? SERIAL_ENGINE_FRAME_MS : 0,
  });
  session = new ConsoleSession(dc, o, (e) => store.dispatch(e));
  // On home, not in the run log: the operator must see it before the screen misleads them.
  if (term.sizeGuessed)
    store.dispatch({
      t: 'notice',
      text: `terminal size unknown: assuming ${term.rows}x${term.cols}; set it with: ${sttyHint(term)}`,
    });

  const rows = (): number => process.stdout.rows || term.rows;
  const cols = (): number => process.stdout.columns || term.cols;
  // ESC and the rest of an arrow key may arrive apart on a slow line: join them.
  const stdin = new EscapeJoiner(process.stdin);
  // On a serial line, bytes go out at the line's rate (a little under 9600 baud).
  process.stdout.write(eraseOpening(o.openingLines ?? 0));
  const paced = term.serial ? new PacedOutput(process.stdout, { bytesPerSecond: SERIAL_BYTES_PER_SECOND }) : undefined;
  const app = render(<App store={store} theme={theme} rows={rows()} cols={cols()} />, {
    stdin: stdin.asStdin(),
    ...(paced ? { stdout: paced as unknown as NodeJS.WriteStream } : {}),
    // Only changed lines are redrawn (ink 6.8 + the #910 fix in patches/).
    incrementalRendering: true,
    // On a slow line the store already holds the engine's frames to two a second
    // (each costs ~90 bytes of cursor movement); ink's own limit only spaces a
    // key's frame from the one before it.
    maxFps: term.serial ? 20 : 10,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const onResize = (): void => app.rerender(<App store={store} theme={theme} rows={rows()} cols={cols()} />);
  (paced ?? process.stdout).on('resize', onResize);
  void session.check();
  await session.exited;
  (paced ?? process.stdout).off('resize', onResize);
  app.unmount();
  await app.waitUntilExit();
  await paced?.drain();
  paced?.detach();
  stdin.detach();
  const s = store.get();
  const running = s.run.phase === 'running' || s.run.phase === 'failed';
  process.stdout.write(
    running
      ? `\ntriton-recover: the restore was interrupted; nothing is lost. Resume with:\n  ${o.resumeCommand}\n(or open the console again: it resumes from the journal in ${o.journalDir})\n`
      : '\n',
  );
  return s.run.outcome?.exitCode ?? 0;
}
