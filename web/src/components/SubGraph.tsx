/**
 * The implicated subgraph of an alert, small enough for SVG: accounts on a circle (hub-like accounts inside),
 * one arrow per sending pair with its total amount and first time on the edge.
 */
import { useMemo } from 'react';
import { formatMoney, formatTime, t } from '../strings';

export interface FlowTx {
  id: string;
  time: string;
  fromAccount: string;
  toAccount: string;
  amountMinor: number;
  currency: string;
}

const W = 720;
const H = 360;

export function SubGraph({ transactions, highlight }: { transactions: readonly FlowTx[]; highlight: readonly string[] }) {
  const { nodes, edges } = useMemo(() => {
    const degree = new Map<string, number>();
    const pairs = new Map<string, { from: string; to: string; amount: number; currency: string; first: string; count: number }>();
    for (const x of transactions) {
      degree.set(x.fromAccount, (degree.get(x.fromAccount) ?? 0) + 1);
      degree.set(x.toAccount, (degree.get(x.toAccount) ?? 0) + 1);
      const key = `${x.fromAccount}\u0000${x.toAccount}`;
      const p = pairs.get(key);
      if (p) {
        p.amount += x.amountMinor;
        p.count++;
        if (x.time < p.first) p.first = x.time;
        if (p.currency !== x.currency) p.currency = 'MIXED';
      } else pairs.set(key, { from: x.fromAccount, to: x.toAccount, amount: x.amountMinor, currency: x.currency, first: x.time, count: 1 });
    }
    for (const a of highlight) if (!degree.has(a)) degree.set(a, 0);
    const ids = [...degree.keys()].sort((a, b) => degree.get(b)! - degree.get(a)!);
    // the busiest accounts (hubs) in the middle, the rest around them
    const hubs = ids.filter((id, i) => i < 2 && degree.get(id)! > Math.max(2, ids.length / 3));
    const ring = ids.filter((id) => !hubs.includes(id));
    const pos = new Map<string, { x: number; y: number }>();
    hubs.forEach((id, i) => pos.set(id, { x: W / 2 + (hubs.length === 1 ? 0 : i === 0 ? -90 : 90), y: H / 2 }));
    ring.forEach((id, i) => {
      const a = (2 * Math.PI * i) / Math.max(1, ring.length) - Math.PI / 2;
      pos.set(id, { x: W / 2 + Math.cos(a) * (W / 2 - 90), y: H / 2 + Math.sin(a) * (H / 2 - 40) });
    });
    return { nodes: ids.map((id) => ({ id, ...pos.get(id)! })), edges: [...pairs.values()].map((p) => ({ ...p, a: pos.get(p.from)!, b: pos.get(p.to)! })) };
  }, [transactions, highlight]);

  const max = Math.max(1, ...edges.map((e) => e.amount));
  const showLabels = edges.length <= 40;
  return (
    <svg className="subgraph" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('alert.subgraphLabel', { nodes: nodes.length, edges: edges.length })} data-testid="alert-subgraph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6b80" />
        </marker>
      </defs>
      {edges.map((e) => {
        const mx = (e.a.x + e.b.x) / 2;
        const my = (e.a.y + e.b.y) / 2;
        return (
          <g key={`${e.from}>${e.to}`}>
            <line x1={e.a.x} y1={e.a.y} x2={e.b.x} y2={e.b.y} stroke="#5b6b80" strokeOpacity={0.75} strokeWidth={1 + 5 * Math.sqrt(e.amount / max)} markerEnd="url(#arrow)">
              <title>{`${e.from} → ${e.to}: ${formatMoney(e.amount, e.currency)} in ${e.count} (${formatTime(e.first)})`}</title>
            </line>
            {showLabels ? (
              <text x={mx} y={my - 4} fontSize={10} textAnchor="middle" fill="#14181f" paintOrder="stroke" stroke="#fff" strokeWidth={3}>
                {formatMoney(e.amount, e.currency)} · {e.first.slice(5, 16).replace('T', ' ')}
              </text>
            ) : null}
          </g>
        );
      })}
      {nodes.map((n) => (
        <g key={n.id}>
          <circle cx={n.x} cy={n.y} r={highlight.includes(n.id) ? 9 : 6} fill={highlight.includes(n.id) ? '#a4161a' : '#0b5394'} stroke="#fff" strokeWidth={1.5}>
            <title>{n.id}</title>
          </circle>
          <text x={n.x} y={n.y + 20} fontSize={10} textAnchor="middle" fill="#14181f" paintOrder="stroke" stroke="#fff" strokeWidth={3}>
            {n.id.length > 22 ? `${n.id.slice(0, 21)}…` : n.id}
          </text>
        </g>
      ))}
    </svg>
  );
}
