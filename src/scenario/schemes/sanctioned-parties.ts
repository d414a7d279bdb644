/**
 * Scheme `sanctioned-parties` (type SANCTIONED-PARTY): a few parties on the OFAC SDN and UN lists bank in
 * the world — as listed parties do, under the name a bank clerk typed from their papers rather than the
 * list's spelling: given names first, accents added or dropped, one surname left out, an initial, a typo,
 * a company's legal form written differently. Each receives money from a few counterparties (companies and
 * people paying "invoices" and "loans" — who are, knowingly or not, dealing with a blocked person) and
 * spends it on property, cars and people close to it, some across borders. The truth of who is listed, under
 * which list entry and which variation, is in `sanctions-truth.csv`; `parties.csv` has every party's name.
 *
 * Sources: OFAC SDN list and UN Consolidated List entries bundled in `data/sanctioned-names.ts`; OFAC's
 * guidance on screening name variations (FAQ 5, fuzzy matching); Wolfsberg Group, Guidance on Sanctions
 * Screening (2019).
 */
import { LISTED_NAMES, type ListedName } from '../data/sanctioned-names.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  between,
  businessDay,
  country,
  currencyOf,
  instanceCount,
  localTime,
  pay,
  period,
  pickCountry,
  planInstances,
  uniform,
  usdToMinor,
  type CommonParams,
  type Range,
} from './common.js';

export interface SanctionedPartiesParams extends CommonParams {
  counterparties: Range;
  /** Payments received, and their size in US dollars. */
  inflows: Range;
  inflowUsd: Range;
  /** Payments made. */
  outflows: Range;
  days: Range;
}

export const SANCTIONED_PARTIES_DEFAULTS: SanctionedPartiesParams = {
  per100k: 10,
  min: 3,
  scale: 1,
  recruitedShare: 0.7,
  counterparties: [2, 5],
  inflows: [3, 8],
  inflowUsd: [5_000, 60_000],
  outflows: [2, 5],
  days: [14, 42],
};

const ACCENTED: Readonly<Record<string, string>> = {
  jose: 'José', jesus: 'Jesús', ramon: 'Ramón', felix: 'Félix', joaquin: 'Joaquín', guzman: 'Guzmán', hector: 'Héctor',
  hernan: 'Hernán', cardenas: 'Cárdenas', guillen: 'Guillén', gonzalez: 'González', angel: 'Ángel', marquez: 'Márquez',
  castano: 'Castaño', alban: 'Albán', maria: 'María', amezquita: 'Amézquita', garcia: 'García', hernandez: 'Hernández',
  fundacion: 'Fundación', cordoba: 'Córdoba', felipe: 'Felipe', andre: 'André',
};
const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'para']);

