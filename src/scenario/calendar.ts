/**
 * The world's calendar: day indices from the start (UTC midnight), weekdays, month ends, public holidays and
 * business days per country, and the day factors that give card spending its weekly and seasonal rhythm.
 */
import { COUNTRIES, MONTH_FACTOR, WEEKDAY_FACTOR } from './geography.js';

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export interface CalendarDate {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  /** 0 = Sunday */
  weekday: number;
  daysInMonth: number;
}

export function calendarDate(ms: number): CalendarDate {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  return { year, month, day: d.getUTCDate(), weekday: d.getUTCDay(), daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

/** The n-th (1-based; -1 = last) given weekday of a month, as a day of the month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  }
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, days)).getUTCDay();
  return days - ((last - weekday + 7) % 7);
}

/** Fixed-date public holidays (MM-DD); Easter-based ones are left out. */
const FIXED_HOLIDAYS: Readonly<Record<string, readonly string[]>> = {
  US: ['01-01', '06-19', '07-04', '11-11', '12-25'],
  MX: ['01-01', '05-01', '09-16', '12-25'],
  GT: ['01-01', '05-01', '06-30', '09-15', '10-20', '11-01', '12-25'],
  HN: ['01-01', '04-14', '05-01', '09-15', '10-03', '10-12', '10-21', '12-25'],
  SV: ['01-01', '05-01', '05-10', '06-17', '08-06', '09-15', '11-02', '12-25'],
  ES: ['01-01', '01-06', '05-01', '08-15', '10-12', '11-01', '12-06', '12-08', '12-25'],
  CO: ['01-01', '05-01', '07-20', '08-07', '12-08', '12-25'],
};

/** Holidays on the n-th weekday of a month: [month, weekday, n]. */
const WEEKDAY_HOLIDAYS: Readonly<Record<string, readonly (readonly [number, number, number])[]>> = {
  US: [[1, 1, 3], [2, 1, 3], [5, 1, -1], [9, 1, 1], [10, 1, 2], [11, 4, 4]],
  MX: [[2, 1, 1], [3, 1, 3], [11, 1, 3]],
};

export function isHoliday(country: string, date: CalendarDate): boolean {
  const mmdd = `${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  if (FIXED_HOLIDAYS[country]?.includes(mmdd)) return true;
  for (const [month, weekday, n] of WEEKDAY_HOLIDAYS[country] ?? []) {
    if (date.month === month && date.weekday === weekday && date.day === nthWeekday(date.year, month, weekday, n)) return true;
  }
  return false;
}

/** How much more (or less) people spend by card on this date in this country, beyond weekday and month. */
function specialDayFactor(country: string, date: CalendarDate): number {
  const { month, day } = date;
  if ((month === 12 && day === 25) || (month === 1 && day === 1)) return 0.6;
  if (country === 'US' && month === 11 && date.weekday === 5 && day === nthWeekday(date.year, 11, 4, 4) + 1) return 1.8; // Black Friday
  if (month === 12 && day === 24) return 1.35;
  if (month === 12 && day >= 15) return 1.15;
  if (month === 12 && day === 31) return 1.2;
  if (isHoliday(country, date)) return 1.15;
  return 1;
}

/** Days before the start and after the end that business-day lookups may need. */
const MARGIN_DAYS = 16;

export class Calendar {
  readonly dates: CalendarDate[];
  /** Per country: 1 when the day is a business day there; index = day + MARGIN_DAYS. */
  private readonly business: Uint8Array[];
  /** Per country: card-spending factor of each world day (weekday × month × special day). */
  readonly cardFactor: Float64Array[];

  constructor(
    readonly startMs: number,
    readonly days: number,
  ) {
    if (startMs % DAY_MS !== 0) throw new Error('the world starts at midnight UTC');
    this.dates = [];
    for (let d = 0; d < days; d++) this.dates.push(calendarDate(startMs + d * DAY_MS));
    this.business = COUNTRIES.map((c) => {
      const flags = new Uint8Array(days + 2 * MARGIN_DAYS);
      for (let i = 0; i < flags.length; i++) {
        const date = calendarDate(startMs + (i - MARGIN_DAYS) * DAY_MS);
        flags[i] = date.weekday !== 0 && date.weekday !== 6 && !isHoliday(c.code, date) ? 1 : 0;
      }
      return flags;
    });
    this.cardFactor = COUNTRIES.map((c) => {
      const f = new Float64Array(days);
      for (let d = 0; d < days; d++) {
        const date = this.dates[d]!;
        f[d] = WEEKDAY_FACTOR[date.weekday]! * MONTH_FACTOR[date.month - 1]! * specialDayFactor(c.code, date);
      }
      return f;
    });
  }

  date(day: number): CalendarDate {
    const d = this.dates[day];
    return d ?? calendarDate(this.startMs + day * DAY_MS);
  }

  dayStartMs(day: number): number {
    return this.startMs + day * DAY_MS;
  }

  isBusinessDay(country: number, day: number): boolean {
    const i = day + MARGIN_DAYS;
    const flags = this.business[country]!;
    if (i < 0 || i >= flags.length) {
      const date = calendarDate(this.startMs + day * DAY_MS);
      return date.weekday !== 0 && date.weekday !== 6 && !isHoliday(COUNTRIES[country]!.code, date);
    }
    return flags[i] === 1;
  }

  /** The latest business day on or before `day` (payroll and debits due on a weekend move back). */
  businessDayOnOrBefore(country: number, day: number): number {
    let d = day;
    while (!this.isBusinessDay(country, d)) d--;
    return d;
  }

  /** The first business day on or after `day`. */
  businessDayOnOrAfter(country: number, day: number): number {
    let d = day;
    while (!this.isBusinessDay(country, d)) d++;
    return d;
  }

  /** Day index of a calendar day in the month of world day `day` (31 = that month's last day). */
  dayInMonthOf(day: number, dayOfMonth: number): number {
    const date = this.date(day);
    return day - date.day + Math.min(dayOfMonth, date.daysInMonth);
  }
}
