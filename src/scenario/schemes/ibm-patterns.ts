/**
 * Scheme `ibm-patterns`: the laundering attempts of an IBM AMLworld `*_Patterns.txt` (fan-in, fan-out, cycle,
 * scatter-gather, gather-scatter, bipartite, stack, random), embedded in the world. Each attempt keeps its
 * shape — who pays whom, in which order, the time offsets between its rows, the amounts, currencies and
 * payment formats — while its accounts are remapped onto the world, consistently within the attempt: mostly
 * onto existing people and businesses whose home currency is the one the account pays in (recruited mules
 * who keep their ordinary lives), otherwise onto fresh accounts (at a bank of that currency's country, or a
 * foreign bank for currencies outside the world). Two accounts of one IBM owner (same bank, same hex digits
 * but the last) stay two accounts of one owner. The attempt is shifted as a whole into the attack period.
 * With `repeat` > 1 every attempt is embedded that many times, each with its own remapping and time.
 */
import { currencyCode, minorExponent, parseAmountMinor, type Channel } from '../../model/index.js';
import { parseTimestamp } from '../../model/index.js';
import { DAY_MS, MINUTE_MS } from '../calendar.js';
import { COUNTRIES } from '../geography.js';
import type { Rng } from '../rng.js';
import { MAX_SCHEME_TRANSACTIONS, type PlannedTx, type Scheme, type SchemeInstance } from '../scheme.js';
import type { Role, World } from '../world.js';

export interface IbmPatternRow {
  timeMs: number;
  fromBank: string;
  fromAccount: string;
  toBank: string;
  toAccount: string;
  amountMinor: number;
  currency: string;
  paidMinor: number;
  paidCurrency: string;
  channel: Channel;
}

export interface IbmAttempt {
  /** `FAN-IN`, `CYCLE`, ... */
  type: string;
  /** The BEGIN line after `BEGIN LAUNDERING ATTEMPT - ` (`FAN-IN:  Max 3-degree Fan-In`). */
  title: string;
  /** 1-based line of the BEGIN line in the source file. */
  line: number;
  rows: IbmPatternRow[];
}

export class PatternsError extends Error {
  readonly exitCode = 2;
}

/** Limits on what a patterns file may hold (IBM's largest, HI-Large, has about 25k attempts). */
export const MAX_ATTEMPTS = 100_000;
export const MAX_ROWS_PER_ATTEMPT = 100_000;
const BEGIN = 'BEGIN LAUNDERING ATTEMPT - ';
const END = 'END LAUNDERING ATTEMPT';
const FORMATS: Readonly<Record<string, Channel>> = {
  ACH: 'ach', Wire: 'wire', Cash: 'cash', Cheque: 'cheque', 'Credit Card': 'card', Reinvestment: 'reinvestment', Bitcoin: 'crypto',
};

