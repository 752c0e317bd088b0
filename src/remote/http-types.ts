// The shape of one HTTP call to a core API, and of the transport that makes it
// (global fetch against a real DC, the simulator in-process).
import type { Writable } from 'node:stream';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Binary downloads (image files): a 2xx body is piped here and the sink
   * ended; HttpResponse.body is then ''. Other statuses leave the sink alone.
   */
  bodySink?: Writable;
  /**
   * 'accept-self-signed': this one request skips certificate verification, for
   * a zone that serves HTTPS with its own self-signed certificate (cloudapi's
   * health check, as sdcadm does it). Every other request verifies.
   */
  tls?: 'accept-self-signed';
}

export interface HttpResponse {
  status: number;
  /** Raw body text; the clients parse it through their schemas. */
  body: string;
}

/** Resolves with any status (4xx/5xx included); rejects with HttpError when no answer came. */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;
