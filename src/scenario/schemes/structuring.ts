/**
 * Scheme `structuring` (type STRUCTURING): cash from drug sales is paid into banks in deposits kept just
 * below the country's reporting threshold, by several depositors ("smurfs") at several branches of one or
 * more banks over days to weeks. Either the smurfs pay straight into the organisation's collection accounts
 * (a front business or a few persons) at whatever branch is near, or each pays into their own account and
 * transfers the money on within a day or two. The collection accounts then move it on in a few larger
 * transfers, across the border for US cash.
 *
 * Deposits are whole currency units, mostly 85-99 % of the threshold, often round (9,500; 9,800), some
 * smaller. A shop of the benign world depositing near the threshold is the look-alike.
 *
 * Sources: 31 CFR 1010.311 (US currency transaction report above USD 10,000) and 31 USC 5324 (structuring);
 * FinCEN SAR Activity Reviews on structuring and smurfing; FATF, Money Laundering through the Physical
 * Transportation of Cash (2015); per-country thresholds below.
 */
import { COUNTRIES } from '../geography.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  activeAccounts,
  arrive,
  between,
  businessDay,
  cashDeposit,
  dayOf,
  instanceCount,
  localTime,
  MINUTE_MS,
  pay,
  period,
  placeIn,
  planInstances,
  uniform,
  usdText,
  usdToMinor,
  type Arrivals,
  type CommonParams,
  type Range,
} from './common.js';

/**
 * Cash reporting thresholds by country: `amount` in local major units, or `usd` dollars converted at the day's
 * rate. Figures as commonly cited by each regulator; the generator's choice where a country has none.
 */
export const CASH_THRESHOLDS: Readonly<Record<string, { amount?: number; usd?: number; source: string }>> = {
  US: { amount: 10_000, source: 'Currency Transaction Report over USD 10,000 (31 CFR 1010.311)' },
  MX: { usd: 7_500, source: 'Mexican "operaciones relevantes": cash operations of USD 7,500 or more in any currency (Art. 115 LIC general provisions)' },
  GT: { usd: 10_000, source: 'IVE cash transaction report, USD 10,000 or equivalent (Decreto 67-2001)' },
  HN: { usd: 10_000, source: 'UIF cash transaction report, USD 10,000 or equivalent (Ley Especial contra el Lavado de Activos, 2014)' },
  SV: { amount: 10_000, source: 'UIF report of cash operations over USD 10,000 (Ley contra el Lavado de Dinero y de Activos)' },
  CO: { amount: 10_000_000, source: 'UIAF cash transaction report, COP 10,000,000 per transaction (SFC Circular Básica Jurídica)' },
  ES: { amount: 10_000, source: 'generator choice: EUR 10,000, the EU cash declaration and (from 2027) cash payment limit; SEPBLAC systematic reporting starts higher' },
};

export interface StructuringParams extends CommonParams {
  countries: Readonly<Record<string, number>>;
  /** Cash to place per instance, US dollars (median, log-spread). */
  cashUsd: number;
  cashSigma: number;
  smurfs: Range;
  /** Collection accounts. */
  collectors: Range;
  /** Share of instances where smurfs pay into the collection accounts directly (the rest into their own). */
  directShare: number;
  /** Share of deposits just below the threshold (85-99 %); the rest 50-85 %. */
  nearShare: number;
  /** Share of deposits rounded to 100 units. */
  roundShare: number;
  /** Days over which the cash is placed. */
  days: Range;
  /** Most deposits per smurf per day (each at a different branch). */
  perSmurfDay: number;
}

export const STRUCTURING_DEFAULTS: StructuringParams = {
  per100k: 10,
  min: 1,
  scale: 1,
  recruitedShare: 0.7,
  countries: { US: 0.5, MX: 0.2, CO: 0.1, GT: 0.07, HN: 0.05, SV: 0.03, ES: 0.05 },
  cashUsd: 80_000,
  cashSigma: 0.6,
  smurfs: [3, 10],
  collectors: [1, 3],
  directShare: 0.6,
  nearShare: 0.75,
  roundShare: 0.6,
  days: [3, 20],
  perSmurfDay: 2,
};

/** The threshold in minor units of the country's currency on `day`. */
export function thresholdMinor(world: World, code: string, day: number): number {
  const t = CASH_THRESHOLDS[code]!;
  const currency = COUNTRIES.find((c) => c.code === code)!.currency;
  return t.amount !== undefined ? t.amount * 100 : usdToMinor(world, t.usd!, currency, day);
}

