/**
 * The laundering shapes of IBM AMLSim and IBM AMLworld, generated from parameters rather than copied from
 * IBM's attempts (that is `ibm-patterns`): one scheme per shape, each named as the shape
 * (type FAN-IN, FAN-OUT, CYCLE, SCATTER-GATHER, GATHER-SCATTER, BIPARTITE, STACK).
 *
 * - fan-in: k accounts pay one account within the period; fan-out: one account pays k.
 * - cycle: money goes round n accounts back to the first, each hop a little smaller (the margin each
 *   intermediary keeps), hops hours to days apart.
 * - scatter-gather: one account pays k intermediaries, each passes its part (less a margin) on to one sink.
 * - gather-scatter: k accounts pay one hub, which pays the total (less a margin) out to m accounts.
 * - bipartite: m senders pay n receivers, many-to-many, within the period.
 * - stack: three layers, each account of a layer paying every account of the next (layered bipartite),
 *   the middle layer passing on what it received less a margin.
 *
 * Members are people and businesses of the world (with their normal lives) and some fresh accounts, mostly
 * of one country, a share across a border (with the conversion). Amounts are log-normal around the given
 * dollar medians, converted to local currency.
 *
 * Sources: IBM AMLSim (Suzumura and Kanezashi, 2021; typologies fan_in, fan_out, cycle, bipartite, stack,
 * scatter_gather, gather_scatter in `alertPatterns.csv`); Altman et al., Realistic Synthetic Financial
 * Transactions for Anti-Money Laundering Models (NeurIPS 2023), figure of the eight AMLworld patterns.
 */
import type { Channel } from '../../model/index.js';
import { COUNTRIES } from '../geography.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  arrive,
  between,
  DAY_MS,
  dayOf,
  HOUR_MS,
  instanceCount,
  localTime,
  MINUTE_MS,
  pay,
  planInstances,
  startDay,
  uniform,
  usdToMinor,
  type Arrivals,
  type CommonParams,
  type Range,
} from './common.js';

