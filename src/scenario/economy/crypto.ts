/**
 * Ordinary crypto use, on both sides of the exchanges: a few percent of people in the countries with
 * exchanges buy bitcoin about monthly (card or bank transfer to the exchange's fiat account), a third of
 * them withdraw to their own wallet hours later, and now and then they sell (coins back to their
 * per-customer deposit address, dollars or pesos paid out a day or two later). On the chain: anonymous
 * background wallets pay each other, buyers pay darknet markets (per-order addresses; the markets pay
 * their vendors weekly), exchanges sweep their deposit addresses into their hot wallet every night. The
 * criminal ramps of the `crypto-ramp` scheme hide among these flows.
 */
import { FX_PER_USD, COUNTRIES } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import type { Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

/** Share of residents who buy crypto regularly (surveys put ever-owned at 15-20 % in the US; active buyers are far fewer). */
const USER_SHARE: Readonly<Record<string, number>> = { US: 0.04, ES: 0.025, MX: 0.02, CO: 0.025 };
const SELF_CUSTODY_SHARE = 0.35;
const BUY_MEDIAN_USD = 150;
const SELL_PER_DAY = 1 / 90;
const CARD_SHARE = 0.3;
/** Exchange spread and fees on a purchase. */
const EXCHANGE_FEE = 0.015;
const SAT = 100_000_000;

export function cryptoUse(world: World, rng: Rng): Activity {
  const { calendar, crypto } = world;
  const users: { person: number; exchange: number; wallet: number; interval: number; usd: number; next: number; heldSat: number; heldUsd: number }[] = [];
  const exchangesIn = new Map<number, number[]>();
  crypto.exchanges.forEach((e, i) => exchangesIn.set(e.country, [...(exchangesIn.get(e.country) ?? []), i]));
  for (const [country, list] of exchangesIn) {
    const persons = world.countryPersons[country]!;
    const n = Math.round(persons.length * (USER_SHARE[COUNTRIES[country]!.code] ?? 0));
    for (let i = 0; i < n; i++) {
      const person = persons[rng.int(persons.length)]!;
      const account = world.personAccount[person]!;
      const wallet = rng.chance(SELF_CUSTODY_SHARE) ? crypto.newWallet('user', world.partyLabel(person), account) : -1;
      const interval = rng.logNormal(30, 0.4);
      users.push({ person, exchange: rng.pick(list), wallet, interval, usd: rng.logNormal(BUY_MEDIAN_USD, 0.9), next: rng.int(Math.ceil(interval)), heldSat: 0, heldUsd: 0 });
    }
  }
  const background: number[] = [];
  const backgroundCount = 150 + Math.round(world.accountCount / 400);
  for (let i = 0; i < backgroundCount; i++) {
    const w = crypto.newWallet('background', 'unknown');
    for (let k = 0; k < 3; k++) crypto.fund(w, Math.round(rng.logNormal(0.3, 1.2) * SAT));
    background.push(w);
  }
  const vendors: number[] = [];
  for (let i = 0; i < 25; i++) vendors.push(crypto.newWallet('vendor', `vendor ${i + 1}`));
  const ordersPerDay = 5 + world.accountCount / 5_000;
  const weekOrdersUsd = new Float64Array(crypto.markets.length);
  let order = 0;

  return {
    name: 'crypto',
    day(day: number, rng: Rng, sink: TxSink): void {
      const dayStart = calendar.dayStartMs(day);
      const at = (minute: number) => dayStart + minute * 60_000;
      for (const u of users) {
        const exchange = crypto.exchanges[u.exchange]!;
        const c = world.personCountry[u.person]!;
        const currency = COUNTRIES[c]!.currency;
        const perUsd = FX_PER_USD[currency] ?? 1;
        const account = world.personAccount[u.person]!;
        if (u.next === day) {
          u.next = day + Math.max(3, Math.round(u.interval * Math.exp(0.3 * rng.normal())));
          const usd = Math.max(10, u.usd * Math.exp(0.4 * rng.normal()));
          const minor = Math.round((rng.chance(0.6) ? Math.max(10, Math.round(usd / 10) * 10) : usd) * perUsd * 100);
          const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'personal'));
          sink.tx(t, account, exchange.account, minor, currency, minor, currency, rng.chance(CARD_SHARE) ? 'card' : 'ach', false);
          const sats = crypto.satsForUsd((minor / 100 / perUsd) * (1 - EXCHANGE_FEE), day);
          if (u.wallet >= 0 && rng.chance(0.6)) {
            crypto.enqueue({ timeMs: t + rng.range(30, 600) * 60_000, from: exchange.hot, to: [{ wallet: u.wallet }], valuesSat: [sats] });
            u.heldSat += sats;
          } else {
            u.heldUsd += minor / 100 / perUsd;
          }
        } else if (rng.chance(SELL_PER_DAY) && (u.heldSat > 0 || u.heldUsd > 0)) {
          const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'personal'));
          let usd = u.heldUsd * (0.3 + 0.7 * rng.next());
          u.heldUsd -= usd;
          if (u.heldSat > 0 && rng.chance(0.7)) {
            const sats = Math.floor(u.heldSat * (0.5 + 0.4 * rng.next()));
            crypto.enqueue({ timeMs: t, from: u.wallet, to: [{ wallet: exchange.hot, key: `dep:${account}` }], valuesSat: [sats] });
            u.heldSat -= sats;
            usd += crypto.usdForSats(sats, day);
          }
          const minor = Math.round(usd * (1 - EXCHANGE_FEE) * perUsd * 100);
          if (minor >= 100) {
            const payout = utcOf(calendar.startMs, day + rng.range(1, 2), c, localMinute(rng, 'office'));
            sink.tx(payout, exchange.account, account, minor, currency, minor, currency, 'ach', false);
          }
        }
      }
      // Anonymous chain traffic between background wallets.
      const transfers = rng.poisson(background.length * 0.3);
      for (let i = 0; i < transfers; i++) {
        const from = rng.pick(background);
        const outputs = rng.chance(0.8) ? 1 : rng.range(2, 4);
        const to = Array.from({ length: outputs }, () => ({ wallet: rng.pick(background) }));
        crypto.enqueue({ timeMs: at(rng.int(1440)), from, to, valuesSat: to.map(() => Math.round(rng.logNormal(0.02, 1.2) * SAT)) });
      }
      // Darknet market orders, per-order deposit addresses.
      const orders = rng.poisson(ordersPerDay);
      for (let i = 0; i < orders; i++) {
        const m = rng.int(crypto.markets.length);
        const usd = rng.logNormal(150, 0.9);
        weekOrdersUsd[m]! += usd;
        crypto.enqueue({ timeMs: at(rng.int(1440)), from: rng.pick(background), to: [{ wallet: crypto.markets[m]!.wallet, key: `order:${order++}` }], valuesSat: [crypto.satsForUsd(usd, day)] });
      }
      for (const e of crypto.exchanges) crypto.enqueue({ timeMs: at(22 * 60 + rng.int(60)), from: e.hot, to: [{ wallet: e.hot }], keyedOnly: true });
      for (const m of crypto.markets) crypto.enqueue({ timeMs: at(23 * 60 + rng.int(50)), from: m.wallet, to: [{ wallet: m.wallet }], keyedOnly: true });
      if (calendar.date(day).weekday === 5) {
        crypto.markets.forEach((m, i) => {
          const paid = vendors.filter(() => rng.chance(0.5));
          if (paid.length === 0 || weekOrdersUsd[i]! <= 0) return;
          const share = (weekOrdersUsd[i]! * 0.9) / paid.length;
          crypto.enqueue({ timeMs: at(12 * 60 + rng.int(120)), from: m.wallet, to: paid.map((wallet) => ({ wallet })), valuesSat: paid.map(() => crypto.satsForUsd(share * rng.logNormal(1, 0.5), day)) });
          weekOrdersUsd[i] = 0;
        });
        // Vendors cash some of it out at an exchange.
        for (const v of vendors) {
          if (!rng.chance(0.3)) continue;
          const e = rng.pick(crypto.exchanges);
          crypto.enqueue({ timeMs: at(rng.int(1440)), from: v, to: [{ wallet: e.hot, key: `ext:${v}` }] });
        }
      }
    },
  };
}
