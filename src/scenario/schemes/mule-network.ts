/**
 * Scheme `mule-network` (type MULE-NETWORK): the proceeds of a fraud or an electronic bank robbery leave the
 * victims' accounts in small, innocuous sums to a first layer of money mules, and cross two to four layers
 * of mules; each mule forwards what arrived within hours, in one to three transfers, keeping a commission
 * of 3-5 %, often rounding down to whole tens or hundreds. The last layer pays one or two collectors of the
 * organisation, often across the border (US → MX wires, ES → CO). Mules are mostly ordinary people of the
 * world (many without a job) who keep their normal lives; some accounts were opened for the purpose.
 *
 * Sources: FBI IC3 and Europol EMMA (European Money Mule Action) descriptions of mule networks; the field
 * report behind Rastro (mules keep a 3-5 % commission per transaction; the 2018 theft of ~15 M USD from
 * Mexican banks through SPEI was paid out to mule accounts and withdrawn the same day); FinCEN advisory
 * FIN-2019-A005 on business e-mail compromise (proceeds dispersed through mule accounts).
 */
import type { Channel } from '../../model/index.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  arrive,
  between,
  businessDay,
  HOUR_MS,
  instanceCount,
  localTime,
  MINUTE_MS,
  pay,
  pickCountry,
  placeIn,
  planInstances,
  roundDown,
  startDay,
  uniform,
  usdText,
  usdToMinor,
  type Arrivals,
  type CommonParams,
  type Range,
} from './common.js';

export interface MuleNetworkParams extends CommonParams {
  /** Where networks operate (weights by ISO code). */
  countries: Readonly<Record<string, number>>;
  /** Median proceeds per network (US dollars) and the log-spread. */
  proceedsUsd: number;
  proceedsSigma: number;
  /** Each victim-to-mule transfer, in US dollars: small enough not to stand out. */
  firstTransferUsd: Range;
  /** Layers of mules after the victims. */
  layers: Range;
  /** Victims whose accounts the proceeds leave from. */
  victims: Range;
  /** Width of each next layer relative to the one before. */
  layerWidth: Range;
  /** Commission each mule keeps. */
  commission: Range;
  /** Hours between the last arrival and the forwarding (log-normal median and spread; capped at `maxHoldHours`). */
  holdHours: number;
  holdSigma: number;
  maxHoldHours: number;
  /** Onward transfers per mule. */
  splits: Range;
  /** Share of mules who round what they forward down to whole tens or hundreds. */
  roundShare: number;
  /** Collectors of the organisation. */
  collectors: Range;
}

export const MULE_NETWORK_DEFAULTS: MuleNetworkParams = {
  per100k: 10,
  min: 1,
  scale: 1,
  recruitedShare: 0.8,
  countries: { US: 0.5, MX: 0.3, ES: 0.2 },
  proceedsUsd: 60_000,
  proceedsSigma: 0.6,
  firstTransferUsd: [1_500, 9_000],
  layers: [2, 4],
  victims: [1, 3],
  layerWidth: [0.6, 1.1],
  commission: [0.03, 0.05],
  holdHours: 2.5,
  holdSigma: 0.8,
  maxHoldHours: 18,
  splits: [1, 3],
  roundShare: 0.5,
  collectors: [1, 2],
};

/** Where the collectors sit, per network country: the organisation's home. */
const COLLECTOR_COUNTRY: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  US: { MX: 0.7, US: 0.3 },
  MX: { MX: 1 },
  ES: { CO: 0.5, ES: 0.5 },
};

function muleChannel(rng: Rng, code: string): Channel {
  const u = rng.next();
  if (code === 'US') return u < 0.4 ? 'ach' : u < 0.8 ? 'mobile' : 'wire';
  if (code === 'MX') return u < 0.7 ? 'wire' : 'mobile';
  return u < 0.6 ? 'ach' : 'mobile';
}