export const SHAPES = ['fan-in', 'fan-out', 'cycle', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack'] as const;
export type Shape = (typeof SHAPES)[number];

export interface ShapeParams extends CommonParams {
  /** Degree (fan), hops (cycle), intermediaries (scatter-gather), sources (gather-scatter), side (bipartite), layer width (stack). */
  accounts: Range;
  /** Destinations of gather-scatter. */
  destinations: Range;
  /** Median of one transfer (of the first, for layered shapes), US dollars, and its log-spread. */
  amountUsd: number;
  amountSigma: number;
  /** Length of the instance in days. */
  periodDays: Range;
  /** What each intermediary keeps (layered shapes). */
  margin: Range;
  /** Share of instances with members in a second country. */
  crossBorder: number;
  /** Share of members that are businesses. */
  businessShare: number;
}

const BASE: ShapeParams = {
  per100k: 10,
  min: 1,
  scale: 1,
  recruitedShare: 0.7,
  accounts: [5, 16],
  destinations: [3, 10],
  amountUsd: 3_000,
  amountSigma: 0.5,
  periodDays: [1, 10],
  margin: [0.01, 0.05],
  crossBorder: 0.15,
  businessShare: 0.15,
};

export const SHAPE_DEFAULTS: Readonly<Record<Shape, ShapeParams>> = {
  'fan-in': { ...BASE },
  'fan-out': { ...BASE },
  cycle: { ...BASE, accounts: [3, 8], amountUsd: 20_000, amountSigma: 0.6, periodDays: [3, 20] },
  'scatter-gather': { ...BASE, accounts: [3, 10], amountUsd: 6_000, periodDays: [2, 10] },
  'gather-scatter': { ...BASE, accounts: [3, 10], destinations: [3, 10], amountUsd: 5_000, periodDays: [2, 12] },
  bipartite: { ...BASE, accounts: [2, 6], amountUsd: 5_000, periodDays: [1, 10] },
  stack: { ...BASE, accounts: [2, 5], amountUsd: 5_000, periodDays: [3, 14] },
};

function channelFor(rng: Rng, code: string): Channel {
  const u = rng.next();
  if (code === 'US') return u < 0.5 ? 'ach' : u < 0.85 ? 'wire' : u < 0.95 ? 'cheque' : 'mobile';
  return u < 0.55 ? 'ach' : u < 0.9 ? 'wire' : 'mobile';
}

const TITLES: Readonly<Record<Shape, (n: number, m: number) => string>> = {
  'fan-in': (n) => `FAN-IN:  ${n}-degree Fan-In`,
  'fan-out': (n) => `FAN-OUT:  ${n}-degree Fan-Out`,
  cycle: (n) => `CYCLE:  ${n}-hop Cycle`,
  'scatter-gather': (n) => `SCATTER-GATHER:  ${n} intermediaries`,
  'gather-scatter': (n, m) => `GATHER-SCATTER:  ${n}-degree Fan-In, ${m}-degree Fan-Out`,
  bipartite: (n, m) => `BIPARTITE:  ${n} x ${m}`,
  stack: (n, m) => `STACK:  3 layers of ${n} to ${m} accounts`,
};

export function shapeScheme(shape: Shape, overrides: Partial<ShapeParams> = {}): Scheme {
  const p: ShapeParams = { ...SHAPE_DEFAULTS[shape], ...overrides };
  const type = shape.toUpperCase();
  return {
    name: shape,
    summary: `${shape} shape (AMLSim / AMLworld), generated from parameters`,
    plan(world: World, rng: Rng): SchemeInstance[] {
      const weights = COUNTRIES.map((c) => c.populationShare);
      const pickC = (): number => {
        let u = rng.next() * weights.reduce((a, b) => a + b, 0);
        for (let i = 0; i < weights.length; i++) if ((u -= weights[i]!) < 0) return i;
        return 0;
      };
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const home = pickC();
        const other = rng.chance(p.crossBorder) ? pickC() : home;
        const code = COUNTRIES[home]!.code;
        const period = between(rng, p.periodDays);
        const first = startDay(world, rng, period + 4);
        const start = world.calendar.startMs + first * DAY_MS;
        /** A member in the home country, or (for a share of the places, when cross-border) the other one. */
        const member = (away = false): number => {
          const c = away && rng.chance(0.5) ? other : home;
          return rng.chance(p.businessShare) ? recruit.business(c, ['employer', 'merchant', 'shop', 'supplier']) : recruit.member(c, p.recruitedShare);
        };
        const amount = (from: number, day: number, scale = 1): number =>
          usdToMinor(world, rng.logNormal(p.amountUsd * scale, p.amountSigma), world.accountCurrency[from]!, day);
        const at = (dayOffset: number): number => localTime(world, rng, first + Math.min(period, Math.max(0, Math.floor(dayOffset))), home, rng.chance(0.6) ? 'office' : 'personal');
        const hop = (from: number, to: number, t: number, minor: number): PlannedTx => pay(world, t, from, to, minor, world.accountCountry[from] !== world.accountCountry[to] ? 'wire' : channelFor(rng, code), 0.015);
        const later = (t: number, lo: number, hi: number): number => t + Math.round(uniform(rng, [lo, hi]) * HOUR_MS / MINUTE_MS) * MINUTE_MS;
        const transactions: PlannedTx[] = [];
        let a = 0;
        let b = 0;
        switch (shape) {
          case 'fan-in':
          case 'fan-out': {
            a = between(rng, p.accounts);
            const hub = member();
            for (let i = 0; i < a; i++) {
              const other = member(true);
              const t = at(rng.int(period + 1));
              const [from, to] = shape === 'fan-in' ? [other, hub] : [hub, other];
              transactions.push(hop(from, to, t, amount(from, dayOf(world, t))));
            }
            break;
          }
          case 'cycle': {
            a = between(rng, p.accounts);
            const ring = Array.from({ length: a }, (_v, i) => member(i > 0));
            let t = at(0);
            let minor = amount(ring[0]!, first);
            for (let i = 0; i < a; i++) {
              const from = ring[i]!;
              const to = ring[(i + 1) % a]!;
              const payment = hop(from, to, t, minor);
              transactions.push(payment);
              minor = Math.round(payment.amountMinor * (1 - uniform(rng, p.margin)));
              t = later(t, 4, (period * 24) / a);
            }
            break;
          }
          case 'scatter-gather': {
            a = between(rng, p.accounts);
            const source = member();
            const sink = member(true);
            for (let i = 0; i < a; i++) {
              const mid = member(true);
              const t = at(rng.int(Math.max(1, period / 2)));
              const out = hop(source, mid, t, amount(source, dayOf(world, t)));
              transactions.push(out);
              transactions.push(hop(mid, sink, later(t, 6, 72), Math.round(out.amountMinor * (1 - uniform(rng, p.margin)))));
            }
            break;
          }
          case 'gather-scatter': {
            a = between(rng, p.accounts);
            b = between(rng, p.destinations);
            const hub = member();
            let total = 0;
            let last = start;
            for (let i = 0; i < a; i++) {
              const from = member(true);
              const t = at(rng.int(Math.max(1, period / 2)));
              const payment = hop(from, hub, t, amount(from, dayOf(world, t)));
              transactions.push(payment);
              total += payment.amountMinor;
              last = Math.max(last, t);
            }
            const out = total * (1 - uniform(rng, p.margin));
            let t = later(last, 6, 48);
            for (let i = 0; i < b; i++) {
              transactions.push(hop(hub, member(true), t, Math.round((out / b) * uniform(rng, [0.8, 1.2]))));
              t = later(t, 0.1, 12);
            }
            break;
          }
          case 'bipartite': {
            a = between(rng, p.accounts);
            b = between(rng, p.accounts);
            const senders = Array.from({ length: a }, () => member());
            const receivers = Array.from({ length: b }, () => member(true));
            const got = new Set<number>();
            senders.forEach((s, i) => {
              const targets = receivers.filter(() => rng.chance(0.6));
              if (targets.length === 0) targets.push(receivers[i % b]!);
              for (const r of targets) {
                const t = at(rng.int(period + 1));
                transactions.push(hop(s, r, t, amount(s, dayOf(world, t))));
                got.add(r);
              }
            });
            for (const r of receivers) {
              if (got.has(r)) continue;
              const s = rng.pick(senders);
              const t = at(rng.int(period + 1));
              transactions.push(hop(s, r, t, amount(s, dayOf(world, t))));
            }
            break;
          }
          case 'stack': {
            a = between(rng, p.accounts);
            b = between(rng, p.accounts);
            const c3 = between(rng, p.accounts);
            const l1 = Array.from({ length: a }, () => member());
            const l2 = Array.from({ length: b }, () => member(true));
            const l3 = Array.from({ length: c3 }, () => member(true));
            const inMiddle: Arrivals = new Map();
            for (const x of l1) {
              for (const y of l2) {
                const t = at(rng.int(Math.max(1, period / 2)));
                const payment = hop(x, y, t, amount(x, dayOf(world, t), 1 / b));
                transactions.push(payment);
                arrive(inMiddle, y, payment.amountMinor, t);
              }
            }
            for (const [y, m] of inMiddle) {
              const out = m.minor * (1 - uniform(rng, p.margin));
              let t = later(m.lastMs, 6, 48);
              for (const z of l3) {
                transactions.push(hop(y, z, t, Math.round(out / c3)));
                t = later(t, 0.1, 6);
              }
            }
            b = Math.max(a, b, c3);
            a = Math.min(a, l2.length, c3);
            break;
          }
        }
        return {
          id: `${shape}-${k}`,
          scheme: shape,
          type,
          title: TITLES[shape](a, b),
          accounts: transactions.flatMap((t) => [t.from, t.to]),
          transactions,
        };
      });
    },
  };
}
