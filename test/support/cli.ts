// Running the built CLI as the outside world does: a free port for a server it
// talks to, and the bare environment cron or SMF starts it with.
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { execa } from 'execa';

export const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** As cron starts it: nothing but PATH, HOME empty, no ssh-agent. */
export const cron = (args: string[]) =>
  execa(bin, args, {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '' },
  });
