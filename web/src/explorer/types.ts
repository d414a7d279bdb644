/**
 * Shapes of the graph API (`/api/graph/neighbourhood`, `/api/graph/path`) and of the explorer's JSON
 * export/import files. `Node`/`Edge` are exported under these names for the API contract; inside the
 * explorer they are imported as `GraphNode`/`GraphEdge` so they never shadow the DOM's `Node`.
 */

import type { Json } from '../api/client';

export type EntityKind = 'account' | 'party' | 'wallet';
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

/** A node and an edge of the money graph, exactly as the server's OpenAPI document describes them. */
export type Node = NeighbourhoodResponse['nodes'][number];
export type Edge = NeighbourhoodResponse['edges'][number];

export type GraphNode = Node;
export type GraphEdge = Edge;

/** `GET /api/graph/neighbourhood` */
export type NeighbourhoodResponse = Json<'/api/graph/neighbourhood'>;
/** `GET /api/graph/path` (`directed` false when only a path ignoring edge direction exists) */
export type PathResponse = Json<'/api/graph/path'>;

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
