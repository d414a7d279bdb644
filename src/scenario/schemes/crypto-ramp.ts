/**
 * Scheme `crypto-ramp` (type CRYPTO-RAMP): a cartel moves money between bank accounts and a darknet market
 * through a crypto exchange, both ways.
 *
 * - On-ramp (paying suppliers, e.g. precursor chemicals): a front company pays a few mules; each mule keeps
 *   a cut and pays the rest into the exchange's bank account as an ordinary customer buying bitcoin; the
 *   exchange sends the coins to the mule's own wallet hours later; days later every mule wallet sweeps its
 *   coins to one cartel wallet, which pays a market order address.
 * - Off-ramp (selling drugs as a market vendor): the market pays the cartel's vendor wallet weekly; the
 *   vendor wallet moves everything to a peel chain that sends small "peels" to the mules' exchange deposit
 *   addresses hours apart (each peel spends the previous change); the exchange pays the mules out in local
 *   currency a day or two later, and the mules hand the money, less their cut, to a collector.
 *
 * The fiat rows (front → mules → exchange; exchange → mules → collector) are in the transactions file; the
 * chain side in `crypto.jsonl` (tagged in `crypto-labels.csv`), executed by the world's ledger among the
 * benign crypto users, market buyers and exchange sweeps.
 *
 * Sources: Chainalysis Crypto Crime Reports 2023-2024 (darknet markets; fentanyl precursor vendors paid in
 * crypto; peel chains); FinCEN advisory FIN-2019-A003 on convertible virtual currency; FATF, Virtual Assets
 * Red Flag Indicators of ML/TF (2020); DEA National Drug Threat Assessment 2024; the field report (cartels
 * launder through bitcoin and darknet markets).
 */
import type { CryptoIntent } from '../crypto/ledger.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  between,
  currencyOf,
  DAY_MS,
  dayOf,
  HOUR_MS,
  instanceCount,
  localTime,
  MINUTE_MS,
  pay,
  pickCountry,
  planInstances,
  startDay,
  uniform,
  usdText,
  usdToMinor,
  type CommonParams,
  type Range,
} from './common.js';

export interface CryptoRampParams extends CommonParams {
  countries: Readonly<Record<string, number>>;
  mules: Range;
  /** What the front company gives each mule to buy coins with, US dollars. */
  onRampUsd: Range;
  /** Cut each mule keeps. */
  keep: Range;
  /** Off-ramp per instance, US dollars (median, log-spread). */
  offRampUsd: number;
  offRampSigma: number;
  /** Weekly market payouts to the vendor wallet. */
  payouts: Range;
  /** Peels per payout. */
  peels: Range;
  /** Exchange fee and spread on a purchase or sale. */
  exchangeFee: number;
}

export const CRYPTO_RAMP_DEFAULTS: CryptoRampParams = {
  per100k: 5,
  min: 1,
  scale: 1,
  recruitedShare: 0.8,
  countries: { US: 0.5, MX: 0.35, CO: 0.15 },
  mules: [3, 8],
  onRampUsd: [2_000, 9_000],
  keep: [0.03, 0.05],
  offRampUsd: 50_000,
  offRampSigma: 0.6,
  payouts: [2, 4],
  peels: [4, 10],
  exchangeFee: 0.015,
};

