/** The explorer's server calls (plain same-origin GETs) and the validation of imported JSON graphs. */
import { ApiError } from '../api/client';
import type { EntityKind, GraphEdge, GraphJson, GraphNode, NeighbourhoodQuery, NeighbourhoodResponse, PathQuery, PathResponse, Tlp } from './types';

interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string };
}

/** GET a JSON answer; non-2xx becomes ApiError(status, body.error.code, body.error.message). */
export async function getJson<T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const res = await fetch(`${path}?${qs.toString()}`, { credentials: 'same-origin', headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    let body: ErrorBody = {};
    try {
      body = (await res.json()) as ErrorBody;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, body.error?.code ?? 'http_' + res.status, body.error?.message ?? res.statusText, body.error?.requestId);
  }
  return (await res.json()) as T;
}

export function fetchNeighbourhood(q: NeighbourhoodQuery, signal?: AbortSignal): Promise<NeighbourhoodResponse> {
  return getJson<NeighbourhoodResponse>('/api/graph/neighbourhood', { kind: q.kind, id: q.id, hops: q.hops, from: q.from, to: q.to, maxNodes: q.maxNodes }, signal);
}

export function fetchPath(q: PathQuery, signal?: AbortSignal): Promise<PathResponse> {
  return getJson<PathResponse>('/api/graph/path', { fromId: q.fromId, toId: q.toId, maxHops: q.maxHops, from: q.from, to: q.to }, signal);
}

/** A date input's `YYYY-MM-DD` (or an ISO instant from a link) as the instant the API expects. */
export function toIsoBound(value: string | undefined, end: boolean): string | undefined {
  if (!value) return undefined;
  if (value.length > 10) return value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const start = Date.parse(`${value}T00:00:00.000Z`);
  if (!Number.isFinite(start)) return undefined;
  // `to` is exclusive on the server: the end of a chosen day is the start of the next one.
  return new Date(end ? start + 86_400_000 : start).toISOString();
}

const KINDS: readonly EntityKind[] = ['account', 'party', 'wallet'];
const TLPS: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

export function isKind(v: unknown): v is EntityKind {
  return typeof v === 'string' && (KINDS as readonly string[]).includes(v);
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}
function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Thrown by parseGraphJson; `key` is a strings key for the message. */
export class GraphFileError extends Error {}

/**
 * Validates and normalises a graph file (`{nodes, edges, center?}`): missing optional fields get neutral
 * defaults, edges whose ends are missing are dropped (counted in `dropped`).
 */
export function parseGraphJson(raw: unknown): { graph: GraphJson; dropped: number } {
  if (!raw || typeof raw !== 'object') throw new GraphFileError('not an object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.nodes) || !Array.isArray(o.edges)) throw new GraphFileError('nodes/edges missing');
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  for (const r of o.nodes as unknown[]) {
    if (!r || typeof r !== 'object') continue;
    const n = r as Record<string, unknown>;
    const id = str(n.id, '');
    if (!id || seen.has(id)) continue;
    seen.add(id);
    nodes.push({
      id,
      kind: isKind(n.kind) ? n.kind : 'account',
      label: str(n.label, id),
      hop: Math.max(0, Math.floor(num(n.hop, 0))),
      risk: Math.min(1, Math.max(0, num(n.risk, 0))),
      typologies: strs(n.typologies),
      tags: strs(n.tags),
      alerts: Math.max(0, Math.floor(num(n.alerts, 0))),
      tlp: (TLPS as readonly unknown[]).includes(n.tlp) ? (n.tlp as Tlp) : 'AMBER',
    });
  }
  const edges: GraphEdge[] = [];
  const seenEdges = new Set<string>();
  let dropped = 0;
  let k = 0;
  for (const r of o.edges as unknown[]) {
    k++;
    if (!r || typeof r !== 'object') {
      dropped++;
      continue;
    }
    const e = r as Record<string, unknown>;
    const source = str(e.source, '');
    const target = str(e.target, '');
    let id = str(e.id, '');
    if (!id) id = `${source}->${target}#${k}`;
    if (!seen.has(source) || !seen.has(target) || seenEdges.has(id)) {
      dropped++;
      continue;
    }
    seenEdges.add(id);
    edges.push({
      id,
      source,
      target,
      count: Math.max(0, Math.floor(num(e.count, 1))),
      amountMinor: num(e.amountMinor, 0),
      currency: str(e.currency, 'USD'),
      amountUsd: num(e.amountUsd, 0),
      firstTime: str(e.firstTime, ''),
      lastTime: str(e.lastTime, str(e.firstTime, '')),
      typologies: strs(e.typologies),
    });
  }
  const center = typeof o.center === 'string' && seen.has(o.center) ? o.center : undefined;
  return { graph: { nodes, edges, ...(center ? { center } : {}) }, dropped };
}
