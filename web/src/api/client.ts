/**
 * The typed API client: paths and shapes come from the server's OpenAPI document
 * (`npm run api:types` regenerates schema.d.ts; a test fails when it is stale).
 * Session cookie auth; every change carries the CSRF token the login answered.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** An API answer other than 2xx, with the server's error code, message and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

interface ErrorLike {
  error?: { code?: string; message?: string; requestId?: string };
}

/** The data of an answer, or an ApiError. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.response.ok && r.data !== undefined) return r.data;
  const body = (r.error ?? {}) as ErrorLike;
  throw new ApiError(r.response.status, body.error?.code ?? 'http_' + r.response.status, body.error?.message ?? r.response.statusText, body.error?.requestId);
}

/** A file answer (goAML / FinCEN XML, attachments) saved by the browser under its server-given name. */
export async function download(url: string, fallbackName: string): Promise<{ name: string; bytes: number }> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = (await res.json()) as ErrorLike;
      message = body.error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, 'http_' + res.status, message);
  }
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return { name, bytes: blob.size };
}

/** The JSON body of a route's 200 answer. */
export type Json<P extends keyof paths, M extends 'get' | 'post' | 'patch' = 'get'> = paths[P][M] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type Alert = Json<'/api/alerts/{id}', 'get'>;
export type AlertPage = Json<'/api/alerts', 'get'>;
export type Case = Json<'/api/cases/{id}', 'get'>;
export type Me = Json<'/api/auth/me', 'get'>;
export type Transaction = Json<'/api/transactions/{id}', 'get'>;
export type Tlp = Alert['tlp'];

/** Send a file as the raw body (case attachments), with the CSRF token. */
export async function upload<T>(url: string, file: Blob, mediaType: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'x-attachment-type': mediaType || 'application/octet-stream' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { method: 'POST', body: file, headers, credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({}))) as ErrorLike & T;
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? 'http_' + res.status, body.error?.message ?? res.statusText, body.error?.requestId);
  return body;
}
