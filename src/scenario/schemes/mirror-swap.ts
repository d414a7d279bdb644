/**
 * Scheme `mirror-swap` (type MIRROR-SWAP): a Chinese money-laundering network buys a cartel's dollars in
 * the United States and pays the cartel pesos in Mexico, and no money crosses the border. In the US, couriers
 * pay the cash into collection accounts the broker controls (people, often students, and a few opened for
 * the purpose), below the reporting threshold; the dollars are then spent for the broker's clients, who need
 * dollars outside China's capital controls (cars, tuition, rent, transfers to their relatives). In Mexico,
 * the broker's front companies, funded by importers paying "invoices" in pesos, pay the cartel's companies
 * and people the equivalent — at the day's rate less a commission of 1-2 % — within a day or two of the
 * deposits. The two sides match in amount and time; only a cross-border view of both sees it.
 *
 * Sources: FinCEN Advisory FIN-2025-A003 and Financial Trend Analysis on Chinese money laundering networks
 * (2025); DEA National Drug Threat Assessment 2024 (Chinese money laundering organisations and mirror
 * transactions); FATF, Trade-Based Money Laundering (2020).
 */
import type { Channel } from '../../model/index.js';
import { chinesePersonName } from '../names.js';
import type { Rng } from '../rng.js';
import type { PlannedTx, Scheme, SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import {
  activeAccounts,
  between,
  businessDay,
  cashDeposit,
  country,
  instanceCount,
  localTime,
  pay,
  period,
  planInstances,
  uniform,
  usdText,
  usdToMinor,
  type CommonParams,
  type Range,
} from './common.js';

export interface MirrorSwapParams extends CommonParams {
  /** Dollars bought per instance (median, log-spread). */
  dollarsUsd: number;
  dollarsSigma: number;
  /** Each cash deposit into a collection account, US dollars. */
  depositUsd: Range;
  /** US collection accounts. */
  collection: Range;
  /** Broker front companies in Mexico, importers funding them, cartel accounts paid. */
  brokers: Range;
  importers: Range;
  cartel: Range;
  /** Broker's commission on the swap. */
  commission: Range;
  /** Days over which the cash is collected. */
  days: Range;
}

export const MIRROR_SWAP_DEFAULTS: MirrorSwapParams = {
  per100k: 5,
  min: 1,
  scale: 1,
  recruitedShare: 0.6,
  dollarsUsd: 150_000,
  dollarsSigma: 0.5,
  depositUsd: [3_000, 9_500],
  collection: [3, 8],
  brokers: [1, 3],
  importers: [2, 6],
  cartel: [2, 5],
  commission: [0.01, 0.02],
  days: [10, 30],
};

export function mirrorSwapScheme(overrides: Partial<MirrorSwapParams> = {}): Scheme {
  const p: MirrorSwapParams = { ...MIRROR_SWAP_DEFAULTS, ...overrides };
  return {
    name: 'mirror-swap',
    summary: 'USD cash paid in to broker accounts in the US, MXN paid out by broker companies in Mexico, no wire between',
    plan(world: World, rng: Rng): SchemeInstance[] {
      const us = country('US');
      const mx = country('MX');
      return planInstances(world, rng, instanceCount(world, p), (k, recruit) => {
        const { span, first } = period(world, rng, p.days, 8);
        const collection = Array.from({ length: between(rng, p.collection) }, () => {
          if (rng.chance(p.recruitedShare)) return recruit.person(us, 0.3);
          const account = recruit.fresh(us);
          world.nameOwner(world.accountOwner[account]!, chinesePersonName(rng), 'Person');
          return account;
        });
        const brokers = Array.from({ length: between(rng, p.brokers) }, () =>
          rng.chance(0.6) ? recruit.freshCompany(mx, rng.chance(0.5) ? 'import' : 'trading') : recruit.business(mx, ['supplier']),
        );
        const importers = Array.from({ length: between(rng, p.importers) }, () => recruit.business(mx, ['supplier', 'merchant', 'employer']));
        const cartel = Array.from({ length: between(rng, p.cartel) }, () => (rng.chance(0.5) ? recruit.freshCompany(mx, 'trading') : recruit.person(mx, 0.3)));
        const intermediaries: number[] = [];
        const transactions: PlannedTx[] = [];
        const target = rng.logNormal(p.dollarsUsd, p.dollarsSigma);
        const commission = uniform(rng, p.commission);

        // US: cash into the collection accounts, then spent for the broker's clients.
        const depositsByDay = new Map<number, number>();
        const balance = new Map<number, number>();
        let collected = 0;
        let deposits = 0;
        while (collected < target * 100) {
          const day = first + rng.int(span);
          const account = rng.pick(collection);
          const minor = Math.floor(uniform(rng, p.depositUsd)) * 100;
          const t = localTime(world, rng, day, us, 'branch');
          transactions.push(cashDeposit(t, account, account, minor, 'USD', rng.int(world.branchesOf(account))));
          depositsByDay.set(day, (depositsByDay.get(day) ?? 0) + minor);
          balance.set(account, (balance.get(account) ?? 0) + minor);
          collected += minor;
          deposits++;
        }
        const clients: number[] = [];
        for (const [account, minor] of balance) {
          let left = Math.round(minor * 0.98);
          while (left > 100_000) {
            const day = businessDay(world, us, first + rng.range(1, span + 5));
            const u = rng.next();
            let payee: number;
            let amount: number;
            let channel: Channel = 'wire';
            if (u < 0.25) {
              payee = recruit.business(us, ['dealer']);
              intermediaries.push(payee);
              amount = Math.min(left, Math.round(uniform(rng, [15_000, 45_000])) * 100);
            } else if (u < 0.45) {
              payee = recruit.business(us, ['school']);
              intermediaries.push(payee);
              amount = Math.min(left, Math.round(uniform(rng, [5_000, 25_000]) / 100) * 10_000);
              channel = rng.chance(0.5) ? 'wire' : 'ach';
            } else if (u < 0.6) {
              payee = recruit.business(us, ['landlord']);
              intermediaries.push(payee);
              amount = Math.min(left, Math.round(uniform(rng, [2_000, 9_000]) / 50) * 5_000);
              channel = 'ach';
            } else {
              payee = clients.length > 2 && rng.chance(0.4) ? rng.pick(clients) : recruit.person(us, 0.2);
              if (!clients.includes(payee)) clients.push(payee);
              amount = Math.min(left, Math.round(uniform(rng, [2_000, 9_500])) * 100);
              channel = rng.chance(0.6) ? 'mobile' : 'wire';
            }
            transactions.push(pay(world, localTime(world, rng, day, us, 'office'), account, payee, amount, channel));
            left -= amount;
          }
        }

        // Mexico: importers fund the broker companies; the brokers pay the cartel the dollars' worth in pesos.
        const mxnNeeded = usdToMinor(world, collected / 100, 'MXN', first) * (1 + commission);
        let funded = 0;
        while (funded < mxnNeeded) {
          const day = businessDay(world, mx, first - 2 + rng.int(span + 2));
          const minor = Math.round(uniform(rng, [150_000, 900_000])) * 100;
          transactions.push(pay(world, localTime(world, rng, Math.max(0, day), mx, 'office'), rng.pick(importers), rng.pick(brokers), minor, rng.chance(0.6) ? 'wire' : 'ach'));
          funded += minor;
        }
        let paidMxn = 0;
        const days = [...depositsByDay.keys()].sort((a, b) => a - b);
        for (let i = 0; i < days.length; ) {
          // A tranche covers one to three days of deposits, paid one or two business days later.
          const take = rng.range(1, 3);
          let usd = 0;
          let lastDay = days[i]!;
          for (let j = 0; j < take && i < days.length; j++, i++) {
            usd += depositsByDay.get(days[i]!)!;
            lastDay = days[i]!;
          }
          const day = businessDay(world, mx, lastDay + rng.range(1, 2));
          const mxn = Math.round(usdToMinor(world, usd / 100, 'MXN', day) * (1 - commission));
          const payees = rng.range(1, Math.min(3, cartel.length));
          for (let j = 0; j < payees; j++) {
            const part = Math.round(mxn / payees);
            transactions.push(pay(world, localTime(world, rng, day, mx, 'office'), rng.pick(brokers), cartel[(i + j) % cartel.length]!, part, 'wire'));
            paidMxn += part;
          }
        }
        const active = activeAccounts(transactions);
        return {
          id: `mirror-swap-${k}`,
          scheme: 'mirror-swap',
          type: 'MIRROR-SWAP',
          title: `MIRROR-SWAP:  ${usdText(collected / 100)} USD cash in ${deposits} deposits to ${collection.filter((a) => active.has(a)).length} US accounts mirrored by ${usdText(paidMxn / 100)} MXN paid in Mexico`,
          accounts: [...collection, ...brokers, ...importers, ...cartel, ...clients].filter((a) => active.has(a)),
          intermediaries: [...new Set(intermediaries)],
          transactions,
        };
      });
    },
  };
}