export function cryptoRampScheme(overrides: Partial<CryptoRampParams> = {}): Scheme {
  const p: CryptoRampParams = { ...CRYPTO_RAMP_DEFAULTS, ...overrides };
  return {
    name: 'crypto-ramp',
    summary: 'fiat → exchange → mule wallets → darknet market, and vendor payouts → peel chain → exchange → fiat',
    plan(world: World, rng: Rng): SchemeInstance[] {
      const { crypto } = world;
      if (crypto.exchanges.length === 0 || crypto.markets.length === 0) return [];
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const id = `crypto-ramp-${k}`;
        const c = pickCountry(rng, p.countries);
        const currency = currencyOf(c);
        const local = crypto.exchanges.filter((e) => e.country === c);
        const exchange = rng.pick(local.length > 0 ? local : crypto.exchanges);
        const market = rng.pick(crypto.markets);
        const payouts = between(rng, p.payouts);
        const day0 = startDay(world, rng, 7 * payouts + 6);
        const start = world.calendar.startMs + day0 * DAY_MS;
        const funder = recruit.freshCompany(c, 'trading');
        const collector = rng.chance(0.5) ? recruit.fresh(c) : recruit.person(c, 0.2);
        const mules = Array.from({ length: between(rng, p.mules) }, () => recruit.member(c, p.recruitedShare));
        const wallets = mules.map((m) => crypto.newWallet('mule', world.ownerLabel(m), m));
        const consolidation = crypto.newWallet('cartel', 'cartel consolidation wallet');
        const vendor = crypto.newWallet('vendor', `cartel vendor shop (${market.name})`);
        const peel = crypto.newWallet('cartel', 'cartel peel chain');
        for (const w of [...wallets, consolidation, vendor, peel]) crypto.markWallet(w, id);
        const transactions: PlannedTx[] = [];
        const intents: CryptoIntent[] = [];

        // On-ramp.
        let onUsd = 0;
        let lastSweep = start;
        mules.forEach((mule, i) => {
          const day = day0 + rng.range(0, 2);
          const usd = uniform(rng, p.onRampUsd);
          onUsd += usd;
          const t1 = localTime(world, rng, day, c, 'office');
          const given = usdToMinor(world, usd, currency, day);
          transactions.push(pay(world, t1, funder, mule, given, currency === 'MXN' ? 'wire' : rng.chance(0.5) ? 'ach' : 'mobile'));
          const t2 = t1 + rng.range(60, 360) * MINUTE_MS;
          const bought = Math.round(given * (1 - uniform(rng, p.keep)));
          transactions.push(pay(world, t2, mule, exchange.account, bought, currency === 'MXN' ? 'wire' : 'ach'));
          const t3 = t2 + rng.range(60, 720) * MINUTE_MS;
          const sats = crypto.satsForUsd((bought / 100 / world.fx.rate(currency, day)) * (1 - p.exchangeFee), day);
          intents.push({ timeMs: t3, from: exchange.hot, to: [{ wallet: wallets[i]! }], valuesSat: [sats] });
          const t4 = t3 + rng.range(24, 72) * HOUR_MS + rng.int(60) * MINUTE_MS;
          intents.push({ timeMs: t4, from: wallets[i]!, to: [{ wallet: consolidation }] });
          lastSweep = Math.max(lastSweep, t4);
        });
        intents.push({ timeMs: lastSweep + rng.range(12, 48) * HOUR_MS, from: consolidation, to: [{ wallet: market.wallet, key: `order:${id}` }] });

        // Off-ramp: weekly payouts, each peeled to the mules' deposit addresses, cashed out, handed on.
        const offUsd = rng.logNormal(p.offRampUsd, p.offRampSigma);
        let peels = 0;
        for (let j = 0; j < payouts; j++) {
          const day = day0 + 7 * (j + 1) - rng.int(3);
          const tPay = start + (7 * (j + 1) - rng.int(3)) * DAY_MS + rng.int(1440) * MINUTE_MS;
          const usd = (offUsd / payouts) * uniform(rng, [0.7, 1.3]);
          const sats = crypto.satsForUsd(usd, day);
          intents.push({ timeMs: tPay, from: market.wallet, to: [{ wallet: vendor }], valuesSat: [sats] });
          let t = tPay + rng.range(2, 30) * HOUR_MS;
          intents.push({ timeMs: t, from: vendor, to: [{ wallet: peel }] });
          const count = between(rng, p.peels);
          const shares = Array.from({ length: count }, () => uniform(rng, [0.5, 1.5]));
          const sum = shares.reduce((a, b) => a + b, 0);
          for (let i = 0; i < count; i++) {
            t += rng.range(2, 8) * HOUR_MS + rng.int(60) * MINUTE_MS;
            const value = Math.floor((sats * 0.9 * shares[i]!) / sum);
            const m = rng.int(mules.length);
            const mule = mules[m]!;
            intents.push({ timeMs: t, from: peel, to: [{ wallet: exchange.hot, key: `dep:${mule}` }], valuesSat: [value] });
            peels++;
            const payDay = dayOf(world, t) + rng.range(1, 2);
            const tOut = localTime(world, rng, payDay, exchange.country, 'office');
            const out = usdToMinor(world, crypto.usdForSats(value, payDay) * (1 - p.exchangeFee), world.accountCurrency[exchange.account]!, payDay);
            const payout = pay(world, tOut, exchange.account, mule, out, 'ach');
            transactions.push(payout);
            const keep = uniform(rng, p.keep);
            transactions.push(pay(world, tOut + rng.range(60, 480) * MINUTE_MS, mule, collector, Math.round(payout.amountMinor * (1 - keep)), currency === 'MXN' ? 'wire' : rng.chance(0.5) ? 'mobile' : 'ach'));
          }
        }
        return {
          id,
          scheme: 'crypto-ramp',
          type: 'CRYPTO-RAMP',
          title: `CRYPTO-RAMP:  ${mules.length} mules at ${exchange.name}: ${usdText(onUsd)} USD on-ramped to ${market.name}, ${usdText(offUsd)} USD of vendor payouts off-ramped in ${peels} peels`,
          accounts: [funder, ...mules, collector],
          intermediaries: [exchange.account],
          transactions,
          crypto: intents,
        };
      });
    },
  };
}
