// Running GZ tools: a non-zero exit that is not an answer the caller expects is
// a CommandFailedError carrying host, argv, code and stderr, so the operator
// sees which command failed where and why.
import type { z } from 'zod';
import type { Host, RunOptions, RunResult } from '../host.js';
import { formatCommand } from '../../values/shell-quote.js';

/** Options every client function takes; timeoutMs falls back to a per-command default. */
export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Quick read-only commands (sysinfo, vmadm get, zfs list, svcs ...). */
export const QUICK_TIMEOUT_MS = 30_000;

/** First non-empty line of a text, trimmed; '' when there is none. */
export function firstLine(text: string): string {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '') return t;
  }
  return '';
}

/** Last non-empty line: tools like vmadm print their final error there. */
export function lastLine(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i]!.trim();
    if (t !== '') return t;
  }
  return '';
}

export class CommandFailedError extends Error {
  readonly host: string;
  readonly argv: readonly string[];
  readonly code: number;
  readonly stderr: string;
  constructor(host: string, argv: readonly string[], code: number, stderr: string) {
    const why = firstLine(stderr) || '(no error output)';
    super(`${host}: ${formatCommand(argv)} exited ${code}: ${why}`);
    this.name = 'CommandFailedError';
    this.host = host;
    this.argv = argv;
    this.code = code;
    this.stderr = stderr;
  }
}

/** RunOptions from CallOptions plus the command's default timeout. */
export function runOptions(opts: CallOptions, defaultTimeoutMs: number, stdin?: RunOptions['stdin']): RunOptions {
  const out: RunOptions = { timeoutMs: opts.timeoutMs ?? defaultTimeoutMs };
  if (opts.signal) out.signal = opts.signal;
  if (stdin !== undefined) out.stdin = stdin;
  return out;
}

/** Run and require exit 0. */
export async function runChecked(host: Host, argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  const res = await host.run(argv, opts);
  if (res.code !== 0) throw new CommandFailedError(host.name, argv, res.code, res.stderr);
  return res;
}

/**
 * Validate a value before it goes into an argv. A failure is a programming or
 * input error on our side, so it is a plain Error naming what was refused.
 */
export function checkArg(schema: z.ZodType<string>, value: string, what: string): string {
  const res = schema.safeParse(value);
  if (!res.success) {
    throw new Error(`refusing ${what} ${JSON.stringify(value)}: ${res.error.issues[0]?.message ?? 'invalid'}`);
  }
  return res.data;
}
