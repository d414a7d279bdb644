/**
 * Card spending: the bulk of the data. Each day and country, the number of card payments follows the
 * people's (heavy-tailed) card habits times the day's rhythm (weekends, December, holidays, Black Friday);
 * each payment goes from a card holder to a merchant — most often one of the holder's regular places,
 * otherwise a merchant drawn by popularity, now and then one abroad (paid in the holder's currency with a
 * card FX fee, received in the merchant's). Amounts are log-normal per merchant category. A big chain is a
 * benign fan-in of thousands of cards.
 */
import { COUNTRIES } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import { MERCHANT_CATEGORIES, type MerchantCategory, type World } from '../world.js';

/** Median ticket in US dollars of purchasing power and the log-spread, per category. */
const TICKET: Record<MerchantCategory, { median: number; sigma: number }> = {
  grocery: { median: 42, sigma: 0.75 },
  restaurant: { median: 26, sigma: 0.6 },
  fuel: { median: 40, sigma: 0.4 },
  pharmacy: { median: 20, sigma: 0.7 },
  clothing: { median: 55, sigma: 0.8 },
  online: { median: 35, sigma: 0.9 },
  electronics: { median: 140, sigma: 1 },
  travel: { median: 280, sigma: 0.9 },
  entertainment: { median: 30, sigma: 0.6 },
};
/** Regular places per card holder, and how often they go there rather than somewhere new. */
const FAVORITES = 6;
const FAVORITE_SHARE = 0.7;
const ABROAD_SHARE = 0.025;
/** Where card holders pay abroad: US online shops and trips, Mexican and Spanish tourism, little else. */
const ABROAD_WEIGHT: Readonly<Record<string, number>> = { US: 0.5, MX: 0.25, ES: 0.15, CO: 0.05, GT: 0.02, HN: 0.01, SV: 0.02 };
/** Card issuers' foreign transaction fee. */
const CARD_FX_FEE = 0.03;

export function cards(world: World, rng: Rng): Activity {
  const { calendar, fx } = world;
  const merchantsOf = COUNTRIES.map((_c, c) => [...world.businessesOf('merchant', c), ...world.businessesOf('shop', c)].sort((a, b) => a - b));
  const merchantPick = merchantsOf.map((list) => new AliasTable(list.map((b) => world.businessSize[b]!)));
  const holderPick = world.countryPersons.map((persons) => new AliasTable(Array.from(persons, (p) => world.personCardRate[p]!)));
  const abroadPick = COUNTRIES.map((home) => new AliasTable(COUNTRIES.map((c) => (c === home ? 0 : ABROAD_WEIGHT[c.code] ?? 0))));

  const favorites = new Int32Array(world.personCount * FAVORITES);
  for (let p = 0; p < world.personCount; p++) {
    const c = world.personCountry[p]!;
    for (let k = 0; k < FAVORITES; k++) favorites[p * FAVORITES + k] = merchantsOf[c]![merchantPick[c]!.sample(rng)]!;
  }

  return {
    name: 'cards',
    day(day: number, rng: Rng, sink: TxSink): void {
      for (let c = 0; c < COUNTRIES.length; c++) {
        const holders = world.countryPersons[c]!;
        const count = rng.poisson(holderPick[c]!.total * calendar.cardFactor[c]![day]!);
        const payerCurrency = COUNTRIES[c]!.currency;
        for (let n = 0; n < count; n++) {
          const p = holders[holderPick[c]!.sample(rng)]!;
          let merchant: number;
          let mc = c;
          if (rng.chance(ABROAD_SHARE)) {
            mc = abroadPick[c]!.sample(rng);
            merchant = merchantsOf[mc]![merchantPick[mc]!.sample(rng)]!;
          } else if (rng.chance(FAVORITE_SHARE)) {
            merchant = favorites[p * FAVORITES + rng.int(FAVORITES)]!;
          } else {
            merchant = merchantsOf[c]![merchantPick[c]!.sample(rng)]!;
          }
          const ticket = TICKET[MERCHANT_CATEGORIES[world.businessKind[merchant]!]!];
          const merchantCountry = COUNTRIES[mc]!;
          const amount = Math.max(1, Math.round(rng.logNormal(ticket.median * merchantCountry.priceLevel, ticket.sigma) * 100));
          const currency = merchantCountry.currency;
          const paid = currency === payerCurrency ? amount : fx.convert(amount, currency, payerCurrency, day, -CARD_FX_FEE);
          const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'card'));
          sink.tx(t, world.personAccount[p]!, world.businessAccount[merchant]!, amount, currency, paid, payerCurrency, 'card', false);
        }
      }
    },
  };
}
