// A recording fake of one host's global zone, for the tests of the GZ tool
// clients (test/triton): it answers each run with canned results and keeps
// every argv with its run options, so a test pins the exact argv, stdin,
// timeout and signal a client passes. (The expecting fake of a whole DC,
// for the procedures, is fake-dc.ts.)
import type { Host, RunOptions, RunResult } from '../../src/remote/host.js';

export interface RecordedRun {
  argv: readonly string[];
  opts: RunOptions;
}

/** Records every run; answers with the canned results in order (the last one repeats; none: exit 0, no output). */
export class FakeHost implements Host {
  readonly name = 'headnode2';
  readonly calls: RecordedRun[] = [];
  private readonly replies: Partial<RunResult>[];

  constructor(...replies: Partial<RunResult>[]) {
    this.replies = replies.length > 0 ? replies : [{}];
  }

  async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    this.calls.push({ argv: [...argv], opts });
    const r = this.replies[Math.min(this.calls.length - 1, this.replies.length - 1)]!;
    return { code: 0, stdout: '', stderr: '', durationMs: 5, ...r };
  }

  async close(): Promise<void> {}

  /** The argv of the first run. */
  get argv(): readonly string[] {
    return this.calls[0]!.argv;
  }
}
