import { z } from 'zod';
import type { AppContext } from '../app.js';
import { ApiError } from '../errors.js';
import { route, type AnyRoute } from '../route.js';

export function metaRoutes(ctx: AppContext): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/health',
      summary: 'Liveness: the process answers',
      tag: 'meta',
      access: 'public',
      response: z.object({ status: z.literal('ok') }),
      handler: async () => ({ status: 'ok' as const }),
    }),
    route({
      method: 'GET',
      url: '/ready',
      summary: 'Readiness: the store answers and the write queue is not saturated',
      tag: 'meta',
      access: 'public',
      errors: [503],
      response: z.object({ status: z.literal('ready'), store: z.string(), pendingTransactions: z.number().int() }),
      handler: async () => {
        try {
          await ctx.store.investigation.countTenants();
        } catch (err) {
          throw new ApiError(503, 'not_ready', `store unavailable: ${(err as Error).message}`);
        }
        return { status: 'ready' as const, store: ctx.store.kind, pendingTransactions: ctx.monitor.pendingTransactions };
      },
    }),
  ];
}
