/**
 * One error body for every failure: `{ "error": { "code", "message", "details"?, "requestId" } }`, with the
 * HTTP status saying the class. Codes are stable kebab-less snake_case names clients can switch on.
 */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine-readable code, e.g. not_found, invalid_request, forbidden'),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('what was wrong, per field'),
      requestId: z.string(),
    }),
  })
  .describe('Every error has this body');
export type ErrorBody = z.infer<typeof ErrorBody>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new ApiError(403, 'forbidden', message);
export const unauthenticated = (message = 'sign in or send an API token') => new ApiError(401, 'unauthenticated', message);
export const invalid = (message: string, details?: { path: string; message: string }[]) => new ApiError(400, 'invalid_request', message, details);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);

/** zod issues as error details (`path` dotted, `(body)` for the whole value). */
export function zodDetails(where: string, error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 50).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
}
