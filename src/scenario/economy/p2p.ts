/**
 * Transfers between friends and relatives in the same country: a circle per person whose size is
 * heavy-tailed (most people send money to two or three people, a few — the family treasurer, the one who
 * organises the football pool, the informal lender — to dozens), often mutual, small and frequently round
 * amounts, more at weekends and in the evening; people with bigger circles transfer more often. Gives
 * ordinary people (the future mules among them) fan-in, fan-out and two-way flows that are not laundering.
 *
 * Circle sizes follow a discrete Pareto law (tail index 1.5, at least one contact, capped at MAX_CONTACTS),
 * the shape social-network degree distributions are usually reported to have.
 */
import { COUNTRIES } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

const MAX_CONTACTS = 60;
const TAIL_INDEX = 1.5;
/** Share of people who transfer to friends and family at all. */
const ACTIVE_SHARE = 0.8;
/** Transfers per day of a person with one contact (about 1.2 a month); grows with the circle (exponent 0.6). */
const RATE_PER_DAY = 0.04;
const RATE_EXPONENT = 0.6;
const MEDIAN_USD = 45;

export function p2p(world: World, rng: Rng): Activity {
  const { calendar } = world;
  const n = world.personCount;
  // Wanted circle sizes, then links drawn within the country (half of them mutual), stored compressed.
  const wanted = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    if (!rng.chance(ACTIVE_SHARE)) continue;
    wanted[p] = Math.min(MAX_CONTACTS, Math.floor(Math.pow(1 - rng.next(), -1 / TAIL_INDEX)));
  }
  const lists: number[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number): void => {
    if (a === b || lists[a]!.length >= MAX_CONTACTS || lists[a]!.includes(b)) return;
    lists[a]!.push(b);
  };
  for (const persons of world.countryPersons) {
    for (const p of persons) {
      for (let k = lists[p]!.length; k < wanted[p]!; k++) {
        const q = persons[rng.int(persons.length)]!;
        link(p, q);
        if (rng.chance(0.5)) link(q, p);
      }
    }
  }
  const start = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) start[p + 1] = start[p]! + lists[p]!.length;
  const contacts = new Int32Array(start[n]!);
  for (let p = 0; p < n; p++) contacts.set(lists[p]!, start[p]!);
  const senderPick = world.countryPersons.map((persons) => new AliasTable(Array.from(persons, (p) => {
    const size = start[p + 1]! - start[p]!;
    return size > 0 ? Math.pow(size, RATE_EXPONENT) : 0;
  })));

  return {
    name: 'p2p',
    day(day: number, rng: Rng, sink: TxSink): void {
      const weekday = calendar.date(day).weekday;
      const rhythm = weekday === 0 || weekday === 6 ? 1.25 : 0.9;
      for (let c = 0; c < COUNTRIES.length; c++) {
        const pick = senderPick[c]!;
        if (pick.empty) continue;
        const country = COUNTRIES[c]!;
        const persons = world.countryPersons[c]!;
        const count = rng.poisson(pick.total * RATE_PER_DAY * rhythm);
        for (let i = 0; i < count; i++) {
          const p = persons[pick.sample(rng)]!;
          const q = contacts[start[p]! + rng.int(start[p + 1]! - start[p]!)]!;
          let major = rng.logNormal(MEDIAN_USD * country.priceLevel, 0.9);
          const unit = country.roundUnit / 2;
          major = rng.chance(0.6) && major >= unit ? Math.round(major / unit) * unit : Math.round(major * 100) / 100;
          const amount = Math.max(1, Math.round(major * 100));
          const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'personal'));
          sink.tx(t, world.personAccount[p]!, world.personAccount[q]!, amount, country.currency, amount, country.currency, 'ach', false);
        }
      }
    },
  };
}
