/**
 * When in the day things happen, in local time: card spending peaks at lunch and in the evening, banks batch
 * debits at night, businesses pay in office hours, families send money in the evening. Turned into UTC with
 * the country's offset.
 */
import { DAY_MS, MINUTE_MS } from './calendar.js';
import { COUNTRIES } from './geography.js';
import type { Rng } from './rng.js';

/** Relative weight of each local hour, 0-23. */
const PROFILES = {
  card: [0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3.5, 4.5, 6, 5.5, 4.5, 4.5, 5, 6, 6.5, 6, 5, 3.5, 2, 1],
  office: [0, 0, 0, 0, 0, 0, 0.1, 0.5, 3, 5, 5.5, 5, 3.5, 4, 5, 5, 4, 2, 0.5, 0.1, 0, 0, 0, 0],
  /** Direct debits, card billing runs and payroll files: the banks' overnight batches. */
  batch: [2, 4, 6, 5, 3, 2, 1, 0.5, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  /** People paying rent, sending to family and friends: mornings and evenings, late nights rarely. */
  personal: [0.3, 0.1, 0.05, 0.05, 0.05, 0.2, 0.8, 1.5, 2, 2.2, 2.2, 2.3, 2.8, 2.5, 2.2, 2.2, 2.5, 3, 3.5, 3.8, 3.6, 3, 2, 1],
  /** Counter hours for cash deposits. */
  branch: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 4.5, 4, 4, 4.5, 5, 4, 2, 0, 0, 0, 0, 0, 0],
} as const;

export type Rhythm = keyof typeof PROFILES;

const CUMULATIVE = Object.fromEntries(
  Object.entries(PROFILES).map(([name, weights]) => {
    const total = (weights as readonly number[]).reduce((a, b) => a + b, 0);
    const cum = new Float64Array(24);
    let run = 0;
    weights.forEach((w, i) => {
      run += w / total;
      cum[i] = run;
    });
    cum[23] = 1;
    return [name, cum];
  }),
) as Record<Rhythm, Float64Array>;

/** A local minute of the day (0-1439) drawn from the rhythm. */
export function localMinute(rng: Rng, rhythm: Rhythm): number {
  const cum = CUMULATIVE[rhythm];
  const u = rng.next();
  let h = 0;
  while (h < 23 && u >= cum[h]!) h++;
  return h * 60 + rng.int(60);
}

/** UTC instant of local minute `minute` of world day `day` in world country `country`. */
export function utcOf(startMs: number, day: number, country: number, minute: number): number {
  return startMs + day * DAY_MS + minute * MINUTE_MS - COUNTRIES[country]!.utcOffsetHours * 3_600_000;
}
