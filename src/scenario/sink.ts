/**
 * Where generated transactions go: one call per transaction with plain numbers and interned strings, so the
 * hot loops build no object per row. Accounts are world account indices; amounts are minor units.
 */
import type { Channel } from '../model/index.js';
import type { Rng } from './rng.js';
import type { World } from './world.js';

export interface TxSink {
  /**
   * `amountMinor` of `currency` arrives at `to` (IBM "Amount Received"); `paidMinor` of `paidCurrency` leaves
   * `from` (IBM "Amount Paid"); they differ only when the payment crosses currencies. `timeMs` is a whole
   * minute (UTC).
   */
  tx(
    timeMs: number,
    from: number,
    to: number,
    amountMinor: number,
    currency: string,
    paidMinor: number,
    paidCurrency: string,
    channel: Channel,
    laundering: boolean,
  ): void;
}

/**
 * One strand of the benign economy (payroll, bills, card spending, ...). Built once from the world, then asked
 * for each day in order; it emits that day's transactions (local days: times may fall on the neighbouring
 * UTC day) and keeps only bounded per-entity state between days.
 */
export interface Activity {
  readonly name: string;
  day(day: number, rng: Rng, sink: TxSink): void;
}

export type ActivityFactory = (world: World, rng: Rng) => Activity;
