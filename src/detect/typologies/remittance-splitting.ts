/**
 * remittance-splitting: many small remittances from several distinct senders reach one beneficiary within
 * a window, adding up to a sum that one remittance would have had to declare. It is meant for data that
 * names the channel (goAML `REMITTANCE`/`MVTS`/`HAWALA`, pacs.008 and mapped CSV exports with
 * channel=remittance); `wire` is included by default because many exports file remittances as wires.
 * IBM AMLworld and AMLSim have no remittance channel, so there it only looks at small wires.
 *
 * Benign look-alikes are a family paid by the same relatives every month and a business collecting small
 * wires from its customers: senders known before the window, and a beneficiary that usually receives this
 * many payments per window, pull the score down; wires weigh less than a named remittance channel. Senders
 * count fully as new only after `newAfterDays` of data before the window (at the start of input everyone
 * is new to everyone). The walk looks at most at `maxEdgesScanned` of the beneficiary's newest incoming
 * transactions; older ones in the window are then not counted.
 *
 * Cross-border share: a remittance counts as cross-border when the source says so (sender and receiver
 * countries differ, as goAML, pacs.008 and mapped CSV can tell, or the amount was converted from another
 * currency), or when its currency is not the base currency (fx.base, the currency the FIU or bank reports in).
 */
import { z } from 'zod';
import { Channel, channelIndex, CHANNELS } from '../../model/index.js';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type DetectorContext, type Typology } from '../typology.js';

const RemittanceParams = z
  .object({
    enabled: z.boolean().default(true).describe('run this typology'),
    minScore: z.number().min(0).max(1).default(0.5).describe('alerts scoring below this are dropped'),
    channels: z.array(Channel).min(1).default(['remittance', 'wire']).describe('channels whose transactions count as remittances'),
    windowHours: z.number().positive().max(24 * 90).default(24 * 7).describe('look-back window'),
    newAfterDays: z
      .number()
      .min(0)
      .max(3_650)
      .default(30)
      .describe('days of data seen before the window for a sender to count fully as new (at the start of input everyone is new; monthly relations take a month to show)'),
    maxAmount: z.number().positive().default(3_000).describe('a remittance is small below this, in base-currency major units'),
    minSenders: z.number().int().min(2).max(10_000).default(4).describe('distinct senders of small remittances within the window'),
    minTotal: z.number().min(0).default(5_000).describe('smallest total of the small remittances within the window, in base-currency major units'),
    maxEdgesScanned: z
      .number()
      .int()
      .min(8)
      .max(100_000)
      .default(256)
      .describe('newest incoming transactions examined per remittance; older ones in the window are not counted'),
  })
  .strict();
export type RemittanceParams = z.infer<typeof RemittanceParams>;

const REMITTANCE = channelIndex('remittance');

function remittanceDetector(ctx: DetectorContext, p: RemittanceParams): Detector {
  const g = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const newAfterMs = p.newAfterDays * 24 * HOUR_MS;
  const channelOn = new Uint8Array(CHANNELS.length + 1);
  for (const c of p.channels) channelOn[channelIndex(c)] = 1;
  const baseCurrency = ctx.fx.currencyIndex(ctx.fx.base);
  const edges: number[] = [];
  const senders: number[] = [];
  // Time of the first transaction seen: at the start of input every sender is "new".
  let startMs = NaN;

  function small(tx: number): boolean {
    const amount = g.base(tx);
    return channelOn[g.channel(tx)] === 1 && amount > 0 && amount < p.maxAmount;
  }

  /** Countries (or a converted amount) when the source gives them, else a currency other than the base. */
  function crossBorder(tx: number): boolean {
    return g.crossBorder(tx) === 1 || g.currency(tx) !== baseCurrency;
  }

  return {
    onTransaction(tx: number): void {
      if (startMs !== startMs) startMs = g.time(tx);
      if (!small(tx)) return;
      const beneficiary = g.to(tx);
      const t = g.time(tx);
      const since = t - windowMs;
      edges.length = 0;
      senders.length = 0;
      g.newMarks();
      let sum = 0;
      let novel = 0;
      let foreign = 0;
      let remitted = 0;
      let scanned = 0;
      let inWindow = 0;
      for (let e = g.newestIn(beneficiary); e >= 0 && scanned < p.maxEdgesScanned; e = g.prevIn(e)) {
        scanned++;
        const te = g.time(e);
        if (te < since) break;
        if (te > t) continue;
        inWindow++;
        if (!small(e)) continue;
        edges.push(e);
        sum += g.base(e);
        if (crossBorder(e)) foreign++;
        if (g.channel(e) === REMITTANCE) remitted++;
        const sender = g.from(e);
        if (g.markOnce(sender)) {
          senders.push(sender);
          if (!(g.pairSince(sender, beneficiary) < since)) novel++;
        }
      }
      const k = senders.length;
      if (k < p.minSenders || !(sum >= p.minTotal)) return;
      const n = edges.length;
      // What the beneficiary usually receives per window, from its history before this window.
      const pastMs = since - g.firstSeenMs[beneficiary]!;
      // inCount describes the past: it does not hold this transaction yet, which the walk counted.
      const pastCount = g.inCount[beneficiary]! - (inWindow - 1);
      const usualPerWindow = pastMs >= windowMs && pastCount > 0 ? pastCount / (pastMs / windowMs) : 0;
      // "New" means little until the engine has watched the data long enough for known relations to show.
      const watched = newAfterMs > 0 ? clamp01((since - startMs) / newAfterMs) : 1;
      const factors = [
        { name: 'senders', value: clamp01((k - 1) / 7), weight: 0.25 },
        { name: 'new-senders', value: (novel / k) * watched, weight: 0.35 },
        { name: 'total', value: clamp01(0.5 + Math.log10(sum / Math.max(1, p.minTotal))), weight: 0.1 },
        // A named remittance channel is stronger evidence than a wire, which is most often a business payment.
        { name: 'remittance-channel', value: remitted / n, weight: 0.2 },
        { name: 'cross-border', value: foreign / n, weight: 0.1 },
        { name: 'usual-for-beneficiary', value: clamp01(usualPerWindow / n), weight: -0.4 },
      ];
      if (scoreOf(factors) < p.minScore) return;
      const who = ctx.name(beneficiary);
      const first = g.time(edges[n - 1]!);
      const abroad = foreign > 0 ? `, ${foreign} of them cross-border (between countries, converted, or in a currency other than ${ctx.fx.base})` : '';
      ctx.report({
        typology: 'remittance-splitting',
        key: who,
        factors,
        accounts: [beneficiary, ...senders],
        transactions: edges.slice(),
        explanation: `${k} senders (${novel} new to it) sent ${who} ${n} remittances under ${ctx.money(p.maxAmount)} each, ${ctx.money(sum)} in total, within ${hours(t - first)}${abroad}`,
        minScore: p.minScore,
      });
    },
  };
}

export const remittanceSplitting: Typology<RemittanceParams> = {
  name: 'remittance-splitting',
  summary: 'many small remittances from several senders to one beneficiary within a window',
  params: RemittanceParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: remittanceDetector,
};
