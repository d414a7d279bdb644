/**
 * Specification of the benign economy, read from the generated files as an analyst would: given a world of
 * 6,000 accounts over 100 days (February to May 2023, no seasonal extra pays), then payroll, rent and bills
 * recur with stable amounts, merchants and utilities are heavy-tailed fan-ins, remittances cross currencies
 * at plausible rates, shops deposit cash mostly well below 10,000, savings stay with their owner, and benign
 * fan-in and fan-out bursts exist in numbers.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generate, readAccounts, readTrans, type AccountRow, type TransRow } from '../helpers/scenario.js';

const CODES: Record<string, string> = { 'US Dollar': 'USD', Euro: 'EUR', 'Mexican Peso': 'MXN', 'Colombian Peso': 'COP', Quetzal: 'GTQ', Lempira: 'HNL' };
const DAY_MS = 86_400_000;
const dayOf = (r: TransRow): number => Math.floor(Date.UTC(+r.time.slice(0, 4), +r.time.slice(5, 7) - 1, +r.time.slice(8, 10)) / DAY_MS);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

describe('the benign economy of 6,000 accounts over 100 days (seed 21)', () => {
  let dir: string;
  let rows: TransRow[];
  let accounts: Map<string, AccountRow>;
  const role = (account: string): string => accounts.get(account)!.role;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-economy-'));
    await generate(dir, { accounts: 6_000, days: 100, seed: 21, startMs: Date.UTC(2023, 1, 1) });
    rows = (await readTrans(dir)).rows;
    accounts = await readAccounts(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('nothing is labelled laundering, and every account pays and receives in its own currency', () => {
    assert.ok(rows.length > 300_000, `${rows.length} rows`);
    assert.ok(rows.every((r) => !r.laundering));
    for (const r of rows) {
      assert.equal(CODES[r.paidIn], accounts.get(r.from)!.currency, r.line);
      assert.equal(CODES[r.receivedIn], accounts.get(r.to)!.currency, r.line);
      if (r.paidIn === r.receivedIn) assert.equal(r.paid, r.received, r.line);
    }
  });

  test('payroll: each employee is paid by the same employer every week, fortnight, half-month or month, the same amount', () => {
    const payroll = rows.filter((r) => role(r.to) === 'person' && !['person', 'lender', 'remittance-agent', 'exchange'].includes(role(r.from)) && (r.format === 'ACH' || r.format === 'Cheque'));
    const pairs = [...groupBy(payroll, (r) => `${r.from}>${r.to}`).values()];
    assert.ok(pairs.length > 2_500, `${pairs.length} employees paid`);
    const regular = pairs.filter((p) => p.length >= 3);
    assert.ok(regular.length > 0.95 * pairs.length);
    assert.ok(regular.every((p) => new Set(p.map((r) => r.received)).size === 1), 'an employee paid different amounts');
    for (const p of regular) {
      const days = p.map(dayOf);
      for (let i = 1; i < days.length; i++) {
        const gap = days[i]! - days[i - 1]!;
        assert.ok(gap >= 4 && gap <= 35, `pay gap of ${gap} days for ${p[0]!.from} → ${p[0]!.to}`);
      }
    }
    // Payroll is a batch: employees of one employer are paid within minutes of each other.
    const batches = [...groupBy(payroll, (r) => `${r.from} ${r.time.slice(0, 10)}`).values()].filter((b) => b.length >= 10);
    assert.ok(batches.length > 20);
    for (const b of batches) assert.ok(new Set(b.map((r) => r.time.slice(0, 15))).size <= 2, 'a payroll batch spread over hours');
  });

  test('rent: monthly to the same landlord, the same round amount', () => {
    const rent = rows.filter((r) => role(r.to) === 'landlord' && role(r.from) === 'person');
    const pairs = [...groupBy(rent, (r) => `${r.from}>${r.to}`).values()];
    assert.ok(pairs.length > 800, `${pairs.length} tenants`);
    for (const p of pairs) {
      assert.ok(p.length >= 3 && p.length <= 4, `${p.length} rents in 100 days`);
      assert.equal(new Set(p.map((r) => r.received)).size, 1);
      assert.equal(p[0]!.received % 5, 0, `rent ${p[0]!.received} is not round`);
    }
  });

  test('utilities: thousands of payers each billed about monthly — a benign fan-in', () => {
    const bills = rows.filter((r) => role(r.to) === 'utility');
    const byUtility = [...groupBy(bills, (r) => r.to).values()];
    const payers = byUtility.map((b) => new Set(b.map((r) => r.from)).size);
    assert.ok(median(payers) >= 100, `median ${median(payers)} payers per utility`);
    const pairs = [...groupBy(bills, (r) => `${r.from}>${r.to}`).values()];
    assert.ok(pairs.filter((p) => p.length >= 3 && p.length <= 4).length > 0.95 * pairs.length);
  });

  test('card spending: heavy-tailed merchants, heavy-tailed small amounts, busier Saturdays than Tuesdays', () => {
    const card = rows.filter((r) => r.format === 'Credit Card');
    assert.ok(card.length > 0.5 * rows.length);
    const payers = [...groupBy(card, (r) => r.to).values()].map((list) => new Set(list.map((r) => r.from)).size);
    assert.ok(median(payers) >= 20, `median ${median(payers)} card payers per merchant`);
    assert.ok(Math.max(...payers) >= 10 * median(payers), 'no big chains');
    const usd = card.filter((r) => r.receivedIn === 'US Dollar').map((r) => r.received);
    assert.ok(median(usd) > 15 && median(usd) < 60, `median ticket ${median(usd)}`);
    assert.ok(quantile(usd, 0.99) > 6 * median(usd), 'card amounts not heavy-tailed');
    const perWeekday = new Array<number>(7).fill(0);
    for (const r of card) perWeekday[new Date(dayOf(r) * DAY_MS).getUTCDay()]!++;
    assert.ok(perWeekday[6]! > 1.2 * perWeekday[2]!, `Saturday ${perWeekday[6]} vs Tuesday ${perWeekday[2]}`);
  });

  test('remittances: US→MX transfers paid in dollars, received in pesos at about 20; some relatives share a beneficiary; companies settle weekly', () => {
    // Bank wires and remittance-company transfers (written as Wire in the IBM layout), person to person.
    const wires = rows.filter((r) => r.format === 'Wire' && r.paidIn === 'US Dollar' && r.receivedIn === 'Mexican Peso' && role(r.from) === 'person' && role(r.to) === 'person');
    assert.ok(wires.length > 100, `${wires.length} US→MX transfers`);
    for (const w of wires) {
      const rate = w.received / w.paid;
      assert.ok(rate > 15 && rate < 25, `rate ${rate}`);
    }
    const senders = [...groupBy(wires, (r) => r.to).values()].map((list) => new Set(list.map((r) => r.from)).size);
    assert.ok(senders.some((n) => n >= 2), 'no beneficiary with two relatives sending');
    // Each company moves its float across the border in one wire a week per destination.
    const settlements = rows.filter((r) => role(r.from) === 'remittance-agent' && role(r.to) === 'remittance-agent');
    assert.ok(settlements.length >= 10, `${settlements.length} settlements`);
    assert.ok(settlements.every((r) => r.format === 'Wire'), 'a settlement is a wire');
    assert.ok(median(settlements.map((r) => r.paid)) > 5 * median(wires.map((r) => r.paid)), 'settlements carry many remittances');
  });

  test('shops deposit cash into their own account, several times a week, mostly well below 10,000', () => {
    const cash = rows.filter((r) => r.format === 'Cash');
    assert.ok(cash.every((r) => r.from === r.to && role(r.from) === 'shop'));
    const perShop = [...groupBy(cash, (r) => r.from).values()].map((l) => l.length);
    assert.ok(median(perShop) >= 2 * 14 * 0.8, `median ${median(perShop)} deposits in 14 weeks`);
    const usd = cash.filter((r) => r.receivedIn === 'US Dollar').map((r) => r.received);
    assert.ok(usd.filter((a) => a < 10_000).length > 0.95 * usd.length);
    assert.ok(median(usd) < 3_000, `median deposit ${median(usd)}`);
    assert.ok(usd.some((a) => a >= 8_000 && a < 10_000), 'no deposit near the threshold');
  });

  test('savings (Reinvestment) move between two accounts of the same owner', () => {
    const savings = rows.filter((r) => r.format === 'Reinvestment');
    assert.ok(savings.length > 500);
    for (const r of savings) {
      assert.notEqual(r.from, r.to);
      assert.equal(accounts.get(r.from)!.owner, accounts.get(r.to)!.owner, r.line);
    }
  });

  test('benign fan-in and fan-out bursts are common: the shapes alone do not give laundering away', () => {
    // Five or more distinct payers into one account within one UTC day, and out of one account.
    const fanIn = [...groupBy(rows, (r) => `${r.to} ${r.time.slice(0, 10)}`).values()].filter((l) => new Set(l.map((r) => r.from)).size >= 5);
    const fanOut = [...groupBy(rows.filter((r) => r.from !== r.to), (r) => `${r.from} ${r.time.slice(0, 10)}`).values()].filter((l) => new Set(l.map((r) => r.to)).size >= 5);
    const inRoles = new Set(fanIn.map((l) => role(l[0]!.to)));
    const outRoles = new Set(fanOut.map((l) => role(l[0]!.from)));
    assert.ok(fanIn.length > 1_000 && fanOut.length > 100, `${fanIn.length} fan-ins, ${fanOut.length} fan-outs`);
    for (const r of ['merchant', 'utility', 'landlord']) assert.ok(inRoles.has(r), `no benign fan-in into a ${r}`);
    for (const r of ['employer', 'remittance-agent']) assert.ok(outRoles.has(r), `no benign fan-out from a ${r}`);
    assert.ok(fanOut.some((l) => role(l[0]!.from) === 'person'), 'no person paying five others in a day');
  });
});