export function structuringScheme(overrides: Partial<StructuringParams> = {}): Scheme {
  const p: StructuringParams = { ...STRUCTURING_DEFAULTS, ...overrides };
  return {
    name: 'structuring',
    summary: 'cash deposits below the reporting threshold by several depositors at several branches',
    plan(world: World, rng: Rng): SchemeInstance[] {
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const { c, code, currency } = placeIn(rng, p.countries);
        const { span, first } = period(world, rng, p.days, 6);
        const threshold = thresholdMinor(world, code, first);
        const direct = rng.chance(p.directShare);
        const collectors = Array.from({ length: between(rng, p.collectors) }, (_v, i) =>
          i === 0 && rng.chance(0.5) ? (rng.chance(0.5) ? recruit.business(c, ['shop', 'merchant']) : recruit.freshCompany(c, 'trading')) : recruit.member(c, p.recruitedShare),
        );
        const smurfs = Array.from({ length: between(rng, p.smurfs) }, () => recruit.member(c, p.recruitedShare));
        // The organisation sizes its team to the cash: every smurf makes a deposit or two at least.
        const cashMinor = Math.max(usdToMinor(world, rng.logNormal(p.cashUsd, p.cashSigma), currency, first), Math.round(smurfs.length * 1.5 * threshold));
        const transactions: PlannedTx[] = [];
        /** What each smurf paid into their own account and has not yet moved on. */
        const pending: Arrivals = new Map();
        const received = new Map<number, number>();
        const branchesUsed = new Set<string>();
        let placed = 0;
        let deposits = 0;
        for (let d = 0; d < span && placed < cashMinor; d++) {
          const day = first + d;
          if (!world.calendar.isBusinessDay(c, day) && !rng.chance(0.2)) continue;
          for (const smurf of rng.shuffle([...smurfs])) {
            if (placed >= cashMinor || !rng.chance(0.6)) continue;
            const count = rng.range(1, p.perSmurfDay);
            for (let i = 0; i < count && placed < cashMinor; i++) {
              const share = rng.chance(p.nearShare) ? uniform(rng, [0.85, 0.99]) : uniform(rng, [0.5, 0.85]);
              let minor = Math.floor((threshold * share) / 100) * 100;
              if (rng.chance(p.roundShare)) minor = Math.floor(minor / 10_000) * 10_000;
              minor = Math.min(minor, threshold - 100);
              const into = direct ? rng.pick(collectors) : smurf;
              const branch = rng.int(world.branchesOf(into));
              branchesUsed.add(`${world.accountBank[into]}-${branch}`);
              const t = localTime(world, rng, day, c, 'branch');
              transactions.push(cashDeposit(t, direct ? smurf : into, into, minor, currency, branch));
              placed += minor;
              deposits++;
              if (direct) received.set(into, (received.get(into) ?? 0) + minor);
              else arrive(pending, smurf, minor, t);
            }
          }
          // Own-account variant: smurfs move what they paid in on to a collector within a day or two.
          for (const [smurf, r] of pending) {
            if (!rng.chance(0.5) && d < span - 1) continue;
            const to = rng.pick(collectors);
            const t = localTime(world, rng, Math.max(day, dayOf(world, r.lastMs)) + rng.range(0, 1), c, 'personal');
            const out = Math.round(r.minor * (1 - uniform(rng, [0, 0.03])));
            transactions.push(pay(world, Math.max(t, r.lastMs + 30 * MINUTE_MS), smurf, to, out, code === 'US' ? (rng.chance(0.5) ? 'mobile' : 'ach') : 'wire'));
            received.set(to, (received.get(to) ?? 0) + out);
            pending.delete(smurf);
          }
        }
        // The collection accounts move the money on in a few larger transfers (US cash goes south).
        const organiserCountry = code === 'US' ? (rng.chance(0.7) ? COUNTRIES.findIndex((x) => x.code === 'MX') : c) : c;
        const organiser = recruit.freshCompany(organiserCountry, 'trading');
        const lastDay = first + span;
        for (const [collector, minor] of received) {
          const parts = rng.range(1, 3);
          for (let i = 0; i < parts; i++) {
            const day = businessDay(world, c, lastDay + rng.range(1, 5));
            transactions.push(pay(world, localTime(world, rng, day, c, 'office'), collector, organiser, Math.floor((minor * 0.97) / parts), 'wire', 0.015));
          }
        }
        const symbol = `${usdText(threshold / 100)} ${currency}`;
        const active = activeAccounts(transactions);
        return {
          id: `structuring-${k}`,
          scheme: 'structuring',
          type: 'STRUCTURING',
          title: `STRUCTURING:  ${deposits} cash deposits of ${usdText(placed / 100)} ${currency} below ${symbol} by ${smurfs.length} depositors at ${branchesUsed.size} branches in ${code}${direct ? '' : ' (own accounts, then transfers)'}`,
          accounts: [...collectors, ...smurfs, organiser].filter((a) => active.has(a)),
          transactions,
        };
      });
    },
  };
}
