// An expecting fake of one GZ and the APIs (in the shape of lazygit's
// FakeCmdObjRunner): each test lists the commands and HTTP calls it expects,
// in order, with their replies. A call nobody expected, or one expected but
// never made, fails the test, so a test pins exactly what an action runs on a
// rerun (prepare) and a first run (execute), and nothing more.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { expect } from 'vitest';
import type { Coordination } from '../../src/remote/coordination.js';
import type { Dc } from '../../src/remote/dc.js';
import type { Host, RunOptions, RunResult } from '../../src/remote/host.js';
import type { HttpRequest, HttpResponse } from '../../src/remote/http.js';

type Reply<T> = Partial<T> | Error;

type Expectation =
  | { kind: 'run'; argv: readonly string[]; reply: Reply<RunResult>; stdin?: string }
  | { kind: 'http'; method: string; url: string; reply: Reply<HttpResponse>; body?: unknown };

export interface SeenCall {
  kind: 'run' | 'http';
  what: string;
  /** stdin text (run) or the request body (http), as received. */
  input?: unknown;
}

function describe(e: Expectation): string {
  return e.kind === 'run' ? e.argv.join(' ') : `${e.method} ${e.url}`;
}

async function stdinText(s: RunOptions['stdin']): Promise<string | undefined> {
  if (s === undefined) return undefined;
  if (typeof s === 'string') return s;
  if (s instanceof Uint8Array) return Buffer.from(s).toString('utf8');
  return text(s as Readable);
}

/** A DC without binder: the lock can be neither taken nor read. */
export const NO_BINDER: Coordination = {
  where: 'no binder (test)',
  take: async () => ({ kind: 'unavailable', reason: 'this test DC has no binder' }),
  holder: async () => ({ kind: 'unavailable', reason: 'this test DC has no binder' }),
};

export class FakeDc implements Dc {
  readonly label = 'fake';
  readonly simulated = true;
  readonly restoreDataDir = '/nonexistent/restore-data';
  readonly seen: SeenCall[] = [];
  readonly unexpected: string[] = [];
  private readonly queue: Expectation[] = [];
  readonly local: Host;

  /** No binder here: a test that reaches the DC-wide lock sees it unavailable. */
  coordination(): Coordination {
    return NO_BINDER;
  }

  constructor(hostname = 'headnode1') {
    const run = (argv: readonly string[], opts: RunOptions) => this.run(argv, opts);
    this.local = { name: hostname, run, close: async () => {} };
  }

  /** The next command run in the GZ is `argv`; it answers with `reply` (code 0 and empty output by default). */
  expectRun(argv: readonly string[], reply: Reply<RunResult> = {}, stdin?: string): this {
    this.queue.push({ kind: 'run', argv, reply, ...(stdin !== undefined ? { stdin } : {}) });
    return this;
  }

  /** The next HTTP call is `method url`; it answers with `reply` (200 and '' by default). */
  expectHttp(method: string, url: string, reply: Reply<HttpResponse> = {}, body?: unknown): this {
    this.queue.push({ kind: 'http', method, url, reply, ...(body !== undefined ? { body } : {}) });
    return this;
  }

  peer(hostname: string): Host {
    throw new Error(`unexpected SSH to ${hostname}`);
  }

  readonly http = async (req: HttpRequest): Promise<HttpResponse> => {
    const what = `${req.method} ${req.url}`;
    this.seen.push({ kind: 'http', what, ...(req.body !== undefined ? { input: req.body } : {}) });
    const e = this.take(what);
    if (e.kind !== 'http') throw new Error(`expected ${describe(e)}, got ${what}`);
    if (e.body !== undefined) expect(req.body, `body of ${what}`).toEqual(e.body);
    if (e.reply instanceof Error) throw e.reply;
    return { status: 200, body: '', ...e.reply };
  };

  async close(): Promise<void> {}

  /** Fails when an expected call was never made, or an unexpected one was. */
  verify(): void {
    expect(this.unexpected, 'calls nobody expected').toEqual([]);
    expect(this.queue.map(describe), 'expected calls never made').toEqual([]);
  }

  private async run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
    const what = argv.join(' ');
    const input = await stdinText(opts.stdin);
    this.seen.push({ kind: 'run', what, ...(input !== undefined ? { input } : {}) });
    const e = this.take(what);
    if (e.kind !== 'run') throw new Error(`expected ${describe(e)}, got ${what}`);
    if (e.stdin !== undefined) expect(input, `stdin of ${what}`).toBe(e.stdin);
    if (e.reply instanceof Error) throw e.reply;
    return { code: 0, stdout: '', stderr: '', durationMs: 1, ...e.reply };
  }

  /** The first expectation, which must be this call; a mismatch is recorded, since the code under test may swallow the throw. */
  private take(what: string): Expectation {
    const e = this.queue[0];
    if (!e || describe(e) !== what) {
      this.unexpected.push(e ? `${what} (expected ${describe(e)})` : what);
      throw new Error(`unexpected call: ${what}${e ? `; expected ${describe(e)}` : ''}`);
    }
    this.queue.shift();
    return e;
  }
}
