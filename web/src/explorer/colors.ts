/** Node colour modes (typology palette, risk gradient, tag category) and the fixed rendering colours. */
import type { ColorMode, GraphNode, TagCategory } from './types';

/** Categorical palette (Tableau 10, reordered so neighbours differ): one colour per frequent typology. */
export const TYPOLOGY_PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22'] as const;
export const TYPOLOGY_OTHER = '#7f7f7f';
export const NO_VALUE = '#b8c2cf';

export const TAG_ORDER: readonly TagCategory[] = ['sanctioned', 'mixer', 'market', 'exchange', 'other'];
export const TAG_COLORS: Record<TagCategory, string> = {
  sanctioned: '#b2182b',
  mixer: '#6a3d9a',
  market: '#e66101',
  exchange: '#0571b0',
  other: '#8a96a8',
};

/** Risk 0 → 1: green → yellow → red (checked for colour-blind separability by lightness as well). */
const RISK_STOPS: readonly [number, number, number][] = [
  [26, 152, 80],
  [254, 224, 139],
  [215, 48, 39],
];
export const RISK_STEPS = 21;
export const RISK_LUT: readonly string[] = Array.from({ length: RISK_STEPS }, (_, i) => riskColor(i / (RISK_STEPS - 1)));

function riskColor(r: number): string {
  const x = Math.min(1, Math.max(0, r)) * (RISK_STOPS.length - 1);
  const i = Math.min(RISK_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = RISK_STOPS[i]!;
  const b = RISK_STOPS[i + 1]!;
  const c = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f).toString(16).padStart(2, '0');
  return `#${c(0)}${c(1)}${c(2)}`;
}

export const RISK_GRADIENT_CSS = `linear-gradient(to right, ${RISK_LUT[0]}, ${RISK_LUT[(RISK_STEPS - 1) / 2]}, ${RISK_LUT[RISK_STEPS - 1]})`;

/**
 * A translucent colour for sigma: its WebGL blending is (ONE, ONE_MINUS_SRC_ALPHA), so colours must be
 * premultiplied by their alpha (a plain rgba() would come out lighter and bluish).
 */
export function premultiplied(r: number, g: number, b: number, a: number): string {
  return `rgba(${Math.round(r * a)}, ${Math.round(g * a)}, ${Math.round(b * a)}, ${a})`;
}

/** Edge colour for a graph of `m` edges: the more edges, the more transparent (overlaps add up). */
export function edgeColor(m: number): string {
  return premultiplied(74, 85, 102, Math.round(Math.min(0.5, Math.max(0.07, 14 / Math.sqrt(Math.max(1, m)))) * 100) / 100);
}
export const EDGE_DIM = premultiplied(150, 160, 175, 0.15);
export const EDGE_ADJACENT = '#0b5394';
export const EDGE_SELECTED = '#f2a900';
export const PATH_COLOR = '#c2185b';
export const NODE_DIM = '#e3e7ed';
export const CENTER_COLOR = '#0d2136';

export function tagCategory(tags: readonly string[]): TagCategory {
  for (const c of TAG_ORDER) if (c !== 'other' && tags.includes(c)) return c;
  return 'other';
}

/** The typologies of a graph by node frequency, most frequent first: the first 9 get their own colour. */
export function rankTypologies(nodes: readonly GraphNode[]): string[] {
  const counts = new Map<string, number>();
  for (const n of nodes) for (const t of n.typologies) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
}

export function typologyRanks(ranked: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  ranked.forEach((t, i) => m.set(t, i));
  return m;
}

export function typologyColor(rank: number | undefined): string {
  return rank === undefined ? NO_VALUE : (TYPOLOGY_PALETTE[rank] ?? TYPOLOGY_OTHER);
}

/** One colour per node for a mode, as an array aligned with the interned node indices. */
export function nodeColors(mode: ColorMode, nodes: readonly GraphNode[], ranks: Map<string, number>): string[] {
  const out = new Array<string>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (mode === 'risk') out[i] = RISK_LUT[Math.round(Math.min(1, Math.max(0, n.risk)) * (RISK_STEPS - 1))]!;
    else if (mode === 'tag') out[i] = TAG_COLORS[tagCategory(n.tags)];
    else {
      // The node's most frequent typology (lowest rank) decides its colour.
      let best: number | undefined;
      for (const t of n.typologies) {
        const r = ranks.get(t);
        if (r !== undefined && (best === undefined || r < best)) best = r;
      }
      out[i] = typologyColor(best);
    }
  }
  return out;
}

/**
 * Edge thickness (px at zoom 1) from the USD amount, log scale ($1 → 0.7, $10k → 2.5, $1M → 3.4, cap 4.5),
 * thinner in dense graphs (overlaps stay readable and there are fewer pixels to fill).
 */
export function edgeSize(amountUsd: number, edges: number): number {
  const scale = edges > 20_000 ? 0.5 : edges > 5_000 ? 0.65 : edges > 1_000 ? 0.8 : 1;
  return Math.min(4.5, 0.7 + 0.45 * Math.log10(1 + Math.max(0, amountUsd))) * scale;
}

/** Node size from the number of counterparties (log scale), smaller in big graphs. */
export function nodeSize(degree: number, order: number): number {
  const scale = order > 2_000 ? 0.7 : order > 500 ? 0.85 : 1;
  return Math.min(12, (2.5 + 1.5 * Math.log2(1 + degree)) * scale);
}
