/**
 * The chain side of the world: a small Bitcoin-like UTXO ledger. Wallets (exchanges' hot and cold wallets,
 * darknet markets' escrow, vendors, people's self-custody wallets, anonymous background wallets) hold coins;
 * activities and schemes queue *intents* ("wallet W pays these targets these amounts at this minute"), and
 * the ledger executes them in time order, day by day: it selects coins (oldest first, at most
 * MAX_INPUTS), adds a fee from the day's fee rate, returns change to a fresh address of the payer, and
 * writes one transaction per intent to `crypto.jsonl`:
 *
 *     {"txid":"<64 hex>","time":"2022-11-20T10:23:00Z","block":763208,"fee":1410,
 *      "inputs":[{"txid":"...","vout":1,"address":"bc1q...","value":250000}],
 *      "outputs":[{"n":0,"address":"bc1q...","value":120000},{"n":1,"address":"bc1q...","value":128590}]}
 *
 * Values are satoshis. Every input spends an output of an earlier line, or a coin from before the period
 * (its txid then appears in no line, as in any excerpt of a chain). Addresses are valid bech32 P2WPKH
 * strings; txids are double SHA-256 of the transaction's content (not of a real serialisation).
 *
 * Exchanges credit customers' deposits to persistent per-customer deposit addresses and sweep them into their
 * hot wallet once a day; a hot wallet running short is refilled from the exchange's cold wallet. Markets
 * take buyers' payments on per-order deposit addresses, sweep them into escrow and pay vendors weekly.
 */
import { createHash } from 'node:crypto';
import { DAY_MS } from '../calendar.js';
import type { Rng } from '../rng.js';
import type { World } from '../world.js';
import { p2wpkhAddress } from './bech32.js';

export const WALLET_KINDS = ['exchange-hot', 'exchange-cold', 'market', 'vendor', 'user', 'background', 'mule', 'cartel'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

export interface CryptoTarget {
  wallet: number;
  /** A persistent address of the wallet (an exchange deposit address per customer, a market order address); none: a fresh one. */
  key?: string;
}

export interface CryptoIntent {
  /** UTC, whole minute. */
  timeMs: number;
  from: number;
  to: CryptoTarget[];
  /** Satoshis per target; absent: everything the wallet holds (less the fee) goes to `to[0]`. */
  valuesSat?: number[];
  /** Scheme instance id when the transfer is part of one (ground truth; written to crypto-labels.csv). */
  tag?: string;
  /** Spend only coins held on persistent addresses (an exchange or market sweeping its deposit addresses). */
  keyedOnly?: boolean;
}

interface Coin {
  txid: string;
  vout: number;
  value: number;
  address: string;
  keyed: boolean;
}

interface Wallet {
  kind: WalletKind;
  entity: string;
  /** World account linked to the wallet (the exchange's fiat account, the customer's bank account), -1 if none. */
  account: number;
  coins: Coin[];
  keyed: Map<string, string>;
  addresses: string[];
  instances: Set<string>;
}

export interface Exchange {
  hot: number;
  cold: number;
  /** World account of the exchange's fiat side. */
  account: number;
  country: number;
  name: string;
}

/** Most inputs one transaction spends (a sweep of more deposits takes several days). */
export const MAX_INPUTS = 100;
/** Most outputs one transaction pays. */
export const MAX_OUTPUTS = 250;
/** Outputs below this are not created (Bitcoin Core's dust limit for P2WPKH is 294 sat; 546 for legacy). */
export const DUST_SAT = 546;
/** Intents waiting to run, over all days (TigerBeetle style: a bound, and an error at it). */
export const MAX_QUEUED_INTENTS = 5_000_000;
const SAT_PER_BTC = 100_000_000;
/** Block height at 2022-09-01T00:00Z (block 753,000 was mined on 2022-09-02); ten minutes a block. */
const HEIGHT_ANCHOR_MS = Date.UTC(2022, 8, 1);
const HEIGHT_ANCHOR = 752_800;

/**
 * Bitcoin's price in US dollars at the start of each year (rounded public closing prices); the world's price
 * is interpolated between them and then wanders day by day (log-volatility 3 % a day, pulled back to the line).
 */
const BTC_USD_JAN1: Readonly<Record<number, number>> = {
  2016: 430, 2017: 1_000, 2018: 13_500, 2019: 3_800, 2020: 7_200, 2021: 29_000, 2022: 46_300, 2023: 16_600, 2024: 42_300, 2025: 94_400, 2026: 90_000, 2027: 90_000,
};
const PRICE_VOLATILITY = 0.03;
const PRICE_REVERSION = 0.05;

function trendPrice(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const y = Math.min(2026, Math.max(2016, year));
  const from = Date.UTC(y, 0, 1);
  const to = Date.UTC(y + 1, 0, 1);
  const f = Math.min(1, Math.max(0, (ms - from) / (to - from)));
  return BTC_USD_JAN1[y]! * (1 - f) + BTC_USD_JAN1[y + 1]! * f;
}

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + ':00Z';
}

