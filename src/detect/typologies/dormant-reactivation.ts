/**
 * dormant-reactivation: an account silent for at least `dormantDays` suddenly moves a large amount, large
 * both in absolute terms (`minAmount`, base currency) and against its own past (`minTimesAverage` times the
 * average of every transaction it made or received before). Activity of the account within `followHours`
 * of the reactivation is the same story: it is reported under the same key, so it merges into the same
 * alert, and money passed on quickly after a dormant account wakes up raises the score.
 *
 * An account seen for the first time is new, not dormant: dormancy is measured from its last activity in
 * the data the engine has seen, so silence before the first input is invisible. The follow-on walk looks at
 * most at `maxEdgesScanned` transactions on each side of the account; older ones are then left out.
 */
import { z } from 'zod';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type DetectorContext, type Typology } from '../typology.js';

const DAY_MS = 24 * HOUR_MS;

const DormantParams = z
  .object({
    enabled: z.boolean().default(true).describe('run this typology'),
    minScore: z.number().min(0).max(1).default(0.5).describe('alerts scoring below this are dropped'),
    dormantDays: z.number().positive().max(3_650).default(180).describe('silence (no transaction in or out) that makes an account dormant'),
    minAmount: z.number().min(0).default(10_000).describe('smallest reactivating amount, in base-currency major units'),
    minTimesAverage: z.number().min(1).max(1_000_000).default(5).describe('the reactivating amount must be at least this many times the account’s past average transaction'),
    followHours: z.number().positive().max(24 * 90).default(72).describe('activity within this long after the reactivation joins its alert'),
    maxEdgesScanned: z
      .number()
      .int()
      .min(8)
      .max(100_000)
      .default(256)
      .describe('newest transactions examined on each side of the account when a follow-on arrives; older ones are not listed'),
  })
  .strict();
export type DormantParams = z.infer<typeof DormantParams>;

