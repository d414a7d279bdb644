/**
 * structuring: repeated deposits just below a reporting threshold into one account within a window, by
 * one depositor or by several (smurfing across branches: AMLSim's cash side is `cash:branch:<id>`).
 * A deposit is judged against the threshold of its own currency when the rules name one (compared in
 * minor units of that currency, no conversion), otherwise against a base-currency fallback (the 7,500
 * USD-equivalent kind of rule). It is "in band" when it is below its threshold by at most `band`.
 *
 * Found when an in-band deposit arrives, by walking the receiver's newest incoming transactions (at most
 * `maxEdgesScanned`; older deposits still inside the window are then not counted). Raised when the window
 * holds `minDeposits` in-band deposits, or (with `flagTotalOverThreshold`) at least two whose total exceeds
 * the threshold. An account that also takes deposits at or above the threshold in the same window is not
 * avoiding it: that pulls the score down.
 */
import { z } from 'zod';
import { Channel, channelIndex, CHANNELS, isCurrency, minorExponent } from '../../model/index.js';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type DetectorContext, type Typology } from '../typology.js';

const Threshold = z
  .object({
    currency: z.string().refine(isCurrency, 'unknown currency code').describe('ISO 4217 code the threshold applies to'),
    amount: z.number().positive().describe('reporting threshold in major units of that currency'),
  })
  .strict();

const StructuringParams = z
  .object({
    enabled: z.boolean().default(true).describe('run this typology'),
    minScore: z.number().min(0).max(1).default(0.5).describe('alerts scoring below this are dropped'),
    channels: z.array(Channel).min(1).default(['cash']).describe('channels whose incoming transactions count as deposits'),
    thresholds: z
      .array(Threshold)
      .default([
        { currency: 'USD', amount: 10_000 },
        { currency: 'CAD', amount: 10_000 },
        { currency: 'AUD', amount: 10_000 },
        { currency: 'EUR', amount: 10_000 },
        { currency: 'COP', amount: 10_000_000 },
      ])
      .refine((ts) => new Set(ts.map((t) => t.currency)).size === ts.length, 'a currency is listed twice')
      .describe('reporting threshold per currency (US CTR, Canadian LCTR, Australian TTR, EU cash controls, Colombian UIAF cash report by default)'),
    otherCurrenciesBaseAmount: z
      .number()
      .positive()
      .default(7_500)
      .describe('threshold for currencies not listed, in base-currency major units (USD-equivalent by default)'),
    band: z.number().gt(0).max(0.9).default(0.15).describe('a deposit is in band when it is below its threshold by at most this fraction of it'),
    windowHours: z.number().positive().max(24 * 90).default(24 * 7).describe('look-back window'),
    minDeposits: z.number().int().min(2).max(1_000).default(3).describe('in-band deposits within the window that raise a finding'),
    flagTotalOverThreshold: z.boolean().default(true).describe('also raise a finding on two or more in-band deposits whose total exceeds the threshold'),
    maxEdgesScanned: z
      .number()
      .int()
      .min(8)
      .max(100_000)
      .default(256)
      .describe('newest incoming transactions examined per deposit; older deposits in the window are not counted'),
  })
  .strict();
export type StructuringParams = z.infer<typeof StructuringParams>;

const thresholdFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const ownFormats = new Map<number, Intl.NumberFormat>();

/** An amount in minor units of its own currency, e.g. `950,000 JPY`, `9,500.00 USD`. */
function ownMoney(minor: number, code: string): string {
  const exp = minorExponent(code);
  let f = ownFormats.get(exp);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: exp, maximumFractionDigits: exp });
    ownFormats.set(exp, f);
  }
  return `${f.format(minor / 10 ** exp)} ${code}`;
}

