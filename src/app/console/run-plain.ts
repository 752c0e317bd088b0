// The linear console (--plain, TERM=dumb): the same store, reducer and session
// as the full-screen one, printed as lines and answered with typed lines. No
// cursor movement, no redraw, no colour: a serial log or a screen reader reads
// it top to bottom, and the scrollback keeps everything.
import { createInterface } from 'node:readline';
import type { Dc } from '../../remote/dc.js';
import { initialState } from '../../state/console/index.js';
import { PlainPrinter, plainInputs } from '../../screens/plain.js';
import { createStore } from '../../screens/store.js';
import { ConsoleSession, type SessionOptions } from './session.js';

export async function runPlain(
  dc: Dc,
  o: SessionOptions,
  out: NodeJS.WritableStream = process.stdout,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  let session: ConsoleSession | undefined;
  const store = createStore(initialState(dc.label, Date.now()), (e) => session?.handle(e));
  const printer = new PlainPrinter();
  const show = (): void => {
    const lines = printer.next(store.get());
    if (lines.length) out.write(`${lines.join('\n')}\n`);
  };
  store.subscribe(show);
  session = new ConsoleSession(dc, o, (e) => store.dispatch(e));
  show();
  const rl = createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    for (const i of plainInputs(store.get(), line)) store.dispatch({ t: 'input', input: i });
  });
  // End of input (Ctrl-D, a closed pipe): as q on home; a running restore asks first.
  let ended = false;
  rl.on('close', () => ended || store.dispatch({ t: 'input', input: { t: 'quit' } }));
  void session.check();
  await session.exited;
  ended = true;
  rl.close();
  const s = store.get();
  const running = s.run.phase === 'running' || s.run.phase === 'failed';
  out.write(
    running ? `triton-recover: the restore was interrupted; nothing is lost. Resume with:\n  ${o.resumeCommand}\n` : '',
  );
  return s.run.outcome?.exitCode ?? 0;
}
