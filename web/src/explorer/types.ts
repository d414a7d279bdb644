/**
 * Shapes of the graph API (`/api/graph/neighbourhood`, `/api/graph/path`) and of the explorer's JSON
 * export/import files. `Node`/`Edge` are exported under these names for the API contract; inside the
 * explorer they are imported as `GraphNode`/`GraphEdge` so they never shadow the DOM's `Node`.
 */

import type { paths } from '../api/schema';

export type EntityKind = 'account' | 'party' | 'wallet';
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

export interface Node {
  id: string;
  kind: EntityKind;
  label: string;
  /** Distance in hops from the centre of the neighbourhood query (0 = the centre). */
  hop: number;
  /** 0..1 */
  risk: number;
  typologies: string[];
  /** e.g. 'market', 'mixer', 'exchange', 'sanctioned' */
  tags: string[];
  alerts: number;
  tlp: Tlp;
}

export interface Edge {
  id: string;
  source: string;
  target: string;
  count: number;
  amountMinor: number;
  currency: string;
  amountUsd: number;
  /** ISO instant */
  firstTime: string;
  /** ISO instant */
  lastTime: string;
  typologies: string[];
}

export type GraphNode = Node;
export type GraphEdge = Edge;

/** `GET /api/graph/neighbourhood` */
export type NeighbourhoodResponse = ApiJson<'/api/graph/neighbourhood'>;
/** `GET /api/graph/path` (`directed` false when only a path ignoring edge direction exists) */
export type PathResponse = ApiJson<'/api/graph/path'>;

// The shapes above are checked against the server's OpenAPI document (web/src/api/schema.d.ts): a change on
// either side that makes them differ fails the type check.
type ApiJson<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const nodeMatchesApi: Same<Node, NeighbourhoodResponse['nodes'][number]> = true;
const edgeMatchesApi: Same<Edge, NeighbourhoodResponse['edges'][number]> = true;
void nodeMatchesApi;
void edgeMatchesApi;

/** The explorer's JSON file (export, import, and the `window.__rastroExplorer.load` test hook). */
export interface GraphJson {
  nodes: Node[];
  edges: Edge[];
  center?: string;
}

export interface NeighbourhoodQuery {
  kind: EntityKind;
  id: string;
  hops: number;
  from?: string;
  to?: string;
  maxNodes?: number;
}

export interface PathQuery {
  fromId: string;
  toId: string;
  maxHops: number;
  from?: string;
  to?: string;
}

export type ColorMode = 'typology' | 'risk' | 'tag';
export type TagCategory = 'sanctioned' | 'mixer' | 'market' | 'exchange' | 'other';
