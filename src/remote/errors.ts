// Typed failures of the remote layer. Each says which host, which command, and
// whether the command may have run: the journal needs that to decide whether an
// action must be re-checked before anything is done again.
import { formatCommand } from '../values/shell-quote.js';

export type RemoteErrorKind =
  | 'timeout'
  | 'connection-lost'
  | 'unreachable'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'auth-failed'
  | 'aborted'
  | 'spawn-failed';

export class RemoteError extends Error {
  readonly kind: RemoteErrorKind;
  readonly host: string;
  readonly argv: readonly string[] | undefined;
  /** true: the command may have run in part or in full; false: it certainly did not start. */
  readonly mayHaveRun: boolean;
  /** What the operator should do next. */
  readonly hint: string;

  constructor(opts: {
    kind: RemoteErrorKind;
    host: string;
    argv?: readonly string[];
    mayHaveRun: boolean;
    message: string;
    hint: string;
    cause?: unknown;
  }) {
    const cmd = opts.argv ? `: ${formatCommand(opts.argv)}` : '';
    super(`${opts.host}${cmd}: ${opts.message}`, { cause: opts.cause });
    this.name = 'RemoteError';
    this.kind = opts.kind;
    this.host = opts.host;
    this.argv = opts.argv;
    this.mayHaveRun = opts.mayHaveRun;
    this.hint = opts.hint;
  }
}

export class HostKeyError extends RemoteError {
  readonly fingerprint: string;
  readonly keyType: string;
  constructor(opts: {
    host: string;
    status: 'unknown' | 'changed' | 'revoked';
    fingerprint: string;
    keyType: string;
    knownHostsPath: string;
  }) {
    const k = `${opts.keyType} ${opts.fingerprint}`;
    const compare = "compare the fingerprint on the host's console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub)";
    const text = {
      unknown: {
        message: `host key not known: ${k} is not in ${opts.knownHostsPath}`,
        hint: `run \`triton-recover ssh-setup\` (it shows the fingerprint; ${compare}) or add it by hand: ssh-keyscan ${opts.host} >> ${opts.knownHostsPath}`,
      },
      changed: {
        message: `host key CHANGED: ${k} does not match ${opts.knownHostsPath}`,
        hint: `a changed key can mean a reinstalled host or someone in the middle; ${compare} before fixing known_hosts`,
      },
      revoked: {
        message: `host key REVOKED: ${k} is marked @revoked in ${opts.knownHostsPath}`,
        hint: 'a revoked key is never accepted; find out why it was revoked before going near this host',
      },
    }[opts.status];
    super({ kind: `host-key-${opts.status}`, host: opts.host, mayHaveRun: false, ...text });
    this.name = 'HostKeyError';
    this.fingerprint = opts.fingerprint;
    this.keyType = opts.keyType;
  }
}

/** An HTTP call that produced no answer (refused, timed out, unreachable host). */
export class HttpError extends Error {
  readonly url: string;
  readonly method: string;
  readonly kind: 'timeout' | 'unreachable' | 'aborted';
  constructor(method: string, url: string, kind: HttpError['kind'], detail: string, cause?: unknown) {
    super(`${method} ${url}: ${kind === 'timeout' ? 'no answer in time' : detail}`, { cause });
    this.name = 'HttpError';
    this.method = method;
    this.url = url;
    this.kind = kind;
  }
}

/** Output of a tool or API did not have the shape we rely on. */
export class ParseError extends Error {
  readonly tool: string;
  readonly field: string;
  constructor(tool: string, field: string, detail: string) {
    super(`${tool}: unexpected output at ${field || '(top level)'}: ${detail}`);
    this.name = 'ParseError';
    this.tool = tool;
    this.field = field;
  }
}
