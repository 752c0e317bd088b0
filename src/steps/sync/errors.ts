// A sync failure said the way an operator needs it: what failed, on which host,
// the command (or HTTP call), and what to do next. Every error a sync step can
// meet is turned into one of these before it reaches synced.json.
import { HttpError, ParseError, RemoteError } from '../../remote/errors.js';
import { formatCommand } from '../../values/shell-quote.js';
import { ApiError } from '../../remote/triton/api.js';
import { CommandFailedError } from '../../remote/triton/command.js';

export class SyncStepError extends Error {
  constructor(
    readonly host: string,
    /** The command line or HTTP call that failed. */
    readonly command: string,
    readonly detail: string,
    readonly next: string,
    /** The source host did not answer at all: its other work is not tried again this run. */
    readonly hostDown = false,
  ) {
    super(`${host}: ${command}: ${detail}`);
    this.name = 'SyncStepError';
  }
}

/** The disk floor: a write would leave less free space than allowed. */
export class DiskFloorError extends Error {
  constructor(
    readonly what: string,
    readonly needBytes: number,
    readonly freeBytes: number,
    readonly floorBytes: number,
  ) {
    const mb = (n: number): string => `${Math.floor(n / 1048576)} MiB`;
    super(
      `refusing to write ${what} (about ${mb(needBytes)}): ${mb(freeBytes)} free, and the floor is ${mb(floorBytes)}`,
    );
    this.name = 'DiskFloorError';
  }
}

const STREAM_HINT =
  'check the source host and its zfs (zfs list -t snapshot there), then let the next sync run; the data held here is unchanged';

/** Any error of a step, as a SyncStepError (host and command as best known). */
export function asStepError(err: unknown, host: string, argv: readonly string[] | string): SyncStepError {
  const command = typeof argv === 'string' ? argv : formatCommand(argv);
  if (err instanceof SyncStepError) return err;
  if (err instanceof DiskFloorError) {
    return new SyncStepError(
      host,
      command,
      err.message,
      'free space on the restore-data filesystem (or lower --min-free-mb), then sync again',
    );
  }
  if (err instanceof RemoteError) {
    const down = err.kind === 'unreachable' || err.kind.startsWith('host-key') || err.kind === 'auth-failed';
    const cmd = err.argv ? formatCommand(err.argv) : command;
    const prefix = `${err.host}${err.argv ? `: ${cmd}` : ''}: `;
    const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return new SyncStepError(err.host, cmd, detail, err.hint, down);
  }
  if (err instanceof CommandFailedError) {
    return new SyncStepError(
      err.host,
      formatCommand(err.argv),
      `exited ${err.code}: ${err.stderr.trim().split('\n')[0] || '(no error output)'}`,
      STREAM_HINT,
    );
  }
  if (err instanceof ApiError) {
    return new SyncStepError(
      host,
      `${err.method} ${err.url}`,
      `HTTP ${err.status}${err.apiMessage ? ` ${err.apiMessage}` : ''}`,
      `is ${err.service} healthy? (sdcadm check-health, or its /ping)`,
    );
  }
  if (err instanceof HttpError) {
    return new SyncStepError(
      host,
      `${err.method} ${err.url}`,
      err.kind === 'timeout' ? 'no answer in time' : err.message,
      'is that API zone running and reachable from this headnode?',
    );
  }
  if (err instanceof ParseError)
    return new SyncStepError(
      host,
      command,
      err.message,
      'the tool or API answered in an unexpected format: report it with this output',
    );
  return new SyncStepError(
    host,
    command,
    err instanceof Error ? err.message : String(err),
    'read the error above; the data held here is unchanged',
  );
}

/** "headnode0: zfs send ...: no answer (next: ...)": the text synced.json keeps. */
export function errorText(e: SyncStepError): string {
  return `${e.message} (next: ${e.next})`;
}