function titleCase(text: string): string {
  return text
    .toLowerCase()
    .split(' ')
    .map((w, i) => (i > 0 && PARTICLES.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** One edit a clerk makes: a neighbouring key, a doubled or dropped letter, two letters swapped. */
function typo(rng: Rng, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + rng.int(word.length - 2);
  const kind = rng.int(4);
  const neighbours: Readonly<Record<string, string>> = { a: 's', e: 'r', i: 'o', o: 'i', u: 'y', n: 'm', m: 'n', r: 't', s: 'z', z: 's', l: 'k', c: 'x', v: 'b', b: 'v', g: 'h', t: 'r', d: 'f' };
  const ch = word[i]!;
  if (kind === 0) return word.slice(0, i) + (neighbours[ch.toLowerCase()] ?? ch) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + ch + word.slice(i);
  if (kind === 2) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word[i + 1]! + ch + word.slice(i + 2);
}

/** OFAC writes people `SURNAMES, Given names`: split it (UN names are given first, one string). */
function parts(entry: ListedName): { given: string; surnames: string[] } {
  if (entry.list === 'OFAC SDN' && entry.name.includes(',')) {
    const [surnames, given] = entry.name.split(',').map((s) => s.trim());
    return { given: given!, surnames: surnames!.split(' ') };
  }
  const words = entry.name.split(' ');
  return { given: words[0]!, surnames: words.slice(1) };
}

/** A variant of a listed name as it would appear on an account, and what kind of variant it is. */
export function nameVariant(rng: Rng, entry: ListedName): { name: string; variation: string } {
  if (entry.schema === 'Company') {
    const u = rng.next();
    if (u < 0.2) return { name: entry.name, variation: 'exact' };
    const base = entry.name.replace(/,?\s*S\.A\. DE C\.V\.$/i, '').trim();
    if (u < 0.55) return { name: `${titleCase(base)} SA de CV`, variation: 'legal-form' };
    if (u < 0.75) return { name: titleCase(base), variation: 'legal-form-dropped' };
    const words = titleCase(base).split(' ');
    const w = words.reduce((best, x, i) => (x.length > words[best]!.length ? i : best), 0);
    words[w] = typo(rng, words[w]!);
    return { name: `${words.join(' ')}, S.A. de C.V.`, variation: 'typo' };
  }
  const { given, surnames } = parts(entry);
  const natural = titleCase(`${given} ${surnames.join(' ')}`);
  if (entry.list === 'UN') {
    const u = rng.next();
    if (u < 0.4 && stripAccents(natural) !== natural) return { name: stripAccents(natural), variation: 'accents-dropped' };
    if (u < 0.7) return { name: `${titleCase(surnames.join(' '))}, ${titleCase(given)}`, variation: 'reordered' };
    const words = stripAccents(natural).split(' ');
    words[words.length - 1] = typo(rng, words.at(-1)!);
    return { name: words.join(' '), variation: 'typo' };
  }
  const u = rng.next();
  if (u < 0.1) return { name: entry.name, variation: 'exact' };
  if (u < 0.3) return { name: natural, variation: 'reordered' };
  const accented = natural.split(' ').map((w) => ACCENTED[w.toLowerCase()] ?? w).join(' ');
  if (u < 0.5) return accented !== natural ? { name: accented, variation: 'accents-added' } : { name: natural, variation: 'reordered' };
  if (u < 0.65 && surnames.length > 1) return { name: titleCase(`${given} ${surnames[0]}`), variation: 'second-surname-dropped' };
  if (u < 0.8 && given.includes(' ')) {
    const g = titleCase(given).split(' ');
    return { name: `${g[0]} ${g.slice(1).filter((x) => !PARTICLES.has(x)).map((x) => `${x[0]}.`).join(' ')} ${titleCase(surnames.join(' '))}`.replace(/\s+/g, ' '), variation: 'initials' };
  }
  const words = natural.split(' ');
  const at = words.length - surnames.length + rng.int(surnames.length);
  words[at] = typo(rng, words[at]!);
  return { name: words.join(' '), variation: 'typo' };
}

export function sanctionedPartiesScheme(overrides: Partial<SanctionedPartiesParams> = {}): Scheme {
  const p: SanctionedPartiesParams = { ...SANCTIONED_PARTIES_DEFAULTS, ...overrides };
  return {
    name: 'sanctioned-parties',
    summary: 'a few parties named on the OFAC SDN and UN lists, under variants of their names, receiving and spending money',
    plan(world: World, rng: Rng): SchemeInstance[] {
      const entries = rng.shuffle([...LISTED_NAMES]);
      return planInstances(world, rng, Math.min(entries.length, instanceCount(world, p)), (k, recruit) => {
        const entry = entries[k - 1]!;
        const id = `sanctioned-party-${k}`;
        const c = country(entry.country);
        const { name, variation } = nameVariant(rng, entry);
        const owner = world.newOwner();
        world.nameOwner(owner, name, entry.schema);
        const main = recruit.take(world.addAccount(owner, world.sampleBank(rng, c), 'fresh', c, currencyOf(c)));
        const accounts = [main];
        if (entry.country !== 'US' && rng.chance(0.4)) {
          const us = country('US');
          accounts.push(recruit.take(world.addAccount(owner, world.sampleBank(rng, us), 'fresh', us, 'USD')));
        }
        world.listed.push({ owner, name, list: entry.list, listId: entry.id, listedName: entry.name, variation, instance: id });
        const { span, first } = period(world, rng, p.days, 2);
        const transactions: PlannedTx[] = [];
        const intermediaries: number[] = [];
        const counterparties = Array.from({ length: between(rng, p.counterparties) }, () => {
          const cc = rng.chance(0.7) ? c : pickCountry(rng, { US: 0.5, MX: 0.3, CO: 0.2 });
          return rng.chance(0.6) ? recruit.business(cc, ['supplier', 'employer', 'merchant']) : recruit.person(cc, 0.2);
        });
        let balance = 0;
        for (let i = between(rng, p.inflows); i > 0; i--) {
          const from = rng.pick(counterparties);
          const day = businessDay(world, world.accountCountry[from]! >= 0 ? world.accountCountry[from]! : c, first + rng.int(span));
          const usd = Math.round(uniform(rng, p.inflowUsd) / 100) * 100;
          const to = rng.pick(accounts);
          const fc = world.accountCurrency[from]!;
          const payment = pay(world, localTime(world, rng, day, world.accountCountry[from]! >= 0 ? world.accountCountry[from]! : c, 'office'), from, to, usdToMinor(world, usd, fc, day), 'wire');
          transactions.push(payment);
          if (to === main) balance += payment.amountMinor;
        }
        // Spending: property, cars, people close to the party.
        const outs = between(rng, p.outflows);
        for (let i = 0; i < outs && balance > 0; i++) {
          const u = rng.next();
          const payee = u < 0.3 ? recruit.business(c, ['dealer']) : u < 0.55 ? recruit.business(c, ['landlord']) : recruit.person(rng.chance(0.8) ? c : country('US'), 0.2);
          if (u < 0.55) intermediaries.push(payee);
          const amount = Math.round((balance * uniform(rng, [0.2, 0.6])) / 10_000) * 10_000;
          if (amount <= 0) break;
          balance -= amount;
          const day = businessDay(world, c, first + Math.floor(span / 2) + rng.int(Math.ceil(span / 2) + 1));
          transactions.push(pay(world, localTime(world, rng, day, c, 'office'), main, payee, amount, 'wire'));
        }
        return {
          id,
          scheme: 'sanctioned-parties',
          type: 'SANCTIONED-PARTY',
          title: `SANCTIONED-PARTY:  ${entry.list} ${entry.id} "${entry.name}" banking as "${name}" (${variation})`,
          accounts: [...accounts, ...transactions.flatMap((t) => [t.from, t.to])].filter((a) => !intermediaries.includes(a)),
          intermediaries,
          transactions,
        };
      });
    },
  };
}
