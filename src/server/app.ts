/**
 * The HTTP application: Fastify with the routes of ./routes, one error body, body limits per route,
 * authentication and permission checks from each route's declaration, the OpenAPI document, health and
 * readiness, and a hook to serve the web app's static files.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RulesConfig } from '../detect/index.js';
import { can } from '../cases/access.js';
import type { Store } from '../store/index.js';
import { Authenticator, CSRF_HEADER, type Principal } from './auth.js';
import { ApiError, forbidden, unauthenticated, zodDetails, type ErrorBody } from './errors.js';
import { Monitor } from './monitor.js';
import { openApiDocument, type AnyRoute } from './route.js';
import { allRoutes } from './routes/index.js';

export interface ServerOptions {
  store: Store;
  rules?: RulesConfig;
  /** Directory of the web app's built files, served for GET requests outside /api (single-page app fallback to index.html). */
  webRoot?: string;
  /** Set the Secure flag on session cookies (default true; browsers accept it on http://localhost). */
  secureCookies?: boolean;
  /** Check every JSON response against its route's schema (tests; costs time). */
  checkResponses?: boolean;
  /** Log requests (pino, JSON lines on stdout). */
  logger?: boolean;
  /** Trust X-Forwarded-For from a reverse proxy for the client address. */
  trustProxy?: boolean;
  clock?: () => number;
  version?: string;
}

export interface AppContext {
  store: Store;
  monitor: Monitor;
  auth: Authenticator;
  clock: () => number;
  secureCookies: boolean;
}

export const DEFAULT_BODY_LIMIT = 1 << 20;

/**
 * The web app may load only its own code and talk only to this server; graph layout runs in a blob: worker,
 * charts and graph exports draw to canvases and data:/blob: images; nothing may frame it.
 */
const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function errorBody(req: FastifyRequest, code: string, message: string, details?: { path: string; message: string }[]): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}), requestId: String(req.id) } };
}

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
};

export async function buildApp(options: ServerOptions): Promise<{ app: FastifyInstance; context: AppContext; routes: readonly AnyRoute[] }> {
  const clock = options.clock ?? Date.now;
  const inv = options.store.investigation;
  const context: AppContext = {
    store: options.store,
    monitor: new Monitor(inv, { rules: options.rules, clock }),
    auth: new Authenticator(inv, clock),
    clock,
    secureCookies: options.secureCookies ?? true,
  };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // JSON is parsed by Fastify (prototype-poisoning safe); XML and binary arrive raw for the route to read.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(errorBody(req, err.code, err.message, err.details));
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(req, known[1], err.message));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send(errorBody(req, 'invalid_request', err.message));
    req.log.error({ err }, 'internal error');
    return reply.code(500).send(errorBody(req, 'internal', 'internal error; the request id identifies it in the server log'));
  });

  const routes = allRoutes(context);
  const doc = openApiDocument(routes, { title: 'Rastro', version: options.version ?? '0.1.0' });
  app.get('/api/openapi.json', async () => doc);

  for (const r of routes) registerRoute(app, r, context, options.checkResponses ?? false);

  if (options.webRoot) serveStatic(app, resolve(options.webRoot));

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody(req, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });

  app.addHook('onClose', async () => {
    await context.monitor.close();
  });
  return { app, context, routes };
}

function registerRoute(app: FastifyInstance, r: AnyRoute, context: AppContext, checkResponses: boolean): void {
  const unsafe = r.method !== 'GET';
  app.route({
    method: r.method,
    url: r.url,
    bodyLimit: r.bodyLimit ?? DEFAULT_BODY_LIMIT,
    handler: async (req: FastifyRequest, reply: FastifyReply) => {
      let principal: Principal | undefined;
      if (r.access !== 'public') {
        const auth = req.headers.authorization;
        principal = await context.auth.authenticate(auth, auth === undefined ? req.headers.cookie : undefined, req.ip);
        if (!principal) throw unauthenticated(auth === undefined ? 'sign in or send an API token' : 'the API token is not valid');
        if (principal.via === 'session' && unsafe && req.headers[CSRF_HEADER] !== principal.csrf) {
          throw new ApiError(403, 'csrf', `cookie-authenticated changes need the ${CSRF_HEADER} header from the login answer`);
        }
        if (r.access !== 'authenticated' && !can(principal.viewer.role, r.access)) throw forbidden(`the ${principal.viewer.role} role does not allow ${r.access}`);
      }
      const params = parse('params', r.params, req.params);
      const query = parse('query', r.query, req.query);
      let body: unknown = req.body;
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const raw = r.accepts?.includes(type) ?? false;
      if (r.body && !raw && !r.rawBody) {
        if (body === undefined) throw new ApiError(r.accepts ? 415 : 400, r.accepts ? 'unsupported_media_type' : 'invalid_request', `a body is required (${['application/json', ...(r.accepts ?? [])].join(' or ')})`);
        body = parse('body', r.body, body);
      } else if (!r.body && !raw && r.accepts && body !== undefined) {
        throw new ApiError(415, 'unsupported_media_type', `send ${r.accepts.join(' or ')}`);
      }
      const result = await r.handler({ params, query, body, viewer: principal?.viewer as never, principal, req, reply });
      if (reply.sent) return reply;
      reply.code(r.status ?? 200);
      if (r.produces) {
        reply.type(r.produces);
        return reply.send(result);
      }
      if (checkResponses) {
        const checked = r.response.safeParse(result);
        if (!checked.success) throw new Error(`response of ${r.method} ${r.url} breaks its schema: ${JSON.stringify(zodDetails('response', checked.error))}`);
      }
      reply.type('application/json; charset=utf-8');
      return reply.send(JSON.stringify(result));
    },
  });
}

function parse<T>(where: string, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new ApiError(400, 'invalid_request', `invalid ${where}`, zodDetails(where, r.error));
  return r.data;
}

/** The static-files hook for the web app: files under `root`, never outside it; unknown paths get index.html. */
function serveStatic(app: FastifyInstance, root: string): void {
  app.get('/*', async (req, reply) => {
    const path = decodeURIComponent(req.url.split('?')[0]!);
    if (path.startsWith('/api/')) throw new ApiError(404, 'not_found', `no route GET ${path}`);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) throw new ApiError(404, 'not_found', 'not found');
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) {
      file = join(root, 'index.html');
      info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new ApiError(404, 'not_found', 'not found');
    }
    reply.header('content-type', MEDIA_TYPES[extname(file)] ?? 'application/octet-stream');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', WEB_CSP);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    // hashed build assets never change; the page itself is always fetched fresh
    reply.header('cache-control', file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.send(createReadStream(file));
  });
}
