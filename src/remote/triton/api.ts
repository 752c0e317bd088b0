// Shared plumbing of the HTTP clients: URL building, status handling, and
// parsing through a schema with errors that name the API and the path.
import type { z } from 'zod';
import type { HttpMethod, HttpRequest, HttpTransport } from '../http.js';
import { parseJson } from './parse.js';

export const API_TIMEOUT_MS = 30_000;

/** Options of every client factory. */
export interface ApiClientOptions {
  transport: HttpTransport;
  /** http://10.99.99.18 (no trailing path); the service's admin IP or DNS name. */
  baseUrl: string;
  /** Default for every call of this client (API_TIMEOUT_MS when not given). */
  timeoutMs?: number;
}

export interface ApiCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type QueryValue = string | number | boolean | undefined;

/** A non-2xx answer. message/code come from the restify error body when it is JSON. */
export class ApiError extends Error {
  readonly service: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly status: number;
  readonly restCode: string | undefined;
  readonly apiMessage: string | undefined;
  readonly body: string;
  constructor(service: string, method: HttpMethod, url: string, status: number, body: string) {
    const { code, message } = errorBody(body);
    const what = [code, message].filter((s) => s !== undefined).join(': ');
    super(`${service} ${method} ${url}: HTTP ${status}${what ? ` ${what}` : ''}`);
    this.name = 'ApiError';
    this.service = service;
    this.method = method;
    this.url = url;
    this.status = status;
    this.restCode = code;
    this.apiMessage = message;
    this.body = body;
  }
}

function errorBody(body: string): { code?: string; message?: string } {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null) return {};
    const rec = v as Record<string, unknown>;
    const out: { code?: string; message?: string } = {};
    if (typeof rec.code === 'string') out.code = rec.code;
    if (typeof rec.message === 'string') out.message = rec.message;
    return out;
  } catch {
    return {};
  }
}

/** '/servers' + {headnode: true} -> '/servers?headnode=true'; undefined values are left out. */
export function buildPath(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) qs.append(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** One path segment (a uuid, an IP, a MAC), encoded. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export interface ApiRequest<S extends z.ZodType> {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
}

export interface ApiCaller {
  readonly service: string;
  /** Parsed 2xx body; ApiError otherwise. */
  call<S extends z.ZodType>(req: ApiRequest<S>, opts?: ApiCallOptions): Promise<z.output<S>>;
  /** Like call, but a 404 is null (get-one calls). */
  callOrNull<S extends z.ZodType>(req: ApiRequest<S>, opts?: ApiCallOptions): Promise<z.output<S> | null>;
  /** A call whose body we do not read (DELETE). true: done; false: 404, nothing to delete. */
  callNoBody(req: Omit<ApiRequest<z.ZodType>, 'schema'>, opts?: ApiCallOptions): Promise<boolean>;
}

export function createApiCaller(service: string, client: ApiClientOptions): ApiCaller {
  const base = client.baseUrl.replace(/\/+$/, '');
  const defaultTimeout = client.timeoutMs ?? API_TIMEOUT_MS;

  async function send(
    req: Omit<ApiRequest<z.ZodType>, 'schema'>,
    opts: ApiCallOptions,
  ): Promise<{ status: number; body: string; url: string }> {
    const url = base + buildPath(req.path, req.query);
    const httpReq: HttpRequest = {
      method: req.method,
      url,
      timeoutMs: opts.timeoutMs ?? defaultTimeout,
    };
    if (req.body !== undefined) httpReq.body = req.body;
    if (opts.signal) httpReq.signal = opts.signal;
    const res = await client.transport(httpReq);
    return { status: res.status, body: res.body, url };
  }

  const ok = (status: number): boolean => status >= 200 && status < 300;
  const tool = (method: HttpMethod, path: string): string => `${service} ${method} ${path}`;

  return {
    service,
    async call(req, opts = {}) {
      const res = await send(req, opts);
      if (!ok(res.status)) throw new ApiError(service, req.method, res.url, res.status, res.body);
      return parseJson(tool(req.method, req.path), req.schema, res.body);
    },
    async callOrNull(req, opts = {}) {
      const res = await send(req, opts);
      if (res.status === 404) return null;
      if (!ok(res.status)) throw new ApiError(service, req.method, res.url, res.status, res.body);
      return parseJson(tool(req.method, req.path), req.schema, res.body);
    },
    async callNoBody(req, opts = {}) {
      const res = await send(req, opts);
      if (res.status === 404) return false;
      if (!ok(res.status)) throw new ApiError(service, req.method, res.url, res.status, res.body);
      return true;
    },
  };
}
