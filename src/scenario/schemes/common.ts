/**
 * What the schemes share: how many instances a world of this size gets, when an instance starts, how its
 * members are found (people and businesses of the world recruited with their normal lives going on, or
 * accounts opened for the purpose), amounts in local currency from dollar figures, and the final ordering.
 */
import type { Channel } from '../../model/index.js';
import { DAY_MS, MINUTE_MS } from '../calendar.js';
import { COUNTRIES, COUNTRY_INDEX } from '../geography.js';
import { companyName } from '../names.js';
import { localMinute, utcOf, type Rhythm } from '../rhythm.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, SchemeInstance } from '../scheme.js';
import type { Role, World } from '../world.js';

/** Parameters every scheme takes. */
export interface CommonParams {
  /** Instances per 100,000 accounts of the world (before `scale`). */
  per100k: number;
  /** At least this many instances in any world (when scale > 0). */
  min: number;
  /** Multiplies the number of instances (0 turns the scheme off). */
  scale: number;
  /** Share of members recruited from the world (the rest are accounts opened for the purpose). */
  recruitedShare: number;
}

export type Range = readonly [number, number];

export function instanceCount(world: World, p: CommonParams): number {
  if (!(p.scale > 0)) return 0;
  return Math.max(p.min, Math.round((world.options.accounts / 100_000) * p.per100k * p.scale));
}

/** A whole number in the inclusive range. */
export function between(rng: Rng, [lo, hi]: Range): number {
  return rng.range(Math.round(lo), Math.round(hi));
}

export function uniform(rng: Rng, [lo, hi]: Range): number {
  return lo + (hi - lo) * rng.next();
}

/** A start day such that `spanDays` fit before the end, in the attack period when the world allows. */
export function startDay(world: World, rng: Rng, spanDays: number): number {
  const days = world.options.days;
  const latest = Math.max(0, days - 1 - Math.ceil(spanDays));
  const earliest = Math.min(latest, world.attackStartDay);
  return earliest + rng.int(latest - earliest + 1);
}

/** UTC time of a local minute drawn from `rhythm` on `day` in world country `country`. */
export function localTime(world: World, rng: Rng, day: number, country: number, rhythm: Rhythm): number {
  return utcOf(world.calendar.startMs, day, country, localMinute(rng, rhythm));
}

/** The first business day on or after `day` in `country`. */
export function businessDay(world: World, country: number, day: number): number {
  return world.calendar.businessDayOnOrAfter(country, day);
}

/** Country index by ISO code. */
export function country(code: string): number {
  const c = COUNTRY_INDEX.get(code);
  if (c === undefined) throw new Error(`country ${code} is not in the world`);
  return c;
}

/** Pick an ISO code from weights. */
export function pickCountry(rng: Rng, weights: Readonly<Record<string, number>>): number {
  const entries = Object.entries(weights);
  let u = rng.next() * entries.reduce((n, [, w]) => n + w, 0);
  for (const [code, w] of entries) {
    u -= w;
    if (u < 0) return country(code);
  }
  return country(entries.at(-1)![0]);
}

export function currencyOf(c: number): string {
  return COUNTRIES[c]!.currency;
}

/** Minor units of world currency `currency` for `usd` US dollars at the rate of `day`. */
export function usdToMinor(world: World, usd: number, currency: string, day: number): number {
  return Math.max(1, Math.round(usd * world.fx.rate(currency, day) * 100));
}

/** Round minor units down to a multiple of `unit` major units (what people do when they forward cash). */
export function roundDown(minor: number, unit: number): number {
  const step = unit * 100;
  return Math.max(step, Math.floor(minor / step) * step);
}

/**
 * Finds the members of instances: recruited people (preferring those without a job, as mule recruiters
 * do), recruited businesses, or fresh accounts opened for the purpose. Never the same account twice within
 * one instance (`begin` starts a new one).
 */
export class Recruiter {
  private used = new Set<number>();

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
  ) {}

  begin(): void {
    this.used = new Set();
  }

  /** Mark an account as taken in the current instance. */
  take(account: number): number {
    this.used.add(account);
    return account;
  }

  /** A person of country `c` (their current account), unemployed with probability `idle`. */
  person(c: number, idle = 0.4): number {
    const { world, rng } = this;
    const persons = world.countryPersons[c]!;
    const wantIdle = rng.chance(idle);
    for (let tries = 0; tries < 40; tries++) {
      const p = persons[rng.int(persons.length)]!;
      const account = world.personAccount[p]!;
      if (this.used.has(account)) continue;
      if (wantIdle && tries < 20 && world.personEmployer[p]! >= 0) continue;
      return this.take(account);
    }
    return this.fresh(c);
  }

  /** A business of country `c` with one of `roles`. */
  business(c: number, roles: readonly Role[]): number {
    const { world, rng } = this;
    const list = roles.flatMap((r) => world.businessesOf(r, c));
    for (let tries = 0; list.length > 0 && tries < 40; tries++) {
      const account = world.businessAccount[rng.pick(list)]!;
      if (!this.used.has(account)) return this.take(account);
    }
    return this.freshCompany(c, 'trading');
  }

  /** A person recruited with probability `share`, else a fresh account. */
  member(c: number, share: number): number {
    return this.rng.chance(share) ? this.person(c) : this.fresh(c);
  }

  /** A fresh account of a new (person) owner at a bank of country `c`. */
  fresh(c: number, role: Role = 'fresh'): number {
    const { world, rng } = this;
    const owner = world.newOwner();
    return this.take(world.addAccount(owner, world.sampleBank(rng, c), role, c, currencyOf(c)));
  }

  /** A fresh company (front, shell, fake merchant) at a bank of country `c`, named for its `trade`. */
  freshCompany(c: number, trade: string, role: Role = 'fresh', name?: string): number {
    const { world, rng } = this;
    const owner = world.newOwner();
    world.nameOwner(owner, name ?? companyName(rng, COUNTRIES[c]!.code, trade), 'Company');
    return this.take(world.addAccount(owner, world.sampleBank(rng, c), role, c, currencyOf(c)));
  }
}

