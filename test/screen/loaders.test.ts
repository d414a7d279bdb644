/**
 * Reading the lists: OFAC legacy CSV (with remarks), UN consolidated XML, OFAC crypto-address lists,
 * custom CSV/JSON watchlists; folders; unsafe XML refused.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ListError, loadCryptoAddressList, loadCustomList, loadLists, loadOfacSdnCsv, loadUnXml, type WatchlistEntity } from '../../src/screen/index.js';
import { fixtures } from './helpers.js';

const byId = (es: WatchlistEntity[], id: string) => {
  const e = es.find((x) => x.sourceId === id);
  assert.ok(e, `entity ${id}`);
  return e;
};

describe('OFAC SDN legacy CSV', () => {
  test('given sdn.csv with add.csv and alt.csv, every entry is read with its aliases, addresses and remarks', async () => {
    const l = await loadOfacSdnCsv(join(fixtures, 'ofac-sdn', 'sdn.csv'));
    assert.equal(l.list, 'ofac-sdn');
    assert.equal(l.entities.length, 43);
    assert.deepEqual(l.problems, []);
    const chapo = byId(l.entities, '6861');
    assert.equal(chapo.schema, 'Person');
    assert.equal(chapo.name, 'GUZMAN LOERA, Joaquin');
    assert.deepEqual(chapo.programs, ['SDNTK']);
    assert.deepEqual(chapo.birthDates, ['1954-12-25']);
    assert.deepEqual(chapo.birthPlaces, ['Mexico']);
    assert.ok(chapo.names.some((n) => n.name === 'GUZMAN, Chapo' && n.strength === 'strong'));
  });

  test('remarks give crypto addresses, ids, nationalities and weak aliases', async () => {
    const l = await loadOfacSdnCsv(join(fixtures, 'ofac-sdn', 'sdn.csv'));
    const yan = byId(l.entities, '25308');
    assert.equal(yan.cryptoAddresses.length, 6);
    assert.deepEqual(yan.cryptoAddresses[0], { asset: 'XBT', address: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' });
    assert.deepEqual(yan.nationalities, ['China']);
    assert.ok(yan.ids.some((i) => i.type === "Citizen's Card Number" && i.number === '421002197703250019' && i.country === 'China'));
    assert.ok(yan.names.some((n) => n.name === 'ZHOU, William' && n.strength === 'weak'));
    const vessel = byId(l.entities, '4243');
    assert.equal(vessel.schema, 'Vessel');
    assert.ok(vessel.names.some((n) => n.name === 'ANA I' && n.type === 'fka'));
    assert.ok(byId(l.entities, '306').addresses.some((a) => a.country === 'Switzerland'));
  });
});

describe('UN consolidated XML', () => {
  test('individuals and entities with original-script names, alias quality, dates, documents', async () => {
    const l = await loadUnXml(join(fixtures, 'un-consolidated-subset.xml'));
    assert.equal(l.version, '2026-02-27T00:00:09.554Z');
    assert.equal(l.entities.length, 14);
    const umarov = byId(l.entities, 'QDi.290');
    assert.equal(umarov.name, 'DOKU KHAMATOVICH UMAROV');
    assert.ok(umarov.names.some((n) => n.name === 'Умаров Доку Хаматович' && n.type === 'original-script'));
    assert.ok(umarov.birthDates.includes('1964-04-13'));
    assert.ok(umarov.nationalities.includes('Russian Federation'));
    assert.ok(umarov.ids.some((i) => i.type === 'Passport' && i.number === '96 03 464086'));
    const alqaida = byId(l.entities, 'QDe.004');
    assert.equal(alqaida.schema, 'Organization');
    assert.ok(alqaida.names.length > 3);
    assert.ok(l.entities.some((e) => e.names.some((n) => n.strength === 'weak')), 'alias quality Low is a weak alias');
  });

  test('a DOCTYPE (entity expansion, external entities) is refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rastro-un-'));
    try {
      const path = join(dir, 'un.xml');
      await writeFile(path, '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER><FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n');
      await assert.rejects(loadUnXml(path), /DOCTYPE/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('crypto-address lists and custom lists', () => {
  test('one CryptoWallet entry per address, asset from the file name', async () => {
    const l = await loadCryptoAddressList(join(fixtures, 'ofac-crypto', 'sanctioned_addresses_ETH.json'));
    assert.equal(l.entities.length, 4);
    assert.equal(l.entities[0]!.schema, 'CryptoWallet');
    assert.equal(l.entities[0]!.cryptoAddresses[0]!.asset, 'ETH');
  });

  test('custom CSV: aliases strong and weak, dob, nationalities, ids, crypto', async () => {
    const l = await loadCustomList(join(fixtures, 'custom', 'agency-watchlist.csv'));
    assert.equal(l.list, 'agency-watchlist');
    const w1 = byId(l.entities, 'W-001');
    assert.deepEqual(w1.names.map((n) => n.strength), ['primary', 'strong', 'strong', 'weak']);
    assert.deepEqual(w1.birthDates, ['1971-03-14']);
    assert.deepEqual(w1.cryptoAddresses, [{ asset: 'TRX', address: 'TXkX4gEWt9Pp6o1a3cYpEq4HEnUzNT6bY9' }]);
    assert.equal(byId(l.entities, 'W-002').schema, 'Company');
    assert.deepEqual(byId(l.entities, 'W-003').nationalities, ['Mexico', 'Guatemala']);
  });

  test('custom JSON: the list names itself; an entry without a name is a problem, not a crash', async () => {
    const l = await loadCustomList(join(fixtures, 'custom', 'partner-list.json'));
    assert.equal(l.list, 'partner-fiu');
    assert.equal(l.entities.length, 2);
    assert.equal(l.problems.length, 1);
    assert.match(l.problems[0]!.reason, /name/);
  });
});

describe('folders', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-lists-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a folder gives every list in it; the per-asset crypto files are one list', async () => {
    const lists = await loadLists([fixtures]);
    const names = lists.map((l) => l.list).sort();
    assert.ok(names.includes('ofac-sdn'));
    assert.ok(names.includes('un'));
    assert.ok(names.includes('partner-fiu'));
    assert.ok(names.includes('agency-watchlist'));
    const crypto = lists.find((l) => l.list === 'ofac-crypto')!;
    assert.equal(crypto.files.length, 3);
    assert.equal(crypto.entities.length, 14);
    assert.ok(!names.includes('pairs-labelled'), 'a CSV without a name column is not a list');
  });

  test('a file of no known layout, named on its own, is an error', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'hello\n');
    await assert.rejects(loadLists([path]), ListError);
    await assert.rejects(loadLists([join(dir, 'missing.csv')]), ListError);
  });
});
