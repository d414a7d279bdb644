/**
 * Screening parties against the fixture lists: names in any script, crypto addresses, the other attributes,
 * and the blocking index that keeps a query from being compared with every entry.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ListSet, loadLists, normalizeName, NameIndex, Screener, screeningRecords } from '../../src/screen/index.js';
import { fixtures } from './helpers.js';

let screener: Screener;
let set: ListSet;

before(async () => {
  set = new ListSet();
  for (const l of await loadLists([fixtures])) set.apply(l);
  screener = new Screener(set.entities());
});

const top = (name: string, extra: Record<string, string> = {}) => {
  const r = screener.screen({ name, ...extra });
  return { r, first: r.candidates[0] };
};

describe('screening names', () => {
  test('given a listed narcotics trafficker under a reordered, accented name, his entry is the top match with reasons', () => {
    const { r, first } = top('Joaquín Guzmán Loera');
    assert.ok(r.match);
    assert.equal(first?.key, 'ofac-sdn:6861');
    assert.equal(first?.score, 1);
    assert.ok(first!.reasons.some((x) => x.includes('"guzman" = "guzman"')));
  });

  test('an alias finds its entry and says which alias', () => {
    const { first } = top('Chapo Guzman');
    assert.equal(first?.key, 'ofac-sdn:6861');
    assert.equal(first?.matchedName, 'GUZMAN, Chapo');
    assert.equal(first?.nameStrength, 'strong');
  });

  test('names in Arabic, Cyrillic and Korean script find the Latin entries', () => {
    assert.equal(top('صدام حسين التكريتي').first?.key, 'un:IQi.001');
    assert.ok(['un:QDi.290', 'ofac-sdn:12110'].includes(top('Доку Умаров').first!.key));
    assert.equal(top('김정은', { schema: 'Person' }).first?.key, 'ofac-sdn:20157');
  });

  test('a custom list entry is screened like the official ones, with its weak alias marked', () => {
    const { first } = top('Roger Quintana');
    assert.equal(first?.key, 'agency-watchlist:W-001');
    const weak = screener.screen({ name: 'El Contador' }).candidates.find((c) => c.key === 'agency-watchlist:W-001');
    assert.equal(weak?.nameStrength, 'weak');
  });

  test('a common Spanish name sharing surnames with listed people is not a match', () => {
    const r = screener.screen({ name: 'Maria Guzman Salazar', schema: 'Person' });
    assert.ok(!r.match, JSON.stringify(r.candidates.map((c) => [c.name, c.score])));
  });
});

describe('crypto addresses', () => {
  test('an exact address hit scores 1.0 for the wallet entry and for the SDN entry that lists it', () => {
    const r = screener.screen({ name: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h' });
    assert.ok(r.match);
    const keys = r.candidates.map((c) => c.key).sort();
    assert.deepEqual(keys, ['ofac-crypto:XBT:12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h', 'ofac-sdn:25308']);
    assert.ok(r.candidates.every((c) => c.score === 1 && c.nameStrength === 'crypto-address'));
  });

  test('hex addresses match whatever their case; one character off is no hit', () => {
    assert.ok(screener.screen({ cryptoAddress: '0x01E2919679362DFBC9EE1644BA9C6DA6D6245BB1' }).match);
    assert.ok(!screener.screen({ cryptoAddress: '12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9i' }).match);
  });
});

describe('secondary attributes', () => {
  test('a birth date and country that agree raise the score; a different birth year lowers it', () => {
    const base = top('Joaquin Guzman').first!.score;
    const agree = top('Joaquin Guzman', { birthDate: '25 Dec 1954', country: 'MX' }).first!;
    const differ = top('Joaquin Guzman', { birthDate: '1990-01-01' }).first!;
    assert.ok(agree.score > base, `${agree.score} > ${base}`);
    assert.ok(differ.score < base, `${differ.score} < ${base}`);
    assert.ok(agree.reasons.some((x) => x.includes('birth date')));
  });

  test('an id number on the list raises the score; a person query against a vessel lowers it', () => {
    const withId = top('Xiaobing Yan', { idNumber: '421002197703250019' }).first!;
    assert.equal(withId.key, 'ofac-sdn:25308');
    assert.ok(withId.reasons.some((x) => x.includes('id number')));
    const vessel = screener.screen({ name: 'Hermann', schema: 'Person' }).candidates.find((c) => c.key === 'ofac-sdn:4234');
    assert.ok(vessel && vessel.score < vessel.nameScore);
  });
});

describe('blocking', () => {
  test('a query reaches only the names that share a similar word, not every listed name', () => {
    const forms = set.entities().flatMap((e) => e.names.map((n) => normalizeName(n.name, e.schema === 'Person' ? 'person' : 'organization')));
    const index = new NameIndex(forms);
    const seen: number[] = [];
    index.candidates(normalizeName('Ismael Sambada', 'person'), (form) => seen.push(form));
    assert.ok(seen.length > 0);
    assert.ok(seen.length < forms.length / 10, `${seen.length} of ${forms.length}`);
    assert.ok(seen.some((f) => forms[f]!.tokens.includes('zambada')), 'the phonetic spelling reaches Zambada');
  });
});

describe('records for the party', () => {
  test('one record per candidate, with the list version it was screened against', () => {
    const r = screener.screen({ name: 'Joaquin Guzman Loera' });
    const records = screeningRecords('acct:021174/800737690', r, { screenedAtMs: Date.UTC(2026, 0, 2), listVersions: set.versions() });
    assert.equal(records.length, r.candidates.length);
    assert.equal(records[0]!.partyId, 'acct:021174/800737690');
    assert.equal(records[0]!.screenedAt, '2026-01-02T00:00:00.000Z');
    assert.match(records[0]!.listVersion ?? '', /^digest:/);
  });
});
