// What a simulated GZ command returns: its exit code and output.
export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
  /** How much longer than its latency the command takes (sdcadm waits for what it creates). */
  extraMs?: number;
}
