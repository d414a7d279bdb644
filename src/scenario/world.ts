/**
 * The population of the synthetic world: banks, people, businesses and their accounts, plus who works where
 * and what each person earns. Built once from the seed; the daily activities and the schemes read it, and
 * schemes may add fresh accounts and mark accounts as laundering (the ground truth).
 *
 * Accounts are identified by an index; their IBM-style identity is `<bank code>/<9 hex digits>`, where the
 * last hex digit is the account's ordinal within its owner (a person's current account ends in 0, their
 * savings account in 1), as in IBM AMLworld.
 */
import { Calendar } from './calendar.js';
import { CryptoLedger } from './crypto/ledger.js';
import { FxTable } from './fx.js';
import { COUNTRIES, CORRIDORS, countryIndex } from './geography.js';
import { companyName, personName, type PartySchema } from './names.js';
import { AliasTable, deriveSeed, Rng } from './rng.js';

export const ROLES = [
  'person',
  'employer',
  'merchant',
  'shop',
  'supplier',
  'utility',
  'landlord',
  'lender',
  'remittance-agent',
  'dealer',
  'school',
  /** A crypto exchange's fiat account: customers pay in to buy coins and are paid out when they sell. */
  'exchange',
  /** Opened by a scheme, no benign life. */
  'fresh',
] as const;
export type Role = (typeof ROLES)[number];