function structuringDetector(ctx: DetectorContext, p: StructuringParams): Detector {
  const g = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const floor = 1 - p.band;
  const channelOn = new Uint8Array(CHANNELS.length + 1);
  for (const c of p.channels) channelOn[channelIndex(c)] = 1;
  const ownThreshold = new Map(p.thresholds.map((t) => [t.currency, t.amount]));
  // Per currency index: threshold in minor units of that currency, FALLBACK for the base-currency rule,
  // UNKNOWN until the currency is first met (the FX table assigns indexes as currencies appear).
  const UNKNOWN = 0;
  const FALLBACK = -1;
  let thresholdMinor = new Float64Array(16);
  const edges: number[] = [];
  const depositors: number[] = [];

  function thresholdOf(currency: number): number {
    if (currency >= thresholdMinor.length) {
      const next = new Float64Array(Math.max(currency + 1, thresholdMinor.length * 2));
      next.set(thresholdMinor);
      thresholdMinor = next;
    }
    let m = thresholdMinor[currency]!;
    if (m === UNKNOWN) {
      const code = ctx.fx.currencyCode(currency);
      const major = ownThreshold.get(code);
      m = major === undefined ? FALLBACK : major * 10 ** minorExponent(code);
      thresholdMinor[currency] = m;
    }
    return m;
  }

  /** The transaction's amount as a share of its threshold (NaN when it has no base amount under the fallback). */
  function shareOf(tx: number): number {
    const m = thresholdOf(g.currency(tx));
    return m === FALLBACK ? g.base(tx) / p.otherCurrenciesBaseAmount : g.minor(tx) / m;
  }

  function thresholdText(tx: number): string {
    const code = ctx.fx.currencyCode(g.currency(tx));
    const major = ownThreshold.get(code);
    return major === undefined ? `${thresholdFormat.format(p.otherCurrenciesBaseAmount)} ${ctx.fx.base}-equivalent` : `${thresholdFormat.format(major)} ${code}`;
  }

  return {
    onTransaction(tx: number): void {
      if (channelOn[g.channel(tx)] !== 1) return;
      const share0 = shareOf(tx);
      if (!(share0 >= floor && share0 < 1)) return;
      const account = g.to(tx);
      const t = g.time(tx);
      const since = t - windowMs;
      const currency0 = g.currency(tx);
      edges.length = 0;
      depositors.length = 0;
      g.newMarks();
      let totalShare = 0;
      let closeness = 0;
      let sum = 0;
      let atOrAbove = 0;
      let oneCurrency = true;
      let lo = Infinity;
      let hi = -Infinity;
      let loMinor = Infinity;
      let hiMinor = -Infinity;
      let sumMinor = 0;
      let scanned = 0;
      for (let e = g.newestIn(account); e >= 0 && scanned < p.maxEdgesScanned; e = g.prevIn(e)) {
        scanned++;
        const te = g.time(e);
        if (te < since) break;
        if (te > t || channelOn[g.channel(e)] !== 1) continue;
        const share = shareOf(e);
        if (share >= 1) {
          atOrAbove++;
          continue;
        }
        if (!(share >= floor)) continue;
        edges.push(e);
        totalShare += share;
        closeness += (share - floor) / p.band;
        const amount = g.base(e);
        if (amount === amount) {
          sum += amount;
          if (amount < lo) lo = amount;
          if (amount > hi) hi = amount;
        }
        const minor = g.minor(e);
        sumMinor += minor;
        if (minor < loMinor) loMinor = minor;
        if (minor > hiMinor) hiMinor = minor;
        if (g.currency(e) !== currency0) oneCurrency = false;
        const from = g.from(e);
        if (g.markOnce(from)) depositors.push(from);
      }
      const n = edges.length;
      const overTotal = n >= 2 && totalShare > 1;
      if (n < p.minDeposits && !(p.flagTotalOverThreshold && overTotal)) return;
      const k = depositors.length;
      const factors = [
        { name: 'deposits-in-band', value: clamp01((n - 1) / 4), weight: 0.3 },
        { name: 'closeness-to-threshold', value: clamp01(closeness / n), weight: 0.2 },
        { name: 'several-depositors', value: clamp01((k - 1) / 3), weight: 0.2 },
        { name: 'total-over-threshold', value: clamp01(totalShare - 1), weight: 0.3 },
        { name: 'deposits-at-or-above-threshold', value: atOrAbove / (atOrAbove + n), weight: -0.6 },
      ];
      if (scoreOf(factors) < p.minScore) return;
      const first = g.time(edges[n - 1]!);
      const what = p.channels.length === 1 && p.channels[0] === 'cash' ? 'cash deposits' : 'deposits';
      const below = oneCurrency ? `the ${thresholdText(tx)} reporting threshold` : 'the reporting threshold of their currency';
      // Amounts in the deposits' own currency when that is the currency of the threshold, else in the base.
      const code = ctx.fx.currencyCode(currency0);
      const own = oneCurrency && ownThreshold.has(code);
      const money = (base: number, minor: number): string => (own ? ownMoney(minor, code) : ctx.money(base));
      const range = lo === hi ? `of ${money(lo, loMinor)}` : `of ${money(lo, loMinor)} to ${money(hi, hiMinor)}`;
      const by = k === 1 ? `from ${ctx.name(depositors[0]!)}` : `from ${k} depositors`;
      ctx.report({
        typology: 'structuring',
        key: ctx.name(account),
        factors,
        accounts: [account, ...depositors],
        transactions: edges.slice(),
        explanation: `${n} ${what} ${range}, each just below ${below}, reached ${ctx.name(account)} ${by} within ${hours(t - first)}, ${money(sum, sumMinor)} in total`,
        minScore: p.minScore,
      });
    },
  };
}

export const structuring: Typology<StructuringParams> = {
  name: 'structuring',
  summary: 'repeated deposits just below a reporting threshold into one account within a window',
  params: StructuringParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: structuringDetector,
};
