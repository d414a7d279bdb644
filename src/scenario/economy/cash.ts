/**
 * Small shops depositing their cash takings at the branch two to five times a week, in counter hours:
 * Monday's deposit carries the weekend, December is busier, amounts mostly well below the 10,000 reporting
 * threshold, a few busy shops near or above it, mostly whole units. Written as IBM does a deposit: a Cash
 * payment from the shop's account to itself.
 */
import { COUNTRIES, MONTH_FACTOR } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import type { Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

const MEDIAN_DEPOSIT_USD = 1_400;
const MONDAY = 1;

export function cashDeposits(world: World, rng: Rng): Activity {
  const { calendar } = world;
  const shops = world.businessesOf('shop');
  const perWeek = shops.map(() => rng.range(2, 5));
  const median = shops.map((b) => rng.logNormal(MEDIAN_DEPOSIT_USD, 0.65) * COUNTRIES[world.businessCountry[b]!]!.priceLevel);

  return {
    name: 'cash',
    day(day: number, rng: Rng, sink: TxSink): void {
      const date = calendar.date(day);
      const season = MONTH_FACTOR[date.month - 1]!;
      shops.forEach((b, i) => {
        const c = world.businessCountry[b]!;
        if (!calendar.isBusinessDay(c, day) || !rng.chance(perWeek[i]! / 5)) return;
        const weekend = date.weekday === MONDAY ? 1.6 : 1;
        let major = rng.logNormal(median[i]! * season * weekend, 0.35);
        major = rng.chance(0.7) ? Math.round(major) : Math.round(major * 100) / 100;
        const amount = Math.max(100, Math.round(major * 100));
        const currency = COUNTRIES[c]!.currency;
        const account = world.businessAccount[b]!;
        sink.tx(utcOf(calendar.startMs, day, c, localMinute(rng, 'branch')), account, account, amount, currency, amount, currency, 'cash', false);
      });
    },
  };
}
