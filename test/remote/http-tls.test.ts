// fetchTransport against a real HTTPS server with a throwaway self-signed
// certificate, as cloudapi has one: verification fails unless the one request
// says it accepts the zone's own certificate.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/remote/errors.js';
import { fetchTransport } from '../../src/remote/http.js';

const hasOpenssl = (await execa('openssl', ['version'], { reject: false }).catch(() => undefined))?.exitCode === 0;
const dir = mkdtempSync(join(tmpdir(), 'http-tls-'));
let server: Server | undefined;
let base = '';

beforeAll(async () => {
  if (!hasOpenssl) return;
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      // /hang never answers: the timeout must still hold on this path.
      if (req.url === '/hang') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ping: 'pong', method: req.method, body }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasOpenssl)('fetchTransport and a self-signed certificate', () => {
  it('fails verification by default, the way the simulator says it does', async () => {
    const err = await fetchTransport({ method: 'GET', url: `${base}/--ping`, timeoutMs: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('unreachable');
    expect((err as HttpError).message).toContain('self-signed certificate');
    expect(((err as HttpError).cause as Error & { cause: { code: string } }).cause.code).toBe(
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    );
  });

  it('answers when the request accepts the self-signed certificate, and only that request', async () => {
    const r = await fetchTransport({
      method: 'GET',
      url: `${base}/--ping`,
      timeoutMs: 5_000,
      tls: 'accept-self-signed',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ping: 'pong', method: 'GET' });
    const posted = await fetchTransport({
      method: 'POST',
      url: `${base}/x`,
      body: { a: 1 },
      timeoutMs: 5_000,
      tls: 'accept-self-signed',
    });
    expect(JSON.parse(posted.body)).toMatchObject({ method: 'POST', body: '{"a":1}' });
    // Nothing global changed: the next request without the option verifies again.
    const again = await fetchTransport({ method: 'GET', url: `${base}/--ping`, timeoutMs: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect((again as HttpError).message).toContain('self-signed certificate');
  });

  it('keeps the timeout on the accepting path', async () => {
    const err = await fetchTransport({
      method: 'GET',
      url: `${base}/hang`,
      timeoutMs: 300,
      tls: 'accept-self-signed',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).kind).toBe('timeout');
  });
});
