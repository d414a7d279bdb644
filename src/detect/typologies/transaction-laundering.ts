/**
 * transaction-laundering: a card merchant whose takings do not look like a business selling to the public
 * (the fake travel sites of the field). Card schemes' indicators, computed over the merchant's card payments
 * in a window: few distinct price points carry most of the takings, the same cards pay again and again, and
 * payments come at night. Evaluated once every `evaluateEvery` card payments per merchant (a quarter of its
 * window's payments for busy merchants), over at most the
 * `maxEdgesScanned` newest of them (older ones in the window are then not seen).
 *
 * Cost: the detector keeps, per account, a queue of its recent card payments in (time, amount, position in
 * the account's incoming transactions), so most evaluations — a merchant with too few payments or too small
 * an average — are decided from that queue without walking the window graph. The queue gives exactly what
 * the walk would count (same payments, summed in the same order) as long as the account's incoming
 * transactions arrive in time order; an account that ever receives one out of order (late input) is judged
 * by the walk from then on. Evaluations that pass both gates are always made by the walk.
 */
import { z } from 'zod';
import { channelIndex } from '../../model/index.js';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type DetectorContext, type Typology } from '../typology.js';
import { AccountColumn, sizeOf } from './flow.js';

const TransactionLaunderingParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6),
    windowHours: z.number().positive().max(24 * 90).default(24 * 7).describe('look-back window over the merchant\'s card payments'),
    minPayments: z.number().int().min(5).max(100_000).default(20).describe('card payments in the window before a merchant is judged'),
    evaluateEvery: z.number().int().min(1).max(100_000).default(10).describe('card payments per merchant between two evaluations'),
    pricePoints: z.number().int().min(1).max(20).default(5).describe('how many of the most frequent amounts count as "fixed prices"'),
    minAveragePayment: z.number().min(0).default(100).describe('merchants whose average card payment is below this (base currency) are not judged: a café sells the same coffee to the same regulars'),
    repeatCardPayments: z.number().int().min(2).max(100).default(3).describe('a card paying the merchant this often in the window is a repeat card'),
    nightFromHour: z.number().int().min(0).max(23).default(0).describe('night starts at this UTC hour'),
    nightToHour: z.number().int().min(1).max(24).default(5).describe('night ends before this UTC hour'),
    maxEdgesScanned: z.number().int().min(8).max(100_000).default(512),
  })
  .strict();
type TransactionLaunderingParams = z.infer<typeof TransactionLaunderingParams>;

const CARD = channelIndex('card');

export const transactionLaundering: Typology<TransactionLaunderingParams> = {
  name: 'transaction-laundering',
  summary: 'a card merchant whose takings do not look like sales: few fixed prices, the same cards again and again, at night',
  params: TransactionLaunderingParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: (ctx, p) => transactionLaunderingDetector(ctx, p),
};

/**
 * A merchant's recent card payments, oldest first, in a growable circular buffer of 4-number records
 * (one cache line holds two): time, base amount, position among the account's incoming transactions (all
 * channels), global transaction number.
 */
class CardQueue {
  data: Float64Array = new Float64Array(32);
  head = 0;
  length = 0;

  push(time: number, base: number, seq: number, tx: number): void {
    let data = this.data;
    if (this.length * 4 === data.length) data = this.grow();
    const k = ((this.head + this.length) * 4) & (data.length - 1);
    data[k] = time;
    data[k + 1] = base;
    data[k + 2] = seq;
    data[k + 3] = tx;
    this.length++;
  }

  private grow(): Float64Array {
    const old = this.data;
    const next = new Float64Array(old.length * 2);
    const mask = old.length - 1;
    for (let i = 0; i < this.length * 4; i++) next[i] = old[(this.head * 4 + i) & mask]!;
    this.data = next;
    this.head = 0;
    return next;
  }

  /**
   * Drop the oldest payments the walk from the newest incoming transaction (position `seqNow`) would not
   * reach: older than `sinceMs`, `cap` or more positions back, or out of the ring (number below `minLive`).
   */
  trim(sinceMs: number, seqNow: number, cap: number, minLive: number): void {
    const data = this.data;
    const slots = data.length / 4 - 1;
    while (this.length > 0) {
      const k = this.head * 4;
      if (data[k]! >= sinceMs && seqNow - data[k + 2]! < cap && data[k + 3]! >= minLive) break;
      this.head = (this.head + 1) & slots;
      this.length--;
    }
  }

  /** Sum of the amounts (NaN skipped), newest first: the walk's order, so the same floating-point result. */
  sumNewestFirst(): number {
    const data = this.data;
    const mask = data.length - 1;
    let sum = 0;
    for (let i = this.length - 1; i >= 0; i--) {
      const a = data[((this.head + i) * 4 + 1) & mask]!;
      if (a === a) sum += a;
    }
    return sum;
  }
}

export interface TransactionLaunderingOptions {
  /** Decide the gates from the per-merchant queues (default); false: walk the window graph every time. */
  queues?: boolean;
}

