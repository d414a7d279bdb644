/**
 * Specification of the ISO 20022 pacs.008 reader: given each fixture, exactly these transactions, accounts,
 * parties, links and rejects; hostile documents are refused; detection claims pacs.008 and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, txSpec, type ReadResult } from '../helpers/ingest.js';
import { pacs008Reader } from '../../src/ingest/formats/pacs008.js';
import { goamlReader } from '../../src/ingest/formats/goaml.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { FormatReader, IngestBatch } from '../../src/ingest/reader.js';
import { detectReader } from '../../src/ingest/registry.js';
import { XmlRefused } from '../../src/ingest/xml.js';
import { Account, Party, PartyAccountLink, Reject, Transaction } from '../../src/model/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/iso20022/${name}`, import.meta.url));
const goamlFixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/goaml/${name}`, import.meta.url));

const readAll = (reader: FormatReader, path: string, options: { batchRows?: number; onBytes?: (n: number) => void } = {}): Promise<ReadResult> =>
  collect(reader.read({ path, file: path, source: basename(path), batchId: 'batch-1', ...options }));

const tx = txSpec;

function party(p: Party) {
  return { id: p.id, kind: p.kind, name: p.name, country: p.country, birthDate: p.birthDate, identifiers: p.identifiers, line: p.provenance.line };
}

const link = (l: PartyAccountLink): string => `${l.partyId} -${l.role}-> ${l.accountId}`;

test('CBPR+ message in an AppHdr envelope: one transfer keyed by its UETR, settled USD with the GBP instructed amount as original', async () => {
  const r = await readAll(pacs008Reader, fixture('cbpr-plus-pacs.008.001.08-bah.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: '8a562c67-ca16-48ba-b074-65581be6f011', // UETR, lower-cased
      time: '2024-03-15T00:00:00.000Z', // IntrBkSttlmDt (no AccptncDtTm)
      from: 'RBOSGB2L/12547896', // DbtrAgt RBOSGB2LXXX shortened, Othr/Id
      to: 'CHASUS33/98653214',
      amount: '72817340 USD',
      original: '57500000 GBP',
      channel: 'wire',
      countries: 'GB->US', // Dbtr/PstlAdr/Ctry; creditor has no Ctry nor IBAN: the BIC's country
      line: 35,
    },
  ]);
  assert.deepEqual(
    r.accounts.map((a) => ({ id: a.id, kind: a.kind, institution: a.institution, country: a.country })),
    [
      { id: 'RBOSGB2L/12547896', kind: 'bank', institution: 'RBOSGB2L', country: 'GB' },
      { id: 'CHASUS33/98653214', kind: 'bank', institution: 'CHASUS33', country: 'US' },
    ],
  );
  assert.deepEqual(r.parties.map(party), [
    {
      id: 'entity:lei:213800ABCDEF12345678',
      kind: 'company',
      name: 'Harbour Lane Imports Ltd',
      country: 'GB',
      birthDate: undefined,
      identifiers: [{ type: 'lei', value: '213800ABCDEF12345678' }],
      line: 56,
    },
    {
      // no Id: a person (no OrgId), named only, so its id is scoped to its account
      id: 'person:name:eastern oil multinational@CHASUS33/98653214',
      kind: 'person',
      name: 'Eastern Oil Multinational',
      country: undefined,
      birthDate: undefined,
      identifiers: [],
      line: 86,
    },
  ]);
  assert.deepEqual(r.links.map(link), [
    'entity:lei:213800ABCDEF12345678 -holder-> RBOSGB2L/12547896',
    'person:name:eastern oil multinational@CHASUS33/98653214 -holder-> CHASUS33/98653214',
  ]);
});

test('SEPA pacs.008.001.02 with three transfers: TxId ids, group settlement date, AccptncDtTm first, IBAN accounts emitted once', async () => {
  const r = await readAll(pacs008Reader, fixture('sepa-sct-pacs.008.001.02.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'COBA24093A0001',
      time: '2024-04-02T00:00:00.000Z', // GrpHdr/IntrBkSttlmDt
      from: 'COBADEFF/DE89370400440532013000',
      to: 'BNPAFRPP/FR1420041010050500013M02606',
      amount: '125000 EUR',
      original: undefined,
      channel: 'wire',
      countries: 'DE->FR', // Dbtr/PstlAdr/Ctry; creditor from its IBAN
      line: 22,
    },
    {
      id: 'COBA24093A0002', // EndToEndId NOTPROVIDED: TxId
      time: '2024-04-01T16:22:05.123Z', // AccptncDtTm 18:22:05.123+02:00
      from: 'COBADEFF/DE89370400440532013000', // BIC COBADEFF (8) and COBADEFFXXX are one agent
      to: 'BYLADEMM/DE02700500000002000000',
      amount: '9975 EUR',
      original: undefined,
      channel: 'wire',
      countries: 'DE->DE',
      line: 89,
    },
    {
      id: 'COBA24093A0003',
      time: '2024-04-02T00:00:00.000Z',
      from: 'BCITITMM/IT60X0542811101000000123456',
      to: 'BNPAFRPP/FR1420041010050500013M02606',
      amount: '1200150 EUR',
      original: undefined,
      channel: 'wire',
      countries: 'IT->FR',
      line: 150,
    },
  ]);
  assert.deepEqual(
    r.accounts.map((a) => a.id),
    ['COBADEFF/DE89370400440532013000', 'BNPAFRPP/FR1420041010050500013M02606', 'BYLADEMM/DE02700500000002000000', 'BCITITMM/IT60X0542811101000000123456'],
  );
  assert.deepEqual(r.parties.map(party), [
    {
      id: 'person:name:jurgen weiß|1979-11-03', // no identifier: folded name and birth date
      kind: 'person',
      name: 'Jürgen Weiß',
      country: 'DE',
      birthDate: '1979-11-03',
      identifiers: [],
      line: 35,
    },
    {
      id: 'entity:tax:FR12345678901',
      kind: 'company',
      name: 'SCI Les Tilleuls',
      country: undefined,
      birthDate: undefined,
      identifiers: [{ type: 'TXID', value: 'FR12345678901' }],
      line: 67,
    },
    {
      id: 'entity:bic:SWMUDEM1',
      kind: 'company',
      name: 'Stadtwerke München GmbH',
      country: 'DE',
      birthDate: undefined,
      identifiers: [{ type: 'bic', value: 'SWMUDEM1' }],
      line: 133,
    },
    {
      id: 'person:nid:RSSMRT85M41H501X',
      kind: 'person',
      name: 'Marta Rossi',
      country: 'IT',
      birthDate: undefined,
      identifiers: [{ type: 'NIDN', value: 'RSSMRT85M41H501X' }],
      line: 162,
    },
  ]);
  assert.deepEqual(r.links.map(link), [
    'person:name:jurgen weiß|1979-11-03 -holder-> COBADEFF/DE89370400440532013000',
    'entity:tax:FR12345678901 -holder-> BNPAFRPP/FR1420041010050500013M02606',
    'entity:bic:SWMUDEM1 -holder-> BYLADEMM/DE02700500000002000000',
    'person:nid:RSSMRT85M41H501X -holder-> BCITITMM/IT60X0542811101000000123456',
  ]);
});

test('Fedwire envelope with prefixed head: and pacs: namespaces: ABA routing numbers qualify the accounts', async () => {
  const r = await readAll(pacs008Reader, fixture('fedwire-pacs.008.001.08-prefixed.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'd2f4c1a0-5b3e-4c7a-9e1f-2a6b8c0d4e51',
      time: '2025-03-10T00:00:00.000Z',
      from: '121182904/5647772655',
      to: '021151080/5551212',
      amount: '51000074 USD',
      original: undefined, // InstdAmt equals the settled amount
      channel: 'wire',
      countries: 'US->US',
      line: 48,
    },
  ]);
  assert.deepEqual(
    r.parties.map((p) => [p.id, p.kind, p.name]),
    [
      ['person:name:corporation a@121182904/5647772655', 'person', 'Corporation A'],
      ['entity:tax:987654321', 'company', 'Corporation B'],
    ],
  );
  assert.deepEqual(r.links.map(link), [
    'person:name:corporation a@121182904/5647772655 -holder-> 121182904/5647772655',
    'entity:tax:987654321 -holder-> 021151080/5551212',
  ]);
});

test('PIX (SPI) envelope with two transfers: EndToEndId ids, AccptncDtTm times, ISPB-qualified accounts, CPF/CNPJ parties', async () => {
  const r = await readAll(pacs008Reader, fixture('pix-spi-pacs.008-two-transfers.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'E9999900420240515143012345abcdef',
      time: '2024-05-15T14:30:12.345Z',
      from: '99999004/0012345678',
      to: '60701190/0009876543',
      amount: '150000 BRL',
      original: undefined,
      channel: 'wire',
      countries: '?->?',
      line: 43,
    },
    {
      id: 'E99999004202405151431ABCDEFGHIJK',
      time: '2024-05-15T14:31:40.001Z',
      from: '99999004/0012345678',
      to: '18236120/55500012',
      amount: '3590 BRL',
      original: undefined,
      channel: 'wire',
      countries: '?->?',
      line: 122,
    },
  ]);
  assert.deepEqual(
    r.accounts.map((a) => a.id),
    ['99999004/0012345678', '60701190/0009876543', '18236120/55500012'],
  );
  assert.deepEqual(
    r.parties.map((p) => [p.id, p.name]),
    [
      ['person:doc:OTHER:12345678909', 'Fulano da Silva'],
      ['person:doc:OTHER:11222333000181', ''],
      ['person:doc:OTHER:98765432100', ''],
    ],
  );
});

test('without UETR, TxId or EndToEndId the id is <MsgId>#<n>; the date falls back to GrpHdr/CreDtTm; no agent leaves the bare account', async () => {
  const r = await readAll(pacs008Reader, fixture('pacs.008.001.05-fallback-ids.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'MSG-0517#1',
      time: '2016-05-17T16:45:10.000Z',
      from: 'GB29NWBK60161331926819', // IBAN written with spaces, no DbtrAgt
      to: '1234567',
      amount: '250000 JPY',
      original: undefined,
      channel: 'wire',
      countries: 'GB->?',
      line: 12,
    },
    {
      id: 'MSG-0517#2',
      time: '2016-05-17T16:45:10.000Z',
      from: '601613/GB29NWBK60161331926819', // clearing system member id
      to: 'MHCBJPJT/1234567', // BIC element of versions before 06
      amount: '1200 JPY', // "1200.00": trailing zeros beyond JPY's 0 decimals are accepted
      original: undefined,
      channel: 'wire',
      countries: 'GB->JP',
      line: 37,
    },
  ]);
});

test('bad mandatory fields are rejected with the line of the offending element and the reason; the other transfers load', async () => {
  const r = await readAll(pacs008Reader, fixture('bad-fields-pacs.008.001.09.xml'));
  assert.deepEqual(
    r.transactions.map((t) => [t.id, t.amountMinor, t.originalAmountMinor]),
    [
      ['00000000-0000-4000-8000-000000000001', 10000, undefined],
      ['00000000-0000-4000-8000-000000000009', 9950, 10000], // InstdAmt differs (charges deducted): kept as original
    ],
  );
  const u = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;
  assert.deepEqual(
    r.rejects.map((j) => [j.line, j.reason]),
    [
      [19, `IntrBkSttlmAmt: "12,50" is not a decimal amount (transaction ${u(2)})`],
      [31, `IntrBkSttlmAmt has no Ccy attribute (currency) (transaction ${u(3)})`],
      [43, `IntrBkSttlmAmt: unknown currency "XYZ" (expected an ISO 4217 code) (transaction ${u(4)})`],
      [53, `missing DbtrAcct (debtor account) (transaction ${u(5)})`],
      [74, `CdtrAcct has no IBAN or Othr/Id (transaction ${u(6)})`],
      [79, `IntrBkSttlmDt: "2024-02-30" is not an ISO 8601 date or date-time (transaction ${u(7)})`],
      [90, `IntrBkSttlmAmt: amount 10.005 has more decimals than EUR allows (2) (transaction ${u(8)})`],
      [100, `duplicate transaction id "${u(1)}": already used by the transaction at line 5 (same content) (transaction ${u(1)})`],
      [125, 'missing IntrBkSttlmAmt (interbank settlement amount) (transaction E2E-10)'],
    ],
  );
  for (const j of r.rejects) {
    assert.equal(j.file, fixture('bad-fields-pacs.008.001.09.xml'));
    assert.match(j.record, /^<CdtTrfTxInf><PmtId><EndToEndId>E2E-\d+<\/EndToEndId>/);
  }
});

test('every record read from the fixtures is valid against the canonical schemas, and ids are unique within each file', async () => {
  const files = [
    'cbpr-plus-pacs.008.001.08-bah.xml',
    'sepa-sct-pacs.008.001.02.xml',
    'fedwire-pacs.008.001.08-prefixed.xml',
    'pix-spi-pacs.008-two-transfers.xml',
    'pacs.008.001.05-fallback-ids.xml',
    'bad-fields-pacs.008.001.09.xml',
  ];
  for (const f of files) {
    const r = await readAll(pacs008Reader, fixture(f));
    for (const t of r.transactions) Transaction.parse(t);
    for (const a of r.accounts) Account.parse(a);
    for (const p of r.parties) Party.parse(p);
    for (const l of r.links) PartyAccountLink.parse(l);
    for (const j of r.rejects) Reject.parse(j);
    const ids = r.transactions.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, `${f}: duplicate transaction ids`);
    assert.equal(new Set(r.accounts.map((a) => a.id)).size, r.accounts.length, `${f}: an account emitted twice`);
    assert.ok(r.transactions.length > 0, `${f}: no transactions`);
  }
});

function passwdMarkers(): Promise<string[]> {
  return readFile('/etc/passwd', 'utf8').then(
    (text) => ['root:x:0:0', ...text.split('\n').filter((l) => l.includes(':')).slice(0, 3)],
    () => ['root:x:0:0', 'root:*:0:0'],
  );
}

async function refusal(path: string): Promise<{ error: unknown; seen: string }> {
  const seen: string[] = [];
  try {
    for await (const b of pacs008Reader.read({ path, file: path, source: basename(path), batchId: 'b' })) {
      seen.push(JSON.stringify({ ...b, transactions: [...b.transactions.rows()] }));
    }
  } catch (error) {
    return { error, seen: seen.join('\n') + String(error) };
  }
  return { error: undefined, seen: seen.join('\n') };
}

test('a DOCTYPE with an entity bomb ("billion laughs") is refused with its line before any entity is expanded', async () => {
  const { error, seen } = await refusal(fixture('pacs008-billion-laughs.xml'));
  assert.ok(error instanceof XmlRefused, `expected XmlRefused, got ${String(error)}`);
  assert.equal(error.line, 13); // the line where the DOCTYPE declaration ends
  assert.match(error.message, /DOCTYPE declarations are refused/);
  assert.ok(!seen.includes('lollol'), 'an entity was expanded');
});

test('an external entity (XXE) to /etc/passwd is refused and nothing from /etc/passwd appears anywhere', async () => {
  const { error, seen } = await refusal(fixture('pacs008-xxe.xml'));
  assert.ok(error instanceof XmlRefused);
  assert.equal(error.line, 4);
  assert.match(error.message, /DOCTYPE/);
  for (const marker of await passwdMarkers()) assert.ok(!seen.includes(marker), `output contains ${marker}`);

  // Through the pipeline the refusal becomes a file-level reject naming the line.
  const out: IngestBatch[] = [];
  for await (const b of readFiles([{ path: fixture('pacs008-xxe.xml') }], { batchId: 'b' })) out.push(b);
  const rejects = out.flatMap((b) => b.rejects);
  assert.equal(out.flatMap((b) => [...b.transactions.rows()]).length, 0);
  assert.deepEqual(
    rejects.map((j) => [j.line, j.reason]),
    [[4, 'file refused: DOCTYPE declarations are refused (no DTD, no external or internal entities)']],
  );
  const all = JSON.stringify(out.map((b) => ({ ...b, transactions: [...b.transactions.rows()] })));
  for (const marker of await passwdMarkers()) assert.ok(!all.includes(marker), `pipeline output contains ${marker}`);
});

test('malformed XML is refused with the line where it breaks; invalid UTF-8 is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-pacs008-'));
  try {
    const good = (await readFile(fixture('pacs.008.001.05-fallback-ids.xml'), 'utf8')).split('\n');
    const malformed = join(dir, 'malformed.xml');
    // lines 1-11: header and GrpHdr; line 12 opens a transaction that line 13 never closes
    await writeFile(malformed, [...good.slice(0, 11), '    <CdtTrfTxInf><PmtId>', '  </FIToFICstmrCdtTrf>', '</Document>', ''].join('\n'));
    const m = await refusal(malformed);
    assert.ok(m.error instanceof XmlRefused);
    assert.match(m.error.message, /^malformed XML: /);
    assert.equal(m.error.line, 13);

    const badUtf8 = join(dir, 'latin1.xml');
    const text = good.join('\n').replace('<Nm>Kenji Sato</Nm>', '<Nm>Kenji S\u0000to</Nm>');
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0)] = 0xe3; // a lone Latin-1 byte: invalid UTF-8
    await writeFile(badUtf8, bytes);
    const u = await refusal(badUtf8);
    assert.ok(u.error instanceof XmlRefused);
    assert.match(u.error.message, /invalid UTF-8/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a document without FIToFICstmrCdtTrf read as iso20022 gives one file-level reject and no transactions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-pacs008-'));
  try {
    const path = join(dir, 'pain.001.xml');
    await writeFile(
      path,
      '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn><GrpHdr><MsgId>P1</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>\n',
    );
    const r = await readAll(pacs008Reader, path);
    assert.equal(r.transactions.length, 0);
    assert.deepEqual(
      r.rejects.map((j) => [j.line, j.reason]),
      [[1, 'no FIToFICstmrCdtTrf element: not an ISO 20022 pacs.008 message']],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a large message streams: batches are yielded before the whole file is read, and a consumer may stop early', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-pacs008-'));
  try {
    const count = 4000;
    const parts = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>',
      '<GrpHdr><MsgId>BULK</MsgId><CreDtTm>2024-01-02T03:04:05Z</CreDtTm><NbOfTxs>4000</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr>',
    ];
    for (let i = 1; i <= count; i++) {
      parts.push(
        `<CdtTrfTxInf><PmtId><EndToEndId>NOTPROVIDED</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="EUR">${i}.01</IntrBkSttlmAmt>` +
          `<ChrgBr>SLEV</ChrgBr><Dbtr><Nm>Debtor ${i % 50}</Nm></Dbtr><DbtrAcct><Id><IBAN>DE00BULK${String(i % 50).padStart(10, '0')}</IBAN></Id></DbtrAcct>` +
          `<DbtrAgt><FinInstnId><BICFI>COBADEFF</BICFI></FinInstnId></DbtrAgt><CdtrAgt><FinInstnId><BICFI>BNPAFRPP</BICFI></FinInstnId></CdtrAgt>` +
          `<Cdtr><Nm>Creditor ${i % 7}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>C${i % 7}</Id></Othr></Id></CdtrAcct></CdtTrfTxInf>`,
      );
    }
    parts.push('</FIToFICstmrCdtTrf></Document>', '');
    const path = join(dir, 'bulk.xml');
    await writeFile(path, parts.join('\n'));
    const size = (await stat(path)).size;

    let bytes = 0;
    let bytesAtFirstBatch = -1;
    let rows = 0;
    let batches = 0;
    const ids = new Set<string>();
    for await (const b of pacs008Reader.read({ path, file: path, source: 'bulk.xml', batchId: 'b', batchRows: 256, onBytes: (n) => (bytes = n) })) {
      if (bytesAtFirstBatch < 0) bytesAtFirstBatch = bytes;
      batches++;
      rows += b.transactions.length;
      for (const id of b.transactions.id.slice(0, b.transactions.length)) ids.add(id);
      assert.ok(b.transactions.length <= 256);
    }
    assert.equal(rows, count);
    assert.equal(ids.size, count);
    assert.ok(ids.has('BULK#1') && ids.has('BULK#4000'));
    assert.ok(batches >= Math.ceil(count / 256));
    assert.ok(bytesAtFirstBatch > 0 && bytesAtFirstBatch < size, `first batch after ${bytesAtFirstBatch} of ${size} bytes`);

    let taken = 0;
    for await (const b of pacs008Reader.read({ path, file: path, source: 'bulk.xml', batchId: 'b', batchRows: 256 })) {
      taken += b.transactions.length;
      break;
    }
    assert.equal(taken, 256);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('detection: auto-detection picks the pacs.008 reader for every pacs.008 fixture; the reader claims no other layout', async () => {
  for (const f of [
    'cbpr-plus-pacs.008.001.08-bah.xml',
    'sepa-sct-pacs.008.001.02.xml',
    'fedwire-pacs.008.001.08-prefixed.xml',
    'pix-spi-pacs.008-two-transfers.xml',
    'pacs.008.001.05-fallback-ids.xml',
    'bad-fields-pacs.008.001.09.xml',
    'pacs008-billion-laughs.xml',
    'pacs008-xxe.xml',
  ]) {
    assert.equal((await detectReader(fixture(f))).format, 'iso20022', f);
    assert.equal(goamlReader.detect(await readFile(fixture(f), 'utf8'), f), false, `goAML reader claims ${f}`);
  }
  for (const f of ['sample-report-5.0.1.xml', 'sample-STR-5.0.2-uae.xml', 'sample-SAR-5.0.2-uae.xml', 'ctr-5.0.1-accounts.xml']) {
    assert.equal(pacs008Reader.detect(await readFile(goamlFixture(f), 'utf8'), f), false, `pacs.008 reader claims ${f}`);
  }
  const others: [string, string][] = [
    ['ibm.csv', 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format\n'],
    ['pain.001.xml', '<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>'],
    ['pacs.002.xml', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10"><FIToFIPmtStsRpt><OrgnlGrpInfAndSts><OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>'],
    ['pacs.008.001.08.xsd', '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><xs:element name="Document"/>'],
    ['notes.txt', 'FIToFICstmrCdtTrf is the pacs.008 root: <FIToFICstmrCdtTrf>'],
  ];
  for (const [name, head] of others) assert.equal(pacs008Reader.detect(head, name), false, name);
  // A bare Document in the pacs.008 namespace is claimed even before FIToFICstmrCdtTrf appears in the head.
  assert.equal(pacs008Reader.detect('<?xml version="1.0"?>\n<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.13">', 'x.xml'), true);
});
