/**
 * A route declares what it accepts and returns as zod schemas, and who may call it. The same declaration
 * validates requests, types the handler, is checked against responses in tests, and becomes the OpenAPI
 * document (`/api/openapi.json`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Viewer } from '../model/index.js';
import type { Permission } from '../cases/access.js';
import { ErrorBody } from './errors.js';
import type { Principal } from './auth.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call: anyone, any signed-in principal, or holders of a permission. */
export type Access = 'public' | 'authenticated' | Permission;

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Set unless the route is public. */
  viewer: Viewer;
  principal: Principal | undefined;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: Method;
  /** Fastify path, e.g. `/api/cases/:id`. */
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** JSON body schema (validated unless `rawBody`). */
  body?: z.ZodType<B>;
  /** Other request media types accepted (the handler reads them from the raw body). */
  accepts?: readonly string[];
  /** The handler validates the body itself (it picks the schema by content). */
  rawBody?: boolean;
  /** Request body limit in bytes (default 1 MiB). */
  bodyLimit?: number;
  response: z.ZodType<R>;
  /** Status of a success (default 200). */
  status?: number;
  /** Non-JSON success body, e.g. `application/xml`; the handler returns the text or bytes. */
  produces?: string;
  /** Error statuses the route can answer besides the common ones. */
  errors?: readonly number[];
  handler(ctx: HandlerContext<P, Q, B>): Promise<R>;
}

export function route<P, Q, B, R>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  return spec;
}

export type AnyRoute = RouteSpec<any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (details name each field)',
  401: 'Not signed in, or the token is invalid',
  403: 'The role does not allow this',
  404: 'Not found, or not visible to this agency',
  409: 'Conflicts with the current state',
  413: 'Body larger than the route allows',
  415: 'Unsupported media type',
  422: 'The export does not validate against its schema',
  503: 'Busy or not ready; retry later',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The OpenAPI 3.0 document of a set of routes. */
export function openApiDocument(routes: readonly AnyRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = jsonSchema(ErrorBody, 'output');
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        const { description, ...rest } = prop;
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
      }
    }
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: {
        description: 'Success',
        content: r.produces ? { [r.produces]: { schema: { type: 'string' } } } : { 'application/json': { schema: jsonSchema(r.response, 'output') } },
      },
    };
    const statuses = new Set<number>([400, ...(r.access === 'public' ? [] : [401, 403]), ...(r.errors ?? [])]);
    if (r.body || r.accepts) statuses.add(413);
    for (const s of [...statuses].sort()) responses[String(s)] = { description: ERROR_TEXT[s] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters,
      responses,
      'x-rastro-access': r.access,
    };
    if (r.access !== 'public') op.security = [{ bearer: [] }, { session: [] }];
    if (r.body || r.accepts) {
      const content: Record<string, unknown> = {};
      if (r.body) content['application/json'] = { schema: jsonSchema(r.body, 'input') };
      for (const type of r.accepts ?? []) content[type] = { schema: { type: 'string', format: type.startsWith('application/octet') ? 'binary' : undefined } };
      op.requestBody = { required: true, content };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: {
      ...info,
      description:
        'Rastro investigation server. Every record belongs to an agency (tenant) and carries a TLP 2.0 marking; another agency sees it only under a sharing agreement allowing that marking (never RED). Errors share one body: `{"error":{"code","message","details","requestId"}}`. Lists page with `limit`/`offset` and answer `nextOffset`.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token `rst_<id>_<secret>`' },
        session: { type: 'apiKey', in: 'cookie', name: 'rastro_session', description: 'from POST /api/auth/login; changes also need the X-CSRF-Token header' },
      },
    },
    paths,
  };
}
