// What a simulated API call answers: a status and a JSON body, and the
// bodies the APIs share (restify's ResourceNotFound, ServiceUnavailableError).

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export const json = (status: number, body: unknown): ApiAnswer => ({ status, body });
export const notFound = (what: string): ApiAnswer =>
  json(404, { code: 'ResourceNotFound', message: `${what} not found` });
export const unavailable = (svc: string, dep: string): ApiAnswer =>
  json(503, { code: 'ServiceUnavailableError', message: `${svc}: ${dep} is not available` });
