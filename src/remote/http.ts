// HTTP to the core APIs, through an injectable transport: global fetch against a
// real DC, the simulator in-process for drills and tests.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { HttpError } from './errors.js';
import { httpsAcceptingSelfSigned } from './https-self-signed.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-types.js';

export type { HttpMethod, HttpRequest, HttpResponse, HttpTransport } from './http-types.js';

export const fetchTransport: HttpTransport = async (req) => {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    if (req.tls === 'accept-self-signed' && new URL(req.url).protocol === 'https:')
      return await httpsAcceptingSelfSigned(req, signal);
    return await viaFetch(req, signal);
  } catch (err) {
    if (timeout.aborted) throw new HttpError(req.method, req.url, 'timeout', 'timed out', err);
    if (req.signal?.aborted) throw new HttpError(req.method, req.url, 'aborted', 'aborted', err);
    // fetch wraps the socket's error ("fetch failed", cause: the real one); node:https gives it directly.
    const cause =
      err instanceof Error && err.cause instanceof Error
        ? err.cause.message
        : err instanceof Error
          ? err.message
          : String(err);
    throw new HttpError(req.method, req.url, 'unreachable', cause, err);
  }
};

async function viaFetch(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  const init: RequestInit = {
    method: req.method,
    signal,
    headers: { accept: 'application/json', 'accept-version': '*' },
  };
  if (req.body !== undefined) {
    init.body = JSON.stringify(req.body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(req.url, init);
  if (req.bodySink && res.ok && res.body) {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), req.bodySink);
    return { status: res.status, body: '' };
  }
  return { status: res.status, body: await res.text() };
}
