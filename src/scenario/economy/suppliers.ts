/**
 * Businesses paying their suppliers: each business has supplier relations, more the bigger it is (mostly domestic, some
 * across the trade links US↔MX, ES↔CO, ...), each with its own cadence (weekly, biweekly, monthly or
 * irregular) and typical invoice size; every payment's amount varies around it (invoices, not salaries).
 * Paid on business days in office hours, by ACH, wire or (in the US) cheque; cross-border by wire, invoiced
 * in the supplier's currency. Suppliers with many clients are benign fan-ins of large amounts.
 */
import type { Channel } from '../../model/index.js';
import { COUNTRIES, FX_PER_USD, TRADE_LINKS, countryIndex } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import { weightedIndex, type Role, type World } from '../world.js';

const SUPPLIER_WEIGHT: Partial<Record<Role, number>> = { supplier: 8, employer: 1.5, merchant: 0.2, utility: 0.3 };
const CADENCES = [
  { days: 7, weight: 0.15 },
  { days: 14, weight: 0.25 },
  { days: 30.44, weight: 0.45 },
  { days: 20, weight: 0.15, irregular: true },
] as const;
const MEDIAN_INVOICE_USD = 2_500;
const MAX_RELATIONS = 200;
const WIRE_SPREAD = 0.01;

export function suppliers(world: World, rng: Rng): Activity {
  const { calendar, fx } = world;
  const payer: number[] = [];
  const supplier: number[] = [];
  const invoiceMinor: number[] = [];
  const interval: number[] = [];
  const irregular: boolean[] = [];
  const channel: Channel[] = [];
  const nextDay: number[] = [];

  const poolOf = COUNTRIES.map((_c, c) => {
    const list: number[] = [];
    const weights: number[] = [];
    for (const [role, w] of Object.entries(SUPPLIER_WEIGHT) as [Role, number][]) {
      for (const b of world.businessesOf(role, c)) {
        list.push(b);
        weights.push(w * world.businessSize[b]!);
      }
    }
    return { list, pick: new AliasTable(weights) };
  });

  for (let b = 0; b < world.businessAccount.length; b++) {
    const role = world.businessRole[b]!;
    if (role === 'remittance-agent') continue;
    const c = world.businessCountry[b]!;
    const links = TRADE_LINKS.filter((l) => l.from === COUNTRIES[c]!.code);
    // Bigger firms buy from more suppliers (size is heavy-tailed, so is the number of relations).
    const relations = Math.min(MAX_RELATIONS, 1 + rng.poisson(role === 'landlord' ? 0.3 : 1.5 * Math.sqrt(world.businessSize[b]!)));
    const scale = Math.sqrt(world.businessSize[b]!);
    for (let r = 0; r < relations; r++) {
      let sc = c;
      for (const l of links) if (rng.chance(l.share)) sc = countryIndex(l.to);
      const pool = poolOf[sc]!;
      if (pool.pick.empty) continue;
      const s = pool.list[pool.pick.sample(rng)]!;
      if (s === b) continue;
      const cadence = CADENCES[weightedIndex(rng, CADENCES.map((x) => x.weight))]!;
      const currency = COUNTRIES[sc]!.currency;
      payer.push(b);
      supplier.push(s);
      invoiceMinor.push(rng.logNormal(MEDIAN_INVOICE_USD * scale * (FX_PER_USD[currency] ?? 1), 1) * 100);
      interval.push(cadence.days);
      irregular.push('irregular' in cadence);
      const us = COUNTRIES[c]!.code === 'US';
      const u = rng.next();
      channel.push(sc !== c ? 'wire' : us ? (u < 0.55 ? 'ach' : u < 0.8 ? 'wire' : 'cheque') : u < 0.7 ? 'ach' : 'wire');
      nextDay.push(rng.int(Math.ceil(cadence.days)));
    }
  }

  return {
    name: 'suppliers',
    day(day: number, rng: Rng, sink: TxSink): void {
      for (let r = 0; r < payer.length; r++) {
        if (nextDay[r]! > day) continue;
        const b = payer[r]!;
        const c = world.businessCountry[b]!;
        if (!calendar.isBusinessDay(c, day)) continue;
        const gap = irregular[r] ? rng.exponential(interval[r]!) : interval[r]! + rng.normal();
        nextDay[r] = day + Math.max(1, Math.round(gap));
        const s = supplier[r]!;
        const currency = COUNTRIES[world.businessCountry[s]!]!.currency;
        const payerCurrency = COUNTRIES[c]!.currency;
        let amount = Math.max(100, Math.round(invoiceMinor[r]! * Math.exp(0.35 * rng.normal())));
        if (rng.chance(0.2)) amount = Math.max(10_000, Math.round(amount / 10_000) * 10_000);
        const paid = currency === payerCurrency ? amount : fx.convert(amount, currency, payerCurrency, day, -WIRE_SPREAD);
        const t = utcOf(calendar.startMs, day, c, localMinute(rng, 'office'));
        sink.tx(t, world.businessAccount[b]!, world.businessAccount[s]!, amount, currency, paid, payerCurrency, channel[r]!, false);
      }
    },
  };
}
