/**
 * The explorer's graph engine, outside React: one sigma instance for the page's lifetime, a graphology
 * MultiDirectedGraph per loaded graph, interned node/edge records in arrays, and typed arrays for what
 * the time slider touches. Every style (colour mode, time filter, selection, path) goes through the
 * node/edge reducers and a (partial) `sigma.refresh()`: the sigma instance is never rebuilt.
 *
 * React reads a small immutable snapshot through `subscribe`/`getSnapshot` (useSyncExternalStore).
 */
import { MultiDirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { Settings } from 'sigma/settings';
import type { EdgeDisplayData, NodeDisplayData } from 'sigma/types';
import { formatTime, formatUsd, t } from '../strings';
import {
  CENTER_COLOR,
  EDGE_ADJACENT,
  edgeColor,
  EDGE_DIM,
  EDGE_SELECTED,
  NODE_DIM,
  PATH_COLOR,
  edgeSize,
  nodeColors,
  nodeSize,
  rankTypologies,
  typologyRanks,
} from './colors';
import { ringLayout, runForceAtlas2, type LayoutRun } from './layout';
import type { ColorMode, GraphEdge, GraphJson, GraphNode, PathResponse, Tlp } from './types';

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  label: string | null;
  /** index into the interned node array */
  i: number;
  color?: string;
  hidden?: boolean;
  highlighted?: boolean;
  forceLabel?: boolean;
  zIndex?: number;
}

export interface EdgeAttrs {
  size: number;
  /** index into the interned edge array */
  i: number;
  color?: string;
  hidden?: boolean;
  label?: string | null;
  forceLabel?: boolean;
  zIndex?: number;
}

type G = MultiDirectedGraph<NodeAttrs, EdgeAttrs>;

export type Selection = { type: 'node'; id: string } | { type: 'edge'; id: string } | null;
export type GraphSource = 'server' | 'import';

export interface Snapshot {
  /** bumped on every load (not on merges) */
  loadVersion: number;
  /** bumped whenever nodes/edges are added */
  dataVersion: number;
  nodes: number;
  edges: number;
  layoutRunning: boolean;
  selection: Selection;
  center: string | null;
  source: GraphSource | null;
  /** epoch ms bounds of the edges' firstTime/lastTime, null when no edge has a time */
  timeMin: number | null;
  timeMax: number | null;
  /** 0..SLIDER_MAX; SLIDER_MAX means "everything" */
  slider: number;
  mode: ColorMode;
  pathActive: boolean;
  /** whether edges can be hovered and clicked on the canvas */
  edgeEvents: boolean;
  /** typologies by frequency (legend) */
  typologies: readonly string[];
}

