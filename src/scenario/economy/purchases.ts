/**
 * Occasional large one-off payments by ordinary people: a car from a dealer (often after moving savings to
 * the current account the same morning), tuition at the start of each semester (August/September and
 * January; a few pay a university abroad by wire), and other big bills (repairs, medical, travel) to
 * suppliers and merchants. Rare per person, frequent in aggregate: the benign large transfers that
 * amount-based rules trip on.
 */
import type { Channel } from '../../model/index.js';
import { COUNTRIES, FX_PER_USD, countryIndex } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

const CAR_PER_PERSON_DAY = 1 / (365 * 6);
const BIG_BILL_PER_PERSON_DAY = 1 / 250;
const STUDENT_SHARE = 0.06;
const ABROAD_STUDENT_SHARE = 0.05;
const CAR_MEDIAN_USD = 22_000;
const TUITION_MEDIAN_USD = 4_000;
const BIG_BILL_MEDIAN_USD = 1_200;
/** Semester payment windows: [month, first day, window length in days]. */
const SEMESTERS = [
  [8, 15, 27],
  [1, 5, 21],
] as const;
const WIRE_SPREAD = 0.01;

function pickChannel(rng: Rng, country: string, shares: { wire: number; ach: number }): Channel {
  const u = rng.next();
  if (u < shares.wire) return 'wire';
  if (u < shares.wire + shares.ach || country !== 'US') return 'ach';
  return 'cheque';
}

export function purchases(world: World, rng: Rng): Activity {
  const { calendar, fx } = world;
  const sampler = (role: 'dealer' | 'school' | 'supplier' | 'merchant', c: number) => {
    const list = world.businessesOf(role, c);
    return { list, pick: new AliasTable(list.map((b) => world.businessSize[b]!)) };
  };
  const dealers = COUNTRIES.map((_c, c) => sampler('dealer', c));
  const schools = COUNTRIES.map((_c, c) => sampler('school', c));
  const billPayees = COUNTRIES.map((_c, c) => {
    const a = sampler('supplier', c);
    const b = sampler('merchant', c);
    return { list: [...a.list, ...b.list], pick: new AliasTable([...a.list, ...b.list].map((x) => world.businessSize[x]!)) };
  });
  const us = countryIndex('US');

  // Students: who pays tuition, where, and on which day of each semester window.
  const tuitionByDate = new Map<string, number[]>();
  const studentSchool = new Map<number, number>();
  const studentFee = new Map<number, number>();
  for (let p = 0; p < world.personCount; p++) {
    if (!rng.chance(STUDENT_SHARE)) continue;
    const c = world.personCountry[p]!;
    const sc = c !== us && rng.chance(ABROAD_STUDENT_SHARE) ? us : c;
    const pool = schools[sc]!;
    if (pool.pick.empty) continue;
    const school = pool.list[pool.pick.sample(rng)]!;
    studentSchool.set(p, school);
    // At home, priced like local services; abroad (a US university), at US prices and higher.
    const fee = sc === c ? rng.logNormal(TUITION_MEDIAN_USD * COUNTRIES[c]!.priceLevel, 0.7) : rng.logNormal(TUITION_MEDIAN_USD * 3, 0.5);
    studentFee.set(p, Math.round(fee / 10) * 1_000);
    for (const [month, first, window] of SEMESTERS) {
      const date = new Date(Date.UTC(2001, month - 1, first + rng.int(window)));
      const key = `${date.getUTCMonth() + 1}-${date.getUTCDate()}`;
      const list = tuitionByDate.get(key) ?? [];
      list.push(p);
      tuitionByDate.set(key, list);
    }
  }

  const pay = (sink: TxSink, t: number, p: number, payee: number, amount: number, currency: string, day: number, channel: Channel): void => {
    const payerCurrency = COUNTRIES[world.personCountry[p]!]!.currency;
    const paid = payerCurrency === currency ? amount : fx.convert(amount, currency, payerCurrency, day, -WIRE_SPREAD);
    sink.tx(t, world.personAccount[p]!, world.businessAccount[payee]!, amount, currency, paid, payerCurrency, payerCurrency === currency ? channel : 'wire', false);
  };

  return {
    name: 'purchases',
    day(day: number, rng: Rng, sink: TxSink): void {
      const date = calendar.date(day);
      for (let c = 0; c < COUNTRIES.length; c++) {
        const country = COUNTRIES[c]!;
        const persons = world.countryPersons[c]!;
        const currency = country.currency;
        const usdRate = FX_PER_USD[currency] ?? 1;
        // Cars: priced near the exchange rate everywhere (traded goods), bought on weekdays and Saturdays.
        const cars = date.weekday === 0 || dealers[c]!.pick.empty ? 0 : rng.poisson(persons.length * CAR_PER_PERSON_DAY);
        for (let i = 0; i < cars; i++) {
          const p = persons[rng.int(persons.length)]!;
          const dealer = dealers[c]!.list[dealers[c]!.pick.sample(rng)]!;
          const amount = Math.round(rng.logNormal(CAR_MEDIAN_USD * usdRate * 0.8, 0.45) / 100) * 10_000;
          const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'office'));
          const savings = world.personSavings[p]!;
          if (savings >= 0 && rng.chance(0.5)) {
            const moved = Math.round((amount * (0.3 + 0.7 * rng.next())) / 10_000) * 10_000;
            sink.tx(t - rng.range(30, 180) * 60_000, savings, world.personAccount[p]!, moved, currency, moved, currency, 'reinvestment', false);
          }
          pay(sink, t, p, dealer, amount, currency, day, pickChannel(rng, country.code, { wire: 0.5, ach: 0.3 }));
        }
        const bills = billPayees[c]!.pick.empty ? 0 : rng.poisson(persons.length * BIG_BILL_PER_PERSON_DAY);
        for (let i = 0; i < bills; i++) {
          const p = persons[rng.int(persons.length)]!;
          const payee = billPayees[c]!.list[billPayees[c]!.pick.sample(rng)]!;
          const amount = Math.round(rng.logNormal(BIG_BILL_MEDIAN_USD * country.priceLevel, 0.8) * 100);
          pay(sink, utcOf(calendar.startMs, day, c, localMinute(rng, 'office')), p, payee, amount, currency, day, pickChannel(rng, country.code, { wire: 0.2, ach: 0.6 }));
        }
      }
      for (const p of tuitionByDate.get(`${date.month}-${date.day}`) ?? []) {
        const school = studentSchool.get(p)!;
        const c = world.personCountry[p]!;
        const sc = world.businessCountry[school]!;
        const amount = studentFee.get(p)!;
        pay(sink, utcOf(calendar.startMs, day, c, localMinute(rng, 'office')), p, school, amount, COUNTRIES[sc]!.currency, day, pickChannel(rng, COUNTRIES[c]!.code, { wire: 0.3, ach: 0.5 }));
      }
    },
  };
}
