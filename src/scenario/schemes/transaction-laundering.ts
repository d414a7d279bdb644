/**
 * Scheme `transaction-laundering` (type TRANSACTION-LAUNDERING): a fictitious travel agency — a merchant
 * account opened for a website that sells flights and hotel packages nobody flies — takes card payments
 * that are really the proceeds of other sales (drugs sold online, card-not-present fraud with cards the
 * organisation controls). What gives it away is the traffic, not any single payment: a handful of package
 * prices repeated exactly, at all hours of the night as much as the day, every day of the week alike, the
 * same cards buying again and again within weeks (travellers do not book five trips a month), many cards
 * from abroad. Every few days the merchant wires most of its takings on to accounts of the organisation.
 * Real travel merchants of the world (category travel: varied fares, daytime, seasonal, one-off customers)
 * are the look-alikes.
 *
 * Sources: the field report (transaction laundering through fictitious airline and hotel websites); card
 * schemes' merchant-monitoring programmes (Visa Integrity Risk Program, Mastercard BRAM) on undisclosed
 * merchants processing illegal sales; FATF, Money Laundering Using New Payment Methods (2010).
 */
import { companyName } from '../names.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  activeAccounts,
  between,
  businessDay,
  DAY_MS,
  instanceCount,
  localTime,
  MINUTE_MS,
  pay,
  period,
  pickCountry,
  placeIn,
  planInstances,
  tx,
  uniform,
  usdText,
  type CommonParams,
  type Range,
} from './common.js';

export interface TransactionLaunderingParams extends CommonParams {
  /** Where the fake merchant is. */
  countries: Readonly<Record<string, number>>;
  cards: Range;
  /** Payments per card over the instance. */
  usesPerCard: Range;
  /** How many package prices the site sells. */
  prices: Range;
  /** Share of cards issued in another country than the merchant's. */
  foreignCards: number;
  days: Range;
  /** Days between the merchant's transfers out, and the share of its takings they carry. */
  payoutEvery: Range;
  payoutShare: Range;
  payoutAccounts: Range;
}

export const TRANSACTION_LAUNDERING_DEFAULTS: TransactionLaunderingParams = {
  per100k: 5,
  min: 1,
  scale: 1,
  recruitedShare: 0.5,
  countries: { MX: 0.5, US: 0.3, CO: 0.2 },
  cards: [15, 80],
  usesPerCard: [3, 15],
  prices: [3, 6],
  foreignCards: 0.35,
  days: [14, 42],
  payoutEvery: [3, 5],
  payoutShare: [0.85, 0.95],
  payoutAccounts: [1, 3],
};

/** Package prices in US dollars a fake travel site lists. */
const PACKAGES_USD = [149, 199, 249, 299, 349, 399, 499, 599, 799, 999] as const;
const CARD_FX_FEE = 0.03;
/** Where foreign cards come from (weights by ISO code). */
const CARD_COUNTRIES: Readonly<Record<string, number>> = { US: 0.5, MX: 0.2, ES: 0.15, CO: 0.15 };

export function transactionLaunderingScheme(overrides: Partial<TransactionLaunderingParams> = {}): Scheme {
  const p: TransactionLaunderingParams = { ...TRANSACTION_LAUNDERING_DEFAULTS, ...overrides };
  return {
    name: 'transaction-laundering',
    summary: 'card payments from many reused cards to a fake travel merchant: fixed prices, all hours, no season',
    plan(world: World, rng: Rng): SchemeInstance[] {
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const { c, code, currency } = placeIn(rng, p.countries);
        const { span, first } = period(world, rng, p.days, 3);
        const name = companyName(rng, code, 'travel');
        const merchant = recruit.freshCompany(c, 'travel', 'merchant', name);
        // The catalogue, priced once in local currency and rounded as a shop would.
        const unit = currency === 'COP' ? 1_000 : currency === 'USD' || currency === 'EUR' ? 1 : 10;
        const catalogue = rng
          .shuffle([...PACKAGES_USD])
          .slice(0, between(rng, p.prices))
          .map((usd) => Math.max(unit, Math.round((usd * world.fx.rate(currency, first)) / unit) * unit) * 100 + (unit === 1 && rng.chance(0.5) ? 99 : 0));
        const cards = Array.from({ length: between(rng, p.cards) }, () => {
          const cc = rng.chance(p.foreignCards) ? pickCountry(rng, CARD_COUNTRIES) : c;
          return rng.chance(p.recruitedShare) ? recruit.person(cc, 0.2) : recruit.fresh(cc);
        });
        const transactions: PlannedTx[] = [];
        let takings = 0;
        const byDay = new Float64Array(span + 1);
        for (const card of cards) {
          const uses = between(rng, p.usesPerCard);
          const cardCurrency = world.accountCurrency[card]!;
          for (let i = 0; i < uses; i++) {
            const d = rng.int(span);
            // Any minute of the day or night, any day of the week.
            const t = world.calendar.startMs + (first + d) * DAY_MS + rng.int(1440) * MINUTE_MS;
            const amount = rng.pick(catalogue) * (rng.chance(0.1) ? 2 : 1);
            const day = first + d;
            const paid = cardCurrency === currency ? amount : world.fx.convert(amount, currency, cardCurrency, day, -CARD_FX_FEE);
            transactions.push(tx(t, card, merchant, amount, currency, 'card', { minor: paid, currency: cardCurrency }));
            takings += amount;
            byDay[d]! += amount;
          }
        }
        // Every few days most of the takings leave by wire.
        const payees = Array.from({ length: between(rng, p.payoutAccounts) }, () => {
          const pc = rng.chance(0.4) ? pickCountry(rng, { US: 0.4, CO: 0.3, ES: 0.3 }) : c;
          return recruit.freshCompany(pc, 'trading');
        });
        let acc = 0;
        let d = 0;
        while (d <= span) {
          const every = between(rng, p.payoutEvery);
          for (let j = 0; j < every && d <= span; j++, d++) acc += byDay[d]!;
          if (acc <= 0) continue;
          const day = businessDay(world, c, first + d);
          const out = Math.round(acc * uniform(rng, p.payoutShare));
          transactions.push(pay(world, localTime(world, rng, day, c, 'office'), merchant, rng.pick(payees), out, 'wire', 0.01));
          acc = 0;
        }
        const active = activeAccounts(transactions);
        return {
          id: `transaction-laundering-${k}`,
          scheme: 'transaction-laundering',
          type: 'TRANSACTION-LAUNDERING',
          title: `TRANSACTION-LAUNDERING:  fake travel merchant "${name}" in ${code}, ${cards.length} cards, ${transactions.length} payments, ${usdText(takings / 100)} ${currency}`,
          accounts: [merchant, ...cards, ...payees].filter((a) => active.has(a)),
          transactions,
        };
      });
    },
  };
}
