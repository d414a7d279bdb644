/**
 * Exploring what the agency may see: the money graph around an account, wallet or party, the shortest money
 * path between two accounts, the dashboard's aggregates, and search across accounts, parties, wallets,
 * transactions, cases and alerts. All read-only; the store answers only the viewer's visible records and
 * audits reads of other agencies' data.
 */
import { can } from '../../cases/access.js';
import { parseIso } from '../../model/time.js';
import type { SearchKind } from '../../store/index.js';
import type { AppContext } from '../app.js';
import { notFound } from '../errors.js';
import { route, type AnyRoute } from '../route.js';
import { apiGraphEdge, Dashboard, DashboardQuery, MoneyPath, Neighbourhood, NeighbourhoodQuery, PathQuery, SearchQuery, SearchResult } from '../schemas.js';

/** What each kind of search hit needs the role to read. */
const SEARCH_ACCESS = {
  account: 'transactions:read',
  party: 'entities:read',
  wallet: 'entities:read',
  transaction: 'transactions:read',
  case: 'cases:read',
  alert: 'alerts:read',
} as const satisfies Record<SearchKind, string>;

function range(q: { from?: string | undefined; to?: string | undefined }): { fromMs?: number; toMs?: number } {
  return { ...(q.from ? { fromMs: parseIso(q.from) } : {}), ...(q.to ? { toMs: parseIso(q.to) } : {}) };
}

export function exploreRoutes(ctx: AppContext): AnyRoute[] {
  const inv = ctx.store.investigation;
  return [
    route({
      method: 'GET',
      url: '/api/graph/neighbourhood',
      summary: 'The money graph around an account, wallet or party: visible transactions aggregated per directed pair, breadth-first up to `hops`',
      tag: 'explore',
      access: 'transactions:read',
      query: NeighbourhoodQuery,
      errors: [404],
      response: Neighbourhood,
      handler: async ({ viewer, query }) => {
        const g = await inv.neighbourhood(viewer, { kind: query.kind, id: query.id, hops: query.hops, maxNodes: query.maxNodes, ...range(query) });
        if (!g) throw notFound(query.kind);
        return { center: g.center, nodes: g.nodes, edges: g.edges.map(apiGraphEdge), truncated: g.truncated };
      },
    }),
    route({
      method: 'GET',
      url: '/api/graph/path',
      summary: 'The shortest money path from one account to another (following the money; else ignoring direction, and saying so)',
      tag: 'explore',
      access: 'transactions:read',
      query: PathQuery,
      errors: [404],
      response: MoneyPath,
      handler: async ({ viewer, query }) => {
        const path = await inv.moneyPath(viewer, { fromId: query.fromId, toId: query.toId, maxHops: query.maxHops, ...range(query) });
        if (!path) throw notFound('account');
        return { ...path, edges: path.edges.map(apiGraphEdge) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/dashboard',
      summary: 'Alerts by day and typology, amounts flagged, top accounts and corridors, cases by status; scope own/shared/all',
      tag: 'explore',
      access: 'alerts:read',
      query: DashboardQuery,
      response: Dashboard,
      handler: async ({ viewer, query }) => inv.dashboard(viewer, { scope: query.scope, ...range(query) }),
    }),
    route({
      method: 'GET',
      url: '/api/search',
      summary: 'Search accounts, parties, wallets, transactions, cases and alerts by id or name (only the kinds the role may read)',
      tag: 'explore',
      access: 'authenticated',
      query: SearchQuery,
      response: SearchResult,
      handler: async ({ viewer, query }) => {
        const kinds = (Object.keys(SEARCH_ACCESS) as SearchKind[]).filter((k) => can(viewer.role, SEARCH_ACCESS[k]));
        if (kinds.length === 0) return { items: [] };
        return { items: await inv.search(viewer, { q: query.q, limit: query.limit, kinds }) };
      },
    }),
  ];
}