export class CryptoLedger {
  private readonly wallets: Wallet[] = [];
  readonly exchanges: Exchange[] = [];
  /** Market escrow wallets. */
  readonly markets: { wallet: number; name: string }[] = [];
  private readonly usdPerBtc: Float64Array;
  private readonly satPerVbyte: Float64Array;
  private readonly queue = new Map<number, CryptoIntent[]>();
  private queued = 0;
  private nextDay = 0;
  private addressCounter = 0;
  private readonly seedHex: string;
  private readonly startMs: number;
  /** Scheme-tagged transactions: txid → instance. */
  readonly labels: { txid: string; tag: string }[] = [];
  transactions = 0;
  /** Payments (intents with amounts) that found no coins to spend, or too few (counted, never silently lost). */
  skipped = 0;
  shortPaid = 0;
  /** The same, for scheme transfers only: planned laundering that did not happen as planned. */
  taggedSkipped = 0;
  taggedShortPaid = 0;

  constructor(
    private readonly world: World,
    rng: Rng,
  ) {
    const days = world.options.days;
    this.startMs = world.calendar.startMs;
    this.seedHex = rng.int(2 ** 32).toString(16);
    this.usdPerBtc = new Float64Array(days);
    this.satPerVbyte = new Float64Array(days);
    let dev = 0;
    for (let d = 0; d < days; d++) {
      this.usdPerBtc[d] = trendPrice(this.startMs + d * DAY_MS) * Math.exp(dev);
      dev = dev * (1 - PRICE_REVERSION) + PRICE_VOLATILITY * rng.normal();
      this.satPerVbyte[d] = Math.max(1, Math.round(rng.logNormal(8, 0.7)));
    }
    for (const b of world.businessesOf('exchange')) {
      const account = world.businessAccount[b]!;
      const owner = world.accountOwner[account]!;
      const name = world.ownerName(owner);
      const hot = this.newWallet('exchange-hot', name, account);
      const cold = this.newWallet('exchange-cold', name, account);
      // Cold storage holds the float: a few large coins from before the period.
      for (let i = 0; i < 4; i++) this.fund(cold, Math.round(rng.logNormal(2_000, 0.3) * SAT_PER_BTC));
      for (let i = 0; i < 20; i++) this.fund(hot, Math.round(rng.logNormal(1.5, 0.8) * SAT_PER_BTC));
      this.exchanges.push({ hot, cold, account, country: world.businessCountry[b]!, name });
    }
    for (const name of ['Mercado Nocturno (synthetic darknet market)', 'Hydra-like Market (synthetic)']) {
      const wallet = this.newWallet('market', name);
      for (let i = 0; i < 10; i++) this.fund(wallet, Math.round(rng.logNormal(30, 0.5) * SAT_PER_BTC));
      this.markets.push({ wallet, name });
    }
  }

  /** US dollars per bitcoin on world day `day`. */
  price(day: number): number {
    return this.usdPerBtc[Math.min(this.usdPerBtc.length - 1, Math.max(0, day))]!;
  }

  /** Satoshis for `usd` dollars at the price of `day`. */
  satsForUsd(usd: number, day: number): number {
    return Math.round((usd / this.price(day)) * SAT_PER_BTC);
  }

  usdForSats(sats: number, day: number): number {
    return (sats / SAT_PER_BTC) * this.price(day);
  }

