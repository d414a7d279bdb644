/**
 * A case as a goAML XML report (UNODC schema 5.0.x): the agency as reporting entity, the case's reason and
 * decisions, each transaction as a bi-party transaction between accounts, and the indicators of the alerts'
 * typologies from the FIU's code list. Amounts in another currency than the local one carry the foreign
 * currency block, converted at the engine's configured rates.
 */
import { defaultRules } from '../detect/index.js';
import { minorExponent, minorToMajor } from '../model/index.js';
import type { TenantTransaction } from '../store/index.js';
import { sqlDate, splitAccount, type CaseBundle } from './bundle.js';
import type { GoamlSettings } from './config.js';
import { cut, el, leaf, render, type XmlElement } from './xml.js';

const RATES_TO_USD = defaultRules().fx.rates;

function decimal(value: number, digits: number): string {
  return value.toFixed(Math.min(digits, 13));
}

/** Amount of a transaction in the local currency, as a decimal string; undefined when no rate is known. */
function localAmount(t: TenantTransaction, local: string): string | undefined {
  const major = minorToMajor(t.amountMinor, t.currency);
  if (t.currency === local) return decimal(major, minorExponent(local));
  const from = RATES_TO_USD[t.currency];
  const to = RATES_TO_USD[local];
  if (from === undefined || to === undefined) return undefined;
  return decimal((major * from) / to, minorExponent(local));
}

function account(side: 'from' | 'to', id: string, g: GoamlSettings): XmlElement {
  const { institution, account: number } = splitAccount(id);
  return el(`${side}_account`, [
    leaf('institution_name', cut(institution ?? g.defaultInstitution, 255)),
    leaf('institution_code', cut(institution ?? g.defaultInstitution, 50)),
    leaf('account', cut(number, 255)),
  ]);
}

function party(side: 'from' | 'to', t: TenantTransaction, g: GoamlSettings, local: string): XmlElement {
  const country = side === 'from' ? t.fromCountry : t.toCountry;
  const foreign =
    t.currency !== local
      ? el(`${side}_foreign_currency`, [
          leaf('foreign_currency_code', t.currency),
          leaf('foreign_amount', decimal(minorToMajor(t.amountMinor, t.currency), minorExponent(t.currency))),
          leaf('foreign_exchange_rate', RATES_TO_USD[t.currency] !== undefined && RATES_TO_USD[local] !== undefined ? decimal(RATES_TO_USD[t.currency]! / RATES_TO_USD[local]!, 6) : undefined),
        ])
      : undefined;
  return el(`t_${side}`, [
    leaf(`${side}_funds_code`, g.fundsCode),
    foreign,
    account(side, side === 'from' ? t.fromAccount : t.toAccount, g),
    leaf(`${side}_country`, country ?? '-'),
  ]);
}

export function buildGoamlReport(b: CaseBundle, reportCode: string): string {
  const g = b.settings.goaml;
  if (!g) throw new Error('no goAML settings');
  const local = g.currencyCodeLocal;
  const typologies = [...new Set(b.alerts.map((a) => a.typology))];
  const indicators = [...new Set(typologies.flatMap((t) => g.indicators[t] ?? []))];
  const reason = [
    b.case.title,
    b.case.summary,
    ...b.alerts.map((a) => `Alert ${a.id} (${a.typology}, score ${a.score}): ${a.explanation}`),
  ]
    .filter((s) => s.trim() !== '')
    .join('\n');
  const action = b.decisions.map((d) => `${sqlDate(d.decidedMs)} ${d.kind}: ${d.reason}`).join('\n');
  const transactions = [...b.transactions].sort((x, y) => x.timeMs - y.timeMs || (x.id < y.id ? -1 : 1));
  const report = el('report', [
    leaf('rentity_id', g.rentityId),
    leaf('rentity_branch', cut(g.rentityBranch, 255)),
    leaf('submission_code', g.submissionCode),
    leaf('report_code', reportCode),
    leaf('entity_reference', cut(b.case.id, 255)),
    leaf('submission_date', sqlDate(b.nowMs)),
    leaf('currency_code_local', local),
    el('reporting_person', [
      leaf('first_name', cut(g.reportingPerson.firstName, 100)),
      leaf('last_name', cut(g.reportingPerson.lastName, 100)),
      leaf('occupation', g.reportingPerson.occupation),
    ]),
    el('location', [
      leaf('address_type', g.location.addressType),
      leaf('address', cut(g.location.address, 100)),
      leaf('city', cut(g.location.city, 255)),
      leaf('country_code', g.location.countryCode),
      leaf('state', g.location.state),
    ]),
    leaf('reason', cut(reason, 8000)),
    leaf('action', action === '' ? undefined : cut(action, 8000)),
    ...transactions.map((t) =>
      el('transaction', [
        leaf('transactionnumber', cut(t.id, 100)),
        leaf('internal_ref_number', cut(t.batchId, 100)),
        leaf('transaction_location', cut(g.location.city, 255)),
        leaf('transaction_description', cut(`${t.channel} transfer from ${t.fromAccount} to ${t.toAccount}`, 8000)),
        leaf('date_transaction', sqlDate(t.timeMs)),
        leaf('transmode_code', g.transmodeCodes[t.channel] ?? g.defaultTransmodeCode),
        leaf('amount_local', localAmount(t, local) ?? '0'),
        party('from', t, g, local),
        party('to', t, g, local),
      ]),
    ),
    el('report_indicators', (indicators.length > 0 ? indicators : g.defaultIndicators).map((i) => leaf('indicator', i))),
  ]);
  return render(report);
}
