/**
 * Rows waiting for their UTC day to be complete. A local day in the world's time zones (UTC-6 to UTC+1)
 * spreads over three UTC days, so at most three days are held: after local day d is generated, UTC day d-1
 * can no longer receive rows and is sorted (by minute, then arrival) and handed out. Rows are kept as bytes
 * in one growable array per day, not as strings, so millions of rows make no garbage: memory is bounded by
 * the busiest three days, never by the length of the world.
 */
import { DAY_MS, MINUTE_MS } from './calendar.js';

/** A day holding more rows than this is a configuration error. */
export const MAX_ROWS_PER_DAY = 10_000_000;
/** Longest encoded row accepted (an IBM row is about 100 bytes). */
export const MAX_ROW_BYTES = 1024;
const SEQ_SPAN = 2 ** 32;

class Bucket {
  /** minute × 2^32 + arrival: an exact double (1440 × 2^32 < 2^53) that sorts as (minute, arrival). */
  keys = new Float64Array(1024);
  /** Row i is bytes[starts[i] .. starts[i + 1]). */
  starts = new Int32Array(1025);
  /** Per row: the planned (laundering) transaction's index, -1 for benign rows. */
  tags = new Int32Array(1024);
  bytes = new Uint8Array(1 << 17);
  length = 0;

  add(minute: number, row: Uint8Array, rowLength: number, tag: number): void {
    const n = this.length;
    if (n === this.keys.length) {
      if (n >= MAX_ROWS_PER_DAY) throw new RangeError(`more than ${MAX_ROWS_PER_DAY} transactions on one day; generate fewer accounts or more days`);
      const keys = new Float64Array(n * 2);
      keys.set(this.keys);
      this.keys = keys;
      const tags = new Int32Array(n * 2);
      tags.set(this.tags);
      this.tags = tags;
      const starts = new Int32Array(n * 2 + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
    const at = this.starts[n]!;
    if (at + rowLength > this.bytes.length) {
      const bytes = new Uint8Array(Math.max(this.bytes.length * 2, at + rowLength));
      bytes.set(this.bytes.subarray(0, at));
      this.bytes = bytes;
    }
    const bytes = this.bytes;
    for (let i = 0; i < rowLength; i++) bytes[at + i] = row[i]!;
    this.keys[n] = minute * SEQ_SPAN + n;
    this.tags[n] = tag;
    this.starts[n + 1] = at + rowLength;
    this.length = n + 1;
  }
}

/** One complete UTC day, sorted: row k (in time order) is `bytes[starts[order[k]] .. starts[order[k] + 1])`. */
export interface SortedDay {
  day: number;
  rows: number;
  /** Minute of the UTC day (0-1439) of the k-th row in time order. */
  minutes: Int32Array;
  order: Int32Array;
  starts: Int32Array;
  bytes: Uint8Array;
  /** Tag of row i (in arrival order, index through `order`). */
  tags: Int32Array;
}

const EMPTY = { minutes: new Int32Array(0), order: new Int32Array(0), starts: new Int32Array(1), bytes: new Uint8Array(0), tags: new Int32Array(0) };

export class DayBuffer {
  private readonly buckets = new Map<number, Bucket>();
  private readonly spare: Bucket[] = [];
  /** Days before this one have been handed out. */
  private nextDay = 0;
  dropped = 0;
  /** Rows held right now, and the most ever held at once (the generator's memory bound, in rows). */
  held = 0;
  peakHeld = 0;

  constructor(
    readonly startMs: number,
    readonly days: number,
  ) {}

  /** Hold the first `rowLength` bytes of `row` for UTC instant `timeMs`; false (and counted) when outside the period. */
  add(timeMs: number, row: Uint8Array, rowLength: number, tag = -1): boolean {
    if (rowLength > MAX_ROW_BYTES) throw new RangeError(`row of ${rowLength} bytes exceeds ${MAX_ROW_BYTES}`);
    const offset = timeMs - this.startMs;
    const day = Math.floor(offset / DAY_MS);
    if (day < 0 || day >= this.days) {
      this.dropped++;
      return false;
    }
    if (day < this.nextDay) throw new Error(`internal: row for day ${day} after it was written`);
    let bucket = this.buckets.get(day);
    if (!bucket) {
      bucket = this.spare.pop() ?? new Bucket();
      this.buckets.set(day, bucket);
    }
    bucket.add(Math.floor((offset - day * DAY_MS) / MINUTE_MS), row, rowLength, tag);
    if (++this.held > this.peakHeld) this.peakHeld = this.held;
    return true;
  }

  /**
   * Hand out every day up to and including `lastDay`, each sorted, in order; they can no longer receive rows.
   * A handed-out day is valid until the generator asks for the next one.
   */
  *takeThrough(lastDay: number): Generator<SortedDay> {
    const end = Math.min(lastDay, this.days - 1);
    for (; this.nextDay <= end; this.nextDay++) {
      const day = this.nextDay;
      const bucket = this.buckets.get(day);
      if (!bucket) {
        yield { day, rows: 0, ...EMPTY };
        continue;
      }
      this.buckets.delete(day);
      const n = bucket.length;
      const keys = bucket.keys.subarray(0, n).sort();
      const order = new Int32Array(n);
      const minutes = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        const minute = Math.floor(keys[k]! / SEQ_SPAN);
        minutes[k] = minute;
        order[k] = keys[k]! - minute * SEQ_SPAN;
      }
      yield { day, rows: n, minutes, order, starts: bucket.starts, bytes: bucket.bytes, tags: bucket.tags };
      this.held -= n;
      bucket.length = 0;
      this.spare.push(bucket);
    }
  }
}