/** Parse an IBM AMLworld `*_Patterns.txt`; any malformed line is an error naming `file:line`. */
export function parseIbmPatterns(text: string, file = 'Patterns.txt'): IbmAttempt[] {
  const attempts: IbmAttempt[] = [];
  let current: IbmAttempt | undefined;
  const lines = text.split('\n');
  const fail = (n: number, reason: string): never => {
    throw new PatternsError(`${file}:${n}: ${reason}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith(BEGIN)) {
      if (current) fail(n, 'BEGIN inside an open attempt');
      const title = line.slice(BEGIN.length).trim();
      const type = title.split(':')[0]!.trim();
      if (type === '') fail(n, 'attempt without a type');
      if (attempts.length >= MAX_ATTEMPTS) fail(n, `more than ${MAX_ATTEMPTS} attempts`);
      current = { type, title, line: n, rows: [] };
      continue;
    }
    if (line.startsWith(END)) {
      if (!current) fail(n, 'END without BEGIN');
      if (current!.rows.length === 0) fail(n, 'attempt without transactions');
      attempts.push(current!);
      current = undefined;
      continue;
    }
    if (!current) fail(n, 'transaction outside a BEGIN/END LAUNDERING ATTEMPT block');
    if (current!.rows.length >= MAX_ROWS_PER_ATTEMPT) fail(n, `more than ${MAX_ROWS_PER_ATTEMPT} rows in one attempt`);
    const f = line.split(',');
    if (f.length !== 11) fail(n, `expected 11 columns, found ${f.length}`);
    const timeMs = parseTimestamp(f[0]!, 'YYYY/MM/DD HH:mm');
    if (Number.isNaN(timeMs)) fail(n, `unparseable timestamp ${JSON.stringify(f[0])}`);
    const currency = currencyCode(f[6]!);
    const paidCurrency = currencyCode(f[8]!);
    if (!currency) fail(n, `unknown currency ${JSON.stringify(f[6])}`);
    if (!paidCurrency) fail(n, `unknown currency ${JSON.stringify(f[8])}`);
    const amountMinor = parseAmountMinor(f[5]!, minorExponent(currency!));
    const paidMinor = parseAmountMinor(f[7]!, minorExponent(paidCurrency!));
    if (!(amountMinor >= 0)) fail(n, `unparseable amount ${JSON.stringify(f[5])}`);
    if (!(paidMinor >= 0)) fail(n, `unparseable amount ${JSON.stringify(f[7])}`);
    const channel = FORMATS[f[9]!];
    if (!channel) fail(n, `unknown payment format ${JSON.stringify(f[9])}`);
    if (f.slice(1, 5).some((s) => s === '')) fail(n, 'empty bank or account');
    current!.rows.push({
      timeMs, fromBank: f[1]!, fromAccount: f[2]!, toBank: f[3]!, toAccount: f[4]!,
      amountMinor, currency: currency!, paidMinor, paidCurrency: paidCurrency!, channel: channel!,
    });
  }
  if (current) fail(current.line, 'attempt without END');
  return attempts;
}

export interface IbmPatternsOptions {
  /** Embed every attempt this many times (different accounts and times each time). */
  repeat?: number;
  /** Share of attempt accounts mapped onto existing people and businesses (the rest are fresh accounts). */
  recruitShare?: number;
}

/**
 * The currency each account of an attempt lives in: the one it pays in most (IBM accounts may pay in several),
 * or receives in most if it never pays. Keys are `<bank>/<account>`.
 */
function homeCurrencies(attempt: IbmAttempt): Map<string, string> {
  const paying = new Map<string, Map<string, number>>();
  const receiving = new Map<string, Map<string, number>>();
  const vote = (votes: Map<string, Map<string, number>>, key: string, currency: string): void => {
    let m = votes.get(key);
    if (!m) votes.set(key, (m = new Map()));
    m.set(currency, (m.get(currency) ?? 0) + 1);
  };
  for (const r of attempt.rows) {
    vote(paying, `${r.fromBank}/${r.fromAccount}`, r.paidCurrency);
    vote(receiving, `${r.toBank}/${r.toAccount}`, r.currency);
  }
  const homes = new Map<string, string>();
  for (const [key, votes] of [...receiving, ...paying]) {
    let best = '';
    let most = 0;
    for (const [currency, n] of votes) if (n > most) [best, most] = [currency, n];
    homes.set(key, best);
  }
  return homes;
}

/** Roles recruited as mules, and how often a business is taken instead of a person. */
const RECRUITABLE_BUSINESSES: readonly Role[] = ['employer', 'merchant', 'shop', 'supplier'];
const BUSINESS_SHARE = 0.2;

export function ibmPatternsScheme(attempts: readonly IbmAttempt[], options: IbmPatternsOptions = {}): Scheme {
  const repeat = options.repeat ?? 1;
  const recruitShare = options.recruitShare ?? 0.75;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) throw new RangeError('repeat must be a whole number from 1 to 1000');
  const total = attempts.reduce((n, a) => n + a.rows.length, 0) * repeat;
  if (total > MAX_SCHEME_TRANSACTIONS) throw new RangeError(`${total} embedded transactions exceed the limit of ${MAX_SCHEME_TRANSACTIONS}`);

  return {
    name: 'ibm-patterns',
    plan(world: World, rng: Rng): SchemeInstance[] {
      const worldStart = world.calendar.startMs;
      const worldEnd = worldStart + world.options.days * DAY_MS;
      const attackStart = worldStart + world.attackStartDay * DAY_MS;
      const countriesOf = new Map<string, number[]>();
      COUNTRIES.forEach((c, i) => countriesOf.set(c.currency, [...(countriesOf.get(c.currency) ?? []), i]));
      const businessesOf = COUNTRIES.map((_c, c) => RECRUITABLE_BUSINESSES.flatMap((r) => world.businessesOf(r, c)));

      const homes = attempts.map(homeCurrencies);
      const instances: SchemeInstance[] = [];
      for (let copy = 1; copy <= repeat; copy++) {
        attempts.forEach((attempt, a) => {
          let first = Infinity;
          let last = -Infinity;
          for (const r of attempt.rows) {
            first = Math.min(first, r.timeMs);
            last = Math.max(last, r.timeMs);
          }
          const span = last - first;
          // Whole minutes; the last row must fall before the end of the world.
          const latest = Math.floor((worldEnd - MINUTE_MS - span) / MINUTE_MS) * MINUTE_MS;
          if (latest < worldStart) return; // longer than the world: cannot be embedded
          const earliest = Math.min(latest, attackStart);
          const start = earliest + rng.int((latest - earliest) / MINUTE_MS + 1) * MINUTE_MS;

          const currencyOf = homes[a]!;
          const mapped = new Map<string, number>();
          /** First world account placed per IBM owner (bank + hex digits but the last). */
          const owners = new Map<string, number>();
          const used = new Set<number>();
          const accounts: number[] = [];
          const place = (bank: string, account: string): number => {
            const key = `${bank}/${account}`;
            const known = mapped.get(key);
            if (known !== undefined) return known;
            const currency = currencyOf.get(key)!;
            const ownerKey = `${bank}/${account.slice(0, -1)}`;
            const sibling = owners.get(ownerKey);
            let target: number;
            if (sibling !== undefined && world.accountsLeft(world.accountOwner[sibling]!) > 0) {
              target = world.addAccount(world.accountOwner[sibling]!, world.accountBank[sibling]!, 'fresh', world.accountCountry[sibling]!, currency);
            } else {
              const countries = countriesOf.get(currency);
              target = -1;
              if (countries && rng.chance(recruitShare)) {
                for (let tries = 0; tries < 20 && (target < 0 || used.has(target)); tries++) {
                  const c = rng.pick(countries);
                  const businesses = businessesOf[c]!;
                  target = businesses.length > 0 && rng.chance(BUSINESS_SHARE)
                    ? world.businessAccount[rng.pick(businesses)]!
                    : world.personAccount[world.countryPersons[c]![rng.int(world.countryPersons[c]!.length)]!]!;
                }
                if (used.has(target)) target = -1;
              }
              if (target < 0) {
                const owner = world.newOwner();
                const c = countries ? rng.pick(countries) : -1;
                const bankIndex = c >= 0 ? world.sampleBank(rng, c) : world.foreignBank(rng, currency);
                target = world.addAccount(owner, bankIndex, 'fresh', c, currency);
              }
            }
            mapped.set(key, target);
            if (!owners.has(ownerKey)) owners.set(ownerKey, target);
            used.add(target);
            accounts.push(target);
            return target;
          };
          const transactions: PlannedTx[] = attempt.rows
            .map((r, i) => ({ r, i }))
            .sort((x, y) => x.r.timeMs - y.r.timeMs || x.i - y.i)
            .map(({ r }) => ({
              timeMs: start + (r.timeMs - first),
              from: place(r.fromBank, r.fromAccount),
              to: place(r.toBank, r.toAccount),
              amountMinor: r.amountMinor,
              currency: r.currency,
              paidMinor: r.paidMinor,
              paidCurrency: r.paidCurrency,
              channel: r.channel,
            }));
          instances.push({ id: `ibm-${a + 1}-${copy}`, scheme: 'ibm-patterns', type: attempt.type, title: attempt.title, accounts, transactions });
        });
      }
      return instances;
    },
  };
}
