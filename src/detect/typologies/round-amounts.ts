/**
 * round-amounts: repeated round-number transfers (exact multiples of `roundTo` major units of the
 * transaction's own currency, at least `minAmount` in the base currency) out of one account, or into one,
 * within a window. Each side of a round transfer is examined: the sender's outgoing and the receiver's
 * incoming round transfers.
 *
 * Rent, instalments and standing orders are round too. A round transfer that repeats an earlier one of
 * the same pair with the same amount about a month before (`recurrenceDays` ± `recurrenceToleranceDays`)
 * is rent-like and pulls the score down; so do a pair that is not new and an account that has moved as many
 * round amounts in an earlier window. Counterparties count fully as new only after `newAfterDays` of data
 * before the window (at the start of input everyone is new to everyone). The walk looks at most at
 * `maxEdgesScanned` of the account's newest transactions on that side, back to the window start and one
 * recurrence period before it; older round transfers are then not counted and recurrences not recognised
 * (a missed recurrence keeps the score higher: at the limit the typology errs towards alerting).
 */
import { z } from 'zod';
import { isCurrency, minorExponent } from '../../model/index.js';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type DetectorContext, type Typology } from '../typology.js';
import { WindowPeak } from './flow.js';

const DAY_MS = 24 * HOUR_MS;

const RoundParams = z
  .object({
    enabled: z.boolean().default(true).describe('run this typology'),
    minScore: z.number().min(0).max(1).default(0.5).describe('alerts scoring below this are dropped'),
    roundTo: z.number().positive().default(1_000).describe('an amount is round when it is an exact multiple of this, in major units of its own currency'),
    roundToPerCurrency: z
      .array(
        z
          .object({
            currency: z.string().refine(isCurrency, 'unknown currency code').describe('ISO 4217 code'),
            roundTo: z.number().positive().describe('round step for that currency, in its major units'),
          })
          .strict(),
      )
      .default([{ currency: 'JPY', roundTo: 100_000 }])
      .refine((rs) => new Set(rs.map((r) => r.currency)).size === rs.length, 'a currency is listed twice')
      .describe('round steps for currencies whose units are small (a multiple of 1,000 yen is ordinary)'),
    minAmount: z.number().min(0).default(5_000).describe('smallest round transfer counted, in base-currency major units'),
    windowHours: z.number().positive().max(24 * 90).default(24 * 7).describe('look-back window'),
    newAfterDays: z
      .number()
      .min(0)
      .max(3_650)
      .default(30)
      .describe('days of data seen before the window for a counterparty to count fully as new (at the start of input everyone is new; monthly relations take a month to show)'),
    minCount: z.number().int().min(2).max(10_000).default(3).describe('round transfers within the window that raise a finding'),
    recurrenceDays: z.number().positive().max(366).default(30).describe('period of benign recurring payments (rent, instalments)'),
    recurrenceToleranceDays: z.number().min(0).max(60).default(5).describe('how far a recurring payment may drift from its period'),
    maxEdgesScanned: z
      .number()
      .int()
      .min(8)
      .max(10_000)
      .default(256)
      .describe('newest transactions examined on one side of an account; older round transfers are not counted'),
  })
  .strict()
  .refine((p) => p.recurrenceToleranceDays < p.recurrenceDays, {
    message: 'recurrenceToleranceDays must be below recurrenceDays',
    path: ['recurrenceToleranceDays'],
  });
export type RoundParams = z.infer<typeof RoundParams>;