  newWallet(kind: WalletKind, entity: string, account = -1): number {
    this.wallets.push({ kind, entity, account, coins: [], keyed: new Map(), addresses: [], instances: new Set() });
    return this.wallets.length - 1;
  }

  get walletCount(): number {
    return this.wallets.length;
  }

  walletKind(wallet: number): WalletKind {
    return this.wallets[wallet]!.kind;
  }

  /** Mark a wallet as belonging to a scheme instance (ground truth for crypto-addresses.csv). */
  markWallet(wallet: number, instance: string): void {
    this.wallets[wallet]!.instances.add(instance);
  }

  /** Coins the wallet holds now (satoshis); during planning, what it held before the period. */
  balance(wallet: number): number {
    return this.wallets[wallet]!.coins.reduce((n, c) => n + c.value, 0);
  }

  /** A coin from before the period. */
  fund(wallet: number, valueSat: number): void {
    const w = this.wallets[wallet]!;
    const address = this.freshAddress(wallet);
    const txid = sha256(`pre:${this.seedHex}:${address}`).toString('hex');
    w.coins.push({ txid, vout: 0, value: valueSat, address, keyed: false });
  }

  private freshAddress(wallet: number): string {
    const program = sha256(`${this.seedHex}:${this.addressCounter++}`).subarray(0, 20);
    const address = p2wpkhAddress(program);
    this.wallets[wallet]!.addresses.push(address);
    return address;
  }

  private address(target: CryptoTarget): { address: string; keyed: boolean } {
    if (target.key === undefined) return { address: this.freshAddress(target.wallet), keyed: false };
    const w = this.wallets[target.wallet]!;
    let address = w.keyed.get(target.key);
    if (address === undefined) {
      address = this.freshAddress(target.wallet);
      w.keyed.set(target.key, address);
    }
    return { address, keyed: true };
  }

  enqueue(intent: CryptoIntent): void {
    const day = Math.floor((intent.timeMs - this.startMs) / DAY_MS);
    if (day < this.nextDay) throw new Error(`internal: crypto intent for day ${day} after it ran`);
    if (day >= this.world.options.days || day < 0) return;
    if (++this.queued > MAX_QUEUED_INTENTS) throw new RangeError(`more than ${MAX_QUEUED_INTENTS} crypto transfers queued`);
    let list = this.queue.get(day);
    if (!list) this.queue.set(day, (list = []));
    list.push(intent);
  }

  /** Execute every queued intent up to and including `lastDay`, in time order (ties: queue order). */
  runThrough(lastDay: number, emit: (line: string) => void): void {
    const end = Math.min(lastDay, this.world.options.days - 1);
    for (; this.nextDay <= end; this.nextDay++) {
      const day = this.nextDay;
      const list = this.queue.get(day);
      if (!list) continue;
      this.queue.delete(day);
      this.queued -= list.length;
      const order = list.map((intent, i) => ({ intent, i })).sort((a, b) => a.intent.timeMs - b.intent.timeMs || a.i - b.i);
      for (const { intent } of order) this.execute(intent, day, emit);
    }
  }

  private vsize(inputs: number, outputs: number): number {
    return 11 + 68 * inputs + 31 * outputs;
  }

