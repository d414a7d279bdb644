/**
 * Specification of the chain side of the world (`crypto.jsonl`): a consistent UTXO history — every input
 * spends an earlier output once (or a coin from before the period), value is conserved less the fee, times
 * never go back — with valid bech32 addresses, every address attributed in crypto-addresses.csv, the benign
 * flows (exchange withdrawals and sweeps, market orders) around the labelled scheme transfers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { CryptoLedger, generateWorld, isP2wpkhAddress, p2wpkhAddress, World, Rng } from '../../src/scenario/index.js';
import { withTempDir } from '../helpers/ingest.js';
import { readCrypto, readCsv } from '../helpers/scenario.js';

test('addresses are BIP-173 bech32: the specification\'s test vector, and checksums that catch a changed letter', () => {
  const program = Uint8Array.from(Buffer.from('751e76e8199196d454941c45d1b3a323f1433bd6', 'hex'));
  assert.equal(p2wpkhAddress(program), 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4');
  assert.ok(isP2wpkhAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'));
  assert.ok(!isP2wpkhAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5'));
});

test('a world\'s crypto.jsonl is a consistent UTXO history with every address attributed and the scheme transfers labelled', async () => {
  await withTempDir(async (dir) => {
    const s = await generateWorld({ accounts: 6_000, days: 60, seed: 3, startMs: Date.UTC(2022, 8, 1), outDir: dir });
    const txs = await readCrypto(dir);
    assert.equal(txs.length, s.cryptoTransactions);
    assert.ok(txs.length > 1_000, `${txs.length} chain transactions`);
    const outputs = new Map<string, { address: string; value: number }>();
    const spent = new Set<string>();
    const ids = new Set(txs.map((t) => t.txid));
    let previous = '';
    let prePeriod = 0;
    for (const t of txs) {
      assert.match(t.txid, /^[0-9a-f]{64}$/);
      assert.ok(t.time >= previous, `${t.time} after ${previous}`);
      previous = t.time;
      let inputs = 0;
      for (const i of t.inputs) {
        const key = `${i.txid}:${i.vout}`;
        assert.ok(!spent.has(key), `${key} spent twice`);
        spent.add(key);
        const out = outputs.get(key);
        if (out) assert.deepEqual(out, { address: i.address, value: i.value });
        else {
          assert.ok(!ids.has(i.txid), `${key} spent before it was created`);
          prePeriod++;
        }
        inputs += i.value;
      }
      assert.equal(inputs, t.outputs.reduce((n, o) => n + o.value, 0) + t.fee, `${t.txid}: value not conserved`);
      assert.ok(t.fee > 0 && t.inputs.length <= 100 && t.outputs.every((o) => o.value >= 546));
      t.outputs.forEach((o, n) => {
        assert.equal(o.n, n);
        outputs.set(`${t.txid}:${n}`, { address: o.address, value: o.value });
      });
    }
    assert.ok(prePeriod < txs.length / 4, `${prePeriod} coins from before the period`);
    const addresses = await readCsv(join(dir, 'crypto-addresses.csv'));
    const kind = new Map(addresses.map((a) => [a.address!, a.kind!]));
    for (const t of txs) for (const o of t.outputs) assert.ok(kind.has(o.address) && isP2wpkhAddress(o.address), o.address);
    // Benign flows: exchange sweeps of deposit addresses (many inputs, one exchange), withdrawals to users, market orders.
    assert.ok(txs.some((t) => t.inputs.length >= 3 && t.inputs.every((i) => kind.get(i.address) === 'exchange-hot')), 'no exchange sweep');
    assert.ok(txs.some((t) => kind.get(t.inputs[0]!.address) === 'exchange-hot' && t.outputs.some((o) => kind.get(o.address) === 'user')), 'no withdrawal to a user');
    assert.ok(txs.filter((t) => t.outputs.some((o) => kind.get(o.address) === 'market')).length > 50, 'few market orders');
    const labels = await readCsv(join(dir, 'crypto-labels.csv'));
    assert.equal(labels.length, s.cryptoLaunderingTransactions);
    assert.ok(labels.length > 0 && labels.every((l) => ids.has(l.txid!) && l.scheme === 'crypto-ramp'));
    assert.equal(s.cryptoSchemeShortfalls, 0);
    const laundering = addresses.filter((a) => a.is_laundering === '1');
    assert.ok(laundering.length > 0 && laundering.every((a) => ['mule', 'cartel', 'vendor'].includes(a.kind!)));
  });
});

test('the ledger pays what there is when a wallet runs short, refills an exchange\'s hot wallet from cold storage, and counts the shortfalls', () => {
  const world = new World({ accounts: 600, days: 3, seed: 1, startMs: Date.UTC(2022, 8, 1) });
  const ledger = new CryptoLedger(world, new Rng(9));
  const a = ledger.newWallet('user', 'a');
  const b = ledger.newWallet('user', 'b');
  ledger.fund(a, 100_000);
  const t0 = Date.UTC(2022, 8, 1, 12);
  ledger.enqueue({ timeMs: t0, from: a, to: [{ wallet: b }], valuesSat: [1_000_000], tag: 'x' });
  const hot = ledger.exchanges[0]!.hot;
  ledger.enqueue({ timeMs: t0 + 60_000, from: hot, to: [{ wallet: b }], valuesSat: [ledger.balance(hot) + 1] });
  const lines: string[] = [];
  ledger.runThrough(2, (l) => lines.push(l));
  assert.equal(ledger.taggedShortPaid, 1);
  assert.equal(lines.length, 3, 'short payment, cold-to-hot refill, withdrawal');
  const paid = JSON.parse(lines[0]!);
  assert.equal(paid.outputs.length, 1);
  assert.equal(paid.outputs[0].value + paid.fee, 100_000);
  assert.equal(ledger.balance(a), 0);
});
