// One HTTPS request that does not verify the server's certificate, for a zone
// that serves its own self-signed one (cloudapi). Node's global fetch cannot
// take a per-request TLS option without the undici package, so this goes
// through node:https; the agent is per request, so nothing else is affected.
import { request } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { HttpRequest, HttpResponse } from './http-types.js';

const HEADERS = { accept: 'application/json', 'accept-version': '*' };

/** Resolves with any status; rejects with the socket's error (the caller maps it). */
export function httpsAcceptingSelfSigned(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> =
    body === undefined
      ? { ...HEADERS }
      : { ...HEADERS, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  return new Promise<HttpResponse>((resolve, reject) => {
    const r = request(
      req.url,
      { method: req.method, headers, signal, agent: false, rejectUnauthorized: false },
      (res) => {
        const status = res.statusCode ?? 0;
        if (req.bodySink && status >= 200 && status < 300) {
          pipeline(res, req.bodySink).then(() => resolve({ status, body: '' }), reject);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('connection closed before the whole answer came'));
        });
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}
