/**
 * Monthly obligations of people, each on its own day of the month from the same payer to the same payee:
 * rent to landlords (round amounts), utility and phone bills (a benign fan-in of thousands of payers into
 * each utility; electricity follows the season), loan instalments to lenders (fixed; some loans start
 * during the period with a disbursement), standing savings transfers to the person's own second account
 * (Reinvestment), and card subscriptions (fixed price, charged on the calendar day, weekends included).
 * Debits due on a weekend or holiday are collected on the next business day.
 */
import type { Channel } from '../../model/index.js';
import { COUNTRIES } from '../geography.js';
import { localMinute, utcOf, type Rhythm } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import { MERCHANT_CATEGORIES, UTILITY_KINDS, type World } from '../world.js';

const KINDS = ['rent', 'electricity', 'telecom', 'water', 'internet', 'loan', 'savings', 'subscription'] as const;
type Kind = (typeof KINDS)[number];

/** Typical monthly bill in US dollars of purchasing power, its month-to-month spread, and who has one. */
const UTILITY_BILL: Record<(typeof UTILITY_KINDS)[number], { median: number; sigma: number; share: number }> = {
  electricity: { median: 110, sigma: 0.18, share: 0.95 },
  telecom: { median: 65, sigma: 0.03, share: 0.9 },
  water: { median: 45, sigma: 0.15, share: 0.55 },
  internet: { median: 60, sigma: 0, share: 0.6 },
};
/** Electricity by month (January first): air conditioning in the Americas, heating in Spain. */
const ELECTRICITY_SEASON: Record<string, readonly number[]> = {
  north: [1.15, 1.1, 0.95, 0.9, 1, 1.15, 1.3, 1.3, 1.15, 0.95, 0.95, 1.1],
  tropics: [0.95, 0.95, 1.05, 1.1, 1.1, 1.05, 1, 1, 1, 1, 0.95, 1],
};
const SUBSCRIPTION_PRICES_USD = [4.99, 6.99, 9.99, 11.99, 15.49, 19.99, 29.99] as const;

/** Obligations per person on average; the table grows by doubling from this estimate. */
const EXPECTED_PER_PERSON = 5;

class ObligationTable {
  length = 0;
  kind = new Uint8Array(0);
  payer = new Int32Array(0);
  payee = new Int32Array(0);
  country = new Uint8Array(0);
  dom = new Uint8Array(0);
  baseMinor = new Float64Array(0);
  /** First and last world day the obligation runs (inclusive). */
  firstDay = new Int32Array(0);
  lastDay = new Int32Array(0);

  constructor(capacity: number) {
    this.grow(Math.max(16, capacity));
  }

  add(kind: Kind, payer: number, payee: number, country: number, dom: number, baseMinor: number, firstDay: number, lastDay: number): void {
    if (this.length === this.kind.length) this.grow(this.length * 2);
    const i = this.length++;
    this.kind[i] = KINDS.indexOf(kind);
    this.payer[i] = payer;
    this.payee[i] = payee;
    this.country[i] = country;
    this.dom[i] = dom;
    this.baseMinor[i] = baseMinor;
    this.firstDay[i] = firstDay;
    this.lastDay[i] = lastDay;
  }

  private grow(capacity: number): void {
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.kind = copy(this.kind, (n) => new Uint8Array(n));
    this.payer = copy(this.payer, (n) => new Int32Array(n));
    this.payee = copy(this.payee, (n) => new Int32Array(n));
    this.country = copy(this.country, (n) => new Uint8Array(n));
    this.dom = copy(this.dom, (n) => new Uint8Array(n));
    this.baseMinor = copy(this.baseMinor, (n) => new Float64Array(n));
    this.firstDay = copy(this.firstDay, (n) => new Int32Array(n));
    this.lastDay = copy(this.lastDay, (n) => new Int32Array(n));
  }
}

/** Obligation indices grouped by (country, day of month), compressed. */
function buckets(table: ObligationTable, include: (i: number) => boolean): { start: Int32Array; items: Int32Array } {
  const keys = COUNTRIES.length * 32;
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < table.length; i++) if (include(i)) start[table.country[i]! * 32 + table.dom[i]! + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const items = new Int32Array(start[keys]!);
  const fill = start.slice(0, keys);
  for (let i = 0; i < table.length; i++) if (include(i)) items[fill[table.country[i]! * 32 + table.dom[i]!]!++] = i;
  return { start, items };
}

