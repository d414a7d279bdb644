/**
 * Family remittances along the corridors US→MX/GT/HN/SV and ES→CO: migrants send to a relative about monthly
 * (some twice a month, some irregularly), more in December and around Mother's Day, often round amounts.
 * Some beneficiaries receive from two or three relatives. A sender either wires directly from their bank
 * (paid in dollars or euros, received in pesos at the bank's rate, channel `wire`) or uses a remittance
 * company (app or agent): that transfer is written as the company records it — sender to beneficiary,
 * channel `remittance`, paid in the sender's currency, received in the beneficiary's at the company's rate —
 * the view of an FIU reading money-transmitter reports, and the layout in which a remittance-splitting ring
 * shows its many senders. Once a week each company moves the float to its payout account in each
 * destination country in one large cross-border wire.
 */
import { COUNTRIES, CORRIDORS, countryIndex } from '../geography.js';
import { localMinute, utcOf } from '../rhythm.js';
import { AliasTable, type Rng } from '../rng.js';
import type { Activity, TxSink } from '../sink.js';
import type { World } from '../world.js';

const DIRECT_SHARE = 0.45;
/** Spread kept by the sender's bank on a direct wire, and by the remittance company on a payout. */
const BANK_SPREAD = 0.02;
const AGENT_SPREAD = 0.012;
const MAX_SENDERS_PER_BENEFICIARY = 3;
const FRIDAY = 5;

export function remittances(world: World, rng: Rng): Activity {
  const { calendar, fx } = world;
  const sender: number[] = [];
  const beneficiary: number[] = [];
  const agent: number[] = [];
  const corridorOf: number[] = [];
  const baseMinor: number[] = [];
  const meanInterval: number[] = [];
  const nextDay: number[] = [];

  const taken = new Uint8Array(world.personCount);
  CORRIDORS.forEach((corridor, k) => {
    const from = countryIndex(corridor.from);
    const to = countryIndex(corridor.to);
    const senders = world.countryPersons[from]!;
    const recipients = world.countryPersons[to]!;
    const agents = world.businessesOf('remittance-agent', from);
    const agentPick = new AliasTable(agents.map((b) => world.businessSize[b]!));
    const n = Math.round(senders.length * corridor.senderShare);
    const reusable: number[] = [];
    const received = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let p = senders[rng.int(senders.length)]!;
      for (let tries = 0; taken[p] && tries < 10; tries++) p = senders[rng.int(senders.length)]!;
      if (taken[p]) continue;
      taken[p] = 1;
      let b: number;
      if (reusable.length > 0 && rng.chance(0.3)) b = reusable[rng.int(reusable.length)]!;
      else b = recipients[rng.int(recipients.length)]!;
      const got = (received.get(b) ?? 0) + 1;
      received.set(b, got);
      if (got === 1) reusable.push(b);
      else if (got >= MAX_SENDERS_PER_BENEFICIARY) reusable.splice(reusable.indexOf(b), 1);
      sender.push(p);
      beneficiary.push(b);
      agent.push(rng.chance(DIRECT_SHARE) || agentPick.empty ? -1 : agents[agentPick.sample(rng)]!);
      corridorOf.push(k);
      baseMinor.push(rng.logNormal(corridor.medianAmount, 0.4) * 100);
      const habit = rng.next();
      const interval = habit < 0.7 ? rng.logNormal(30, 0.1) : habit < 0.9 ? rng.logNormal(15, 0.1) : rng.logNormal(45, 0.3);
      meanInterval.push(interval);
      nextDay.push(rng.int(Math.ceil(interval)));
    }
  });
  const agents = [...world.agentPayout.keys()];
  /** Per agent and destination country: payouts since the last settlement, in the agent's home currency. */
  const owed = new Map<number, Float64Array>(agents.map((a) => [a, new Float64Array(COUNTRIES.length)]));

  return {
    name: 'remittances',
    day(day: number, rng: Rng, sink: TxSink): void {
      const date = calendar.date(day);
      for (let s = 0; s < sender.length; s++) {
        if (nextDay[s] !== day) continue;
        nextDay[s] = day + Math.max(3, Math.round(meanInterval[s]! * Math.exp(0.25 * rng.normal())));
        const corridor = CORRIDORS[corridorOf[s]!]!;
        const from = countryIndex(corridor.from);
        const to = countryIndex(corridor.to);
        const fromCountry = COUNTRIES[from]!;
        const toCurrency = COUNTRIES[to]!.currency;
        const season = date.month === 12 ? 1.3 : date.month === 5 && date.day <= 10 && corridor.to === 'MX' ? 1.25 : 1;
        let major = (baseMinor[s]! / 100) * season * Math.exp(0.2 * rng.normal());
        major = rng.chance(0.7) ? Math.max(fromCountry.roundUnit, Math.round(major / fromCountry.roundUnit) * fromCountry.roundUnit) : Math.round(major * 100) / 100;
        const paid = Math.round(major * 100);
        const t = utcOf(calendar.startMs, day, from, localMinute(rng, 'personal'));
        const from_ = world.personAccount[sender[s]!]!;
        const to_ = world.personAccount[beneficiary[s]!]!;
        const a = agent[s]!;
        if (a < 0) {
          sink.tx(t, from_, to_, fx.convert(paid, fromCountry.currency, toCurrency, day, BANK_SPREAD), toCurrency, paid, fromCountry.currency, 'wire', false);
          continue;
        }
        const payout = fx.convert(paid, fromCountry.currency, toCurrency, day, AGENT_SPREAD);
        sink.tx(t, from_, to_, payout, toCurrency, paid, fromCountry.currency, 'remittance', false);
        owed.get(a)![to]! += paid;
      }
      // Weekly settlement: each company tops up its payout accounts with one cross-border wire.
      if (date.weekday !== FRIDAY) return;
      for (const a of agents) {
        const home = world.businessCountry[a]!;
        if (!calendar.isBusinessDay(home, day)) continue;
        const homeCurrency = COUNTRIES[home]!.currency;
        const sums = owed.get(a)!;
        const payouts = world.agentPayout.get(a)!;
        for (let to = 0; to < COUNTRIES.length; to++) {
          const paid = Math.round(sums[to]!);
          if (paid <= 0 || payouts[to]! < 0) continue;
          const toCurrency = COUNTRIES[to]!.currency;
          const t = utcOf(calendar.startMs, day, home, localMinute(rng, 'office'));
          sink.tx(t, world.businessAccount[a]!, payouts[to]!, fx.convert(paid, homeCurrency, toCurrency, day), toCurrency, paid, homeCurrency, 'wire', false);
          sums[to] = 0;
        }
      }
    },
  };
}
