/**
 * Layouts: a deterministic hop-ring layout (immediate first paint) and a time-bounded ForceAtlas2 run in a
 * web worker. The worker moves a private "shadow" graph; positions are copied to the rendered graph at an
 * adaptive interval, so a 10k-node / 50k-edge graph never blocks the main thread for long.
 */
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import FA2Layout from 'graphology-layout-forceatlas2/worker';

const GOLDEN = 0.6180339887498949;

/**
 * Hop rings around the centre: ring k is an annulus whose area grows with its node count, and nodes of a
 * ring are ordered by the angle of a neighbour in the ring inside it, so children sit near their parents.
 * `hops` is modified in place when it is inconsistent (e.g. an imported file without hops): it is then
 * recomputed by breadth-first search from the centre.
 */
export function ringLayout(n: number, center: number, hops: Int32Array, src: Int32Array, tgt: Int32Array): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (n === 0) return { x, y };
  const m = src.length;
  // Undirected adjacency in CSR form (cheap, typed).
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    deg[src[e]! + 1]!++;
    deg[tgt[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) deg[i + 1]! += deg[i]!;
  const adj = new Int32Array(2 * m);
  const fill = deg.slice(0, n);
  for (let e = 0; e < m; e++) {
    const s = src[e]!;
    const t = tgt[e]!;
    adj[fill[s]!++] = t;
    adj[fill[t]!++] = s;
  }
  if (!hopsConsistent(n, center, hops, deg, adj)) bfsHops(n, center, hops, deg, adj);

  let maxHop = 0;
  for (let i = 0; i < n; i++) if (hops[i]! > maxHop) maxHop = hops[i]!;
  const rings: number[][] = Array.from({ length: maxHop + 1 }, () => []);
  for (let i = 0; i < n; i++) rings[hops[i]!]!.push(i);

  const angle = new Float64Array(n);
  let rIn = 0;
  for (let k = 0; k <= maxHop; k++) {
    const ring = rings[k]!;
    if (ring.length === 0) continue;
    if (k === 0 && ring.length === 1) {
      x[ring[0]!] = 0;
      y[ring[0]!] = 0;
      rIn = 2;
      continue;
    }
    // Sort by the angle of the first neighbour one ring inside (nodes without one keep their order).
    const key = new Float64Array(ring.length);
    ring.forEach((v, j) => {
      let a = (j / ring.length) * 2 * Math.PI;
      for (let p = deg[v]!; p < deg[v + 1]!; p++) {
        const u = adj[p]!;
        if (hops[u] === k - 1) {
          a = angle[u]!;
          break;
        }
      }
      key[j] = a;
    });
    const orderIdx = ring.map((_, j) => j).sort((a, b) => key[a]! - key[b]! || a - b);
    const rOut = Math.sqrt(rIn * rIn + (ring.length * 4) / Math.PI) + 1;
    const width = rOut - rIn;
    for (let j = 0; j < orderIdx.length; j++) {
      const v = ring[orderIdx[j]!]!;
      const a = ((j + 0.5) / ring.length) * 2 * Math.PI;
      const r = rIn + width * (0.15 + 0.7 * ((j * GOLDEN) % 1));
      angle[v] = a;
      x[v] = r * Math.cos(a);
      y[v] = r * Math.sin(a);
    }
    rIn = rOut + 1;
  }
  return { x, y };
}

function hopsConsistent(n: number, center: number, hops: Int32Array, off: Int32Array, adj: Int32Array): boolean {
  if (center < 0 || hops[center] !== 0) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    if (hops[i]! < 0) return false;
    if (hops[i] === 0) zeros++;
    // every node beyond the centre needs a neighbour one hop closer
    if (hops[i]! > 0) {
      let ok = false;
      for (let p = off[i]!; p < off[i + 1]! && !ok; p++) ok = hops[adj[p]!] === hops[i]! - 1;
      if (!ok && off[i] !== off[i + 1]) return false;
    }
  }
  return zeros === 1 || n === 1;
}

function bfsHops(n: number, center: number, hops: Int32Array, off: Int32Array, adj: Int32Array): void {
  hops.fill(-1);
  const queue = new Int32Array(n);
  let maxHop = 0;
  const start = center >= 0 ? center : 0;
  let head = 0;
  let tail = 0;
  hops[start] = 0;
  queue[tail++] = start;
  while (head < tail) {
    const v = queue[head++]!;
    for (let p = off[v]!; p < off[v + 1]!; p++) {
      const u = adj[p]!;
      if (hops[u] === -1) {
        hops[u] = hops[v]! + 1;
        if (hops[u]! > maxHop) maxHop = hops[u]!;
        queue[tail++] = u;
      }
    }
  }
  for (let i = 0; i < n; i++) if (hops[i] === -1) hops[i] = maxHop + 1;
}

export interface LayoutRun {
  stop(): void;
  readonly running: boolean;
}

/**
 * Runs ForceAtlas2 in a worker for at most `ms` milliseconds on a shadow copy of `graph` (nodes with x/y,
 * edges without attributes), calling `apply(positions)` when positions are due to be shown; `apply`
 * returns how long it took, and the next copy waits 4× that (so the main thread stays ≥ 80 % free).
 */
export function runForceAtlas2(graph: AbstractGraph, ms: number, apply: (shadow: AbstractGraph) => number, onEnd: () => void): LayoutRun {
  const shadow = new Graph({ multi: true, allowSelfLoops: true, type: 'mixed' });
  graph.forEachNode((key, attr) => {
    shadow.addNode(key, { x: attr.x as number, y: attr.y as number });
  });
  graph.forEachEdge((_e, _a, s, t) => {
    if (s !== t) shadow.addEdge(s, t);
  });
  const settings = { ...forceAtlas2.inferSettings(shadow.order), barnesHutOptimize: shadow.order > 2000 };
  const fa2 = new FA2Layout(shadow, { settings, getEdgeWeight: null });
  let running = true;
  let frame = 0;
  let lastApply = performance.now();
  let wait = 0;
  const started = lastApply;
  const tick = (now: number) => {
    if (!running) return;
    if (now - started >= ms) {
      finish();
      return;
    }
    if (now - lastApply >= wait) {
      const cost = apply(shadow);
      lastApply = performance.now();
      wait = Math.min(1000, cost * 4);
    }
    frame = requestAnimationFrame(tick);
  };
  const finish = () => {
    if (!running) return;
    running = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    fa2.stop();
    apply(shadow);
    fa2.kill();
    onEnd();
  };
  fa2.start();
  frame = requestAnimationFrame(tick);
  // rAF stops in a background tab: the time bound must still hold.
  const timer = setTimeout(finish, ms + 100);
  return {
    stop: finish,
    get running() {
      return running;
    },
  };
}
