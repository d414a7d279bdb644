/**
 * The countries of the synthetic world and the numbers that make each one look like itself: currency, time
 * zone, salaries, rents, price level, card use, pay calendars and the remittance corridors between them.
 * Figures are round public orders of magnitude for 2022 (national statistics offices, World Bank PPP
 * conversion factors, central-bank remittance reports); they shape the data, they are not statistics.
 */

export type PaySchedule =
  /** Paid on these days of the month (31 = last day), moved back to the previous business day. */
  | { kind: 'days'; days: readonly number[] }
  /** Every other Friday (US "biweekly"). */
  | { kind: 'biweekly' }
  /** Every Friday (Mexican "semana" for hourly workers). */
  | { kind: 'weekly' };

/** A statutory or customary extra pay: Mexico's aguinaldo, Spain's paga extra, Colombia's prima, ... */
export interface ExtraPay {
  /** 1-12 */
  month: number;
  /** Paid on the business day on or before this day of `month`. */
  day: number;
  /** Fraction of one monthly salary. */
  fractionOfSalary: number;
  /** Share of employers that pay it. */
  employerShare: number;
}

export interface CountryProfile {
  code: string;
  currency: string;
  /** Standard offset from UTC in hours (daylight saving is ignored). */
  utcOffsetHours: number;
  /** Share of the world's people living here. */
  populationShare: number;
  /** Banks at a world of 20,000 accounts (scaled with the square root of the size). */
  banksAt20k: number;
  /** Median monthly net salary of an employee, local currency major units. */
  salaryMedian: number;
  /** Median monthly rent, local major units. */
  rentMedian: number;
  /** Rents are multiples of this (local major units). */
  rentUnit: number;
  /** Family transfers, friends' transfers and savings are often multiples of this (local major units). */
  roundUnit: number;
  /** Local currency per international dollar (PPP conversion factor): turns USD-priced baskets into local prices. */
  priceLevel: number;
  /** Card payments per person per day relative to the US. */
  cardUse: number;
  employedShare: number;
  renterShare: number;
  loanShare: number;
  paySchedules: readonly { schedule: PaySchedule; weight: number }[];
  extraPays: readonly ExtraPay[];
}

const MONTHLY_LAST: PaySchedule = { kind: 'days', days: [31] };
const SEMI_MONTHLY: PaySchedule = { kind: 'days', days: [15, 31] };

export const COUNTRIES: readonly CountryProfile[] = [
  {
    code: 'US', currency: 'USD', utcOffsetHours: -5, populationShare: 0.42, banksAt20k: 12,
    salaryMedian: 4_300, rentMedian: 1_350, rentUnit: 25, roundUnit: 10, priceLevel: 1, cardUse: 1,
    employedShare: 0.84, renterShare: 0.45, loanShare: 0.3,
    paySchedules: [{ schedule: { kind: 'biweekly' }, weight: 0.45 }, { schedule: SEMI_MONTHLY, weight: 0.3 }, { schedule: MONTHLY_LAST, weight: 0.25 }],
    extraPays: [{ month: 12, day: 20, fractionOfSalary: 0.5, employerShare: 0.15 }],
  },
  {
    code: 'MX', currency: 'MXN', utcOffsetHours: -6, populationShare: 0.2, banksAt20k: 8,
    salaryMedian: 9_500, rentMedian: 5_500, rentUnit: 500, roundUnit: 100, priceLevel: 10, cardUse: 0.45,
    employedShare: 0.78, renterShare: 0.35, loanShare: 0.15,
    paySchedules: [{ schedule: { kind: 'weekly' }, weight: 0.25 }, { schedule: SEMI_MONTHLY, weight: 0.6 }, { schedule: MONTHLY_LAST, weight: 0.15 }],
    extraPays: [{ month: 12, day: 19, fractionOfSalary: 0.5, employerShare: 1 }],
  },
  {
    code: 'GT', currency: 'GTQ', utcOffsetHours: -6, populationShare: 0.05, banksAt20k: 4,
    salaryMedian: 3_800, rentMedian: 2_200, rentUnit: 100, roundUnit: 50, priceLevel: 3.6, cardUse: 0.3,
    employedShare: 0.75, renterShare: 0.35, loanShare: 0.15,
    paySchedules: [{ schedule: SEMI_MONTHLY, weight: 0.5 }, { schedule: MONTHLY_LAST, weight: 0.5 }],
    extraPays: [{ month: 7, day: 14, fractionOfSalary: 1, employerShare: 1 }, { month: 12, day: 15, fractionOfSalary: 1, employerShare: 1 }],
  },
  {
    code: 'HN', currency: 'HNL', utcOffsetHours: -6, populationShare: 0.04, banksAt20k: 4,
    salaryMedian: 9_500, rentMedian: 5_500, rentUnit: 500, roundUnit: 100, priceLevel: 11.5, cardUse: 0.3,
    employedShare: 0.75, renterShare: 0.35, loanShare: 0.15,
    paySchedules: [{ schedule: SEMI_MONTHLY, weight: 0.5 }, { schedule: MONTHLY_LAST, weight: 0.5 }],
    extraPays: [{ month: 6, day: 30, fractionOfSalary: 1, employerShare: 1 }, { month: 12, day: 20, fractionOfSalary: 1, employerShare: 1 }],
  },
  {
    code: 'SV', currency: 'USD', utcOffsetHours: -6, populationShare: 0.04, banksAt20k: 3,
    salaryMedian: 420, rentMedian: 250, rentUnit: 10, roundUnit: 10, priceLevel: 0.48, cardUse: 0.35,
    employedShare: 0.75, renterShare: 0.35, loanShare: 0.15,
    paySchedules: [{ schedule: SEMI_MONTHLY, weight: 0.5 }, { schedule: MONTHLY_LAST, weight: 0.5 }],
    extraPays: [{ month: 12, day: 20, fractionOfSalary: 0.5, employerShare: 1 }],
  },
  {
    code: 'ES', currency: 'EUR', utcOffsetHours: 1, populationShare: 0.13, banksAt20k: 8,
    salaryMedian: 1_750, rentMedian: 850, rentUnit: 10, roundUnit: 10, priceLevel: 0.62, cardUse: 0.85,
    employedShare: 0.8, renterShare: 0.3, loanShare: 0.25,
    paySchedules: [{ schedule: MONTHLY_LAST, weight: 0.6 }, { schedule: { kind: 'days', days: [28] }, weight: 0.2 }, { schedule: { kind: 'days', days: [1] }, weight: 0.2 }],
    extraPays: [{ month: 6, day: 30, fractionOfSalary: 1, employerShare: 0.6 }, { month: 12, day: 20, fractionOfSalary: 1, employerShare: 0.6 }],
  },
  {
    code: 'CO', currency: 'COP', utcOffsetHours: -5, populationShare: 0.12, banksAt20k: 6,
    salaryMedian: 1_800_000, rentMedian: 900_000, rentUnit: 50_000, roundUnit: 10_000, priceLevel: 1_400, cardUse: 0.45,
    employedShare: 0.75, renterShare: 0.45, loanShare: 0.2,
    paySchedules: [{ schedule: SEMI_MONTHLY, weight: 0.5 }, { schedule: MONTHLY_LAST, weight: 0.5 }],
    extraPays: [{ month: 6, day: 30, fractionOfSalary: 0.5, employerShare: 1 }, { month: 12, day: 20, fractionOfSalary: 0.5, employerShare: 1 }],
  },
];

