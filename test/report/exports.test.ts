/**
 * Report exports against their schemas (the XSDs shipped in schemas/, copies of the UNODC goAML 5.0.1 and
 * FinCEN SAR XML 1.2 schemas; see schemas/SOURCES.md): a case with alerts and transactions in several
 * currencies exports valid goAML and FinCEN documents; broken code lists and missing data fail with the
 * element and the rule; the validator itself accepts a published sample and rejects its broken twin.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { buildFincenSar, buildGoamlReport, defaultReportingSettings, parseLintOutput, validateReport, type CaseBundle } from '../../src/report/index.js';
import type { QueueAlert, TenantTransaction } from '../../src/store/index.js';

const T0 = Date.UTC(2024, 0, 10, 9);

function tx(id: string, from: string, to: string, minor: number, currency = 'USD'): TenantTransaction {
  return { tenantId: 'bank', id, timeMs: T0 + Number(id.slice(1)) * 60_000, fromAccount: from, toAccount: to, amountMinor: minor, currency, channel: 'wire', fromCountry: 'MX', toCountry: 'US', tlp: 'AMBER', receivedMs: T0, batchId: 'req-1' };
}

function bundle(overrides: Partial<CaseBundle> = {}): CaseBundle {
  const transactions = [tx('T1', 'BANAMEX/001', 'CHASE/HUB', 950_000), tx('T2', 'BBVA/002', 'CHASE/HUB', 18_500_000, 'MXN'), tx('T3', 'cash', 'CHASE/HUB', 990_000)];
  const alert: QueueAlert = {
    tenantId: 'bank', id: 'al-1', typology: 'fan-in', score: 0.91, factors: [], accounts: ['CHASE/HUB', 'BANAMEX/001', 'BBVA/002'], transactions: ['T1', 'T2', 'T3'],
    fromMs: T0, toMs: T0 + 180_000, amountMinor: 2_880_000, currency: 'USD', explanation: '3 accounts sent 28,800.00 USD to CHASE/HUB within 3 minutes', status: 'sar', tlp: 'AMBER', createdMs: T0, updatedMs: T0,
  };
  return {
    case: { tenantId: 'bank', id: 'case-1', title: 'Hub <Sigilo> & "friends"', summary: 'Mule ring feeding one account', status: 'open', tlp: 'AMBER', createdBy: 'u-1', createdMs: T0, updatedMs: T0 },
    items: [{ caseId: 'case-1', kind: 'alert', ref: 'al-1', addedBy: 'u-1', addedMs: T0 }],
    decisions: [{ tenantId: 'bank', id: 'd-1', caseId: 'case-1', kind: 'file-sar', reason: 'ring confirmed by statements', decidedBy: 'u-2', decidedMs: T0 + 3_600_000 }],
    alerts: [alert],
    transactions,
    entities: [{ tenantId: 'bank', kind: 'party', id: 'person:nid:1', name: 'Layla Hassan', data: '{"kind":"person","name":"Layla Hassan"}', tlp: 'AMBER', source: 'goaml:r', createdBy: 'u', createdMs: T0, updatedMs: T0 }],
    settings: defaultReportingSettings('Banco Uno'),
    nowMs: T0 + 86_400_000,
    ...overrides,
  };
}

test('a case exports as a goAML STR that validates against the goAML 5.0.1 schema, markup escaped, foreign currency blocks', async () => {
  const xml = buildGoamlReport(bundle(), 'STR');
  assert.deepEqual(await validateReport('goaml', xml), []);
  assert.match(xml, /Hub &lt;Sigilo&gt; &amp; &quot;friends&quot;/);
  assert.match(xml, /<from_foreign_currency>\s*<foreign_currency_code>MXN<\/foreign_currency_code>/);
  assert.match(xml, /<institution_code>BANAMEX<\/institution_code>\s*<account>001<\/account>/);
  assert.match(xml, /<date_transaction>2024-01-10T09:01:00<\/date_transaction>/);
});

test('a case exports as a FinCEN SAR XML batch that validates against the FinCEN schema', async () => {
  const xml = buildFincenSar(bundle());
  assert.deepEqual(await validateReport('fincen-sar', xml), []);
  assert.match(xml, /<fc2:ActivityPartyTypeCode>33<\/fc2:ActivityPartyTypeCode>/);
  assert.match(xml, /<fc2:RawPartyFullName>Layla Hassan<\/fc2:RawPartyFullName>/);
  assert.match(xml, /<fc2:SuspiciousActivityTypeID>8<\/fc2:SuspiciousActivityTypeID>/);
  const noSubjects = buildFincenSar(bundle({ entities: [] }));
  assert.deepEqual(await validateReport('fincen-sar', noSubjects), []);
  assert.match(noSubjects, /AllCriticalSubjectInformationUnavailableIndicator>Y</);
});

test('failures name the element and the rule: an FIU code outside the schema list, a case without transactions', async () => {
  const settings = defaultReportingSettings('Banco Uno');
  settings.goaml!.transmodeCodes.wire = 'WIRE';
  settings.goaml!.defaultIndicators = ['NOT-AN-INDICATOR'];
  const issues = await validateReport('goaml', buildGoamlReport(bundle({ settings }), 'STR'));
  assert.ok(issues.some((i) => i.element === 'transmode_code' && i.rule === 'enumeration' && i.line > 0), JSON.stringify(issues));
  assert.ok(issues.some((i) => i.element === 'indicator' && i.rule === 'enumeration'));
  const empty = await validateReport('goaml', buildGoamlReport(bundle({ transactions: [] }), 'STR'));
  assert.ok(empty.some((i) => i.element === 'report_indicators' && (i.rule === 'unexpected' || i.rule === 'missing')), JSON.stringify(empty));
  const longTin = defaultReportingSettings('x');
  longTin.fincen!.contactPhone = '12345678901234567';
  const fin = await validateReport('fincen-sar', buildFincenSar(bundle({ settings: longTin })));
  assert.ok(fin.some((i) => i.element === 'PhoneNumberText' && i.rule === 'maxLength'), JSON.stringify(fin));
});

test('the published UNODC sample is reported by element and rule: its placeholder dates break the minInclusive facet', async () => {
  const sample = await readFile(fileURLToPath(new URL('../../../test/fixtures/goaml/sample-report-5.0.1.xml', import.meta.url)), 'utf8');
  const issues = await validateReport('goaml', sample);
  assert.ok(issues.some((i) => i.element === 'date_transaction' && i.rule === 'minInclusive'), JSON.stringify(issues.slice(0, 5)));
  assert.ok(issues.every((i) => i.line > 0 && i.element !== '' && i.rule !== ''));
});

test('libxml2 messages become issues with line, element and rule', () => {
  const raw = [
    "schema.xsd:29: namespace warning : xmlns: URI www.fincen.gov/base is not absolute",
    "report.xml:12: element transmode_code: Schemas validity error : Element 'transmode_code': [facet 'enumeration'] The value 'X' is not an element of the set {'-', 'A'}.",
    "report.xml:40: element Account: Schemas validity error : Element '{www.fincen.gov/base}Account': Missing child element(s). Expected is ( {www.fincen.gov/base}PartyAccountAssociation ).",
    'report.xml fails to validate',
  ].join('\n');
  assert.deepEqual(
    parseLintOutput(raw, 'report.xml').map((i) => [i.line, i.element, i.rule]),
    [
      [12, 'transmode_code', 'enumeration'],
      [40, 'Account', 'missing'],
    ],
  );
});