/** A planned transfer, same currency on both sides unless `paid` says otherwise. */
export function tx(
  timeMs: number,
  from: number,
  to: number,
  amountMinor: number,
  currency: string,
  channel: Channel,
  paid?: { minor: number; currency: string },
): PlannedTx {
  return { timeMs, from, to, amountMinor, currency, paidMinor: paid?.minor ?? amountMinor, paidCurrency: paid?.currency ?? currency, channel };
}

/**
 * A payment from `from` to `to` of `paidMinor` in the payer's currency, converted (less `spread`) when the
 * payee's account is in another currency.
 */
export function pay(world: World, timeMs: number, from: number, to: number, paidMinor: number, channel: Channel, spread = 0.01): PlannedTx {
  const paidCurrency = world.accountCurrency[from]!;
  const currency = world.accountCurrency[to]!;
  const day = dayOf(world, timeMs);
  const amount = currency === paidCurrency ? paidMinor : world.fx.convert(paidMinor, paidCurrency, currency, day, spread);
  return tx(timeMs, from, to, amount, currency, channel, { minor: paidMinor, currency: paidCurrency });
}

/** A cash deposit into `into` (from `from`, the depositor, or the holder themselves) at branch `branch` of its bank. */
export function cashDeposit(timeMs: number, from: number, into: number, amountMinor: number, currency: string, branch: number): PlannedTx {
  const deposit = tx(timeMs, from, into, amountMinor, currency, 'cash');
  deposit.branch = branch;
  return deposit;
}

/** The world day (from its first day, 0) of a time. */
export function dayOf(world: World, timeMs: number): number {
  return Math.floor((timeMs - world.calendar.startMs) / DAY_MS);
}

/** What accounts have received and when the last of it arrived. */
export type Arrivals = Map<number, { minor: number; lastMs: number }>;

/** Add `minor` arriving at `account` at `timeMs`. */
export function arrive(arrivals: Arrivals, account: number, minor: number, timeMs: number): void {
  const r = arrivals.get(account) ?? { minor: 0, lastMs: 0 };
  arrivals.set(account, { minor: r.minor + minor, lastMs: Math.max(r.lastMs, timeMs) });
}

/** The accounts that pay or are paid in `transactions`. */
export function activeAccounts(transactions: readonly PlannedTx[]): Set<number> {
  return new Set(transactions.flatMap((t) => [t.from, t.to]));
}

/** Where an instance takes place: a country drawn from `weights`, its ISO code and currency. */
export function placeIn(rng: Rng, weights: Readonly<Record<string, number>>): { c: number; code: string; currency: string } {
  const c = pickCountry(rng, weights);
  return { c, code: COUNTRIES[c]!.code, currency: currencyOf(c) };
}

/** How many days an instance lasts (drawn from `days`) and its first day, leaving `slack` more days before the world ends. */
export function period(world: World, rng: Rng, days: Range, slack: number): { span: number; first: number } {
  const span = between(rng, days);
  return { span, first: startDay(world, rng, span + slack) };
}

/**
 * The instances of a scheme: `build(k, recruit)` plans the k-th (from 1) with the recruiter begun afresh;
 * each is finished (see `finish`) as soon as it is built.
 */
export function planInstances(world: World, rng: Rng, count: number, build: (k: number, recruit: Recruiter) => SchemeInstance): SchemeInstance[] {
  const recruit = new Recruiter(world, rng);
  const instances: SchemeInstance[] = [];
  for (let k = 1; k <= count; k++) {
    recruit.begin();
    instances.push(finish(world, build(k, recruit)));
  }
  return instances;
}

/** Clamp to a whole minute inside the world. */
export function inWorld(world: World, timeMs: number): number {
  const start = world.calendar.startMs;
  const end = start + world.options.days * DAY_MS - MINUTE_MS;
  return Math.min(end, Math.max(start, Math.floor(timeMs / MINUTE_MS) * MINUTE_MS));
}

/** Put an instance's transactions (and crypto intents) inside the world and in time order (stable). */
export function finish(world: World, instance: SchemeInstance): SchemeInstance {
  for (const t of instance.transactions) t.timeMs = inWorld(world, t.timeMs);
  instance.transactions = instance.transactions.map((t, i) => ({ t, i })).sort((a, b) => a.t.timeMs - b.t.timeMs || a.i - b.i).map(({ t }) => t);
  if (instance.crypto) {
    for (const c of instance.crypto) c.timeMs = inWorld(world, c.timeMs);
    instance.crypto = instance.crypto.map((c, i) => ({ c, i })).sort((a, b) => a.c.timeMs - b.c.timeMs || a.i - b.i).map(({ c }) => c);
  }
  const seen = new Set<number>();
  instance.accounts = instance.accounts.filter((a) => !seen.has(a) && (seen.add(a), true));
  instance.title = patternTitle(instance.title);
  return instance;
}

export const HOUR_MS = 3_600_000;
export { DAY_MS, MINUTE_MS };

/** Whole units for titles (`48200`): titles carry no commas (see `patternTitle`). */
export function usdText(usd: number): string {
  return String(Math.round(usd));
}

/**
 * A title fit for a `Patterns.txt` BEGIN line: readers split those lines as CSV, so no commas, quotes or
 * line breaks (IBM's own titles have none either).
 */
export function patternTitle(title: string): string {
  return title.replace(/,\s*/g, '; ').replace(/["\r\n]/g, '').replace(/;\s*$/, '');
}
