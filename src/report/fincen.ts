/**
 * A case as a FinCEN SAR XML batch (BSA E-Filing, schema 1.2): one activity with the six parties the form
 * requires (transmitter, transmitter contact, filing institution, contact office, the institution where the
 * activity occurred, the subjects), the suspicious activity's span, amount and categories (per typology
 * from the agency's code list), and the narrative. Amounts are whole US dollars at the engine's rates.
 */
import { defaultRules } from '../detect/index.js';
import { minorToMajor } from '../model/index.js';
import { splitAccount, yyyymmdd, type CaseBundle } from './bundle.js';
import type { FincenSettings } from './config.js';
import { cut, el, leaf, render, type XmlChild, type XmlElement } from './xml.js';

const NS = 'fc2';
const RATES_TO_USD = defaultRules().fx.rates;
/** ActivityNarrativeText holds 4,000 characters; five of them at most. */
const NARRATIVE_CHARS = 4000;
const MAX_NARRATIVES = 5;

function usd(minor: number, currency: string): number {
  const rate = RATES_TO_USD[currency];
  return rate === undefined ? 0 : minorToMajor(minor, currency) * rate;
}

export function buildFincenSar(b: CaseBundle): string {
  const f = b.settings.fincen;
  if (!f) throw new Error('no FinCEN settings');
  let seq = 0;
  let parties = 0;
  const n = (name: string) => `${NS}:${name}`;
  const L = (name: string, value: string | number | undefined) => leaf(n(name), value);
  const E = (name: string, children: XmlChild[], seqNum = true) => el(n(name), children, seqNum ? { SeqNum: ++seq } : undefined);
  const party = (code: string, children: XmlChild[]): XmlElement => {
    parties++;
    return E('Party', [L('ActivityPartyTypeCode', code), ...children]);
  };
  const name = (full: string) => E('PartyName', [L('PartyNameTypeCode', 'L'), L('RawPartyFullName', cut(full, 150))]);
  const address = (p: Pick<FincenSettings['filer'], 'city' | 'country' | 'state' | 'street' | 'zip'>) =>
    E('Address', [L('RawCityText', cut(p.city, 50)), L('RawCountryCodeText', p.country), L('RawStateCodeText', p.state), L('RawStreetAddress1Text', cut(p.street, 100)), L('RawZIPCode', p.zip)]);
  const tin = (number: string, type: string) => E('PartyIdentification', [L('PartyIdentificationNumberText', number), L('PartyIdentificationTypeCode', type)]);

  const transactions = b.transactions;
  const fromMs = Math.min(...transactions.map((t) => t.timeMs), ...b.alerts.map((a) => a.fromMs), b.case.createdMs);
  const toMs = Math.max(...transactions.map((t) => t.timeMs), ...b.alerts.map((a) => a.toMs), fromMs);
  const total = Math.round(transactions.reduce((s, t) => s + usd(t.amountMinor, t.currency), 0));
  const categories = new Map<string, { type: string; subtype: string }>();
  for (const a of b.alerts) {
    const c = f.activityCodes[a.typology] ?? f.defaultActivity;
    categories.set(`${c.type}/${c.subtype}`, c);
  }
  if (categories.size === 0) categories.set('default', f.defaultActivity);

  // Subjects: the case's parties, else one subject whose particulars are unknown; accounts from the alerts and items.
  const accountIds = [...new Set([...b.alerts.flatMap((a) => a.accounts), ...b.items.filter((i) => i.kind === 'account').map((i) => i.ref)])].slice(0, 99);
  const accountsBlock = (): XmlElement | undefined =>
    accountIds.length === 0
      ? undefined
      : E('PartyAccountAssociation', [
          L('PartyAccountAssociationTypeCode', '7'),
          party('41', accountIds.map((id) => E('Account', [L('AccountNumberText', cut(splitAccount(id).account, 40)), E('PartyAccountAssociation', [L('PartyAccountAssociationTypeCode', '5')])]))),
        ]);
  const people = b.entities.filter((e) => e.kind === 'party');
  const subjects: XmlElement[] =
    people.length > 0
      ? people.slice(0, 999).map((p, i) => {
          const data = JSON.parse(p.data) as { kind?: string; name?: string };
          return party('33', [
            data.kind === 'company' ? L('PartyAsEntityOrganizationIndicator', 'Y') : undefined,
            name(p.name ?? data.name ?? p.id),
            i === 0 ? accountsBlock() : undefined,
          ]);
        })
      : [party('33', [L('AllCriticalSubjectInformationUnavailableIndicator', 'Y'), accountsBlock()])];

  const narrative = [
    `${b.case.title}.`,
    b.case.summary,
    ...b.alerts.map((a) => `Alert ${a.id} (${a.typology}, score ${a.score}): ${a.explanation}`),
    ...b.decisions.map((d) => `Decision ${d.kind} on ${yyyymmdd(d.decidedMs)}: ${d.reason}`),
    transactions.length > 0 ? `${transactions.length} transaction(s) between ${yyyymmdd(fromMs)} and ${yyyymmdd(toMs)}, about ${total} USD in all.` : '',
  ]
    .filter((s) => s.trim() !== '')
    .join('\n');
  const pieces: string[] = [];
  for (let i = 0; i < narrative.length && pieces.length < MAX_NARRATIVES; i += NARRATIVE_CHARS) pieces.push(narrative.slice(i, i + NARRATIVE_CHARS));

  const activity = E('Activity', [
    L('FilingDateText', yyyymmdd(b.nowMs)),
    E('ActivityAssociation', [L('InitialReportIndicator', 'Y')]),
    party('35', [name(f.transmitter.name), address(f.transmitter), E('PhoneNumber', [L('PhoneNumberText', f.contactPhone)]), tin(f.transmitter.tin, '4'), tin(f.transmitter.tcc, '28')]),
    party('37', [name(f.transmitterContact)]),
    party('30', [
      L('PrimaryRegulatorTypeCode', f.filer.primaryRegulator),
      name(f.filer.name),
      address(f.filer),
      tin(f.filer.tin, f.filer.tinType),
      E('OrganizationClassificationTypeSubtype', [L('OrganizationTypeID', f.filer.organizationType)]),
    ]),
    party('8', [name(f.contactOffice), E('PhoneNumber', [L('PhoneNumberText', f.contactPhone)])]),
    party('34', [
      L('PrimaryRegulatorTypeCode', f.filer.primaryRegulator),
      name(f.filer.name),
      address(f.filer),
      tin(f.filer.tin, f.filer.tinType),
      E('OrganizationClassificationTypeSubtype', [L('OrganizationTypeID', f.filer.organizationType)]),
    ]),
    ...subjects,
    E('SuspiciousActivity', [
      total > 0 ? undefined : L('AmountUnknownIndicator', 'Y'),
      L('SuspiciousActivityFromDateText', yyyymmdd(fromMs)),
      L('SuspiciousActivityToDateText', yyyymmdd(toMs)),
      total > 0 ? L('TotalSuspiciousAmountText', String(total).slice(0, 15)) : undefined,
      ...[...categories.values()].slice(0, 99).map((c) => E('SuspiciousActivityClassification', [L('SuspiciousActivitySubtypeID', c.subtype), L('SuspiciousActivityTypeID', c.type)])),
    ]),
    ...pieces.map((text, i) => E('ActivityNarrativeInformation', [L('ActivityNarrativeSequenceNumber', i + 1), L('ActivityNarrativeText', text)])),
  ]);
  const root = el(n('EFilingBatchXML'), [L('FormTypeCode', 'SARX'), activity], {
    'xmlns:fc2': 'www.fincen.gov/base',
    TotalAmount: total,
    PartyCount: parties,
    ActivityCount: 1,
    ActivityAttachmentCount: 0,
    AttachmentCount: 0,
  });
  return render(root);
}