export const MERCHANT_CATEGORIES = ['grocery', 'restaurant', 'fuel', 'pharmacy', 'clothing', 'online', 'electronics', 'travel', 'entertainment'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

export const UTILITY_KINDS = ['electricity', 'telecom', 'water', 'internet'] as const;

export interface Bank {
  code: string;
  /** ISO 3166 code; '' for a bank outside any country (crypto custodians in IBM data). */
  country: string;
}

/** A party of the world whose name is a variant of a sanctions-list entry's name. */
export interface ListedParty {
  owner: number;
  /** The name the party uses in the world. */
  name: string;
  /** `OFAC SDN`, `UN` */
  list: string;
  /** The list's id of the entry (OFAC `ent_num`, UN reference number). */
  listId: string;
  listedName: string;
  /** How the name differs from the listed one (`exact`, `accents`, `reordered`, `typo`, ...). */
  variation: string;
  instance: string;
}

export interface WorldOptions {
  accounts: number;
  days: number;
  seed: number;
  startMs: number;
  /** Fraction of the period before the attack period starts (schemes act in the rest). */
  historyFraction?: number;
}

/** The smallest world that still has every role in every country. */
export const MIN_ACCOUNTS = 500;
/** Account indices are 28-bit in the hex scramble; far above what one machine generates. */
export const MAX_ACCOUNTS = 50_000_000;
export const MAX_DAYS = 3_660;

/** Business accounts per person at any world size (the rest of the accounts are people's). */
const PER_PERSON: Partial<Record<Role, number>> = {
  employer: 0.02,
  merchant: 0.025,
  shop: 0.015,
  supplier: 0.008,
  landlord: 0.065,
  dealer: 1 / 1500,
  school: 1 / 2500,
  utility: 1 / 2500,
  lender: 1 / 5000,
};
/** At least this many per country, so that a small world is still complete. */
const MINIMUM: Partial<Record<Role, number>> = {
  employer: 2, merchant: 4, shop: 1, supplier: 1, landlord: 1, dealer: 1, school: 1, utility: UTILITY_KINDS.length, lender: 1,
};
/** How much of the workforce each kind of business employs, relative to a generic employer. */
const EMPLOYMENT_FACTOR: Partial<Record<Role, number>> = {
  employer: 4, supplier: 2, merchant: 1.2, shop: 0.3, utility: 3, lender: 2, school: 2, dealer: 1, landlord: 0.05, 'remittance-agent': 0.5, exchange: 0.5,
};
/**
 * Crypto exchanges with a fiat account in each country where people buy coins (a fixed number, whatever the
 * world's size: a handful of exchanges serve a whole country).
 */
const EXCHANGES: Readonly<Record<string, number>> = { US: 2, MX: 1, ES: 1, CO: 1 };
/** One branch per this many accounts of a bank in the world (at least one, at most MAX_BRANCHES). */
const ACCOUNTS_PER_BRANCH = 400;
export const MAX_BRANCHES = 200;
/** Share of persons (after business accounts) that also hold a savings account. */
const SAVINGS_RATIO = 0.25;

const CATEGORY_WEIGHT: Record<MerchantCategory, number> = {
  grocery: 0.22, restaurant: 0.24, fuel: 0.1, pharmacy: 0.07, clothing: 0.1, online: 0.08, electronics: 0.05, travel: 0.04, entertainment: 0.1,
};
/** Big-box and chain categories draw more customers per merchant. */
const CATEGORY_REACH: Record<MerchantCategory, number> = {
  grocery: 3, restaurant: 0.6, fuel: 1.5, pharmacy: 1.5, clothing: 0.8, online: 3, electronics: 1, travel: 0.6, entertainment: 0.6,
};

/** Distinct foreign banks per currency for accounts of schemes outside the world's countries (IBM attempts). */
const FOREIGN_COUNTRY: Readonly<Record<string, string>> = {
  CNY: 'CN', JPY: 'JP', INR: 'IN', RUB: 'RU', CAD: 'CA', AUD: 'AU', CHF: 'CH', GBP: 'GB', BRL: 'BR', SAR: 'SA', ILS: 'IL', XBT: '',
};

export class World {
  readonly calendar: Calendar;
  readonly fx: FxTable;
  readonly banks: Bank[] = [];
  /** Per world country: bank indices and a size-weighted sampler over them. */
  readonly countryBanks: number[][];
  private readonly countryBankSampler: AliasTable[];
  private readonly usedBankNumbers = new Set<number>();
  private readonly foreignBanks = new Map<string, number[]>();

  // Accounts, by index.
  readonly accountBank: number[] = [];
  readonly accountOwner: number[] = [];
  readonly accountOrdinal: number[] = [];
  readonly accountRole: Role[] = [];
  /** World country index, -1 for accounts at foreign banks. */
  readonly accountCountry: number[] = [];
  readonly accountCurrency: string[] = [];
  /** Next free ordinal per owner (entity id). */
  private readonly ownerNextOrdinal: number[] = [];
  private readonly hexSalt: number;

  // People, by person index (entity id = person index).
  readonly personCount: number;
  readonly personAccount: Int32Array;
  /** -1 when the person has no savings account. */
  readonly personSavings: Int32Array;
  readonly personCountry: Uint8Array;
  /** Business index of the employer, -1 when not employed. */
  readonly personEmployer: Int32Array;
  /** Net monthly salary in minor units of the person's currency (0 when not employed). */
  readonly personSalaryMinor: Float64Array;
  /** Expected card payments per day. */
  readonly personCardRate: Float64Array;
  /** Persons of each world country. */
  readonly countryPersons: Int32Array[];

  // Businesses, by business index (entity id = personCount + index).
  readonly businessAccount: number[] = [];
  readonly businessRole: Role[] = [];
  readonly businessCountry: number[] = [];
  /** Merchant category for merchants and shops, utility kind index for utilities, -1 otherwise. */
  readonly businessKind: number[] = [];
  /** Relative size: employment for employers, customer reach for merchants, tenants for landlords. */
  readonly businessSize: number[] = [];
  /** Remittance agents: payout account per destination country index (-1 where the agent does not pay out). */
  readonly agentPayout = new Map<number, Int32Array>();

  /** Business indices per role and world country. */
  private readonly byRoleCountry = new Map<string, number[]>();

  // Ground truth.
  readonly launderingInstances = new Map<number, string[]>();
  readonly launderingTypes = new Map<number, Set<string>>();

  /** Parties a scheme placed under (a variant of) a sanctions-list name: the screening truth. */
  readonly listed: ListedParty[] = [];

  /** Branches of each bank (cash is paid in at one of them), fixed once the benign population exists. */
  readonly bankBranches: number[] = [];
  /** First account of each owner (entity), -1 while it has none. */
  private readonly ownerFirstAccount: number[] = [];
  /** Names and kinds given by schemes (fake merchants, listed parties); everyone else's is drawn from the seed. */
  private readonly ownerNames = new Map<number, { name: string; schema: PartySchema }>();
  private readonly nameSeed: number;
  /** The chain side of the world: exchanges, markets, wallets, coins (see `crypto/ledger.ts`). */
  readonly crypto: CryptoLedger;

  /** First day of the attack period: schemes place their instances on or after it. */
  readonly attackStartDay: number;

  constructor(readonly options: WorldOptions) {
    const { accounts, days, seed, startMs } = options;
    if (!Number.isInteger(accounts) || accounts < MIN_ACCOUNTS || accounts > MAX_ACCOUNTS) {
      throw new RangeError(`accounts must be a whole number from ${MIN_ACCOUNTS} to ${MAX_ACCOUNTS}`);
    }
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new RangeError(`days must be a whole number from 1 to ${MAX_DAYS}`);
    const history = options.historyFraction ?? 2 / 3;
    this.attackStartDay = Math.min(days - 1, Math.floor(days * history));
    this.calendar = new Calendar(startMs, days);
    this.fx = new FxTable(days, Rng.derive(seed, 'fx'));
    const rng = Rng.derive(seed, 'world');
    this.hexSalt = rng.int(1 << 28);
    this.nameSeed = deriveSeed(seed, 'names');

    // Banks: more in bigger worlds, sizes Zipf-like (a few big banks hold most accounts).
    const scale = Math.sqrt(accounts / 20_000);
    this.countryBanks = COUNTRIES.map((c) => {
      const n = Math.min(60, Math.max(2, Math.round(c.banksAt20k * scale)));
      const list: number[] = [];
      for (let i = 0; i < n; i++) list.push(this.newBank(rng, c.code));
      return list;
    });
    this.countryBankSampler = this.countryBanks.map((list) => new AliasTable(list.map((_b, rank) => 1 / (rank + 1) ** 0.9)));

    // How many people and businesses: business counts follow the estimated population, people fill the rest.
    const estimatedPersons = accounts / (1 + SAVINGS_RATIO + Object.values(PER_PERSON).reduce((a, b) => a + b, 0));
    const estimatedPerCountry = apportion(Math.round(estimatedPersons), COUNTRIES.map((c) => c.populationShare));
    const businessPlan: { role: Role; country: number }[] = [];
    COUNTRIES.forEach((_c, ci) => {
      for (const [role, perPerson] of Object.entries(PER_PERSON) as [Role, number][]) {
        const n = Math.max(MINIMUM[role] ?? 1, Math.round(estimatedPerCountry[ci]! * perPerson));
        for (let i = 0; i < n; i++) businessPlan.push({ role, country: ci });
      }
    });
    for (const [code, n] of Object.entries(EXCHANGES)) for (let i = 0; i < n; i++) businessPlan.push({ role: 'exchange', country: countryIndex(code) });
    const agentsPerSource = Math.min(4, 1 + Math.floor(accounts / 25_000));
    const corridorSources = [...new Set(CORRIDORS.map((c) => c.from))];
    const payoutAccounts = corridorSources.reduce((n, from) => n + agentsPerSource * CORRIDORS.filter((c) => c.from === from).length, 0);
    for (const from of corridorSources) for (let i = 0; i < agentsPerSource; i++) businessPlan.push({ role: 'remittance-agent', country: countryIndex(from) });
    const businessAccounts = businessPlan.length + payoutAccounts;
    const personAccounts = accounts - businessAccounts;
    const personCount = Math.min(personAccounts, Math.max(Math.ceil(personAccounts / (1 + SAVINGS_RATIO)), COUNTRIES.length * 10));
    const savingsCount = personAccounts - personCount;
    if (savingsCount < 0 || personCount < COUNTRIES.length * 10) throw new RangeError(`accounts must be at least ${MIN_ACCOUNTS}`);
    this.personCount = personCount;

    // People.
    const perCountry = apportion(personCount, COUNTRIES.map((c) => c.populationShare));
    this.personAccount = new Int32Array(personCount);
    this.personSavings = new Int32Array(personCount).fill(-1);
    this.personCountry = new Uint8Array(personCount);
    this.personEmployer = new Int32Array(personCount).fill(-1);
    this.personSalaryMinor = new Float64Array(personCount);
    this.personCardRate = new Float64Array(personCount);
    this.countryPersons = [];
    let p = 0;
    perCountry.forEach((n, ci) => {
      const list = new Int32Array(n);
      for (let i = 0; i < n; i++, p++) {
        list[i] = p;
        this.personCountry[p] = ci;
      }
      this.countryPersons.push(list);
    });
    for (let i = 0; i < personCount; i++) {
      this.ownerNextOrdinal.push(0);
      const ci = this.personCountry[i]!;
      this.personAccount[i] = this.addAccount(i, this.sampleBank(rng, ci), 'person', ci, COUNTRIES[ci]!.currency);
    }
    const savers = rng.shuffle(Array.from({ length: personCount }, (_v, i) => i)).slice(0, savingsCount).sort((a, b) => a - b);
    for (const i of savers) {
      const main = this.personAccount[i]!;
      this.personSavings[i] = this.addAccount(i, this.accountBank[main]!, 'person', this.accountCountry[main]!, this.accountCurrency[main]!);
    }

    // Businesses.
    for (const { role, country } of businessPlan) this.addBusiness(rng, role, country);
    for (const agent of this.businessesOf('remittance-agent')) {
      const from = COUNTRIES[this.businessCountry[agent]!]!.code;
      const payouts = new Int32Array(COUNTRIES.length).fill(-1);
      for (const corridor of CORRIDORS.filter((c) => c.from === from)) {
        const to = countryIndex(corridor.to);
        payouts[to] = this.addAccount(this.personCount + agent, this.sampleBank(rng, to), 'remittance-agent', to, COUNTRIES[to]!.currency);
      }
      this.agentPayout.set(agent, payouts);
    }
    if (this.accountBank.length !== accounts) throw new Error(`internal: built ${this.accountBank.length} accounts for ${accounts}`);

    // Work and pay: employers drawn by size within the country, salaries log-normal around the national
    // median and shifted per employer (some pay well, some badly); stable per employee.
    const employerPay = this.businessAccount.map(() => rng.logNormal(1, 0.25));
    COUNTRIES.forEach((c, ci) => {
      const employers = this.businessAccount.map((_a, b) => b).filter((b) => this.businessCountry[b] === ci && (EMPLOYMENT_FACTOR[this.businessRole[b]!] ?? 0) > 0);
      const sampler = new AliasTable(employers.map((b) => this.businessSize[b]! * (EMPLOYMENT_FACTOR[this.businessRole[b]!] ?? 0)));
      for (const person of this.countryPersons[ci]!) {
        this.personCardRate[person] = rng.logNormal(0.55 * c.cardUse, 0.7);
        if (!rng.chance(c.employedShare)) continue;
        const b = employers[sampler.sample(rng)]!;
        this.personEmployer[person] = b;
        this.personSalaryMinor[person] = Math.round(rng.logNormal(c.salaryMedian * employerPay[b]!, 0.45) * 100);
      }
    });

    const perBank = new Array<number>(this.banks.length).fill(0);
    for (const b of this.accountBank) perBank[b]!++;
    for (let b = 0; b < this.banks.length; b++) this.bankBranches.push(Math.min(MAX_BRANCHES, Math.max(1, Math.ceil(perBank[b]! / ACCOUNTS_PER_BRANCH))));
    this.crypto = new CryptoLedger(this, Rng.derive(seed, 'crypto'));
  }

  get accountCount(): number {
    return this.accountBank.length;
  }

  /** Entity id of a business (people come first). */
  businessEntity(business: number): number {
    return this.personCount + business;
  }

  /** Business indices with this role, optionally only in one world country. */
  businessesOf(role: Role, country?: number): number[] {
    if (country !== undefined) return this.byRoleCountry.get(`${role}/${country}`) ?? [];
    let all: number[] = [];
    for (let c = 0; c < COUNTRIES.length; c++) all = all.concat(this.byRoleCountry.get(`${role}/${c}`) ?? []);
    return all.sort((a, b) => a - b);
  }

  /** `<bank>/<account>` as IBM AMLworld writes it. */
  accountId(account: number): string {
    return `${this.bankCode(account)}/${this.accountHex(account)}`;
  }

  bankCode(account: number): string {
    return this.banks[this.accountBank[account]!]!.code;
  }

  /** 9 upper-case hex digits, `8` first, the owner's scrambled id, then the ordinal. */
  accountHex(account: number): string {
    const owner = this.accountOwner[account]!;
    const scrambled = ((Math.imul(owner, 0x9e3779b1) + this.hexSalt) >>> 0) & 0xfffffff;
    return (0x800000000 + scrambled * 16 + this.accountOrdinal[account]!).toString(16).toUpperCase();
  }

  accountCountryCode(account: number): string {
    return this.banks[this.accountBank[account]!]!.country;
  }

  /** Owner label for the truth files: `p<n>` people, `b<n>` businesses, `f<n>` owners created by schemes. */
  ownerLabel(account: number): string {
    return this.partyLabel(this.accountOwner[account]!);
  }

  /** `p<n>` people, `b<n>` businesses, `f<n>` owners created by schemes. */
  partyLabel(owner: number): string {
    if (owner < this.personCount) return `p${owner}`;
    if (owner < this.personCount + this.businessAccount.length) return `b${owner - this.personCount}`;
    return `f${owner - this.personCount - this.businessAccount.length}`;
  }

  sampleBank(rng: Rng, country: number): number {
    const list = this.countryBanks[country]!;
    return list[this.countryBankSampler[country]!.sample(rng)]!;
  }

  /** A bank outside the world's countries for currency `code` (IBM attempts use Yuan, Rupee, Bitcoin, ...). */
  foreignBank(rng: Rng, code: string): number {
    let list = this.foreignBanks.get(code);
    if (!list) {
      list = [];
      for (let i = 0; i < 3; i++) list.push(this.newBank(rng, FOREIGN_COUNTRY[code] ?? ''));
      this.foreignBanks.set(code, list);
    }
    return rng.pick(list);
  }

  /** A new owner (entity) with no accounts yet, for schemes; a person unless named otherwise (`nameOwner`). */
  newOwner(): number {
    this.ownerNextOrdinal.push(0);
    return this.ownerNextOrdinal.length - 1;
  }

  get ownerCount(): number {
    return this.ownerNextOrdinal.length;
  }

  /** Give an owner a fixed name (a fake merchant's trading name, a listed party's variant of their name). */
  nameOwner(owner: number, name: string, schema: PartySchema): void {
    if (owner < 0 || owner >= this.ownerNextOrdinal.length) throw new Error(`unknown owner ${owner}`);
    this.ownerNames.set(owner, { name, schema });
  }

  /** Person or company: businesses are companies, people and scheme-opened owners persons unless named otherwise. */
  ownerSchema(owner: number): PartySchema {
    const given = this.ownerNames.get(owner);
    if (given) return given.schema;
    return owner >= this.personCount && owner < this.personCount + this.businessAccount.length ? 'Company' : 'Person';
  }

  /** The owner's name, drawn from the seed (the same every run) unless a scheme gave one. */
  ownerName(owner: number): string {
    const given = this.ownerNames.get(owner);
    if (given) return given.name;
    const rng = new Rng(deriveSeed(this.nameSeed, 'owner', owner));
    const first = this.ownerFirstAccount[owner] ?? -1;
    const country = first >= 0 ? this.accountCountryCode(first) : '';
    if (owner >= this.personCount && owner < this.personCount + this.businessAccount.length) {
      const b = owner - this.personCount;
      const role = this.businessRole[b]!;
      const trade = (role === 'merchant' || role === 'shop') ? MERCHANT_CATEGORIES[this.businessKind[b]!]! : role === 'utility' ? 'utility' : role;
      return companyName(rng, country, trade);
    }
    return personName(rng, country);
  }

  /** ISO code of the country of the owner's first account ('' when none or at a bank outside any country). */
  ownerCountry(owner: number): string {
    const first = this.ownerFirstAccount[owner] ?? -1;
    return first >= 0 ? this.accountCountryCode(first) : '';
  }

  /** The branch of the account's bank where its holder usually banks. */
  homeBranch(account: number): number {
    const branches = this.bankBranches[this.accountBank[account]!] ?? 1;
    return (Math.imul(account ^ this.hexSalt, 0x85ebca6b) >>> 0) % branches;
  }

  /** Branches of the account's bank (1 for banks opened after the population, e.g. foreign ones). */
  branchesOf(account: number): number {
    return this.bankBranches[this.accountBank[account]!] ?? 1;
  }

  /** How many more accounts `owner` can open (the ordinal is one hex digit). */
  accountsLeft(owner: number): number {
    return 16 - (this.ownerNextOrdinal[owner] ?? 16);
  }

  /** Open an account for `owner`; its ordinal is the owner's next free one (at most 16 per owner). */
  addAccount(owner: number, bank: number, role: Role, country: number, currency: string): number {
    const ordinal = this.ownerNextOrdinal[owner];
    if (ordinal === undefined) throw new Error(`unknown owner ${owner}`);
    if (ordinal >= 16) throw new Error(`owner ${owner} has 16 accounts already`);
    if (this.accountBank.length >= MAX_ACCOUNTS) throw new RangeError(`the world holds at most ${MAX_ACCOUNTS} accounts`);
    this.ownerNextOrdinal[owner] = ordinal + 1;
    while (this.ownerFirstAccount.length <= owner) this.ownerFirstAccount.push(-1);
    if (this.ownerFirstAccount[owner] === -1) this.ownerFirstAccount[owner] = this.accountBank.length;
    this.accountBank.push(bank);
    this.accountOwner.push(owner);
    this.accountOrdinal.push(ordinal);
    this.accountRole.push(role);
    this.accountCountry.push(country);
    this.accountCurrency.push(currency);
    return this.accountBank.length - 1;
  }

  /** Record that `account` takes part in scheme instance `instance` of type `type` (ground truth). */
  markLaundering(account: number, type: string, instance: string): void {
    let list = this.launderingInstances.get(account);
    if (!list) this.launderingInstances.set(account, (list = []));
    if (!list.includes(instance)) list.push(instance);
    let types = this.launderingTypes.get(account);
    if (!types) this.launderingTypes.set(account, (types = new Set()));
    types.add(type);
  }

  private newBank(rng: Rng, country: string): number {
    let n: number;
    do n = rng.int(30_000);
    while (this.usedBankNumbers.has(n));
    this.usedBankNumbers.add(n);
    const digits = String(n);
    // IBM AMLworld writes bank numbers zero-padded to 3-6 characters, always with a leading zero.
    const width = Math.max(digits.length + 1, rng.range(3, 6));
    this.banks.push({ code: digits.padStart(width, '0'), country });
    return this.banks.length - 1;
  }

  private addBusiness(rng: Rng, role: Role, country: number): number {
    const b = this.businessAccount.length;
    const owner = this.personCount + b;
    while (this.ownerNextOrdinal.length <= owner) this.ownerNextOrdinal.push(0);
    const account = this.addAccount(owner, this.sampleBank(rng, country), role, country, COUNTRIES[country]!.currency);
    this.businessAccount.push(account);
    this.businessRole.push(role);
    this.businessCountry.push(country);
    let kind = -1;
    let size = rng.logNormal(1, 1.3);
    if (role === 'merchant' || role === 'shop') {
      kind = role === 'shop' ? MERCHANT_CATEGORIES.indexOf(rng.chance(0.6) ? 'grocery' : 'restaurant') : weightedIndex(rng, MERCHANT_CATEGORIES.map((c) => CATEGORY_WEIGHT[c]));
      size = role === 'shop' ? rng.logNormal(0.3, 0.8) : rng.logNormal(CATEGORY_REACH[MERCHANT_CATEGORIES[kind]!], 1.3);
    } else if (role === 'utility') {
      kind = this.businessesOf('utility', country).length % UTILITY_KINDS.length;
      size = rng.logNormal(1, 0.5);
    }
    this.businessKind.push(kind);
    this.businessSize.push(size);
    const key = `${role}/${country}`;
    let list = this.byRoleCountry.get(key);
    if (!list) this.byRoleCountry.set(key, (list = []));
    list.push(b);
    return b;
  }
}

/** Split `total` into whole parts proportional to `shares` (largest remainder). */
export function apportion(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (total * s) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
