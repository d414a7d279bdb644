/**
 * Transfers between friends and relatives in the same country: a small circle per person, often mutual, small
 * and frequently round amounts, more at weekends and in the evening. Gives ordinary people (the future
 * mules among them) fan-in, fan-out and two-way flows that are not laundering.
 */
import { COUNTRIES } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

const CONTACTS = 4;
/** Transfers per person with contacts per day (about 1.5 a month). */
const RATE_PER_DAY = 0.05;
const MEDIAN_USD = 45;

export function p2p(world: World, rng: Rng): Activity {
  const { calendar } = world;
  const contacts = new Int32Array(world.personCount * CONTACTS).fill(-1);
  const count = new Uint8Array(world.personCount);
  const link = (a: number, b: number): void => {
    if (a === b || count[a]! >= CONTACTS) return;
    for (let k = 0; k < count[a]!; k++) if (contacts[a * CONTACTS + k] === b) return;
    contacts[a * CONTACTS + count[a]!] = b;
    count[a]!++;
  };
  for (const persons of world.countryPersons) {
    for (const p of persons) {
      const wanted = rng.int(CONTACTS + 1);
      for (let k = count[p]!; k < wanted; k++) {
        const q = persons[rng.int(persons.length)]!;
        link(p, q);
        if (rng.chance(0.5)) link(q, p);
      }
    }
  }
  const senderPick = world.countryPersons.map((persons) => new AliasTable(Array.from(persons, (p) => (count[p]! > 0 ? 1 : 0))));

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
        const n = rng.poisson(pick.total * RATE_PER_DAY * rhythm);
        for (let i = 0; i < n; i++) {
          const p = persons[pick.sample(rng)]!;
          const q = contacts[p * CONTACTS + rng.int(count[p]!)]!;
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
