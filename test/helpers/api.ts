/**
 * Talking to a running server in tests: principals (API token or session cookie with its CSRF token) and
 * a small client that answers status, parsed body and raw text.
 */
import { startServer, type RunningServer } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';

export type Principal = { token: string } | { cookie: string; csrf: string } | null;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export class Client {
  constructor(readonly base: string) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async call<T = any>(
    who: Principal,
    method: string,
    path: string,
    body?: unknown,
    options: { type?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (who && 'token' in who) headers.authorization = `Bearer ${who.token}`;
    if (who && 'cookie' in who) {
      headers.cookie = who.cookie;
      headers['x-csrf-token'] = who.csrf;
    }
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
      else payload = JSON.stringify(body);
      headers['content-type'] = options.type ?? 'application/json';
    }
    const r = await fetch(this.base + path, { method, headers, body: payload });
    const text = await r.text();
    let parsed: unknown = text;
    if ((r.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: r.status, body: parsed as T, text, headers: r.headers };
  }

  async login(username: string, password: string): Promise<{ cookie: string; csrf: string }> {
    const r = await this.call(null, 'POST', '/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    const set = r.headers.get('set-cookie') ?? '';
    return { cookie: set.split(';')[0]!, csrf: r.body.csrfToken };
  }
}

export async function testServer(store: Store): Promise<{ server: RunningServer; client: Client; bootstrap: { token: string } }> {
  const server = await startServer({ store, port: 0, demo: false, checkResponses: true, secureCookies: true, log: () => undefined });
  if (!server.bootstrapToken) throw new Error('expected a new database');
  return { server, client: new Client(server.url), bootstrap: { token: server.bootstrapToken } };
}
