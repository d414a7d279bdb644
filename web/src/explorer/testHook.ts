/**
 * `window.__rastroExplorer`: the end-to-end performance test's handle on the explorer (installed while the
 * page is mounted, removed on unmount). Keep it: e2e tests depend on it.
 *
 * - `load(graph)` — loads `{nodes, edges, center?}` through the same code path as "Import JSON"
 *   (validation, ring layout, sigma, bounded ForceAtlas2); resolves after the first frame.
 * - `stats()` — node/edge counts of the live graph and whether the layout worker is running.
 * - `measureFrames(ms)` — animates the camera (zoom + pan) for `ms` milliseconds while sampling
 *   requestAnimationFrame intervals; resolves `{frames, meanMs, p95Ms, maxMs}`.
 * - `selectNode(id)` — selects a node (side panel) and centres the camera on it.
 * - `findPath(from, to)` — runs "Find path" (server for server graphs, in-graph search for imported
 *   ones); resolves whether a path was found.
 */
import type { FrameStats } from './controller';
import type { GraphJson } from './types';

export interface ExplorerTestHook {
  load(graph: GraphJson): Promise<void>;
  stats(): { nodes: number; edges: number; layoutRunning: boolean };
  measureFrames(ms: number): Promise<FrameStats>;
  selectNode(id: string): void;
  findPath(from: string, to: string): Promise<boolean>;
}

declare global {
  interface Window {
    __rastroExplorer?: ExplorerTestHook;
  }
}

export function installTestHook(hook: ExplorerTestHook): () => void {
  window.__rastroExplorer = hook;
  return () => {
    if (window.__rastroExplorer === hook) delete window.__rastroExplorer;
  };
}
