/**
 * A criminal scheme: one module behind one interface. Given the world (after the benign population is built)
 * and its own random stream, a scheme plans its instances: which accounts take part (recruited from the
 * world or opened fresh with `world.addAccount`) and the exact transactions, each inside the world's period
 * (schemes normally act from `world.attackStartDay` on, so that an engine has clean history to learn from).
 * The generator labels every planned transaction as laundering, marks the instance's accounts in the truth,
 * interleaves the transactions with the benign economy by time, and lists each instance in the truth files
 * (for IBM AMLworld output: a `BEGIN/END LAUNDERING ATTEMPT` block in `Patterns.txt`).
 *
 * A scheme that moves crypto plans its on-chain transfers as `crypto` intents over the world's crypto ledger
 * (`world.crypto`): the ledger turns them into UTXO transactions when their time comes (coin selection,
 * change, fees), so that the criminal and the benign chain traffic spend one consistent set of coins.
 *
 * Adding a scheme = one file under `schemes/` implementing `Scheme`, plus its test, plus one line in
 * `schemes/index.ts`.
 */
import type { Channel } from '../model/index.js';
import type { CryptoIntent } from './crypto/ledger.js';
import type { Rng } from './rng.js';
import type { World } from './world.js';

export interface PlannedTx {
  /** UTC, a whole minute, inside the world's period. */
  timeMs: number;
  /** World account indices. */
  from: number;
  to: number;
  /** Received by `to`, minor units of `currency`. */
  amountMinor: number;
  currency: string;
  /** Paid by `from`, minor units of `paidCurrency`. */
  paidMinor: number;
  paidCurrency: string;
  channel: Channel;
  /** Cash only: branch (of `to`'s bank) where the cash was paid in; the account's home branch when absent. */
  branch?: number;
}

export interface SchemeInstance {
  /** Unique in the world, e.g. `mule-network-3`. */
  id: string;
  /** Name of the scheme module that planned it. */
  scheme: string;
  /** Kind of pattern, upper case as IBM writes it (`FAN-IN`, `GATHER-SCATTER`, `MULE-NETWORK`, ...). */
  type: string;
  /** Title line of the pattern block (`FAN-IN:  Max 3-degree Fan-In`). */
  title: string;
  /** Member accounts (world indices), in order of appearance. */
  accounts: number[];
  /**
   * Accounts the instance's money passes through without their owner taking part: a remittance company,
   * a crypto exchange, the car dealer paid with the proceeds. Not marked as laundering in `accounts.csv`
   * (an evaluator that counts every party of a laundering transaction will still count them).
   */
  intermediaries?: number[];
  /** In time order (ties keep their planned order). */
  transactions: PlannedTx[];
  /** On-chain transfers, in time order (see `CryptoLedger`). */
  crypto?: CryptoIntent[];
}

export interface Scheme {
  /** kebab-case, e.g. `ibm-patterns`. */
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly summary?: string;
  plan(world: World, rng: Rng): SchemeInstance[];
}

/** All scheme transactions are held in memory until their day; this bounds them (TigerBeetle style). */
export const MAX_SCHEME_TRANSACTIONS = 5_000_000;

/** Kebab-case name of a pattern type, as the IBM reader labels it (`GATHER-SCATTER` → `gather-scatter`). */
export function typeLabel(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
