// Runs argv on this machine (the headnode's global zone). argv arrays only, never
// a shell string, so nothing from an operator or a scenario is ever re-parsed.
import { constants as osConstants, hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { RemoteError } from './errors.js';
import type { Host, RunOptions, RunResult } from './host.js';

/** Between SIGTERM and SIGKILL when a command is abandoned. */
const KILL_GRACE_MS = 1000;

// Commands run in their own process group (detached) so a timeout kills the
// whole tree, including grandchildren that would otherwise keep our pipes open.
// Like execa's default cleanup, anything still running dies with the console.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
    });
  }
}

function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already gone; nothing left to kill.
  }
}

/** 128+n like a shell, so a signal death is never mistaken for success. */
export function signalExitCode(signal: string): number {
  const name = (signal.startsWith('SIG') ? signal : `SIG${signal}`) as keyof typeof osConstants.signals;
  const n = osConstants.signals[name];
  return typeof n === 'number' ? 128 + n : 255;
}

export class LocalHost implements Host {
  readonly name: string;

  constructor(opts: { name?: string } = {}) {
    this.name = opts.name ?? hostname();
  }

  async close(): Promise<void> {}

  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const [file, ...args] = argv;
    if (file === undefined || file === '') {
      throw this.error(
        'spawn-failed',
        argv,
        false,
        'empty command',
        'this is a bug in triton-recover: report it with the step that was running',
      );
    }
    if (opts.signal?.aborted) {
      throw this.error(
        'aborted',
        argv,
        false,
        'cancelled before it started',
        'nothing ran; start the step again when ready',
      );
    }
    const started = performance.now();
    const { stdin, stdoutSink } = opts;
    const stdinIsStream = stdin instanceof Readable;
    const sub = execa(file, args, {
      shell: false,
      reject: false,
      detached: true,
      cleanup: false,
      buffer: false,
      stripFinalNewline: false,
      // No stdin means EOF at once, as over SSH: a command that reads stdin must not hang.
      ...(stdin === undefined
        ? { stdin: 'ignore' as const }
        : stdinIsStream
          ? { stdin: 'pipe' as const }
          : { input: stdin }),
    });
    if (sub.pid !== undefined) trackGroup(sub.pid);

    const out: Buffer[] = [];
    const err: Buffer[] = [];
    sub.stderr?.on('data', (c: Buffer) => err.push(c));
    let sinkDone: Promise<unknown> = Promise.resolve();
    let sinkError: unknown;
    let stdinError: unknown;
    if (stdoutSink && sub.stdout) {
      sinkDone = pipeline(sub.stdout, stdoutSink).catch((e: unknown) => {
        sinkError = e;
      });
    } else {
      sub.stdout?.on('data', (c: Buffer) => out.push(c));
    }
    if (stdinIsStream && sub.stdin) {
      const childStdin = sub.stdin;
      // EPIPE when the command exits without reading everything is its business,
      // reported by its exit code; a failing source is ours, and kills the command.
      childStdin.on('error', () => {});
      stdin.on('error', (e) => {
        stdinError = e;
        abandon();
      });
      stdin.pipe(childStdin);
    }

    let why: 'timeout' | 'aborted' | undefined;
    let forceTimer: NodeJS.Timeout | undefined;
    let releaseForced: () => void = () => {};
    // Settles once SIGKILL has been sent and given a moment, whether or not
    // execa has seen the streams close (a stray grandchild may hold them).
    const forced = new Promise<'forced'>((resolve) => {
      releaseForced = () => resolve('forced');
    });
    const abandon = (): void => {
      if (forceTimer || sub.pid === undefined) return;
      killGroup(sub.pid, 'SIGTERM');
      forceTimer = setTimeout(() => {
        if (sub.pid !== undefined) killGroup(sub.pid, 'SIGKILL');
        setTimeout(() => {
          sub.stdout?.destroy();
          sub.stderr?.destroy();
          releaseForced();
        }, 200).unref();
      }, KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      why ??= 'timeout';
      abandon();
    }, opts.timeoutMs);
    const onAbort = (): void => {
      why ??= 'aborted';
      abandon();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    try {
      const res = await Promise.race([sub, forced]);
      if (res !== 'forced') await Promise.race([sinkDone, forced]);
      const durationMs = Math.round(performance.now() - started);
      if (why === 'timeout') {
        throw this.error(
          'timeout',
          argv,
          true,
          `no exit after ${opts.timeoutMs} ms; killed it`,
          'it may have done part of its work: check its effect on this host before running it again',
        );
      }
      if (why === 'aborted') {
        throw this.error(
          'aborted',
          argv,
          true,
          'cancelled by the operator; killed it',
          'it may have done part of its work: check its effect on this host before running it again',
        );
      }
      if (stdinError !== undefined) {
        throw this.error(
          'aborted',
          argv,
          true,
          `its input stream failed (${String(stdinError)}); killed it`,
          "the source of the input failed; fix that, then check this command's effect before running it again",
          stdinError,
        );
      }
      if (res === 'forced') throw new Error('unreachable: forced without a reason');
      if (res.failed && res.exitCode === undefined && res.signal === undefined) {
        const notFound = res.code === 'ENOENT';
        throw this.error(
          'spawn-failed',
          argv,
          false,
          notFound ? `command not found: ${file}` : `could not start: ${res.originalMessage ?? res.message}`,
          notFound
            ? `install ${file} or check PATH on this host`
            : 'check permissions and resources (fds, memory) on this host',
          res.cause,
        );
      }
      let code = res.exitCode ?? 255;
      let stderr = Buffer.concat(err).toString('utf8');
      if (res.signal) {
        code = signalExitCode(res.signal);
        stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}[killed by signal ${res.signal}]\n`;
      }
      if (sinkError !== undefined) {
        // The output did not all arrive where it had to go: never report success.
        if (code === 0) code = 255;
        stderr += `[stdout could not be delivered: ${String(sinkError)}]\n`;
      }
      return { code, stdout: Buffer.concat(out).toString('utf8'), stderr, durationMs };
    } finally {
      clearTimeout(timer);
      if (forceTimer) clearTimeout(forceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (sub.pid !== undefined) liveGroups.delete(sub.pid);
    }
  }

  private error(
    kind: RemoteError['kind'],
    argv: readonly string[],
    mayHaveRun: boolean,
    message: string,
    hint: string,
    cause?: unknown,
  ): RemoteError {
    return new RemoteError({ kind, host: this.name, argv, mayHaveRun, message, hint, cause });
  }
}