function roundDetector(ctx: DetectorContext, p: RoundParams): Detector {
  const g = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const newAfterMs = p.newAfterDays * DAY_MS;
  const periodMs = p.recurrenceDays * DAY_MS;
  const toleranceMs = p.recurrenceToleranceDays * DAY_MS;
  const ownStep = new Map(p.roundToPerCurrency.map((r) => [r.currency, r.roundTo]));
  // Round step per currency index in minor units; 0 until the currency is first met.
  let stepMinor = new Float64Array(16);
  // Per ring slot: 1 when the transaction there is a round transfer (judged once, on arrival; the walks
  // read it instead of dividing again). One byte per transaction the ring holds.
  const roundAt = new Uint8Array(g.capacity);
  // Round transfers on the walked side: in the window (first `inWindow`) and before it, back one period.
  const edges: number[] = [];
  const parties: number[] = [];
  // Time of the first transaction seen: at the start of input every counterparty is "new".
  let startMs = NaN;
  // Per account and side (2·account + 0 out, + 1 in): the most round transfers seen in one earlier window.
  const peaks = new WindowPeak();

  /** The account's widest earlier window of round transfers on this side; records the current one. */
  function priorPeak(anchor: number, outbound: boolean, n: number, since: number, t: number): number {
    return peaks.observe(2 * anchor + (outbound ? 0 : 1), n, t, since);
  }

  function isRound(tx: number): boolean {
    if (!(g.base(tx) >= p.minAmount)) return false;
    const c = g.currency(tx);
    if (c >= stepMinor.length) {
      const next = new Float64Array(Math.max(c + 1, stepMinor.length * 2));
      next.set(stepMinor);
      stepMinor = next;
    }
    let step = stepMinor[c]!;
    if (step === 0) {
      const code = ctx.fx.currencyCode(c);
      step = (ownStep.get(code) ?? p.roundTo) * 10 ** minorExponent(code);
      stepMinor[c] = step;
    }
    const minor = g.minor(tx);
    return minor > 0 && minor % step === 0;
  }

  function sameAmount(a: number, b: number): boolean {
    return g.minor(a) === g.minor(b) && g.currency(a) === g.currency(b);
  }

  function side(anchor: number, outbound: boolean, t: number): void {
    const since = t - windowMs;
    const lookBack = since - periodMs - toleranceMs;
    edges.length = 0;
    parties.length = 0;
    g.newMarks();
    let inWindow = 0;
    let scanned = 0;
    for (let e = outbound ? g.newestOut(anchor) : g.newestIn(anchor); e >= 0 && scanned < p.maxEdgesScanned; e = outbound ? g.prevOut(e) : g.prevIn(e)) {
      scanned++;
      const te = g.time(e);
      if (te < lookBack) break;
      if (te > t || roundAt[g.slot(e)] !== 1) continue;
      if (te >= since) {
        inWindow++;
        const other = outbound ? g.to(e) : g.from(e);
        if (g.markOnce(other)) parties.push(other);
      } else if (inWindow < p.minCount) {
        break;
      }
      edges.push(e);
    }
    if (inWindow < p.minCount) return;
    // Rent-like: an earlier round transfer of the same pair with the same amount about one period before.
    // Only pairs the pair memory knows from at least that long ago are searched, newest first through the
    // time band; at most 4·maxEdgesScanned comparisons per finding (beyond, no more recurrences are found).
    let recurring = 0;
    let novel = 0;
    let sum = 0;
    let budget = 4 * p.maxEdgesScanned;
    for (let i = 0; i < inWindow; i++) {
      const e = edges[i]!;
      const te = g.time(e);
      const from = g.from(e);
      const to = g.to(e);
      const known = g.pairSince(from, to);
      if (!(known < since)) novel++;
      if (known <= te - periodMs + toleranceMs) {
        for (let j = i + 1; j < edges.length && budget > 0; j++) {
          budget--;
          const o = edges[j]!;
          const gap = te - g.time(o);
          if (gap < periodMs - toleranceMs) continue;
          if (gap > periodMs + toleranceMs) break;
          if (g.from(o) === from && g.to(o) === to && sameAmount(e, o)) {
            recurring++;
            break;
          }
        }
      }
      const amount = g.base(e);
      if (amount === amount) sum += amount;
    }
    const n = inWindow;
    const k = parties.length;
    const average = sum / n;
    const prior = priorPeak(anchor, outbound, n, since, t);
    // "New" means little until the engine has watched the data long enough for known relations to show.
    const watched = newAfterMs > 0 ? clamp01((since - startMs) / newAfterMs) : 1;
    const factors = [
      { name: 'round-transfers', value: clamp01((n - 1) / 5), weight: 0.3 },
      { name: 'amount-size', value: clamp01(0.5 + Math.log10(average / Math.max(1, p.minAmount)) / 2), weight: 0.2 },
      { name: 'new-counterparties', value: (novel / n) * watched, weight: 0.3 },
      { name: 'counterparties', value: clamp01((k - 1) / 3), weight: 0.2 },
      { name: 'rent-like-recurrence', value: recurring / n, weight: -0.6 },
      // An account that has moved this many round amounts in a window before is doing what it does.
      { name: 'usual-for-account', value: clamp01(prior / n), weight: -0.3 },
    ];
    if (scoreOf(factors) < p.minScore) return;
    const who = ctx.name(anchor);
    const first = g.time(edges[n - 1]!);
    const many = k === 1 ? ctx.name(parties[0]!) : `${k} accounts`;
    const route = outbound ? `${who} sent ${n} round-amount transfers totalling ${ctx.money(sum)} to ${many}` : `${who} received ${n} round-amount transfers totalling ${ctx.money(sum)} from ${many}`;
    const repeat = recurring > 0 ? `; ${recurring} of them repeat a payment of the same amount between the same accounts about ${p.recurrenceDays} days earlier` : '';
    ctx.report({
      typology: 'round-amounts',
      key: `${outbound ? 'out' : 'in'}:${who}`,
      factors,
      accounts: [anchor, ...parties],
      transactions: edges.slice(0, n),
      explanation: `${route} within ${hours(t - first)}, ${novel} of them ${outbound ? 'to' : 'from'} a new counterparty${repeat}`,
      minScore: p.minScore,
    });
  }

  return {
    onTransaction(tx: number): void {
      if (startMs !== startMs) startMs = g.time(tx);
      const round = isRound(tx);
      roundAt[g.slot(tx)] = round ? 1 : 0;
      if (!round) return;
      const t = g.time(tx);
      side(g.from(tx), true, t);
      side(g.to(tx), false, t);
    },
  };
}

export const roundAmounts: Typology<RoundParams> = {
  name: 'round-amounts',
  summary: 'repeated round-number transfers out of or into one account within a window',
  params: RoundParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: roundDetector,
};