function dormantDetector(ctx: DetectorContext, p: DormantParams): Detector {
  const g = ctx.graph;
  const dormantMs = p.dormantDays * DAY_MS;
  const followMs = p.followHours * HOUR_MS;
  // Per account, the latest reactivation: when, by which transaction, how big, after how long a silence,
  // how many times the past average, whether money came in, and what moved out after it.
  let wokeMs = new Float64Array(1024).fill(NaN);
  let wokeTx = new Int32Array(1024);
  let wokeAmount = new Float64Array(1024);
  // Per account, the end of its latest long silence (the first transaction after it) and how long it was.
  let quietEndMs = new Float64Array(1024).fill(NaN);
  let quietMs = new Float64Array(1024);
  let wokeRatio = new Float64Array(1024);
  let wokeOther = new Int32Array(1024);
  let wokeInbound = new Uint8Array(1024);
  let movedOut = new Float64Array(1024);
  let followOns = new Uint32Array(1024);
  const edges: number[] = [];

  function ensure(account: number): void {
    if (account < wokeMs.length) return;
    let n = wokeMs.length;
    while (n <= account) n *= 2;
    const grow = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, fill?: number): T => {
      const next = new (a.constructor as new (size: number) => T)(n);
      next.set(a);
      if (fill !== undefined) next.fill(fill, a.length);
      return next;
    };
    wokeMs = grow(wokeMs, NaN);
    wokeTx = grow(wokeTx);
    wokeAmount = grow(wokeAmount);
    quietEndMs = grow(quietEndMs, NaN);
    quietMs = grow(quietMs);
    wokeRatio = grow(wokeRatio);
    wokeOther = grow(wokeOther);
    wokeInbound = grow(wokeInbound);
    movedOut = grow(movedOut);
    followOns = grow(followOns);
  }

  /**
   * Reactivation check for one side of the transaction; true when it woke `account` up. The large amount
   * may come a little after the silence ended (a small test payment first): within `followHours` of the
   * first transaction after the silence, the first qualifying amount is the reactivation.
   */
  function wake(tx: number, account: number, inbound: boolean, t: number, amount: number): boolean {
    const gap = t - g.lastSeenMs[account]!;
    if (gap >= dormantMs) {
      ensure(account);
      quietEndMs[account] = t;
      quietMs[account] = gap;
    } else if (!(account < quietEndMs.length && t - quietEndMs[account]! <= followMs && !(wokeMs[account]! >= quietEndMs[account]!))) {
      return false;
    }
    if (!(amount >= p.minAmount)) return false;
    const count = g.inCount[account]! + g.outCount[account]!;
    const average = count > 0 ? (g.inSum[account]! + g.outSum[account]!) / count : 0;
    const ratio = average > 0 ? amount / average : Infinity;
    if (!(ratio >= p.minTimesAverage)) return false;
    wokeMs[account] = t;
    wokeTx[account] = tx;
    wokeAmount[account] = amount;
    wokeRatio[account] = ratio;
    wokeOther[account] = inbound ? g.from(tx) : g.to(tx);
    wokeInbound[account] = inbound ? 1 : 0;
    movedOut[account] = 0;
    followOns[account] = 0;
    report(tx, account, inbound ? g.from(tx) : g.to(tx), t);
    return true;
  }

  /** A later transaction of an account woken up within `followHours`. */
  function follow(tx: number, account: number, inbound: boolean, t: number, amount: number): void {
    if (account >= wokeMs.length || !(t - wokeMs[account]! <= followMs) || wokeTx[account] === tx) return;
    followOns[account]!++;
    if (!inbound && amount === amount) movedOut[account]! += amount;
    report(tx, account, inbound ? g.from(tx) : g.to(tx), t);
  }

  function report(tx: number, account: number, other: number, t: number): void {
    const amount = wokeAmount[account]!;
    const silentDays = quietMs[account]! / DAY_MS;
    const ratio = wokeRatio[account]!;
    const inbound = wokeInbound[account] === 1;
    const n = followOns[account]!;
    const factors = [
      { name: 'dormancy', value: clamp01(silentDays / (2 * p.dormantDays)), weight: 0.3 },
      { name: 'amount-size', value: clamp01(0.5 + Math.log10(amount / Math.max(1, p.minAmount)) / 2), weight: 0.3 },
      { name: 'above-own-average', value: ratio === Infinity ? 1 : clamp01(0.5 + Math.log10(ratio / p.minTimesAverage) / 2), weight: 0.3 },
      // Money received on waking and passed on at once is the mule pattern; a dormant account draining
      // itself, or busy again right after waking, is the takeover pattern.
      { name: 'follow-on-activity', value: inbound ? clamp01(movedOut[account]! / amount) : clamp01(n / 3), weight: 0.3 },
    ];
    if (scoreOf(factors) < p.minScore) return;
    const since = wokeMs[account]!;
    const quietEnd = quietEndMs[account]!;
    edges.length = 0;
    let scanned = 0;
    for (let e = g.newestIn(account); e >= 0 && scanned < p.maxEdgesScanned; e = g.prevIn(e), scanned++) {
      if (g.time(e) < quietEnd) break;
      if (g.time(e) <= t) edges.push(e);
    }
    scanned = 0;
    for (let e = g.newestOut(account); e >= 0 && scanned < p.maxEdgesScanned; e = g.prevOut(e), scanned++) {
      if (g.time(e) < quietEnd) break;
      if (g.time(e) <= t && g.to(e) !== account) edges.push(e);
    }
    if (!edges.includes(tx)) edges.push(tx);
    const woke = wokeTx[account]!;
    if (g.live(woke) && !edges.includes(woke)) edges.push(woke);
    const wokeAfterMs = since - quietEnd;
    const who = ctx.name(account);
    const silent = `${who}, silent for ${Math.floor(silentDays)} days,${wokeAfterMs > 0 ? ` active again for ${hours(wokeAfterMs)},` : ''}`;
    const first = inbound ? `${silent} received ${ctx.money(amount)} from ${ctx.name(wokeOther[account]!)}` : `${silent} sent ${ctx.money(amount)} to ${ctx.name(wokeOther[account]!)}`;
    const then =
      n === 0
        ? ''
        : inbound
          ? ` and then made ${n} more transaction(s) within ${hours(t - since)}, passing on ${ctx.money(movedOut[account]!)}`
          : ` and then made ${n} more transaction(s) within ${hours(t - since)}`;
    ctx.report({
      typology: 'dormant-reactivation',
      key: who,
      factors,
      accounts: other === account ? [account] : [account, other],
      transactions: edges.slice(),
      explanation: `${first} (${ratio === Infinity ? 'it had never moved money with a known amount before' : `${Math.round(ratio)} times its past average transaction`})${then}`,
      minScore: p.minScore,
    });
  }

  return {
    onTransaction(tx: number): void {
      const t = g.time(tx);
      const from = g.from(tx);
      const to = g.to(tx);
      const amount = g.base(tx);
      if (!wake(tx, from, false, t, amount)) follow(tx, from, false, t, amount);
      if (to !== from && !wake(tx, to, true, t, amount)) follow(tx, to, true, t, amount);
    },
  };
}

export const dormantReactivation: Typology<DormantParams> = {
  name: 'dormant-reactivation',
  summary: 'an account silent for months suddenly moves a large amount, and what it does right after',
  params: DormantParams,
  horizonMs: (p) => p.followHours * HOUR_MS,
  create: dormantDetector,
};