/** The detector; `options.queues: false` is the plain walk, kept for tests that compare the two. */
export function transactionLaunderingDetector(ctx: DetectorContext, p: TransactionLaunderingParams, options: TransactionLaunderingOptions = {}): Detector {
  const g = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const useQueues = options.queues !== false;
  // Per account, 4 numbers: [0] card payments since its last evaluation; [1] how many the next evaluation
  // waits for (busy merchants are re-judged less often: after n payments in the window, the next look waits
  // for n/4 more); [2] incoming transactions so far (all channels); [3] time of the newest one, NaN once one
  // came out of time order (the walk then judges the account).
  let state = new Float64Array(4 * 1024);
  const edges: number[] = [];
  const cards: number[] = [];
  const cardCount = new AccountColumn(1024, 0);
  const priceCount = new Map<number, number>();
  for (let i = 3; i < state.length; i += 4) state[i] = -Infinity;
  const queues: (CardQueue | undefined)[] = [];

  function stateOf(account: number): Float64Array {
    if (account * 4 >= state.length) {
      let n = state.length;
      while (n <= account * 4) n *= 2;
      const next = new Float64Array(n);
      next.set(state);
      for (let i = state.length + 3; i < n; i += 4) next[i] = -Infinity;
      state = next;
    }
    return state;
  }

  function judge(tx: number, merchant: number): void {
    const t = g.time(tx);
    const since = t - windowMs;
    edges.length = cards.length = 0;
    priceCount.clear();
    g.newMarks();
    let sum = 0;
    let night = 0;
    let seen = 0;
    for (let e = g.newestIn(merchant); e >= 0 && seen < p.maxEdgesScanned; e = g.prevIn(e)) {
      seen++;
      const te = g.time(e);
      if (te < since) break;
      if (te > t || g.channel(e) !== CARD) continue;
      edges.push(e);
      const minor = g.minor(e);
      priceCount.set(minor, (priceCount.get(minor) ?? 0) + 1);
      const a = g.base(e);
      if (a === a) sum += a;
      const hour = Math.floor((((te % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS);
      if (hour >= p.nightFromHour && hour < p.nightToHour) night++;
      const card = g.from(e);
      const counts = cardCount.ensure(card);
      if (g.markOnce(card)) {
        cards.push(card);
        counts[card] = 0;
      }
      counts[card] = counts[card]! + 1;
    }
    const n = edges.length;
    stateOf(merchant)[merchant * 4 + 1] = Math.floor(n / 4);
    if (n < p.minPayments || !(sum / n >= p.minAveragePayment)) return;
    const top = [...priceCount.values()].sort((x, y) => y - x).slice(0, p.pricePoints).reduce((x, y) => x + y, 0);
    let repeatPayments = 0;
    const counts = cardCount.data;
    for (const c of cards) if (counts[c]! >= p.repeatCardPayments) repeatPayments += counts[c]!;
    const fixedShare = top / n;
    const repeatShare = repeatPayments / n;
    const nightShare = night / n;
    const expectedNight = (p.nightToHour - p.nightFromHour) / 24;
    const factors = [
      { name: 'fixed-price-points', value: clamp01((fixedShare - 0.3) / 0.6), weight: 0.35 },
      { name: 'repeat-cards', value: clamp01(repeatShare / 0.5), weight: 0.3 },
      { name: 'night-payments', value: clamp01((nightShare - expectedNight) / (1 - expectedNight)), weight: 0.2 },
      { name: 'amount-size', value: sizeOf(sum / n), weight: 0.15 },
    ];
    if (scoreOf(factors) < p.minScore) return;
    let first = t;
    for (const e of edges) first = Math.min(first, g.time(e));
    ctx.report({
      typology: 'transaction-laundering',
      key: ctx.name(merchant),
      factors,
      accounts: [merchant, ...cards],
      transactions: edges.slice(),
      explanation:
        `${ctx.name(merchant)} took ${n} card payments (${ctx.money(sum)}) from ${cards.length} cards within ${hours(t - first)}: ` +
        `${Math.round(fixedShare * 100)} % at its ${p.pricePoints} most frequent amounts, ${Math.round(repeatShare * 100)} % from cards paying ` +
        `${p.repeatCardPayments}+ times, ${Math.round(nightShare * 100)} % at night`,
      minScore: p.minScore,
    });
  }

  return {
    onTransaction(tx: number): void {
      const isCard = g.channel(tx) === CARD;
      const merchant = g.to(tx);
      const st = stateOf(merchant);
      const k = merchant * 4;
      let queue: CardQueue | undefined;
      if (useQueues) {
        const last = st[k + 3]!;
        if (last === last) {
          const t = g.time(tx);
          if (t < last) {
            // Out of time order: the queue no longer matches the walk for this account.
            st[k + 3] = NaN;
            queues[merchant] = undefined;
          } else {
            st[k + 3] = t;
            const position = ++st[k + 2]!;
            if (isCard) {
              queue = queues[merchant];
              if (queue === undefined) {
                while (queues.length < merchant) queues.push(undefined);
                queue = queues[merchant] = new CardQueue();
              }
              queue.push(t, g.base(tx), position, tx);
            }
          }
        }
      }
      if (!isCard) return;
      if (++st[k]! < Math.max(p.evaluateEvery, st[k + 1]!)) return;
      st[k] = 0;
      if (queue !== undefined) {
        // The walk's two gates from the queue: payments it would count, and their average.
        queue.trim(g.time(tx) - windowMs, st[k + 2]!, p.maxEdgesScanned, g.total - g.capacity);
        const n = queue.length;
        if (n < p.minPayments || !(queue.sumNewestFirst() / n >= p.minAveragePayment)) {
          st[k + 1] = Math.floor(n / 4);
          return;
        }
      }
      judge(tx, merchant);
    },
  };
}