export const COUNTRY_INDEX = new Map(COUNTRIES.map((c, i) => [c.code, i]));

export function countryIndex(code: string): number {
  const i = COUNTRY_INDEX.get(code);
  if (i === undefined) throw new Error(`country ${code} is not in the world`);
  return i;
}

/** Family remittance corridors: migrants living in `from` sending to relatives in `to`. */
export interface Corridor {
  from: string;
  to: string;
  /** Share of the residents of `from` who send. */
  senderShare: number;
  /** Median transfer in the sender's currency (major units). */
  medianAmount: number;
}

export const CORRIDORS: readonly Corridor[] = [
  { from: 'US', to: 'MX', senderShare: 0.1, medianAmount: 380 },
  { from: 'US', to: 'GT', senderShare: 0.03, medianAmount: 420 },
  { from: 'US', to: 'HN', senderShare: 0.02, medianAmount: 350 },
  { from: 'US', to: 'SV', senderShare: 0.025, medianAmount: 330 },
  { from: 'ES', to: 'CO', senderShare: 0.07, medianAmount: 280 },
];

/** Business trade between countries: share of supplier relations that cross this border. */
export const TRADE_LINKS: readonly { from: string; to: string; share: number }[] = [
  { from: 'US', to: 'MX', share: 0.08 },
  { from: 'MX', to: 'US', share: 0.1 },
  { from: 'ES', to: 'CO', share: 0.04 },
  { from: 'CO', to: 'ES', share: 0.05 },
  { from: 'US', to: 'ES', share: 0.02 },
  { from: 'GT', to: 'MX', share: 0.08 },
  { from: 'HN', to: 'GT', share: 0.05 },
  { from: 'SV', to: 'US', share: 0.08 },
];

/** Units of each world currency per US dollar at the start of the world (autumn 2022). */
export const FX_PER_USD: Readonly<Record<string, number>> = { USD: 1, EUR: 0.99, MXN: 20.0, GTQ: 7.8, HNL: 24.6, COP: 4_400 };

/** Daily log-volatility of each rate against the dollar (pegged or managed currencies barely move). */
export const FX_DAILY_VOLATILITY: Readonly<Record<string, number>> = { USD: 0, EUR: 0.005, MXN: 0.007, GTQ: 0.0008, HNL: 0.0008, COP: 0.008 };

/** Card spending relative to the yearly mean, January first. */
export const MONTH_FACTOR = [0.88, 0.9, 0.98, 1, 1.02, 1.02, 1.03, 1.02, 0.97, 1, 1.08, 1.3] as const;

/** Card spending relative to the weekly mean, Sunday first (Date.getUTCDay order). */
export const WEEKDAY_FACTOR = [1.05, 0.84, 0.88, 0.92, 0.98, 1.15, 1.3] as const;
