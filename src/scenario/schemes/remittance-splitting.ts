/**
 * Scheme `remittance-splitting` (type REMITTANCE-SPLITTING): drug proceeds in the US (or Spain) go south
 * as many small remittances through remittance apps and agents, each below the amounts that draw identity
 * checks (a few hundred dollars, rarely over 1,000), sent by many senders ("smurfs": recruited people, some
 * of them genuine migrants who also send to their families, and people paid to lend their name) to one
 * beneficiary or a few collectors in the destination country over two to five weeks. The collectors pass
 * the money on to the organisation within days, keeping a small cut.
 *
 * Written like the benign remittances of the world: the remittance company's record from sender to
 * beneficiary (channel `remittance`, paid in dollars, received in local currency at the company's rate), a
 * few as direct bank wires.
 *
 * Sources: FATF, Money Laundering through Money Remittance and Currency Exchange Providers (2010); FinCEN
 * guidance on MSB structuring and the 31 CFR 1010.410(e) record-keeping rule for transfers of USD 3,000 or
 * more; FinCEN geographic targeting orders on southwest-border money transmitters (2025); the field report
 * (remittance and mobile payment apps used to structure payments).
 */
import type { Channel } from '../../model/index.js';
import { CORRIDORS, countryIndex } from '../geography.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  activeAccounts,
  arrive,
  between,
  businessDay,
  currencyOf,
  dayOf,
  instanceCount,
  localTime,
  pay,
  period,
  planInstances,
  uniform,
  usdText,
  usdToMinor,
  type Arrivals,
  type CommonParams,
  type Range,
} from './common.js';

export interface RemittanceSplittingParams extends CommonParams {
  /** Money to move per instance, US dollars (median, log-spread). */
  totalUsd: number;
  totalSigma: number;
  /** Each remittance, in US dollars. */
  remittanceUsd: Range;
  /** Share of remittances at round amounts (500, 900, 950, ...). */
  roundShare: number;
  senders: Range;
  collectors: Range;
  /** Days over which the remittances are sent. */
  days: Range;
  /** Share sent through a remittance company (the rest as bank wires). */
  companyShare: number;
  /** Cut each collector keeps. */
  collectorCut: Range;
}

export const REMITTANCE_SPLITTING_DEFAULTS: RemittanceSplittingParams = {
  per100k: 10,
  min: 1,
  scale: 1,
  recruitedShare: 0.7,
  totalUsd: 40_000,
  totalSigma: 0.6,
  remittanceUsd: [200, 990],
  roundShare: 0.5,
  senders: [8, 40],
  collectors: [1, 4],
  days: [14, 35],
  companyShare: 0.85,
  collectorCut: [0.01, 0.03],
};

/** The company's spread on a remittance (as in the benign economy). */
const COMPANY_SPREAD = 0.012;
const BANK_SPREAD = 0.02;
const ROUND_AMOUNTS = [300, 400, 500, 600, 700, 800, 900, 950] as const;

export function remittanceSplittingScheme(overrides: Partial<RemittanceSplittingParams> = {}): Scheme {
  const p: RemittanceSplittingParams = { ...REMITTANCE_SPLITTING_DEFAULTS, ...overrides };
  return {
    name: 'remittance-splitting',
    summary: 'many senders, small remittances, to one beneficiary or a few collectors in a corridor',
    plan(world: World, rng: Rng): SchemeInstance[] {
      const weights = CORRIDORS.map((c) => c.senderShare);
      const total = weights.reduce((a, b) => a + b, 0);
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        let u = rng.next() * total;
        const corridor = CORRIDORS.find((_c, i) => (u -= weights[i]!) < 0) ?? CORRIDORS[0]!;
        const from = countryIndex(corridor.from);
        const to = countryIndex(corridor.to);
        const { span, first } = period(world, rng, p.days, 5);
        const collectors = Array.from({ length: between(rng, p.collectors) }, () => recruit.member(to, 0.6));
        const senders = Array.from({ length: between(rng, p.senders) }, () => recruit.member(from, p.recruitedShare));
        const sourceCurrency = currencyOf(from);
        let left = rng.logNormal(p.totalUsd, p.totalSigma);
        const totalUsd = left;
        const transactions: PlannedTx[] = [];
        const received: Arrivals = new Map();
        // Each sender favours one collector.
        const favourite = new Map(senders.map((s) => [s, rng.pick(collectors)]));
        let count = 0;
        while (left > p.remittanceUsd[0]) {
          const sender = rng.pick(senders);
          const usd = Math.min(left, rng.chance(p.roundShare) ? rng.pick(ROUND_AMOUNTS) : Math.round(uniform(rng, p.remittanceUsd)));
          left -= usd;
          const day = first + rng.int(span);
          const t = localTime(world, rng, day, from, 'personal');
          const collector = rng.chance(0.85) ? favourite.get(sender)! : rng.pick(collectors);
          const channel: Channel = rng.chance(p.companyShare) ? 'remittance' : 'wire';
          const payment = pay(world, t, sender, collector, usdToMinor(world, usd, sourceCurrency, day), channel, channel === 'remittance' ? COMPANY_SPREAD : BANK_SPREAD);
          transactions.push(payment);
          arrive(received, collector, payment.amountMinor, t);
          count++;
        }
        // Collectors hand the money on every few days, and at the end.
        const organiser = rng.chance(0.5) ? recruit.freshCompany(to, 'trading') : recruit.person(to, 0.2);
        const byCollector = new Map<number, PlannedTx[]>();
        for (const t of transactions) byCollector.set(t.to, [...(byCollector.get(t.to) ?? []), t]);
        for (const [collector, list] of byCollector) {
          list.sort((a, b) => a.timeMs - b.timeMs);
          let acc = 0;
          let lastMs = 0;
          for (let i = 0; i < list.length; i++) {
            acc += list[i]!.amountMinor;
            lastMs = list[i]!.timeMs;
            if (i === list.length - 1 || (acc > 0 && rng.chance(0.25))) {
              const day = businessDay(world, to, dayOf(world, lastMs) + rng.range(1, 3));
              const out = Math.round(acc * (1 - uniform(rng, p.collectorCut)));
              transactions.push(pay(world, Math.max(localTime(world, rng, day, to, 'office'), lastMs + 3_600_000), collector, organiser, out, 'wire'));
              acc = 0;
            }
          }
        }
        const active = activeAccounts(transactions);
        return {
          id: `remittance-splitting-${k}`,
          scheme: 'remittance-splitting',
          type: 'REMITTANCE-SPLITTING',
          title: `REMITTANCE-SPLITTING:  ${usdText(totalUsd)} USD in ${count} remittances ${corridor.from}->${corridor.to} by ${senders.filter((s) => active.has(s)).length} senders to ${collectors.filter((c) => active.has(c)).length} collectors`,
          accounts: [...collectors, ...senders, organiser].filter((a) => active.has(a)),
          transactions,
        };
      });
    },
  };
}