function roundTo(valueMajor: number, unitMajor: number): number {
  return Math.max(unitMajor, Math.round(valueMajor / unitMajor) * unitMajor);
}

export function bills(world: World, rng: Rng): Activity {
  const { calendar } = world;
  const table = new ObligationTable(world.personCount * EXPECTED_PER_PERSON);
  const noEnd = world.options.days + 1;
  const loanStarts = new Map<number, number[]>();

  COUNTRIES.forEach((country, c) => {
    const persons = world.countryPersons[c]!;
    const landlords = world.businessesOf('landlord', c);
    const landlordPick = new AliasTable(landlords.map((b) => world.businessSize[b]!));
    const lenders = world.businessesOf('lender', c);
    const lenderPick = new AliasTable(lenders.map((b) => world.businessSize[b]!));
    const utilities = UTILITY_KINDS.map((_k, kind) => world.businessesOf('utility', c).filter((b) => world.businessKind[b] === kind));
    const utilityPick = utilities.map((list) => new AliasTable(list.map((b) => world.businessSize[b]!)));
    const online = world.businessesOf('merchant', c).filter((b) => MERCHANT_CATEGORIES[world.businessKind[b]!] === 'online');
    const onlinePick = new AliasTable(online.map((b) => world.businessSize[b]!));
    const salaryMedianMinor = country.salaryMedian * 100;

    for (const p of persons) {
      const account = world.personAccount[p]!;
      const salary = world.personSalaryMinor[p]!;
      const income = salary > 0 ? salary / salaryMedianMinor : 0.6;
      if (rng.chance(country.renterShare) && !landlordPick.empty) {
        const rent = roundTo(rng.logNormal(country.rentMedian * income ** 0.4, 0.3), country.rentUnit);
        const landlord = world.businessAccount[landlords[landlordPick.sample(rng)]!]!;
        table.add('rent', account, landlord, c, rng.chance(0.55) ? 1 : rng.range(2, 5), rent * 100, 0, noEnd);
      }
      const household = rng.logNormal(1, 0.35);
      UTILITY_KINDS.forEach((kind, k) => {
        const bill = UTILITY_BILL[kind];
        if (utilityPick[k]!.empty || !rng.chance(bill.share)) return;
        const utility = world.businessAccount[utilities[k]![utilityPick[k]!.sample(rng)]!]!;
        const base = Math.round(bill.median * country.priceLevel * (kind === 'internet' || kind === 'telecom' ? 1 : household) * 100);
        table.add(kind, account, utility, c, rng.range(1, 28), base, 0, noEnd);
      });
      if (salary > 0 && rng.chance(country.loanShare) && !lenderPick.empty) {
        const instalment = Math.round(salary * (0.06 + 0.2 * rng.next()));
        const lender = world.businessAccount[lenders[lenderPick.sample(rng)]!]!;
        const months = rng.range(3, 60);
        // Most loans are older than the world; some are taken out during it.
        const first = rng.chance(0.85) ? 0 : rng.int(world.options.days);
        const last = first === 0 ? Math.round(months * 30.44) : first + Math.round(months * 30.44);
        const dom = first === 0 ? rng.range(1, 28) : Math.min(28, calendar.date(first).day);
        table.add('loan', account, lender, c, dom, instalment, first === 0 ? 0 : first + 20, last);
        if (first > 0) {
          const list = loanStarts.get(first) ?? [];
          list.push(table.length - 1);
          loanStarts.set(first, list);
        }
      }
      const savings = world.personSavings[p]!;
      if (savings >= 0 && rng.chance(salary > 0 ? 0.65 : 0.3)) {
        const monthly = (salary > 0 ? salary : salaryMedianMinor * 0.3) / 100;
        table.add('savings', account, savings, c, rng.range(1, 28), roundTo(monthly * (0.03 + 0.12 * rng.next()), country.roundUnit) * 100, 0, noEnd);
      }
      if (!onlinePick.empty && rng.chance(0.6)) {
        const n = rng.range(1, 3);
        for (let i = 0; i < n; i++) {
          const merchant = world.businessAccount[online[onlinePick.sample(rng)]!]!;
          const price = Math.max(1, Math.round(rng.pick(SUBSCRIPTION_PRICES_USD) * country.priceLevel)) * 100 - 1;
          table.add('subscription', account, merchant, c, rng.range(1, 28), price, 0, noEnd);
        }
      }
    }
  });

  const SUBSCRIPTION = KINDS.indexOf('subscription');
  const debits = buckets(table, (i) => table.kind[i] !== SUBSCRIPTION);
  const cards = buckets(table, (i) => table.kind[i] === SUBSCRIPTION);
  /** Per obligation: US tenants paying by cheque, households paying bills by card (fixed per payer). */
  const channelOf = new Uint8Array(table.length);
  const CHANNELS: readonly Channel[] = ['ach', 'cheque', 'card', 'wire', 'reinvestment'];
  for (let i = 0; i < table.length; i++) {
    const kind = KINDS[table.kind[i]!]!;
    const us = COUNTRIES[table.country[i]!]!.code === 'US';
    if (kind === 'savings') channelOf[i] = 4;
    else if (kind === 'subscription') channelOf[i] = 2;
    else if (kind === 'rent') channelOf[i] = us ? (rng.chance(0.25) ? 1 : 0) : rng.chance(0.15) ? 3 : 0;
    else if (kind === 'loan') channelOf[i] = 0;
    else channelOf[i] = rng.chance(us ? 0.2 : 0.1) ? 2 : 0;
  }
  const RHYTHM: Record<Kind, Rhythm> = {
    rent: 'personal', electricity: 'batch', telecom: 'batch', water: 'batch', internet: 'batch', loan: 'batch', savings: 'personal', subscription: 'batch',
  };
  const tropics = new Set(['MX', 'GT', 'HN', 'SV', 'CO']);

  const emit = (i: number, day: number, rng: Rng, sink: TxSink): void => {
    if (day < table.firstDay[i]! || day > table.lastDay[i]!) return;
    const kind = KINDS[table.kind[i]!]!;
    const c = table.country[i]!;
    const country = COUNTRIES[c]!;
    let amount = table.baseMinor[i]!;
    if (kind === 'electricity' || kind === 'water') {
      const season = ELECTRICITY_SEASON[tropics.has(country.code) ? 'tropics' : 'north']![calendar.date(day).month - 1]!;
      amount = Math.round(amount * (kind === 'electricity' ? season : 1) * Math.exp(UTILITY_BILL[kind].sigma * rng.normal()));
    } else if (kind === 'telecom') {
      amount = Math.round(amount * Math.exp(UTILITY_BILL.telecom.sigma * rng.normal()));
    }
    const t = utcOf(calendar.startMs, day, c, localMinute(rng, RHYTHM[kind]));
    sink.tx(t, table.payer[i]!, table.payee[i]!, amount, country.currency, amount, country.currency, CHANNELS[channelOf[i]!]!, false);
  };
  const emitBucket = (b: { start: Int32Array; items: Int32Array }, c: number, dom: number, day: number, rng: Rng, sink: TxSink): void => {
    const key = c * 32 + dom;
    for (let k = b.start[key]!; k < b.start[key + 1]!; k++) emit(b.items[k]!, day, rng, sink);
  };

  return {
    name: 'bills',
    day(day: number, rng: Rng, sink: TxSink): void {
      for (const i of loanStarts.get(day) ?? []) {
        const c = table.country[i]!;
        const currency = COUNTRIES[c]!.currency;
        const months = Math.round((table.lastDay[i]! - table.firstDay[i]! + 20) / 30.44);
        const principal = Math.round((table.baseMinor[i]! * months * 0.85) / 10_000) * 10_000;
        const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'office'));
        sink.tx(t, table.payee[i]!, table.payer[i]!, principal, currency, principal, currency, 'ach', false);
      }
      const date = calendar.date(day);
      for (let c = 0; c < COUNTRIES.length; c++) {
        // Card subscriptions: on their calendar day; a day-of-month past the month's end falls on its last day.
        emitBucket(cards, c, date.day, day, rng, sink);
        if (date.day === date.daysInMonth) for (let dom = date.day + 1; dom <= 31; dom++) emitBucket(cards, c, dom, day, rng, sink);
        // Debits: on a business day, everything due since the previous business day.
        if (!calendar.isBusinessDay(c, day)) continue;
        for (let due = calendar.businessDayOnOrBefore(c, day - 1) + 1; due <= day; due++) {
          const dueDate = calendar.date(due);
          emitBucket(debits, c, dueDate.day, day, rng, sink);
          if (dueDate.day === dueDate.daysInMonth) for (let dom = dueDate.day + 1; dom <= 31; dom++) emitBucket(debits, c, dom, day, rng, sink);
        }
      }
    },
  };
}
