/**
 * Specification of the goAML reader: given each report, exactly these transactions, accounts, parties, links,
 * reports and rejects; hostile documents are refused; detection claims goAML reports and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, txSpec, type ReadResult } from '../helpers/ingest.js';
import { goamlReader } from '../../src/ingest/formats/goaml.js';
import { pacs008Reader } from '../../src/ingest/formats/pacs008.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { IngestBatch } from '../../src/ingest/reader.js';
import { detectReader } from '../../src/ingest/registry.js';
import { XmlRefused } from '../../src/ingest/xml.js';
import { Account, Party, PartyAccountLink, Reject, Report, Transaction } from '../../src/model/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/goaml/${name}`, import.meta.url));
const isoFixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/iso20022/${name}`, import.meta.url));

const readAll = (path: string): Promise<ReadResult> => collect(goamlReader.read({ path, file: path, source: basename(path), batchId: 'batch-1' }));

const tx = txSpec;

function account(a: Account) {
  return { id: a.id, kind: a.kind, institution: a.institution, country: a.country, currency: a.currency, name: a.name };
}

function party(p: Party) {
  return { id: p.id, kind: p.kind, name: p.name, country: p.country, birthDate: p.birthDate, identifiers: p.identifiers, line: p.provenance.line };
}

const link = (l: PartyAccountLink): string => `${l.partyId} -${l.role}-> ${l.accountId}`;

function report(r: Report) {
  const { provenance, ...rest } = r;
  return { ...rest, line: provenance.line };
}

test('UAE STR sample (5.0.2): a wire funded in cash to a person without account; the report links transaction and parties', async () => {
  const r = await readAll(fixture('sample-STR-5.0.2-uae.xml'));
  assert.deepEqual(r.rejects, []);
  const johnSmith = 'person:name:john smith@101/STR-2026-0042'; // named only: scoped to the report, never merged by name
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'TXN-987654', // transactionnumber (internal_ref_number ignored)
      time: '2026-05-24T14:30:00.000Z',
      from: 'cash', // from_funds_code CASH and no from_account
      to: johnSmith, // pseudo-account of the person
      amount: '12000000 AED',
      original: undefined,
      channel: 'wire', // transmode_code ELCFT
      countries: 'AE->GB',
      line: 46,
    },
  ]);
  assert.deepEqual(r.accounts.map(account), [
    { id: johnSmith, kind: 'unknown', institution: undefined, country: 'GB', currency: undefined, name: 'John Smith' },
    { id: 'cash', kind: 'cash', institution: undefined, country: undefined, currency: undefined, name: 'cash' },
  ]);
  assert.deepEqual(r.parties.map(party), [
    {
      id: 'person:nid:784198512345671', // id_number
      kind: 'person',
      name: 'Layla Hassan',
      country: 'AE',
      birthDate: '1989-07-02',
      identifiers: [
        { type: 'id_number', value: '784198512345671' },
        { type: 'EID', value: '784198512345671', country: 'AE' },
      ],
      line: 57,
    },
    { id: johnSmith, kind: 'person', name: 'John Smith', country: 'GB', birthDate: undefined, identifiers: [], line: 88 },
  ]);
  // the person paying in cash is not linked to the shared cash account
  assert.deepEqual(r.links.map(link), [`${johnSmith} -holder-> ${johnSmith}`]);
  assert.deepEqual(r.reports.map(report), [
    {
      id: '101/STR-2026-0042',
      format: 'goaml',
      reportCode: 'STR',
      reportingEntity: '101',
      entityReference: 'STR-2026-0042',
      submittedMs: Date.UTC(2026, 4, 26, 10, 0, 0),
      currency: 'AED',
      reason: 'Customer conducted multiple cash deposits below threshold within 48 hours',
      action: 'Account flagged; subsequent activity under enhanced monitoring',
      indicators: ['STRUC'],
      transactionIds: ['TXN-987654'],
      partyIds: ['person:nid:784198512345671', johnSmith],
      accountIds: [johnSmith],
      line: 2,
    },
  ]);
});

test('UAE SAR sample (5.0.2): an activity report yields its party and the report, no transaction', async () => {
  const r = await readAll(fixture('sample-SAR-5.0.2-uae.xml'));
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(r.transactions, []);
  assert.deepEqual(r.accounts, []);
  assert.deepEqual(
    r.parties.map((p) => [p.id, p.kind, p.name, p.birthDate, p.provenance.line]),
    [['person:nid:784199012345672', 'person', 'Aisha Mahmoud', '1985-03-12', 49]],
  );
  assert.deepEqual(r.reports.map(report), [
    {
      id: '101/SAR-2026-014',
      format: 'goaml',
      reportCode: 'SAR',
      reportingEntity: '101',
      entityReference: 'SAR-2026-014',
      submittedMs: Date.UTC(2026, 4, 26, 10, 0, 0),
      currency: 'AED',
      reason: 'Pattern of behavioural red flags identified',
      action: 'Account placed under enhanced monitoring; STR follow-up considered',
      indicators: ['STRUC'],
      transactionIds: [],
      partyIds: ['person:nid:784199012345672'],
      accountIds: [],
      line: 2,
    },
  ]);
});

test('CTR (5.0.1): accounts with signatories and holders, a foreign currency block, pseudo-accounts, id fallbacks and repeated numbers', async () => {
  const r = await readAll(fixture('ctr-5.0.1-accounts.xml'));
  const maria = 'person:name:maria gomez@2041/CTR-2024-000187';
  const conorte = 'entity:reg:MX:CNO150301AB1';
  assert.deepEqual(r.transactions.map(tx), [
    {
      id: 'MX-TX-1001',
      time: '2024-06-03T10:15:00.000Z',
      from: 'cash',
      to: 'BEJMMXMM/012180001234567890', // swift BEJMMXMMXXX shortened
      amount: '18500000 MXN',
      original: undefined,
      channel: 'cash',
      countries: 'MX->MX',
      line: 28,
    },
    {
      id: 'MX-TX-1002',
      time: '2024-06-04T22:02:30.000Z', // 16:02:30-06:00
      from: 'BEJMMXMM/012180001234567890',
      to: 'BOFAUS3N/483920011',
      amount: '1000000 USD', // to_foreign_currency
      original: '17000000 MXN', // amount_local
      channel: 'wire',
      countries: 'MX->US',
      line: 78,
    },
    {
      id: 'INT-77', // empty transactionnumber: internal_ref_number
      time: '2024-06-05T00:00:00.000Z',
      from: conorte, // entity without account: its party id as pseudo-account
      to: maria,
      amount: '9900050 MXN',
      original: undefined,
      channel: 'remittance', // MVTS
      countries: 'MX->GT',
      line: 135,
    },
    {
      id: 'CTR-2024-000187#4', // neither number: <entity_reference>#<position>
      time: '2024-06-06T11:00:00.000Z',
      from: '40012/0011223344', // institution_code before swift
      to: 'GB33BUKB20201555555555', // no institution: the bare IBAN
      amount: '123456 MXN',
      original: undefined,
      channel: 'other', // AJ: an opaque code of the generic schema
      countries: 'MX->GB',
      line: 165,
    },
  ]);
  assert.deepEqual(r.accounts.map(account), [
    { id: 'BEJMMXMM/012180001234567890', kind: 'bank', institution: 'Banco Ejemplo SA', country: 'MX', currency: 'MXN', name: 'Juan Perez Lopez' },
    { id: 'cash', kind: 'cash', institution: undefined, country: undefined, currency: undefined, name: 'cash' },
    { id: 'BOFAUS3N/483920011', kind: 'bank', institution: 'Bank of America', country: 'US', currency: undefined, name: undefined },
    { id: conorte, kind: 'unknown', institution: undefined, country: 'MX', currency: undefined, name: 'Comercializadora del Norte SA de CV' },
    { id: maria, kind: 'unknown', institution: undefined, country: undefined, currency: undefined, name: 'María Gómez' },
    { id: '40012/0011223344', kind: 'bank', institution: 'Banco Ejemplo SA', country: undefined, currency: 'MXN', name: 'Cuenta concentradora' },
    { id: 'GB33BUKB20201555555555', kind: 'bank', institution: 'Unknown UK bank', country: 'GB', currency: undefined, name: undefined },
  ]);
  assert.deepEqual(r.parties.map(party), [
    {
      // from_person, signatory ("PELJ-800214-HDFRPN09") and related person: one party by its ssn
      id: 'person:nid:PELJ800214HDFRPN09',
      kind: 'person',
      name: 'Juan Pérez López',
      country: 'MX',
      birthDate: '1980-02-14',
      identifiers: [{ type: 'ssn', value: 'PELJ800214HDFRPN09' }],
      line: 37,
    },
    {
      id: 'entity:reg:US:L19000456789',
      kind: 'company',
      name: 'Desert Palm Trading LLC',
      country: 'US',
      birthDate: undefined,
      identifiers: [{ type: 'incorporation_number', value: 'L19000456789', country: 'US' }],
      line: 124,
    },
    {
      id: conorte,
      kind: 'company',
      name: 'Comercializadora del Norte SA de CV',
      country: 'MX',
      birthDate: undefined,
      identifiers: [{ type: 'incorporation_number', value: 'CNO150301AB1', country: 'MX' }],
      line: 145,
    },
    { id: maria, kind: 'person', name: 'María Gómez', country: undefined, birthDate: undefined, identifiers: [], line: 158 },
  ]);
  assert.deepEqual(r.links.map(link), [
    'person:nid:PELJ800214HDFRPN09 -signatory:A-> BEJMMXMM/012180001234567890',
    'entity:reg:US:L19000456789 -holder-> BOFAUS3N/483920011',
    `${conorte} -holder-> ${conorte}`,
    `${maria} -holder-> ${maria}`,
    'person:nid:PELJ800214HDFRPN09 -signatory:OM-> 40012/0011223344',
  ]);
  // MX-TX-1001 reported again with the same content (line 211) only links; with another amount it is rejected.
  assert.deepEqual(
    r.rejects.map((j) => [j.line, j.reason]),
    [[244, 'duplicate transaction id "MX-TX-1001": already used by the transaction at line 28 (different content) (transaction MX-TX-1001, report 2041/CTR-2024-000187)']],
  );
  assert.deepEqual(r.reports.map(report), [
    {
      id: '2041/CTR-2024-000187',
      format: 'goaml',
      reportCode: 'CTR',
      reportingEntity: '2041',
      entityReference: 'CTR-2024-000187',
      submittedMs: Date.UTC(2024, 5, 10, 9, 30, 0),
      currency: 'MXN',
      reason: 'Cash deposits above the reporting threshold followed by an outgoing wire',
      indicators: ['CTR01'], // "-" (unknown) dropped
      transactionIds: ['MX-TX-1001', 'MX-TX-1002', 'INT-77', 'CTR-2024-000187#4'],
      partyIds: ['person:nid:PELJ800214HDFRPN09', 'entity:reg:US:L19000456789', conorte, maria],
      accountIds: ['BEJMMXMM/012180001234567890', 'BOFAUS3N/483920011', conorte, maria, '40012/0011223344', 'GB33BUKB20201555555555'],
      line: 5,
    },
  ]);
});

test('party ids are deterministic: the same person, entity and account in another report link up', async () => {
  const ctr = await readAll(fixture('ctr-5.0.1-accounts.xml'));
  const sar = await readAll(fixture('sar-5.0.1-activity.xml'));
  assert.deepEqual(sar.transactions, []);
  assert.deepEqual(
    sar.parties.map((p) => [p.id, p.name]),
    [
      ['person:nid:PELJ800214HDFRPN09', 'JUAN PEREZ LOPEZ'],
      ['entity:reg:MX:CNO150301AB1', 'Comercializadora del Norte S.A. de C.V.'],
      ['person:name:ana torres|1991-09-30', 'Ana Torres'], // no identifier: folded name and birth date
    ],
  );
  const ctrParties = new Set(ctr.parties.map((p) => p.id));
  const ctrAccounts = new Set(ctr.accounts.map((a) => a.id));
  assert.ok(ctrParties.has('person:nid:PELJ800214HDFRPN09') && ctrParties.has('entity:reg:MX:CNO150301AB1'));
  assert.deepEqual(
    sar.accounts.map((a) => a.id),
    ['BEJMMXMM/012180001234567890'],
  );
  assert.ok(ctrAccounts.has('BEJMMXMM/012180001234567890'));
  assert.deepEqual(sar.links.map(link), ['person:name:ana torres|1991-09-30 -signatory:M-> BEJMMXMM/012180001234567890']);
  assert.deepEqual(
    sar.rejects.map((j) => [j.line, j.reason]),
    [[56, 'report_party/person has neither a name nor an identifier (report 2041/SAR-2024-000031)']],
  );
  assert.deepEqual(
    sar.reports.map((x) => [x.id, x.reportCode, x.indicators, x.partyIds, x.accountIds, x.submittedMs]),
    [
      [
        '2041/SAR-2024-000031',
        'SAR',
        ['SAR02', 'SAR07'],
        ['person:nid:PELJ800214HDFRPN09', 'entity:reg:MX:CNO150301AB1', 'person:name:ana torres|1991-09-30'],
        ['BEJMMXMM/012180001234567890'],
        Date.UTC(2024, 6, 1, 12, 0, 0),
      ],
    ],
  );
});

test('bad fields are rejected with the line of the offending element and the reason; the rest of the report loads', async () => {
  const r = await readAll(fixture('bad-fields-5.0.1.xml'));
  assert.deepEqual(
    r.transactions.map((t) => [t.id, t.fromAccount, t.toAccount, t.amountMinor, t.currency, t.channel]),
    [['OK-1', 'cash', 'BEJMMXMM/777', 10000, 'MXN', 'cash']],
  );
  const at = ' (transaction %, report 2041/STR-BAD-1)';
  const sfx = (id: string): string => at.replace('%', id);
  assert.deepEqual(
    r.rejects.map((j) => [j.line, j.reason]),
    [
      [25, `date_transaction: "2024-13-01T09:00:00" is not an ISO 8601 date or date-time${sfx('BAD-DATE')}`],
      [37, `amount_local: "1.234,50" is not a decimal amount${sfx('BAD-AMOUNT')}`],
      [47, `amount_local: negative amount "-50.00"${sfx('NEGATIVE')}`],
      [51, `transaction has no t_from_my_client or t_from${sfx('NO-FROM')}`],
      [68, `to_account has no account number or iban${sfx('NO-ACCOUNT-NUMBER')}`],
      [78, `to_person has neither a name nor an identifier${sfx('EMPTY-PERSON')}`],
      [88, `to_foreign_currency: foreign_currency_code "XXX" is not an ISO 4217 currency${sfx('BAD-FOREIGN')}`],
      [90, `multi-party transaction (involved_parties) is not supported: only bi-party transactions (t_from/t_to) are loaded${sfx('MULTI-PARTY')}`],
      [99, `date_transaction is missing${sfx('NO-DATE')}`],
    ],
  );
  for (const j of r.rejects) assert.match(j.record, /^<transaction><transactionnumber>[A-Z-]+<\/transactionnumber>/);
  // nothing of the rejected transactions is emitted or linked
  assert.deepEqual(
    r.parties.map((p) => p.id),
    ['person:nid:DIAR900101'],
  );
  assert.deepEqual(r.reports[0]?.transactionIds, ['OK-1']);
});

test('the generated UNODC 5.0.1 sample (placeholder values) loads no transaction: each one is rejected, the report is kept', async () => {
  const r = await readAll(fixture('sample-report-5.0.1.xml'));
  assert.equal(r.transactions.length, 0);
  assert.equal(r.rejects.length, 27); // every <transaction> of the sample
  const currencyRejects = r.rejects.filter((j) => j.reason.startsWith(`the report's currency_code_local "UAK" (line 9) is not an ISO 4217 currency`));
  const undated = r.rejects.filter((j) => j.reason.startsWith('date_transaction is missing'));
  assert.equal(currencyRejects.length, 20);
  assert.equal(undated.length, 7);
  assert.deepEqual(
    currencyRejects.slice(0, 3).map((j) => j.line),
    [17, 72, 127],
  );
  assert.deepEqual(r.reports.map((x) => [x.id, x.reportCode, x.reportingEntity, x.currency, x.submittedMs, x.indicators, x.transactionIds]), [
    ['sample-report-5.0.1.xml#report1', 'IRF', '1', undefined, Date.UTC(1697, 1, 1), [], []],
  ]);
});

test('several reports in one file: report ids stay unique and a transaction reported twice is loaded once and linked to both', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-goaml-'));
  try {
    const transaction = `<transaction><transactionnumber>T-1</transactionnumber><date_transaction>2024-01-02T03:04:05Z</date_transaction>
      <transmode_code>SWIFT</transmode_code><amount_local>10.00</amount_local>
      <t_from><from_funds_code>B</from_funds_code><from_account><swift>AAAAUS33XXX</swift><account>1</account></from_account><from_country>US</from_country></t_from>
      <t_to><to_funds_code>B</to_funds_code><to_account><swift>BBBBGB2L</swift><account>2</account></to_account><to_country>GB</to_country></t_to></transaction>`;
    const header = (code: string) =>
      `<rentity_id>7</rentity_id><rentity_branch>HQ</rentity_branch><submission_code>E</submission_code><report_code>${code}</report_code>` +
      `<entity_reference>REF-1</entity_reference><submission_date>2024-01-03T00:00:00</submission_date><currency_code_local>USD</currency_code_local>`;
    const path = join(dir, 'batch.xml');
    await writeFile(path, `<?xml version="1.0"?>\n<reports>\n<report>${header('STR')}${transaction}</report>\n<report>${header('CTR')}${transaction}</report>\n</reports>\n`);
    assert.equal(goamlReader.detect(await readFile(path, 'utf8'), 'batch.xml'), true);
    const r = await readAll(path);
    assert.deepEqual(r.rejects, []);
    assert.deepEqual(
      r.transactions.map((t) => [t.id, t.fromAccount, t.toAccount, t.amountMinor, t.channel]),
      [['T-1', 'AAAAUS33/1', 'BBBBGB2L/2', 1000, 'wire']],
    );
    assert.deepEqual(
      r.reports.map((x) => [x.id, x.reportCode, x.transactionIds, x.accountIds]),
      [
        ['7/REF-1', 'STR', ['T-1'], ['AAAAUS33/1', 'BBBBGB2L/2']],
        ['7/REF-1#2', 'CTR', ['T-1'], ['AAAAUS33/1', 'BBBBGB2L/2']],
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every record read from the fixtures is valid against the canonical schemas, and transaction ids are unique per file', async () => {
  for (const f of [
    'sample-STR-5.0.2-uae.xml',
    'sample-SAR-5.0.2-uae.xml',
    'sample-report-5.0.1.xml',
    'ctr-5.0.1-accounts.xml',
    'sar-5.0.1-activity.xml',
    'bad-fields-5.0.1.xml',
  ]) {
    const r = await readAll(fixture(f));
    for (const t of r.transactions) Transaction.parse(t);
    for (const a of r.accounts) Account.parse(a);
    for (const p of r.parties) Party.parse(p);
    for (const l of r.links) PartyAccountLink.parse(l);
    for (const x of r.reports) Report.parse(x);
    for (const j of r.rejects) Reject.parse(j);
    const ids = r.transactions.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, `${f}: duplicate transaction ids`);
    assert.equal(new Set(r.accounts.map((a) => a.id)).size, r.accounts.length, `${f}: an account emitted twice`);
    assert.equal(new Set(r.parties.map((p) => p.id)).size, r.parties.length, `${f}: a party emitted twice`);
    assert.equal(r.reports.length, 1, `${f}: one report`);
  }
});

async function passwdMarkers(): Promise<string[]> {
  try {
    const text = await readFile('/etc/passwd', 'utf8');
    return ['root:x:0:0', ...text.split('\n').filter((l) => l.includes(':')).slice(0, 3)];
  } catch {
    return ['root:x:0:0', 'root:*:0:0'];
  }
}

async function refusal(path: string): Promise<{ error: unknown; seen: string }> {
  const seen: string[] = [];
  try {
    for await (const b of goamlReader.read({ path, file: path, source: basename(path), batchId: 'b' })) {
      seen.push(JSON.stringify({ ...b, transactions: [...b.transactions.rows()] }));
    }
  } catch (error) {
    return { error, seen: seen.join('\n') + String(error) };
  }
  return { error: undefined, seen: seen.join('\n') };
}

test('a goAML report with an entity bomb ("billion laughs") is refused with its line, nothing expanded', async () => {
  const { error, seen } = await refusal(fixture('goaml-billion-laughs.xml'));
  assert.ok(error instanceof XmlRefused, `expected XmlRefused, got ${String(error)}`);
  assert.equal(error.line, 13);
  assert.match(error.message, /DOCTYPE declarations are refused/);
  assert.ok(!seen.includes('lollol'));
});

test('a goAML report with an external entity to /etc/passwd is refused and nothing from /etc/passwd appears anywhere', async () => {
  const { error, seen } = await refusal(fixture('goaml-xxe.xml'));
  assert.ok(error instanceof XmlRefused);
  assert.equal(error.line, 4);
  assert.match(error.message, /DOCTYPE/);
  const markers = await passwdMarkers();
  for (const marker of markers) assert.ok(!seen.includes(marker), `output contains ${marker}`);

  const out: IngestBatch[] = [];
  for await (const b of readFiles([{ path: fixture('goaml-xxe.xml') }], { batchId: 'b' })) out.push(b);
  assert.deepEqual(
    out.flatMap((b) => b.rejects).map((j) => [j.line, j.reason]),
    [[4, 'file refused: DOCTYPE declarations are refused (no DTD, no external or internal entities)']],
  );
  assert.deepEqual(out.flatMap((b) => [...b.transactions.rows(), ...b.reports, ...b.parties]), []);
  const all = JSON.stringify(out.map((b) => ({ ...b, transactions: [...b.transactions.rows()] })));
  for (const marker of markers) assert.ok(!all.includes(marker), `pipeline output contains ${marker}`);
});

test('malformed goAML XML is refused with the line where it breaks', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-goaml-'));
  try {
    const path = join(dir, 'broken.xml');
    await writeFile(path, '<?xml version="1.0"?>\n<report>\n<rentity_id>1</rentity_id>\n<report_code>STR</report_code>\n<reason>a < b</reason>\n</report>\n');
    const { error } = await refusal(path);
    assert.ok(error instanceof XmlRefused);
    assert.match(error.message, /^malformed XML: /);
    assert.equal(error.line, 5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('detection: auto-detection picks the goAML reader for every goAML fixture; the reader claims no other layout', async () => {
  for (const f of [
    'sample-report-5.0.1.xml',
    'sample-STR-5.0.2-uae.xml',
    'sample-SAR-5.0.2-uae.xml',
    'ctr-5.0.1-accounts.xml',
    'sar-5.0.1-activity.xml',
    'bad-fields-5.0.1.xml',
    'goaml-billion-laughs.xml',
    'goaml-xxe.xml',
  ]) {
    assert.equal((await detectReader(fixture(f))).format, 'goaml', f);
    assert.equal(pacs008Reader.detect(await readFile(fixture(f), 'utf8'), f), false, `pacs.008 reader claims ${f}`);
  }
  for (const f of ['cbpr-plus-pacs.008.001.08-bah.xml', 'sepa-sct-pacs.008.001.02.xml', 'fedwire-pacs.008.001.08-prefixed.xml', 'pix-spi-pacs.008-two-transfers.xml']) {
    assert.equal(goamlReader.detect(await readFile(isoFixture(f), 'utf8'), f), false, `goAML reader claims ${f}`);
  }
  const others: [string, string][] = [
    [
      'goAMLSchema-5.0.1.xsd',
      '<?xml version="1.0" encoding="utf-8"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="report">\n' +
        '  <xs:element name="report"><xs:complexType><xs:sequence><xs:element name="rentity_id"/><report_code/>',
    ],
    ['ibm.csv', 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format\n'],
    ['fincen.xml', '<?xml version="1.0"?>\n<fc2:EFilingBatchXML xmlns:fc2="www.fincen.gov/base"><fc2:Activity><fc2:report>'],
    ['other-report.xml', '<?xml version="1.0"?>\n<report><title>Quarterly</title><author>x</author></report>'],
  ];
  for (const [name, head] of others) assert.equal(goamlReader.detect(head, name), false, name);
});
