/**
 * Specification of the schemes from the field and the AMLSim/AMLworld shapes, read from a generated world in
 * the Rastro layout (channels, countries and labels on every row) as an investigator would: given a world of
 * 8,000 accounts over 60 days with every scheme five times as often as by default, then each instance has
 * the shape, amounts, timing and members its scheme describes, and the truth files agree with the rows.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CASH_THRESHOLDS, defaultSchemes, generateWorld, isP2wpkhAddress, LISTED_NAMES, SCHEME_NAMES, type GenerateSummary } from '../../src/scenario/index.js';
import { FX_PER_USD } from '../../src/scenario/geography.js';
import { groupBy, median, readCrypto, readCsv, readRastro, type CryptoTx, type RastroRow } from '../helpers/scenario.js';

const HOUR_MS = 3_600_000;
const OFFSET_HOURS: Record<string, number> = { US: -5, MX: -6, GT: -6, HN: -6, SV: -6, ES: 1, CO: -5 };

/** US dollars of a major-unit amount (at the start rate; the world's rates wander a few percent). */
const usd = (amount: number, currency: string): number => amount / (FX_PER_USD[currency] ?? 1);

describe('a world of 8,000 accounts over 60 days with every scheme five times as often (seed 11), Rastro layout', () => {
  let dir: string;
  let summary: GenerateSummary;
  let rows: RastroRow[];
  let byInstance: Map<string, RastroRow[]>;
  let accounts: Record<string, string>[];
  let roleOf: Map<string, string>;
  let instances: Record<string, string>[];
  const of = (scheme: string) => instances.filter((i) => i.scheme === scheme).map((i) => ({ info: i, rows: byInstance.get(i.instance!) ?? [] }));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-schemes-'));
    summary = await generateWorld({
      accounts: 8_000, days: 60, seed: 11, startMs: Date.UTC(2023, 2, 1), outDir: dir, format: 'rastro', schemes: defaultSchemes({ scale: 5 }),
    });
    rows = (await readRastro(dir)).rows;
    byInstance = groupBy(rows.filter((r) => r.laundering), (r) => r.instance);
    accounts = await readCsv(join(dir, 'accounts.csv'));
    roleOf = new Map(accounts.map((a) => [a.account!, a.role!]));
    instances = await readCsv(join(dir, 'instances.csv'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('every scheme has instances; every labelled row names its scheme and instance, as instances.csv counts them', () => {
    const schemes = new Set(instances.map((i) => i.scheme));
    assert.deepEqual([...schemes].sort(), [...SCHEME_NAMES].sort());
    assert.equal(instances.length, summary.instances);
    for (const i of instances) {
      const list = byInstance.get(i.instance!) ?? [];
      assert.equal(list.length, Number(i.transactions), i.instance);
      assert.ok(list.every((r) => r.scheme === i.type), `${i.instance}: scheme column`);
    }
    assert.equal(rows.filter((r) => r.laundering).length, summary.launderingTransactions);
    assert.ok(rows.filter((r) => !r.laundering).every((r) => r.scheme === '' && r.instance === ''));
    // A realistic share: well under one percent of the rows, a few percent of the accounts.
    assert.ok(summary.launderingTransactions < 0.02 * summary.transactions, `${summary.launderingTransactions} of ${summary.transactions}`);
  });

  test('mule networks: victims pay mules small sums; each mule forwards within hours keeping 3-5 % (less when rounding down); the last layer pays collectors', () => {
    const networks = of('mule-network');
    assert.ok(networks.length >= 3);
    for (const { info, rows: list } of networks) {
      const victims = new Set(list.filter((r) => roleOf.get(r.from) !== 'person' && roleOf.get(r.from) !== 'fresh').map((r) => r.from));
      assert.ok(victims.size >= 1, info.instance);
      const first = list.filter((r) => victims.has(r.from));
      assert.ok(first.every((r) => usd(r.paid, r.paidCurrency) <= 9_000 * 1.1), `${info.instance}: a first transfer over 9,000 USD`);
      const inflow = groupBy(list, (r) => r.to);
      const outflow = groupBy(list, (r) => r.from);
      let mules = 0;
      for (const [account, outs] of outflow) {
        const ins = inflow.get(account);
        if (!ins || victims.has(account)) continue;
        mules++;
        const received = ins.reduce((n, r) => n + r.amount, 0);
        const forwarded = outs.reduce((n, r) => n + r.paid, 0);
        // Rounding down (to tens, or hundreds above 5,000) happens once, on the whole amount forwarded.
        const unit = received * 0.95 > 5_000 ? 100 : 10;
        assert.ok(forwarded <= received * 0.97 + 0.01, `${account} forwarded ${forwarded} of ${received}`);
        assert.ok(forwarded >= received * 0.95 - unit - 0.01 * outs.length, `${account} forwarded ${forwarded} of ${received}`);
        const lastIn = Math.max(...ins.map((r) => r.timeMs));
        const firstOut = Math.min(...outs.map((r) => r.timeMs));
        assert.ok(firstOut - lastIn >= 10 * 60_000 && firstOut - lastIn <= 19 * HOUR_MS, `${account} held ${(firstOut - lastIn) / HOUR_MS} h`);
      }
      assert.ok(mules >= 4, `${info.instance}: ${mules} mules`);
      const collectors = [...inflow.keys()].filter((a) => !outflow.has(a));
      assert.ok(collectors.length >= 1 && collectors.length <= 2, `${info.instance}: ${collectors.length} collectors`);
    }
  });

  test('structuring: cash deposits below the country\'s threshold, most within 15 % of it, by several depositors at several branches', () => {
    const rings = of('structuring');
    assert.ok(rings.length >= 3);
    for (const { info, rows: list } of rings) {
      const cash = list.filter((r) => r.channel === 'cash');
      assert.ok(cash.length >= 3, info.instance);
      const t = CASH_THRESHOLDS[cash[0]!.toCountry]!;
      const threshold = t.amount ?? t.usd! * (FX_PER_USD[cash[0]!.currency] ?? 1) * 1.06;
      assert.ok(cash.every((r) => r.amount < threshold), `${info.instance}: a deposit at or over ${threshold}`);
      assert.ok(cash.every((r) => Number.isInteger(r.amount)), 'cash is paid in whole units');
      const near = cash.filter((r) => r.amount >= threshold * 0.8).length;
      assert.ok(near >= 0.5 * cash.length, `${info.instance}: ${near} of ${cash.length} near the threshold`);
      const depositors = new Set(cash.map((r) => r.from));
      const branches = new Set(cash.map((r) => r.branch));
      assert.ok(depositors.size >= 3, `${info.instance}: ${depositors.size} depositors`);
      assert.ok(branches.size >= 2, `${info.instance}: ${branches.size} branches`);
      assert.ok(cash.every((r) => /^\d+-\d+$/.test(r.branch)), 'a deposit names its branch');
      assert.ok(list.some((r) => r.channel === 'wire'), 'the collection accounts move the money on');
    }
  });

  test('remittance splitting: many senders, small remittances mostly through companies, to a few collectors across a corridor', () => {
    const rings = of('remittance-splitting');
    assert.ok(rings.length >= 3);
    for (const { info, rows: list } of rings) {
      const sent = list.filter((r) => r.fromCountry !== r.toCountry);
      const senders = new Set(sent.map((r) => r.from));
      const collectors = new Set(sent.map((r) => r.to));
      assert.ok(senders.size >= 5, `${info.instance}: ${senders.size} senders`);
      assert.ok(collectors.size <= 4, `${info.instance}: ${collectors.size} collectors`);
      assert.ok(sent.every((r) => usd(r.paid, r.paidCurrency) <= 1_000 * 1.08), `${info.instance}: a remittance over 1,000 USD`);
      assert.ok(sent.filter((r) => r.channel === 'remittance').length >= 0.6 * sent.length);
      assert.ok(sent.every((r) => ['US', 'ES'].includes(r.fromCountry) && r.currency !== r.paidCurrency || r.fromCountry === 'US' && r.toCountry === 'SV'));
      // The collectors pass it on at home.
      assert.ok(list.some((r) => collectors.has(r.from) && r.fromCountry === r.toCountry));
    }
  });

  test('mirror swaps: dollars paid into US accounts in cash, pesos paid out in Mexico, no money across the border, the two sides of equal worth', () => {
    const swaps = of('mirror-swap');
    assert.ok(swaps.length >= 2);
    for (const { info, rows: list } of swaps) {
      assert.ok(!list.some((r) => r.fromCountry !== r.toCountry), `${info.instance}: a cross-border transfer`);
      const cash = list.filter((r) => r.channel === 'cash');
      assert.ok(cash.length > 0 && cash.every((r) => r.currency === 'USD' && r.toCountry === 'US' && r.amount < 10_000));
      const dollars = cash.reduce((n, r) => n + r.amount, 0);
      // Brokers: Mexican accounts that both receive pesos (from importers) and pay them out.
      const mx = list.filter((r) => r.currency === 'MXN');
      const receiving = new Set(mx.map((r) => r.to));
      const paidOut = mx.filter((r) => receiving.has(r.from)).reduce((n, r) => n + r.paid, 0);
      const rate = paidOut / dollars;
      assert.ok(rate > 17 && rate < 22, `${info.instance}: ${paidOut} MXN for ${dollars} USD (rate ${rate})`);
      assert.ok(list.some((r) => r.currency === 'USD' && r.channel !== 'cash'), 'the dollars are spent in the US');
    }
  });

  test('transaction laundering: the fake travel merchant\'s card traffic has few prices, reused cards and night hours; real travel merchants\' does not', async () => {
    const parties = await readCsv(join(dir, 'parties.csv'));
    const travel = new Set(parties.filter((p) => /Viajes|Travel/.test(p.name!)).flatMap((p) => p.accounts!.split(';')));
    const profile = (list: RastroRow[], country: string) => {
      const perCard = [...groupBy(list, (r) => r.from).values()].map((l) => l.length);
      const local = list.map((r) => (new Date(r.timeMs + OFFSET_HOURS[country]! * HOUR_MS).getUTCHours()));
      return {
        prices: new Set(list.map((r) => r.amount)).size,
        reuse: median(perCard),
        night: local.filter((h) => h < 6).length / list.length,
      };
    };
    const fakes = of('transaction-laundering');
    assert.ok(fakes.length >= 2);
    for (const { info, rows: list } of fakes) {
      const cards = list.filter((r) => r.channel === 'card');
      const merchant = cards[0]!.to;
      assert.ok(cards.every((r) => r.to === merchant) && travel.has(merchant), info.instance);
      const p = profile(cards, cards[0]!.toCountry);
      assert.ok(p.prices <= 12, `${info.instance}: ${p.prices} prices`);
      assert.ok(p.reuse >= 3, `${info.instance}: median ${p.reuse} payments per card`);
      assert.ok(p.night >= 0.15, `${info.instance}: night share ${p.night}`);
      assert.ok(cards.some((r) => r.fromCountry !== r.toCountry), 'cards from abroad');
      assert.ok(list.some((r) => r.from === merchant && r.channel === 'wire'), 'the takings leave by wire');
    }
    const real = groupBy(rows.filter((r) => !r.laundering && r.channel === 'card' && travel.has(r.to)), (r) => r.to);
    const busy = [...real.values()].filter((l) => l.length >= 100);
    assert.ok(busy.length >= 1, 'no busy real travel merchant');
    for (const list of busy) {
      const p = profile(list, list[0]!.toCountry);
      assert.ok(p.prices > 0.8 * list.length, 'real fares vary');
      assert.ok(p.reuse <= 2, `real travellers rebook: median ${p.reuse}`);
      assert.ok(p.night < 0.1, `real night share ${p.night}`);
    }
  });

  test('crypto ramps: fiat to the exchange, coins to the mules\' wallets and on to a market; vendor payouts peeled to the mules\' deposit addresses and paid out in fiat', async () => {
    const txs = await readCrypto(dir);
    const labels = await readCsv(join(dir, 'crypto-labels.csv'));
    const addresses = await readCsv(join(dir, 'crypto-addresses.csv'));
    const kindOf = new Map(addresses.map((a) => [a.address!, a.kind!]));
    const entityOf = new Map(addresses.map((a) => [a.address!, a.entity!]));
    const byTxid = new Map(txs.map((t) => [t.txid, t]));
    const ramps = of('crypto-ramp');
    assert.ok(ramps.length >= 2);
    for (const { info, rows: list } of ramps) {
      const exchange = list.find((r) => roleOf.get(r.to) === 'exchange')?.to;
      assert.ok(exchange, `${info.instance}: no payment into an exchange`);
      assert.ok(list.some((r) => r.from === exchange), `${info.instance}: no payout from the exchange`);
      const tagged = labels.filter((l) => l.instance === info.instance).map((l) => byTxid.get(l.txid!)!);
      assert.ok(tagged.length >= 10 && tagged.every(Boolean), `${info.instance}: ${tagged.length} labelled chain transactions`);
      assert.ok(tagged.some((t) => t.outputs.some((o) => kindOf.get(o.address) === 'market')), 'pays a market');
      assert.ok(tagged.some((t) => t.inputs.some((i) => kindOf.get(i.address) === 'market')), 'is paid by a market');
      // A peel chain: each peel spends the change of the one before.
      const peels = tagged.filter((t) => t.inputs.every((i) => entityOf.get(i.address) === 'cartel peel chain'));
      const peelIds = new Set(peels.map((t) => t.txid));
      const chained = peels.filter((t) => t.inputs.some((i) => peelIds.has(i.txid)));
      assert.ok(chained.length >= 3, `${info.instance}: ${chained.length} chained peels`);
      assert.ok(peels.every((t) => t.outputs.some((o) => kindOf.get(o.address) === 'exchange-hot')), 'every peel lands at the exchange');
    }
    assert.ok(txs.every((t: CryptoTx) => t.outputs.every((o) => isP2wpkhAddress(o.address))));
  });

  test('sanctioned parties: list names or variants of them in parties.csv, receiving and paying', async () => {
    const truth = await readCsv(join(dir, 'sanctions-truth.csv'));
    const parties = new Map((await readCsv(join(dir, 'parties.csv'))).map((p) => [p.party!, p]));
    assert.equal(truth.length, summary.listedParties);
    assert.ok(truth.length >= 3);
    const variations = new Set(['exact', 'reordered', 'accents-added', 'accents-dropped', 'typo', 'second-surname-dropped', 'initials', 'legal-form', 'legal-form-dropped']);
    for (const t of truth) {
      const entry = LISTED_NAMES.find((e) => e.id === t.list_id && e.list === t.list);
      assert.ok(entry && entry.name === t.listed_name, `${t.list} ${t.list_id}`);
      assert.ok(variations.has(t.variation!), t.variation);
      if (t.variation === 'exact') assert.equal(t.name, t.listed_name);
      else assert.notEqual(t.name, t.listed_name);
      const party = parties.get(t.party!)!;
      assert.equal(party.name, t.name);
      assert.equal(party.schema, entry.schema);
      const own = new Set(t.accounts!.split(';'));
      const list = byInstance.get(t.instance!)!;
      assert.ok(list.some((r) => own.has(r.to)) && list.some((r) => own.has(r.from)), `${t.instance}: receives and pays`);
    }
  });

  test('the shapes: fans of five or more, cycles that close, scatter-gather and gather-scatter through intermediaries, bipartite and stacked layers', () => {
    const degree = (list: RastroRow[], side: 'from' | 'to') => Math.max(...[...groupBy(list, (r) => r[side]).values()].map((l) => new Set(l.map((r) => (side === 'from' ? r.to : r.from))).size));
    for (const { info, rows: list } of of('fan-in')) assert.ok(degree(list, 'to') >= 5, info.instance);
    for (const { info, rows: list } of of('fan-out')) assert.ok(degree(list, 'from') >= 5, info.instance);
    for (const { info, rows: list } of of('cycle')) {
      const sorted = [...list].sort((a, b) => a.timeMs - b.timeMs);
      for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]!.from, sorted[i - 1]!.to, `${info.instance}: hop ${i}`);
      assert.equal(sorted.at(-1)!.to, sorted[0]!.from, `${info.instance} does not close`);
      assert.ok(sorted.at(-1)!.paid < sorted[0]!.paid * (sorted[0]!.paidCurrency === sorted.at(-1)!.paidCurrency ? 1 : Infinity));
    }
    for (const { info, rows: list } of of('scatter-gather')) {
      const source = list.find((r) => !list.some((x) => x.to === r.from))!.from;
      const sink = list.find((r) => !list.some((x) => x.from === r.to))!.to;
      const mids = new Set(list.filter((r) => r.from === source).map((r) => r.to));
      assert.ok(mids.size >= 3, info.instance);
      assert.ok([...mids].every((m) => list.some((r) => r.from === m && r.to === sink)), `${info.instance}: an intermediary that does not pay the sink`);
    }
    for (const { info, rows: list } of of('gather-scatter')) assert.ok(degree(list, 'to') >= 3 && degree(list, 'from') >= 3, info.instance);
    for (const { info, rows: list } of of('bipartite')) {
      const senders = new Set(list.map((r) => r.from));
      const receivers = new Set(list.map((r) => r.to));
      assert.ok([...senders].every((s) => !receivers.has(s)), `${info.instance}: not bipartite`);
    }
    for (const { info, rows: list } of of('stack')) {
      const middle = new Set(list.map((r) => r.to).filter((a) => list.some((r) => r.from === a)));
      assert.ok(middle.size >= 2, info.instance);
      const top = new Set(list.filter((r) => middle.has(r.to)).map((r) => r.from));
      for (const t of top) for (const m of middle) assert.ok(list.some((r) => r.from === t && r.to === m), `${info.instance}: layer not complete`);
    }
  });

  test('members: recruited people keep their ordinary lives, fresh accounts have none, the unwitting (victims, exchanges, dealers) are not marked', () => {
    const benignParties = new Set(rows.filter((r) => !r.laundering).flatMap((r) => [r.from, r.to]));
    const members = accounts.filter((a) => a.is_laundering === '1');
    const recruited = members.filter((a) => a.role === 'person');
    const fresh = members.filter((a) => a.role === 'fresh');
    assert.ok(recruited.length > 100 && fresh.length > 50, `${recruited.length} recruited, ${fresh.length} fresh`);
    assert.ok(recruited.filter((a) => benignParties.has(a.account!)).length > 0.95 * recruited.length, 'recruited members without a benign life');
    assert.ok(fresh.every((a) => !benignParties.has(a.account!)), 'a fresh account with benign activity');
    assert.ok(accounts.filter((a) => a.role === 'exchange').every((a) => a.is_laundering === '0'), 'an exchange marked laundering');
    for (const i of instances) assert.ok(Number(i.accounts) >= 2, `${i.instance}: ${i.accounts} members`);
    const instancesOf = new Map(accounts.map((a) => [a.account!, a.instances!.split(';')]));
    for (const { info, rows: list } of of('mirror-swap')) {
      const paidBusinesses = list.filter((r) => ['dealer', 'school', 'landlord'].includes(roleOf.get(r.to)!));
      assert.ok(paidBusinesses.length > 0, `${info.instance} pays no dealer, school or landlord`);
      for (const r of paidBusinesses) assert.ok(!instancesOf.get(r.to)!.includes(info.instance!), `${r.to} marked as a member of ${info.instance}`);
    }
    for (const { info, rows: list } of of('mule-network')) {
      const victims = list.filter((r) => roleOf.get(r.from) !== 'person' && roleOf.get(r.from) !== 'fresh' && !list.some((x) => x.to === r.from));
      for (const r of victims) assert.ok(!instancesOf.get(r.from)!.includes(info.instance!), `victim ${r.from} marked`);
    }
  });
});
