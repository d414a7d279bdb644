/**
 * Payroll: every employer pays all its employees on its pay days (monthly, twice a month, biweekly or weekly
 * Fridays, moved back to the previous business day), in one overnight batch at the employer's own minute,
 * the same amount each time for each employee. Plus the customary extra pays (aguinaldo, paga extra, prima)
 * that make December and June look different. A large employer is a benign fan-out of hundreds of
 * near-simultaneous transfers.
 */
import { COUNTRIES, type PaySchedule } from '../geography.js';
import { utcOf } from '../rhythm.js';
import type { Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';
import { weightedIndex } from '../world.js';

const WEEK_DAYS = 7;
const FRIDAY = 5;

export function payroll(world: World, rng: Rng): Activity {
  const businesses = world.businessAccount.length;
  const { calendar } = world;
  // Employees of each business, compressed (CSR): employees[start[b] .. start[b+1]).
  const start = new Int32Array(businesses + 1);
  for (let p = 0; p < world.personCount; p++) {
    const b = world.personEmployer[p]!;
    if (b >= 0) start[b + 1]!++;
  }
  for (let b = 0; b < businesses; b++) start[b + 1]! += start[b]!;
  const employees = new Int32Array(start[businesses]!);
  const fill = start.slice(0, businesses);
  for (let p = 0; p < world.personCount; p++) {
    const b = world.personEmployer[p]!;
    if (b >= 0) employees[fill[b]!++] = p;
  }

  const schedule: PaySchedule[] = [];
  const payMinute = new Int32Array(businesses);
  const biweeklyPhase = new Uint8Array(businesses);
  const paysByCheque = new Uint8Array(businesses);
  const extraPay: boolean[][] = [];
  for (let b = 0; b < businesses; b++) {
    const country = COUNTRIES[world.businessCountry[b]!]!;
    const options = country.paySchedules;
    schedule.push(options[weightedIndex(rng, options.map((o) => o.weight))]!.schedule);
    payMinute[b] = rng.range(60, 6 * 60 + 59);
    biweeklyPhase[b] = rng.int(2);
    const role = world.businessRole[b];
    paysByCheque[b] = country.code === 'US' && (role === 'shop' || role === 'landlord') && rng.chance(0.3) ? 1 : 0;
    extraPay.push(country.extraPays.map((e) => rng.chance(e.employerShare)));
  }

  /** Is `day` the business day on which a payment due on day-of-month `dom` of some month is made? */
  const paysOnDom = (country: number, day: number, dom: number): boolean => {
    const date = calendar.date(day);
    // A due date in the next month can move back into this one (1 October on a Saturday → 30 September).
    const nextMonthDay = day - date.day + date.daysInMonth + 1;
    for (const target of [calendar.dayInMonthOf(day, dom), calendar.dayInMonthOf(nextMonthDay, dom)]) {
      if (calendar.businessDayOnOrBefore(country, target) === day) return true;
    }
    return false;
  };
  /** Is `day` the pay day of the week whose Friday is on or after it (Friday, or earlier when a holiday)? */
  const paysOnFriday = (country: number, day: number, everyOtherWeek: boolean, phase: number): boolean => {
    const weekday = calendar.date(day).weekday;
    const friday = day + ((FRIDAY - weekday + WEEK_DAYS) % WEEK_DAYS);
    if (everyOtherWeek && (Math.floor((calendar.dayStartMs(friday) / 86_400_000 + 3) / WEEK_DAYS) + phase) % 2 !== 0) return false;
    return calendar.businessDayOnOrBefore(country, friday) === day;
  };

  return {
    name: 'payroll',
    day(day: number, rng: Rng, sink: TxSink): void {
      const date = calendar.date(day);
      for (let b = 0; b < businesses; b++) {
        const first = start[b]!;
        const end = start[b + 1]!;
        if (first === end) continue;
        const c = world.businessCountry[b]!;
        const country = COUNTRIES[c]!;
        const s = schedule[b]!;
        let share = 0;
        if (s.kind === 'days') {
          for (const dom of s.days) if (paysOnDom(c, day, dom)) share += 1 / s.days.length;
        } else if (s.kind === 'biweekly') {
          if (paysOnFriday(c, day, true, biweeklyPhase[b]!)) share = 12 / 26;
        } else if (paysOnFriday(c, day, false, 0)) {
          share = 12 / 52;
        }
        let extra = 0;
        country.extraPays.forEach((e, i) => {
          if (date.month === e.month && extraPay[b]![i] && calendar.businessDayOnOrBefore(c, calendar.dayInMonthOf(day, e.day)) === day) extra += e.fractionOfSalary;
        });
        if (share === 0 && extra === 0) continue;
        const employer = world.businessAccount[b]!;
        const channel = paysByCheque[b] ? 'cheque' : 'ach';
        const baseMs = utcOf(calendar.startMs, day, c, payMinute[b]!);
        for (let i = first; i < end; i++) {
          const p = employees[i]!;
          const salary = world.personSalaryMinor[p]!;
          const t = baseMs + rng.int(3) * 60_000;
          const to = world.personAccount[p]!;
          if (share > 0) {
            const amount = Math.round(salary * share);
            sink.tx(t, employer, to, amount, country.currency, amount, country.currency, channel, false);
          }
          if (extra > 0) {
            const amount = Math.round(salary * extra);
            sink.tx(t, employer, to, amount, country.currency, amount, country.currency, channel, false);
          }
        }
      }
    },
  };
}
