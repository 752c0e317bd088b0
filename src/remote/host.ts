// The one way the console reaches a machine: run an argv, get exit code and output.
// A non-zero exit is a result, not an exception; exceptions are for "we could not
// find out what happened" (timeout, lost connection, host-key refusal, ...).
import type { Readable, Writable } from 'node:stream';

export interface RunOptions {
  /** Bytes or text fed to the command's stdin; a stream for large inputs (zfs recv). */
  stdin?: string | Uint8Array | Readable;
  /** The command is abandoned (and killed where possible) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** When set, stdout is piped here (binary, e.g. zfs send) and RunResult.stdout is ''. */
  stdoutSink?: Writable;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface Host {
  /** Hostname as the operator knows it (headnode1), used in every message. */
  readonly name: string;
  run(argv: readonly string[], opts: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

/** Shown to operators: "headnode1$ vmadm get 1234" style, quoted so it can be pasted. */
export { formatCommand } from '../values/shell-quote.js';