  private execute(intent: CryptoIntent, day: number, emit: (line: string) => void): void {
    const w = this.wallets[intent.from]!;
    const feeRate = this.satPerVbyte[day]!;
    const outputs = Math.min(MAX_OUTPUTS, intent.to.length) + 1;
    const wanted = intent.valuesSat ? intent.valuesSat.slice(0, MAX_OUTPUTS).reduce((a, b) => a + b, 0) : Infinity;
    let picked = this.select(w, intent.keyedOnly === true, wanted, feeRate, outputs);
    let total = picked.reduce((n, c) => n + c.value, 0);
    const need = wanted + this.vsize(picked.length, outputs) * feeRate;
    if (total < need && intent.valuesSat && w.kind === 'exchange-hot') {
      // The hot wallet runs short: the exchange moves coins from cold storage first.
      const exchange = this.exchanges.find((e) => e.hot === intent.from);
      if (exchange) {
        this.execute({ timeMs: intent.timeMs, from: exchange.cold, to: [{ wallet: exchange.hot }], valuesSat: [Math.max(need * 2, 5 * SAT_PER_BTC)] }, day, emit);
        w.coins.push(...picked);
        picked = this.select(w, false, wanted, feeRate, outputs);
        total = picked.reduce((n, c) => n + c.value, 0);
      }
    }
    const fee = this.vsize(picked.length, outputs) * feeRate;
    let values: number[];
    if (intent.valuesSat) {
      values = intent.valuesSat.slice(0, MAX_OUTPUTS);
      const sum = values.reduce((a, b) => a + b, 0);
      if (total < sum + fee) {
        // Not enough coins: pay what there is, in the same proportions.
        const scale = Math.max(0, total - fee) / sum;
        values = values.map((v) => Math.floor(v * scale));
        this.shortPaid++;
        if (intent.tag !== undefined) this.taggedShortPaid++;
      }
    } else {
      values = [total - this.vsize(picked.length, 1) * feeRate];
    }
    if (picked.length === 0 || values.every((v) => v < DUST_SAT)) {
      w.coins.push(...picked);
      if (intent.valuesSat) {
        this.skipped++;
        if (intent.tag !== undefined) this.taggedSkipped++;
      }
      return;
    }
    const outs: { address: string; value: number; wallet: number; keyed: boolean }[] = [];
    values.forEach((value, i) => {
      if (value < DUST_SAT) return;
      const target = intent.to[i]!;
      outs.push({ ...this.address(target), value, wallet: target.wallet });
    });
    const paid = outs.reduce((n, o) => n + o.value, 0);
    const change = total - paid - (intent.valuesSat ? fee : this.vsize(picked.length, 1) * feeRate);
    if (change >= DUST_SAT) {
      // Change goes somewhere among the outputs, as wallets do to hide it.
      const at = Math.floor((total % 7919) / 7919 * (outs.length + 1));
      outs.splice(at, 0, { address: this.freshAddress(intent.from), value: change, wallet: intent.from, keyed: false });
    }
    const actualFee = total - outs.reduce((n, o) => n + o.value, 0);
    const time = isoMinute(intent.timeMs);
    const inputs = picked.map((c) => `{"txid":"${c.txid}","vout":${c.vout},"address":"${c.address}","value":${c.value}}`).join(',');
    const body = outs.map((o, n) => `{"n":${n},"address":"${o.address}","value":${o.value}}`).join(',');
    const txid = sha256(sha256(`${time}|${inputs}|${body}`)).toString('hex');
    const block = HEIGHT_ANCHOR + Math.floor((intent.timeMs - HEIGHT_ANCHOR_MS) / 600_000);
    emit(`{"txid":"${txid}","time":"${time}","block":${block},"fee":${actualFee},"inputs":[${inputs}],"outputs":[${body}]}\n`);
    outs.forEach((o, n) => {
      this.wallets[o.wallet]!.coins.push({ txid, vout: n, value: o.value, address: o.address, keyed: o.keyed });
    });
    this.transactions++;
    if (intent.tag !== undefined) this.labels.push({ txid, tag: intent.tag });
  }

  /** Remove and return coins of `w` covering `wanted` plus the fee (oldest first); all eligible coins when `wanted` is Infinity. */
  private select(w: Wallet, keyedOnly: boolean, wanted: number, feeRate: number, outputs: number): Coin[] {
    const picked: Coin[] = [];
    const kept: Coin[] = [];
    let sum = 0;
    for (const c of w.coins) {
      const eligible = keyedOnly ? c.keyed : true;
      if (eligible && picked.length < MAX_INPUTS && sum < wanted + this.vsize(picked.length, outputs) * feeRate) {
        picked.push(c);
        sum += c.value;
      } else {
        kept.push(c);
      }
    }
    w.coins = kept;
    return picked;
  }

  /** Every address of every wallet: address, wallet, kind, entity, linked account, scheme instances. */
  *addresses(): Generator<{ address: string; wallet: number; kind: WalletKind; entity: string; account: number; instances: string[] }> {
    for (let i = 0; i < this.wallets.length; i++) {
      const w = this.wallets[i]!;
      const instances = [...w.instances].sort();
      for (const address of w.addresses) yield { address, wallet: i, kind: w.kind, entity: w.entity, account: w.account, instances };
    }
  }
}
