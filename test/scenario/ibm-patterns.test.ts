/**
 * Specification of the `ibm-patterns` scheme: reading IBM AMLworld's Patterns.txt, and embedding each attempt
 * in a world with its shape kept (who pays whom, order, time offsets, amounts, currencies, formats) and its
 * accounts remapped consistently onto the world, in the attack period.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ibmPatternsScheme, parseIbmPatterns, PatternsError, Rng, World, type IbmAttempt } from '../../src/scenario/index.js';
import { PATTERNS } from '../helpers/scenario.js';

const attempts = async (): Promise<IbmAttempt[]> => parseIbmPatterns(await readFile(PATTERNS, 'utf8'), 'LI-Small_Patterns.txt');
const DAY_MS = 86_400_000;

test('LI-Small_Patterns.txt: 117 attempts, 1,023 rows, in IBM order, amounts in minor units', async () => {
  const all = await attempts();
  assert.equal(all.length, 117);
  assert.equal(all.reduce((n, a) => n + a.rows.length, 0), 1023);
  const counts: Record<string, number> = {};
  for (const a of all) counts[a.type] = (counts[a.type] ?? 0) + 1;
  assert.deepEqual(counts, { BIPARTITE: 16, CYCLE: 12, 'FAN-IN': 12, 'FAN-OUT': 19, 'GATHER-SCATTER': 12, RANDOM: 15, 'SCATTER-GATHER': 13, STACK: 18 });
  assert.deepEqual(
    { type: all[0]!.type, title: all[0]!.title, line: all[0]!.line, rows: all[0]!.rows.length },
    { type: 'FAN-IN', title: 'FAN-IN:  Max 3-degree Fan-In', line: 1, rows: 3 },
  );
  assert.deepEqual(all[0]!.rows[0], {
    timeMs: Date.UTC(2022, 8, 1, 2, 38),
    fromBank: '001812', fromAccount: '80279F810', toBank: '0110', toAccount: '8000A94C0',
    amountMinor: 1_015_474, currency: 'AUD', paidMinor: 1_015_474, paidCurrency: 'AUD', channel: 'ach',
  });
  const bitcoin = all.flatMap((a) => a.rows).find((r) => r.channel === 'crypto')!;
  assert.deepEqual([bitcoin.amountMinor, bitcoin.currency], [36_128_300, 'XBT']);
});

test('a malformed patterns file is refused with file:line and the reason', () => {
  const row = '2022/09/01 02:38,001812,80279F810,0110,8000A94C0,10.00,US Dollar,10.00,US Dollar,ACH,1';
  const cases: [string, RegExp][] = [
    [`${row}\n`, /^p\.txt:1: transaction outside a BEGIN\/END LAUNDERING ATTEMPT block$/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\n${row}\n`, /^p\.txt:1: attempt without END$/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\n${row.replace('US Dollar,ACH', 'Peso Oro,ACH')}\nEND LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:2: unknown currency "Peso Oro"$/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\n${row.replace('2022/09/01', '2022/09/31')}\nEND LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:2: unparseable timestamp/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\n${row.replace(',ACH,', ',Telex,')}\nEND LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:2: unknown payment format "Telex"$/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\n${row},x\nEND LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:2: expected 11 columns, found 12$/],
    [`BEGIN LAUNDERING ATTEMPT - CYCLE\nEND LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:2: attempt without transactions$/],
    [`END LAUNDERING ATTEMPT - CYCLE\n`, /^p\.txt:1: END without BEGIN$/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseIbmPatterns(text, 'p.txt'), (err: unknown) => err instanceof PatternsError && message.test(err.message), text);
  }
  assert.deepEqual(parseIbmPatterns('', 'p.txt'), []);
  assert.equal(parseIbmPatterns(`BEGIN LAUNDERING ATTEMPT - CYCLE\r\n${row}\r\nEND LAUNDERING ATTEMPT - CYCLE\r\n`, 'p.txt').length, 1, 'CRLF');
});

test('each embedded attempt keeps its shape, with its accounts remapped one-to-one onto the world and its time in the attack period', async () => {
  const all = await attempts();
  const world = new World({ accounts: 3_000, days: 90, seed: 11, startMs: Date.UTC(2023, 0, 2) });
  const benign = world.accountCount;
  const instances = ibmPatternsScheme(all, { repeat: 3 }).plan(world, new Rng(5));
  assert.equal(instances.length, 117 * 3);
  const attackStart = world.calendar.startMs + world.attackStartDay * DAY_MS;
  assert.equal(world.attackStartDay, 60);
  let payers = 0;
  let payersInOwnCurrency = 0;
  for (const instance of instances) {
    const [, a, copy] = /^ibm-(\d+)-(\d+)$/.exec(instance.id)!.map(Number) as [number, number, number];
    const source = all[a - 1]!;
    assert.ok(copy >= 1 && copy <= 3);
    assert.equal(instance.type, source.type);
    assert.equal(instance.title, source.title);
    const original = [...source.rows].sort((x, y) => x.timeMs - y.timeMs);
    assert.equal(instance.transactions.length, original.length);
    const shift = instance.transactions[0]!.timeMs - original[0]!.timeMs;
    assert.ok(instance.transactions[0]!.timeMs >= attackStart, `${instance.id} starts before the attack period`);
    assert.ok(instance.transactions.at(-1)!.timeMs < world.calendar.startMs + 90 * DAY_MS);
    const forward = new Map<string, number>();
    const backward = new Map<number, string>();
    const same = (ibm: string, account: number): void => {
      assert.equal(forward.get(ibm) ?? account, account, `${instance.id}: ${ibm} mapped twice`);
      assert.equal(backward.get(account) ?? ibm, ibm, `${instance.id}: two IBM accounts on one world account`);
      forward.set(ibm, account);
      backward.set(account, ibm);
    };
    instance.transactions.forEach((tx, i) => {
      const r = original[i]!;
      assert.equal(tx.timeMs - r.timeMs, shift, 'time offsets kept');
      assert.deepEqual([tx.amountMinor, tx.currency, tx.paidMinor, tx.paidCurrency, tx.channel], [r.amountMinor, r.currency, r.paidMinor, r.paidCurrency, r.channel]);
      same(`${r.fromBank}/${r.fromAccount}`, tx.from);
      same(`${r.toBank}/${r.toAccount}`, tx.to);
    });
    assert.deepEqual(new Set(instance.accounts), new Set(backward.keys()));
    for (const account of instance.accounts) {
      const paysIn = new Set(instance.transactions.filter((tx) => tx.from === account).map((tx) => tx.paidCurrency));
      if (paysIn.size === 0) continue;
      payers++;
      if (paysIn.has(world.accountCurrency[account]!)) payersInOwnCurrency++;
    }
  }
  // Every paying account pays (at least partly: IBM accounts mix currencies) in its own currency: recruits
  // are chosen by it, fresh accounts are opened in it.
  assert.equal(payersInOwnCurrency, payers);
  // Copies of one attempt land on different accounts at different times.
  const first = instances.filter((i) => /^ibm-2-\d$/.test(i.id));
  assert.equal(new Set(first.map((i) => i.transactions[0]!.timeMs)).size, 3);
  assert.equal(new Set(first.map((i) => i.accounts.join())).size, 3);
  // Fresh accounts were opened for the rest.
  assert.ok(world.accountCount > benign);
  for (let a = benign; a < world.accountCount; a++) assert.equal(world.accountRole[a], 'fresh');
});