export interface FrameStats {
  frames: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

export const SLIDER_MAX = 1000;
export const LAYOUT_MS = 3000;
/** Above this many edges, edges are not hoverable/clickable (see createSigma). */
export const EDGE_EVENTS_MAX = 20_000;
const TLP_ORDER: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

function parseTime(iso: string): number {
  if (!iso) return NaN;
  return Date.parse(iso);
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export class ExplorerController {
  private sigma: Sigma<NodeAttrs, EdgeAttrs>;
  private graph: G;
  private markers: HTMLCanvasElement;

  // Interned records (index = attribute `i`).
  private nodes: GraphNode[] = [];
  private nodeIdx = new Map<string, number>();
  private edges: GraphEdge[] = [];
  private edgeIdx = new Map<string, number>();
  private degree: Int32Array = new Int32Array(0);
  private hops: Int32Array = new Int32Array(0);

  // Time filter: per-edge firstTime, endpoints, edges sorted by firstTime, visible edges per node.
  private edgeT0: Float64Array = new Float64Array(0);
  private edgeS: Int32Array = new Int32Array(0);
  private edgeT: Int32Array = new Int32Array(0);
  private byTime: Int32Array = new Int32Array(0);
  private activeDeg: Int32Array = new Int32Array(0);
  /** number of edges (in byTime order) currently visible */
  private visibleCount = 0;
  private threshold = Infinity;
  private timeMin: number | null = null;
  private timeMax: number | null = null;
  private slider = SLIDER_MAX;

  private mode: ColorMode = 'typology';
  private ranked: string[] = [];
  private colors: string[] = [];
  private edgeBase = edgeColor(0);

  private center: string | null = null;
  private source: GraphSource | null = null;
  private selection: Selection = null;
  private selectedIdx = -1;
  private hoveredEdge: string | null = null;
  private pathNodes: Set<string> | null = null;
  private pathEdges: Set<string> | null = null;

  private layout: LayoutRun | null = null;
  private loadVersion = 0;
  private dataVersion = 0;
  private listeners = new Set<() => void>();
  private snapshot: Snapshot;
  private killed = false;
  private edgeEvents = true;

  constructor(private readonly container: HTMLElement) {
    this.graph = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>({ allowSelfLoops: true });
    [this.sigma, this.markers] = this.createSigma(this.graph, true);
    this.snapshot = this.makeSnapshot();
  }

  /**
   * The sigma instance. Edge picking (hover/click on edges) costs a second draw of every edge on each
   * render, so above EDGE_EVENTS_MAX edges the instance is created without it (edges stay reachable from
   * a node's "Largest flows"); that is the only time an instance is replaced, on a load, never for a style.
   */
  private createSigma(graph: G, edgeEvents: boolean, extra: Partial<Settings<NodeAttrs, EdgeAttrs>> = {}): [Sigma<NodeAttrs, EdgeAttrs>, HTMLCanvasElement] {
    const container = this.container;
    const sigma = new Sigma<NodeAttrs, EdgeAttrs>(graph, container, {
      allowInvalidContainer: true,
      defaultEdgeType: 'arrow',
      renderEdgeLabels: true,
      enableEdgeEvents: edgeEvents,
      labelFont: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      labelColor: { color: '#14181f' },
      edgeLabelFont: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      edgeLabelColor: { color: '#14181f' },
      edgeLabelSize: 12,
      labelSize: 12,
      labelDensity: 0.8,
      labelRenderedSizeThreshold: 6,
      minEdgeThickness: 1,
      zIndex: false,
      nodeReducer: (key, d) => this.reduceNode(key, d),
      edgeReducer: (key, d) => this.reduceEdge(key, d),
      ...extra,
    });
    this.edgeEvents = edgeEvents;
    const markers = sigma.createCanvas('markers', { afterLayer: 'nodes' });
    sigma.on('afterRender', this.drawMarkers);
    sigma.on('clickNode', ({ node }) => this.select({ type: 'node', id: node }));
    sigma.on('clickEdge', ({ edge }) => this.select({ type: 'edge', id: edge }));
    sigma.on('clickStage', () => this.select(null));
    sigma.on('enterNode', () => (container.style.cursor = 'pointer'));
    sigma.on('leaveNode', () => (container.style.cursor = ''));
    sigma.on('enterEdge', ({ edge }) => {
      container.style.cursor = 'pointer';
      this.setHoveredEdge(edge);
    });
    sigma.on('leaveEdge', () => {
      container.style.cursor = '';
      this.setHoveredEdge(null);
    });
    return [sigma, markers];
  }

  // ---------------------------------------------------------------- React store

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  private emit(): void {
    this.snapshot = this.makeSnapshot();
    for (const fn of this.listeners) fn();
  }

  private makeSnapshot(): Snapshot {
    return {
      loadVersion: this.loadVersion,
      dataVersion: this.dataVersion,
      nodes: this.graph.order,
      edges: this.graph.size,
      layoutRunning: this.layout?.running ?? false,
      selection: this.selection,
      center: this.center,
      source: this.source,
      timeMin: this.timeMin,
      timeMax: this.timeMax,
      slider: this.slider,
      mode: this.mode,
      pathActive: this.pathNodes !== null,
      edgeEvents: this.edgeEvents,
      typologies: this.ranked,
    };
  }

  // ---------------------------------------------------------------- data access

  getNode(id: string): GraphNode | undefined {
    const i = this.nodeIdx.get(id);
    return i === undefined ? undefined : this.nodes[i];
  }

  getEdge(id: string): GraphEdge | undefined {
    const i = this.edgeIdx.get(id);
    return i === undefined ? undefined : this.edges[i];
  }

  hasNode(id: string): boolean {
    return this.nodeIdx.has(id);
  }

  nodeDegree(id: string): number {
    const i = this.nodeIdx.get(id);
    return i === undefined ? 0 : (this.degree[i] ?? 0);
  }

  /** The strictest TLP of an edge's two ends (edges carry no marking of their own). */
  edgeTlp(id: string): Tlp | undefined {
    const e = this.getEdge(id);
    if (!e) return undefined;
    const a = this.getNode(e.source)?.tlp ?? 'CLEAR';
    const b = this.getNode(e.target)?.tlp ?? 'CLEAR';
    return TLP_ORDER.indexOf(a) >= TLP_ORDER.indexOf(b) ? a : b;
  }

  /** The largest flows in and out of a node (for the panel's keyboard-reachable edge list). */
  topEdges(id: string, limit: number): GraphEdge[] {
    if (!this.graph.hasNode(id)) return [];
    const out: GraphEdge[] = [];
    this.graph.forEachEdge(id, (_k, a) => {
      out.push(this.edges[a.i]!);
    });
    return out.sort((a, b) => b.amountUsd - a.amountUsd).slice(0, limit);
  }

  /** Nodes whose id or label contains `q` (case-insensitive), exact id first. */
  search(q: string, limit: number): GraphNode[] {
    const needle = q.trim().toLowerCase();
    if (!needle) return [];
    const exact: GraphNode[] = [];
    const prefix: GraphNode[] = [];
    const rest: GraphNode[] = [];
    for (const n of this.nodes) {
      const id = n.id.toLowerCase();
      const label = n.label.toLowerCase();
      if (id === needle || label === needle) exact.push(n);
      else if (id.startsWith(needle) || label.startsWith(needle)) prefix.push(n);
      else if (rest.length < limit && (id.includes(needle) || label.includes(needle))) rest.push(n);
      if (exact.length >= limit) break;
    }
    return [...exact, ...prefix, ...rest].slice(0, limit);
  }

  toJson(): GraphJson {
    return { ...(this.center ? { center: this.center } : {}), nodes: this.nodes.map((n, i) => ({ ...n, hop: this.hops[i] ?? n.hop })), edges: this.edges.slice() };
  }

  stats(): { nodes: number; edges: number; layoutRunning: boolean } {
    return { nodes: this.graph.order, edges: this.graph.size, layoutRunning: this.layout?.running ?? false };
  }

  // ---------------------------------------------------------------- loading & merging

  /**
   * Replaces the graph: interns the records, places nodes on hop rings (first paint), swaps the graph into
   * the existing sigma instance and starts a bounded ForceAtlas2 run. Resolves after the first frame.
   */
  async load(data: GraphJson, source: GraphSource): Promise<void> {
    if (this.killed) return;
    this.stopLayout();
    const nodes = data.nodes;
    const n = nodes.length;
    const nodeIdx = new Map<string, number>();
    for (let i = 0; i < n; i++) nodeIdx.set(nodes[i]!.id, i);
    const edges = data.edges.filter((e) => nodeIdx.has(e.source) && nodeIdx.has(e.target));
    const m = edges.length;
    const edgeIdx = new Map<string, number>();
    const src = new Int32Array(m);
    const tgt = new Int32Array(m);
    const degree = new Int32Array(n);
    for (let j = 0; j < m; j++) {
      const e = edges[j]!;
      edgeIdx.set(e.id, j);
      src[j] = nodeIdx.get(e.source)!;
      tgt[j] = nodeIdx.get(e.target)!;
      degree[src[j]!]!++;
      degree[tgt[j]!]!++;
    }
    let center = data.center && nodeIdx.has(data.center) ? data.center : undefined;
    if (!center) {
      const zero = nodes.filter((x) => x.hop === 0);
      if (zero.length === 1) center = zero[0]!.id;
    }
    let centerIdx = center ? nodeIdx.get(center)! : -1;
    if (centerIdx < 0 && n > 0) {
      // No declared centre: use the best-connected node as the origin of the ring layout (not marked).
      let best = 0;
      for (let i = 1; i < n; i++) if (degree[i]! > degree[best]!) best = i;
      centerIdx = best;
    }
    const hops = new Int32Array(n);
    for (let i = 0; i < n; i++) hops[i] = nodes[i]!.hop;
    const pos = ringLayout(n, centerIdx, hops, src, tgt);

    const graph: G = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>({ allowSelfLoops: true });
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      graph.addNode(node.id, { x: pos.x[i]!, y: pos.y[i]!, size: nodeSize(degree[i]!, n), label: node.label || node.id, i });
    }
    for (let j = 0; j < m; j++) {
      const e = edges[j]!;
      graph.addEdgeWithKey(e.id, e.source, e.target, { size: edgeSize(e.amountUsd, m), i: j });
    }

    this.nodes = nodes.slice();
    this.nodeIdx = nodeIdx;
    this.edges = edges;
    this.edgeIdx = edgeIdx;
    this.degree = degree;
    this.hops = hops;
    this.center = center ?? null;
    this.source = source;
    this.selection = null;
    this.selectedIdx = -1;
    this.hoveredEdge = null;
    this.pathNodes = null;
    this.pathEdges = null;
    this.slider = SLIDER_MAX;
    this.threshold = Infinity;
    this.rebuildTime();
    this.recolor();

    this.edgeBase = edgeColor(m);
    const sizeSettings = {
      hideEdgesOnMove: m > 20_000,
      hideLabelsOnMove: m > 5_000,
      labelRenderedSizeThreshold: n > 2_000 ? 9 : n > 300 ? 7 : 4,
    };
    this.graph = graph;
    const edgeEvents = m <= EDGE_EVENTS_MAX;
    if (edgeEvents !== this.edgeEvents) {
      this.sigma.kill();
      [this.sigma, this.markers] = this.createSigma(graph, edgeEvents, sizeSettings);
    } else {
      // Settings re-index the current graph: change them while an empty graph is shown.
      this.sigma.setGraph(new MultiDirectedGraph<NodeAttrs, EdgeAttrs>());
      this.sigma.setSettings(sizeSettings);
      this.sigma.setGraph(graph);
    }
    this.container.style.cursor = '';
    this.sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    this.loadVersion++;
    this.dataVersion++;
    this.emit();
    await nextFrame();
    if (!this.killed && this.graph === graph && n > 1 && m > 0) this.startLayout(LAYOUT_MS);
  }

  /**
   * Adds the nodes and edges not yet in the graph (expansion, path). New nodes are placed around a
   * neighbour already drawn (or around `anchor`). Returns how many were added.
   */
  merge(newNodes: readonly GraphNode[], newEdges: readonly GraphEdge[], anchor?: string): { nodes: number; edges: number } {
    this.stopLayout();
    const graph = this.graph;
    const anchorHop = anchor !== undefined ? (this.hops[this.nodeIdx.get(anchor) ?? -1] ?? 0) : 0;
    const freshIds = new Set<string>();
    const fresh = newNodes.filter((n) => !this.nodeIdx.has(n.id) && !freshIds.has(n.id) && freshIds.add(n.id));
    // neighbours of each new node within the batch
    const nbrs = new Map<string, string[]>();
    for (const e of newEdges) {
      if (freshIds.has(e.source)) (nbrs.get(e.source) ?? nbrs.set(e.source, []).get(e.source)!).push(e.target);
      if (freshIds.has(e.target)) (nbrs.get(e.target) ?? nbrs.set(e.target, []).get(e.target)!).push(e.source);
    }
    // typical spacing: bounding box diagonal over sqrt(order)
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    graph.forEachNode((_k, a) => {
      if (a.x < minX) minX = a.x;
      if (a.x > maxX) maxX = a.x;
      if (a.y < minY) minY = a.y;
      if (a.y > maxY) maxY = a.y;
    });
    const diag = graph.order > 1 ? Math.hypot(maxX - minX, maxY - minY) : 10;
    const spacing = Math.max(diag / (Math.sqrt(graph.order) + 1), 0.5);
    const placedAround = new Map<string, number>();

    const middle = { x: (minX + maxX) / 2 || 0, y: (minY + maxY) / 2 || 0 };
    const place = (node: GraphNode, near: string | undefined) => {
      const origin = near !== undefined ? graph.getNodeAttributes(near) : middle;
      const k = placedAround.get(near ?? '') ?? 0;
      placedAround.set(near ?? '', k + 1);
      const a = k * 2.399963229728653; // golden angle
      const r = spacing * (0.6 + 0.25 * Math.sqrt(k));
      const i = this.nodes.length;
      const nearIdx = near !== undefined ? this.nodeIdx.get(near) : undefined;
      const hop = nearIdx !== undefined ? (this.hops[nearIdx] ?? anchorHop) + 1 : anchorHop + node.hop;
      this.nodes.push(node);
      this.nodeIdx.set(node.id, i);
      this.hops = growInt(this.hops, i + 1);
      this.hops[i] = hop;
      this.degree = growInt(this.degree, i + 1);
      this.activeDeg = growInt(this.activeDeg, i + 1);
      graph.addNode(node.id, { x: origin.x + r * Math.cos(a), y: origin.y + r * Math.sin(a), size: nodeSize(0, graph.order), label: node.label || node.id, i });
    };
    // Place nodes next to a neighbour already drawn, round after round (a path's chain of new nodes
    // grows from both of its known ends); what is left is placed around the anchor.
    let pending = fresh;
    while (pending.length > 0) {
      const next: GraphNode[] = [];
      for (const node of pending) {
        const near = (nbrs.get(node.id) ?? []).find((id) => graph.hasNode(id));
        if (near !== undefined) place(node, near);
        else next.push(node);
      }
      if (next.length === pending.length) {
        const a = anchor !== undefined && graph.hasNode(anchor) ? anchor : undefined;
        for (const node of next) place(node, a);
        break;
      }
      pending = next;
    }
    const added = fresh.length;

    let addedEdges = 0;
    const touched = new Set<string>();
    for (const e of newEdges) {
      if (this.edgeIdx.has(e.id) || !graph.hasNode(e.source) || !graph.hasNode(e.target)) continue;
      const j = this.edges.length;
      this.edges.push(e);
      this.edgeIdx.set(e.id, j);
      this.degree[this.nodeIdx.get(e.source)!]!++;
      this.degree[this.nodeIdx.get(e.target)!]!++;
      touched.add(e.source).add(e.target);
      graph.addEdgeWithKey(e.id, e.source, e.target, { size: edgeSize(e.amountUsd, graph.size), i: j });
      addedEdges++;
    }
    for (const id of touched) {
      const i = this.nodeIdx.get(id)!;
      graph.setNodeAttribute(id, 'size', nodeSize(this.degree[i]!, graph.order));
    }
    if (added > 0 || addedEdges > 0) {
      this.rebuildTime();
      this.recolor();
      this.dataVersion++;
      this.sigma.refresh({ schedule: true });
      this.emit();
    }
    return { nodes: added, edges: addedEdges };
  }

  // ---------------------------------------------------------------- time filter

  /** Rebuilds the per-edge time arrays (after load/merge) and re-applies the current threshold. */
  private rebuildTime(): void {
    const m = this.edges.length;
    const n = this.nodes.length;
    const t0 = new Float64Array(m);
    const s = new Int32Array(m);
    const tg = new Int32Array(m);
    let min = Infinity;
    let max = -Infinity;
    for (let j = 0; j < m; j++) {
      const e = this.edges[j]!;
      const a = parseTime(e.firstTime);
      const b = parseTime(e.lastTime);
      t0[j] = Number.isNaN(a) ? -Infinity : a;
      if (!Number.isNaN(a) && a < min) min = a;
      if (!Number.isNaN(b) && b > max) max = b;
      if (!Number.isNaN(a) && a > max) max = a;
      s[j] = this.nodeIdx.get(e.source)!;
      tg[j] = this.nodeIdx.get(e.target)!;
    }
    const order = new Int32Array(m);
    for (let j = 0; j < m; j++) order[j] = j;
    order.sort((a, b) => t0[a]! - t0[b]! || a - b);
    this.edgeT0 = t0;
    this.edgeS = s;
    this.edgeT = tg;
    this.byTime = order;
    this.timeMin = min === Infinity ? null : min;
    this.timeMax = max === -Infinity ? null : max;
    if (this.timeMin === null || this.timeMax === null) this.slider = SLIDER_MAX;
    // The slider keeps its position when the time bounds move (a merge can widen them).
    this.threshold = this.sliderTime(this.slider);
    const count = this.countVisible(this.threshold);
    const active = new Int32Array(n);
    for (let k = 0; k < count; k++) {
      const j = order[k]!;
      active[s[j]!]!++;
      active[tg[j]!]!++;
    }
    this.activeDeg = active;
    this.visibleCount = count;
  }

  /** Number of edges with firstTime ≤ threshold (binary search in byTime). */
  private countVisible(threshold: number): number {
    if (threshold === Infinity) return this.byTime.length;
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.edgeT0[this.byTime[mid]!]! <= threshold) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  sliderTime(value: number): number {
    if (this.timeMin === null || this.timeMax === null || value >= SLIDER_MAX) return Infinity;
    return this.timeMin + ((this.timeMax - this.timeMin) * value) / SLIDER_MAX;
  }

  /**
   * Moves the time slider: only the edges crossing the threshold and the nodes whose visible degree
   * changes between 0 and >0 are re-reduced (partial refresh, no re-indexation).
   */
  setSlider(value: number): void {
    const v = Math.max(0, Math.min(SLIDER_MAX, Math.round(value)));
    if (v === this.slider) return;
    this.slider = v;
    this.threshold = this.sliderTime(v);
    const next = this.countVisible(this.threshold);
    const prev = this.visibleCount;
    const changedEdges: string[] = [];
    const changedNodes = new Set<number>();
    const delta = next > prev ? 1 : -1;
    const lo = Math.min(prev, next);
    const hi = Math.max(prev, next);
    for (let k = lo; k < hi; k++) {
      const j = this.byTime[k]!;
      changedEdges.push(this.edges[j]!.id);
      for (const v2 of [this.edgeS[j]!, this.edgeT[j]!]) {
        const before = this.activeDeg[v2]!;
        this.activeDeg[v2] = before + delta;
        if ((before === 0) !== (before + delta === 0)) changedNodes.add(v2);
      }
    }
    this.visibleCount = next;
    const nodeKeys: string[] = [];
    for (const i of changedNodes) nodeKeys.push(this.nodes[i]!.id);
    this.partialRefresh(nodeKeys, changedEdges);
    this.emit();
  }

  // ---------------------------------------------------------------- styles

  setMode(mode: ColorMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.recolor();
    this.sigma.refresh({ schedule: true });
    this.emit();
  }

  private recolor(): void {
    this.ranked = rankTypologies(this.nodes);
    this.colors = nodeColors(this.mode, this.nodes, typologyRanks(this.ranked));
  }

  private reduceNode(key: string, d: NodeAttrs): Partial<NodeDisplayData> {
    const i = d.i;
    d.color = this.colors[i];
    const isCenter = key === this.center;
    if (this.pathNodes) {
      if (this.pathNodes.has(key)) {
        d.highlighted = true;
        d.forceLabel = true;
        d.size = Math.max(d.size, 7);
      } else {
        d.color = NODE_DIM;
        d.label = null;
      }
    } else if (this.activeDeg[i] === 0 && this.degree[i]! > 0 && !isCenter) {
      d.color = NODE_DIM;
      d.label = null;
    }
    if (isCenter) {
      d.size = Math.max(d.size * 1.4, 9);
      d.forceLabel = true;
    }
    if (i === this.selectedIdx) {
      d.highlighted = true;
      d.forceLabel = true;
    }
    return d as Partial<NodeDisplayData>;
  }

  private reduceEdge(key: string, d: EdgeAttrs): Partial<EdgeDisplayData> {
    const i = d.i;
    if (this.edgeT0[i]! > this.threshold) {
      d.hidden = true;
      return d as Partial<EdgeDisplayData>;
    }
    if (this.pathEdges) {
      if (this.pathEdges.has(key)) {
        d.color = PATH_COLOR;
        d.size = Math.max(d.size, 3);
      } else d.color = EDGE_DIM;
    } else if (this.selectedIdx >= 0 && (this.edgeS[i] === this.selectedIdx || this.edgeT[i] === this.selectedIdx)) {
      d.color = EDGE_ADJACENT;
    } else d.color = this.edgeBase;
    const sel = this.selection;
    if (key === this.hoveredEdge || (sel?.type === 'edge' && sel.id === key)) {
      const e = this.edges[i]!;
      d.color = EDGE_SELECTED;
      d.size = Math.max(d.size, 2.5);
      d.label = t('explorer.edge.label', { amount: formatUsd(e.amountUsd), first: formatTime(e.firstTime), last: formatTime(e.lastTime) });
      d.forceLabel = true;
    }
    return d as Partial<EdgeDisplayData>;
  }

  /** Re-reduces a few items without re-indexing; falls back to a full refresh if they are not indexed yet. */
  private partialRefresh(nodes: string[], edges: string[]): void {
    if (nodes.length === 0 && edges.length === 0) return;
    if (nodes.length + edges.length > (this.graph.order + this.graph.size) / 2) {
      this.sigma.refresh({ schedule: true });
      return;
    }
    try {
      this.sigma.refresh({ partialGraph: { nodes, edges }, skipIndexation: true, schedule: true });
    } catch {
      this.sigma.refresh({ schedule: true });
    }
  }

  // ---------------------------------------------------------------- selection, hover, camera

  select(sel: Selection): void {
    if (sel && ((sel.type === 'node' && !this.graph.hasNode(sel.id)) || (sel.type === 'edge' && !this.graph.hasEdge(sel.id)))) return;
    const prev = this.selection;
    if (prev?.type === sel?.type && prev?.id === sel?.id) return;
    const nodes: string[] = [];
    const edges: string[] = [];
    const touch = (s: Selection) => {
      if (!s) return;
      if (s.type === 'node') {
        nodes.push(s.id);
        if (this.graph.hasNode(s.id)) this.graph.forEachEdge(s.id, (e) => void edges.push(e));
      } else edges.push(s.id);
    };
    touch(prev);
    this.selection = sel;
    this.selectedIdx = sel?.type === 'node' ? (this.nodeIdx.get(sel.id) ?? -1) : -1;
    touch(sel);
    this.partialRefresh(nodes, edges);
    this.emit();
  }

  private setHoveredEdge(edge: string | null): void {
    if (edge === this.hoveredEdge) return;
    const changed = [this.hoveredEdge, edge].filter((e): e is string => e !== null && this.graph.hasEdge(e));
    this.hoveredEdge = edge;
    this.partialRefresh([], changed);
  }

  /** Animates the camera to a node (zooming in if needed). */
  focusNode(id: string): void {
    const d = this.sigma.getNodeDisplayData(id);
    if (!d) return;
    const camera = this.sigma.getCamera();
    const ratio = Math.min(camera.getState().ratio, this.graph.order > 500 ? 0.3 : 0.6);
    void camera.animate({ x: d.x, y: d.y, ratio }, { duration: reducedMotion() ? 0 : 500 });
  }

  /** Animates the camera to the middle of an edge. */
  focusEdge(id: string): void {
    if (!this.graph.hasEdge(id)) return;
    const [s, tg] = this.graph.extremities(id);
    const a = this.sigma.getNodeDisplayData(s);
    const b = this.sigma.getNodeDisplayData(tg);
    if (!a || !b) return;
    const camera = this.sigma.getCamera();
    const ratio = Math.min(camera.getState().ratio, Math.max(0.05, 1.6 * Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y))));
    void camera.animate({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, ratio }, { duration: reducedMotion() ? 0 : 500 });
  }

  resetCamera(): void {
    void this.sigma.getCamera().animatedReset({ duration: reducedMotion() ? 0 : 300 });
  }

  zoom(factor: number): void {
    const camera = this.sigma.getCamera();
    if (factor > 1) void camera.animatedZoom({ factor, duration: reducedMotion() ? 0 : 200 });
    else void camera.animatedUnzoom({ factor: 1 / factor, duration: reducedMotion() ? 0 : 200 });
  }

  // ---------------------------------------------------------------- path

  setPath(nodes: readonly string[], edges: readonly string[]): void {
    this.pathNodes = new Set(nodes.filter((n) => this.graph.hasNode(n)));
    this.pathEdges = new Set(edges.filter((e) => this.graph.hasEdge(e)));
    this.sigma.refresh({ schedule: true });
    this.emit();
  }

  clearPath(): void {
    if (!this.pathNodes) return;
    this.pathNodes = null;
    this.pathEdges = null;
    this.sigma.refresh({ schedule: true });
    this.emit();
  }

  /**
   * Shortest path inside the loaded graph (used for imported graphs, which may have no server behind
   * them): directed breadth-first search first, then ignoring direction.
   */
  localPath(fromId: string, toId: string, maxHops: number): PathResponse {
    const none: PathResponse = { found: false, directed: true, hops: 0, nodes: [], edges: [] };
    if (!this.graph.hasNode(fromId) || !this.graph.hasNode(toId)) return none;
    for (const directed of [true, false]) {
      const prevEdge = new Map<string, string>();
      const prevNode = new Map<string, string>();
      const dist = new Map<string, number>([[fromId, 0]]);
      let frontier = [fromId];
      let found = fromId === toId;
      for (let depth = 0; depth < maxHops && !found && frontier.length > 0; depth++) {
        const next: string[] = [];
        for (const v of frontier) {
          const visit = (e: string, u: string) => {
            if (dist.has(u)) return;
            dist.set(u, depth + 1);
            prevEdge.set(u, e);
            prevNode.set(u, v);
            next.push(u);
            if (u === toId) found = true;
          };
          this.graph.forEachOutEdge(v, (e, _a, _s, u) => visit(e, u));
          if (!directed) this.graph.forEachInEdge(v, (e, _a, u) => visit(e, u));
          if (found) break;
        }
        frontier = next;
      }
      if (found) {
        const nodeIds = [toId];
        const edgeIds: string[] = [];
        let cur = toId;
        while (cur !== fromId) {
          edgeIds.push(prevEdge.get(cur)!);
          cur = prevNode.get(cur)!;
          nodeIds.push(cur);
        }
        nodeIds.reverse();
        edgeIds.reverse();
        return { found: true, directed, hops: edgeIds.length, nodes: nodeIds.map((id) => this.getNode(id)!), edges: edgeIds.map((id) => this.getEdge(id)!) };
      }
    }
    return none;
  }

  // ---------------------------------------------------------------- layout

  startLayout(ms = LAYOUT_MS): void {
    this.stopLayout();
    if (this.graph.order < 2) return;
    this.layout = runForceAtlas2(
      this.graph,
      ms,
      (shadow) => {
        const t0 = performance.now();
        this.graph.updateEachNodeAttributes(
          (key, attr) => {
            const s = shadow.getNodeAttributes(key);
            attr.x = s.x as number;
            attr.y = s.y as number;
            return attr;
          },
          { attributes: ['x', 'y'] },
        );
        // render now (the graph event scheduled it) so the cost of this update is measured
        this.sigma.refresh({ partialGraph: { nodes: [] }, skipIndexation: false });
        return performance.now() - t0;
      },
      () => {
        this.layout = null;
        if (!this.killed) this.emit();
      },
    );
    this.emit();
  }

  stopLayout(): void {
    this.layout?.stop();
    this.layout = null;
  }

  // ---------------------------------------------------------------- drawing extras

  /** Rings around the centre and the selected node, drawn on a canvas layer above the nodes. */
  private drawMarkers = (): void => {
    const canvas = this.markers;
    const { width, height } = this.sigma.getDimensions();
    const pr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * pr) || canvas.height !== Math.round(height * pr)) {
      canvas.width = Math.round(width * pr);
      canvas.height = Math.round(height * pr);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const ring = (id: string | null, color: string, lineWidth: number, gap: number) => {
      if (!id) return;
      const d = this.sigma.getNodeDisplayData(id);
      if (!d || d.hidden) return;
      const p = this.sigma.framedGraphToViewport(d);
      const r = this.sigma.scaleSize(d.size) + gap;
      ctx.beginPath();
      ctx.arc(p.x, p.y, r, 0, Math.PI * 2);
      ctx.strokeStyle = color;
      ctx.lineWidth = lineWidth;
      ctx.stroke();
    };
    ring(this.center, CENTER_COLOR, 3, 3);
    if (this.selection?.type === 'node') ring(this.selection.id, EDGE_SELECTED, 3, this.selection.id === this.center ? 7 : 3);
  };

  // ---------------------------------------------------------------- exports

  /** All canvas layers composited on white (WebGL buffers are read right after a synchronous render). */
  toPng(): Promise<Blob> {
    this.sigma.refresh();
    const layers = Object.values(this.sigma.getCanvases());
    const first = layers[0];
    const out = document.createElement('canvas');
    out.width = first?.width ?? 1;
    out.height = first?.height ?? 1;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    for (const c of layers) if (c.width > 0 && c.height > 0) ctx.drawImage(c, 0, 0, out.width, out.height);
    return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/png'));
  }

  /** The current view as SVG: visible edges (lines + arrowheads), nodes (circles), shown labels. */
  toSvg(): string {
    const sigma = this.sigma;
    const { width, height } = sigma.getDimensions();
    const parts: string[] = [];
    parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`);
    parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
    const vp = new Map<string, { x: number; y: number; r: number; color: string; hidden: boolean }>();
    const nodeView = (key: string) => {
      let v = vp.get(key);
      if (!v) {
        const d = sigma.getNodeDisplayData(key);
        if (!d) return undefined;
        const p = sigma.framedGraphToViewport(d);
        v = { x: p.x, y: p.y, r: sigma.scaleSize(d.size), color: d.color, hidden: d.hidden };
        vp.set(key, v);
      }
      return v;
    };
    const inView = (x: number, y: number, pad: number) => x >= -pad && y >= -pad && x <= width + pad && y <= height + pad;
    const f = (x: number) => x.toFixed(1);
    parts.push('<g stroke-linecap="round">');
    const edgeLabels: string[] = [];
    this.graph.forEachEdge((key, _a, s, tg) => {
      const d = sigma.getEdgeDisplayData(key);
      if (!d || d.hidden) return;
      const a = nodeView(s);
      const b = nodeView(tg);
      if (!a || !b || a.hidden || b.hidden) return;
      if (!inView(a.x, a.y, 0) && !inView(b.x, b.y, 0) && !segmentCrossesBox(a, b, width, height)) return;
      const { color, opacity } = svgColor(d.color);
      const w = Math.max(1, sigma.scaleSize(d.size));
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy);
      if (len < 0.5) return;
      const ux = dx / len;
      const uy = dy / len;
      const head = Math.min(len / 2, Math.max(6, w * 2.5));
      const tipX = b.x - ux * b.r;
      const tipY = b.y - uy * b.r;
      const baseX = tipX - ux * head;
      const baseY = tipY - uy * head;
      const hw = head * 0.6;
      const op = opacity < 1 ? ` stroke-opacity="${opacity}"` : '';
      const fop = opacity < 1 ? ` fill-opacity="${opacity}"` : '';
      parts.push(`<line x1="${f(a.x)}" y1="${f(a.y)}" x2="${f(baseX)}" y2="${f(baseY)}" stroke="${color}" stroke-width="${w.toFixed(2)}"${op}/>`);
      parts.push(`<polygon points="${f(tipX)},${f(tipY)} ${f(baseX - uy * hw)},${f(baseY + ux * hw)} ${f(baseX + uy * hw)},${f(baseY - ux * hw)}" fill="${color}"${fop}/>`);
      if (d.label) edgeLabels.push(`<text x="${f((a.x + b.x) / 2)}" y="${f((a.y + b.y) / 2 - 4)}" font-size="12" text-anchor="middle" fill="#14181f" stroke="#ffffff" stroke-width="3" paint-order="stroke">${xml(d.label)}</text>`);
    });
    parts.push('</g><g stroke="#ffffff" stroke-width="0.5">');
    const labelled = new Set(sigma.getNodeDisplayedLabels());
    const nodeLabels: string[] = [];
    this.graph.forEachNode((key) => {
      const v = nodeView(key);
      if (!v || v.hidden || !inView(v.x, v.y, v.r)) return;
      const { color, opacity } = svgColor(v.color);
      parts.push(`<circle cx="${f(v.x)}" cy="${f(v.y)}" r="${v.r.toFixed(2)}" fill="${color}"${opacity < 1 ? ` fill-opacity="${opacity}"` : ''}/>`);
      const d = sigma.getNodeDisplayData(key);
      if (d?.label && (labelled.has(key) || d.forceLabel)) nodeLabels.push(`<text x="${f(v.x + v.r + 3)}" y="${f(v.y + 4)}" font-size="12" fill="#14181f">${xml(d.label)}</text>`);
    });
    parts.push('</g>');
    if (this.center) {
      const c = nodeView(this.center);
      if (c && !c.hidden) parts.push(`<circle cx="${f(c.x)}" cy="${f(c.y)}" r="${(c.r + 3).toFixed(2)}" fill="none" stroke="${CENTER_COLOR}" stroke-width="3"/>`);
    }
    parts.push('<g>', ...nodeLabels, ...edgeLabels, '</g></svg>');
    return parts.join('\n');
  }

  // ---------------------------------------------------------------- test hook support

  /**
   * Animates the camera (zoom in while panning, then back) for `ms` and samples requestAnimationFrame
   * intervals. Moving with `camera.animate` counts as "moving" for sigma (hideEdgesOnMove applies).
   */
  measureFrames(ms: number): Promise<FrameStats> {
    const camera = this.sigma.getCamera();
    const start = camera.getState();
    const deltas: number[] = [];
    return new Promise((resolve) => {
      let last = -1;
      let begin = -1;
      const legs = [
        { x: start.x + 0.15 * start.ratio, y: start.y + 0.1 * start.ratio, ratio: start.ratio * 0.35 },
        { x: start.x - 0.15 * start.ratio, y: start.y - 0.1 * start.ratio, ratio: start.ratio * 0.6 },
        { x: start.x, y: start.y, ratio: start.ratio },
      ];
      let leg = 0;
      const nextLeg = () => {
        if (leg >= legs.length) leg = 0;
        void camera.animate(legs[leg++]!, { duration: Math.max(50, ms / legs.length), easing: 'linear' }).then(() => {
          if (begin >= 0 && performance.now() - begin < ms) nextLeg();
        });
      };
      const step = (now: number) => {
        if (begin < 0) {
          begin = now;
          last = now;
          nextLeg();
        } else {
          deltas.push(now - last);
          last = now;
        }
        if (now - begin < ms) requestAnimationFrame(step);
        else {
          void camera.animate(start, { duration: 0 });
          const sorted = deltas.slice().sort((a, b) => a - b);
          const sum = deltas.reduce((a, b) => a + b, 0);
          resolve({
            frames: deltas.length,
            meanMs: deltas.length ? round2(sum / deltas.length) : 0,
            p95Ms: sorted.length ? round2(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!) : 0,
            maxMs: sorted.length ? round2(sorted[sorted.length - 1]!) : 0,
          });
        }
      };
      requestAnimationFrame(step);
    });
  }

  destroy(): void {
    this.killed = true;
    this.stopLayout();
    this.listeners.clear();
    this.sigma.kill();
  }
}

function growInt(a: Int32Array, size: number): Int32Array {
  if (a.length >= size) return a;
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Premultiplied `rgba(r, g, b, a)` (see colors.premultiplied) → SVG colour + opacity. */
function svgColor(c: string): { color: string; opacity: number } {
  const m = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(c);
  if (!m) return { color: c, opacity: 1 };
  const a = m[4] !== undefined ? Number(m[4]) : 1;
  const un = (x: string | undefined) => Math.min(255, Math.round(Number(x) / (a > 0 ? a : 1)));
  return { color: `rgb(${un(m[1])},${un(m[2])},${un(m[3])})`, opacity: a };
}

function segmentCrossesBox(a: { x: number; y: number }, b: { x: number; y: number }, w: number, h: number): boolean {
  // cheap test: the segment's bounding box overlaps the viewport
  return Math.max(a.x, b.x) >= 0 && Math.min(a.x, b.x) <= w && Math.max(a.y, b.y) >= 0 && Math.min(a.y, b.y) <= h;
}
