// How SshHost learns the remote pid of a command, so it can kill it.
//
// OpenSSH cannot be asked to: for a root login the session runs in the
// privileged monitor (sshd.c privsep_postauth skips the unprivileged child for
// uid 0), and session.c session_signal_req then refuses every "signal" request
// ("session signalling requires privilege separation"). Closing the channel does
// not stop a command without a tty either (session_close_by_channel: "has child",
// it keeps running). We log in as root, so a timed-out `zfs send` would run on.
//
// The command is therefore sent as `echo <nonce> $$ >&2; exec <command>`: the
// shell prints its pid on stderr, then becomes the command. sshd made that shell
// a session leader (setsid in do_exec_no_pty), so the pid is also the process
// group, and `kill -9 -<pid>` on the same connection stops it and its children.

/** The exec string that reports the pid first; `command` is already quoted. */
export function wrapWithPid(command: string, nonce: string): string {
  return `echo ${nonce} $$ >&2; exec ${command}`;
}

const WRAPPED = /^echo ([0-9a-f]+) \$\$ >&2; exec (.*)$/s;

/** The simulator's sshd runs the command itself, without a shell: it takes the wrapper apart. */
export function pidRequest(command: string): { nonce: string; command: string } | undefined {
  const m = WRAPPED.exec(command);
  return m ? { nonce: m[1]!, command: m[2]! } : undefined;
}

export function unwrapPid(command: string): string {
  return pidRequest(command)?.command ?? command;
}

/** `kill` in the login shell (bash on SmartOS, a builtin there): the whole process group. */
export function killGroupCommand(pid: number): string {
  return `kill -9 -${pid}`;
}

/** The pid a killGroupCommand names, read back from its argv. */
export function killGroupTarget(argv: readonly string[]): number | undefined {
  return argv.length === 3 && argv[0] === 'kill' && argv[1] === '-9' && /^-[0-9]+$/.test(argv[2]!)
    ? Number(argv[2]!.slice(1))
    : undefined;
}

/**
 * Takes the first stderr line off when it is our `<nonce> <pid>` line; anything
 * else (a shell that printed first, a command whose stderr came through some
 * other way) is passed on untouched and the pid stays unknown.
 */
export class PidLine {
  pid: number | undefined;
  private head: Buffer | null = Buffer.alloc(0);

  constructor(private readonly nonce: string) {}

  /** Returns the bytes that belong to the command's own stderr. */
  feed(chunk: Buffer): Buffer {
    if (this.head === null) return chunk;
    const buf = Buffer.concat([this.head, chunk]);
    const nl = buf.indexOf(0x0a);
    const expect = `${this.nonce} `;
    const prefix = buf.subarray(0, Math.min(buf.length, expect.length)).toString('latin1');
    if (!expect.startsWith(prefix)) return this.give(buf);
    if (nl < 0) {
      // The line is still arriving; a pid line is short, so anything longer is not ours.
      if (buf.length > 64) return this.give(buf);
      this.head = buf;
      return Buffer.alloc(0);
    }
    const m = /^[0-9a-f]+ ([0-9]+)$/.exec(buf.subarray(0, nl).toString('latin1'));
    if (!m) return this.give(buf);
    this.pid = Number(m[1]);
    this.head = null;
    return buf.subarray(nl + 1);
  }

  /** What is held back when the stream ends without a full line. */
  rest(): Buffer {
    const h = this.head ?? Buffer.alloc(0);
    this.head = null;
    return h;
  }

  private give(buf: Buffer): Buffer {
    this.head = null;
    return buf;
  }
}