export function muleNetworkScheme(overrides: Partial<MuleNetworkParams> = {}): Scheme {
  const p: MuleNetworkParams = { ...MULE_NETWORK_DEFAULTS, ...overrides };
  return {
    name: 'mule-network',
    summary: 'proceeds split into small sums through layers of mules, each keeping 3-5 % and forwarding within hours',
    plan(world: World, rng: Rng): SchemeInstance[] {
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const { c, code, currency } = placeIn(rng, p.countries);
        const day = businessDay(world, c, startDay(world, rng, 4));
        const proceedsUsd = rng.logNormal(p.proceedsUsd, p.proceedsSigma);
        const transactions: PlannedTx[] = [];
        const intermediaries: number[] = [];
        const accounts: number[] = [];

        // Victims pay the first layer in small sums during office hours (one to two days).
        const victims = Array.from({ length: between(rng, p.victims) }, () => recruit.business(c, ['employer', 'supplier', 'merchant']));
        intermediaries.push(...victims);
        let received: Arrivals = new Map();
        let left = proceedsUsd;
        const firstLayer: number[] = [];
        while (left > p.firstTransferUsd[0]) {
          const usd = Math.min(left, uniform(rng, p.firstTransferUsd));
          left -= usd;
          const mule = firstLayer.length < 4 || rng.chance(0.6) ? recruit.member(c, p.recruitedShare) : rng.pick(firstLayer);
          if (!firstLayer.includes(mule)) firstLayer.push(mule);
          const t = localTime(world, rng, day + (rng.chance(0.3) ? 1 : 0), c, 'office');
          const minor = usdToMinor(world, usd, currency, day);
          const victim = rng.pick(victims);
          transactions.push(pay(world, t, victim, mule, minor, rng.chance(0.5) ? 'wire' : 'ach'));
          arrive(received, mule, minor, t);
        }
        accounts.push(...firstLayer);

        // Layers: every mule forwards what it received, less its commission, within hours.
        const layers = between(rng, p.layers);
        let width = firstLayer.length;
        let muleCount = firstLayer.length;
        const collectorCountry = pickCountry(rng, COLLECTOR_COUNTRY[code] ?? { [code]: 1 });
        const collectors = Array.from({ length: between(rng, p.collectors) }, () =>
          rng.chance(0.5) ? recruit.fresh(collectorCountry) : recruit.person(collectorCountry, 0.2),
        );
        for (let layer = 2; layer <= layers + 1; layer++) {
          const last = layer === layers + 1;
          let next: number[];
          if (last) next = collectors;
          else {
            width = Math.max(2, Math.round(width * uniform(rng, p.layerWidth)));
            next = Array.from({ length: width }, () => recruit.member(c, p.recruitedShare));
            muleCount += next.length;
          }
          accounts.push(...next);
          const arriving: Arrivals = new Map();
          let target = rng.int(next.length);
          for (const [mule, r] of received) {
            const keep = uniform(rng, p.commission);
            let out = Math.round(r.minor * (1 - keep));
            if (rng.chance(p.roundShare)) out = roundDown(out, out > 500_000 ? 100 : 10);
            const hold = Math.min(p.maxHoldHours, Math.max(0.25, rng.logNormal(p.holdHours, p.holdSigma)));
            let t = r.lastMs + Math.round(hold * HOUR_MS / MINUTE_MS) * MINUTE_MS;
            const splits = Math.min(next.length, between(rng, p.splits));
            let rest = out;
            for (let s = 0; s < splits; s++) {
              const part = s === splits - 1 ? rest : Math.round((out / splits) * uniform(rng, [0.7, 1.3]));
              rest -= part;
              if (part <= 0) break;
              const to = next[target % next.length]!;
              target += 1 + rng.int(2);
              const channel: Channel = last && collectorCountry !== c ? 'wire' : muleChannel(rng, code);
              const payment = pay(world, t, mule, to, part, channel, 0.015);
              transactions.push(payment);
              arrive(arriving, to, payment.amountMinor, t);
              t += rng.range(2, 40) * MINUTE_MS;
            }
          }
          received = arriving;
        }
        return {
          id: `mule-network-${k}`,
          scheme: 'mule-network',
          type: 'MULE-NETWORK',
          title: `MULE-NETWORK:  ${usdText(proceedsUsd)} USD through ${layers} layers of ${muleCount} mules in ${code}, ${Math.round(p.commission[0] * 100)}-${Math.round(p.commission[1] * 100)}% commission`,
          accounts,
          intermediaries,
          transactions,
        };
      });
    },
  };
}
