// What a simulated GZ command returns: its exit code and output.
export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
  /** How much longer than its latency the command takes (sdcadm waits for what it creates). */
  extraMs?: number;
}

export const ok = (stdout = '', stderr = ''): CmdResult => ({ code: 0, stdout, stderr });
/** A failure; stderr ends with a newline as a tool's message does. */
export const err = (code: number, stderr: string): CmdResult => ({
  code,
  stdout: '',
  stderr: stderr.endsWith('\n') ? stderr : `${stderr}\n`,
});
