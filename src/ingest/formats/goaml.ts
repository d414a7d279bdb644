/**
 * goAML XML reports (UNODC schema 4.x/5.x and its national variants): one <report> per file as the schema
 * defines, or several <report> elements under any wrapper.
 *
 * Each <report> becomes a Report record (linked to its transactions, parties and accounts). Each bi-party
 * <transaction> becomes a transaction:
 *  - id: transactionnumber, else internal_ref_number, else `<entity_reference>#<n>` (n = position in the report);
 *    the same id read again with the same content only links the report to it, with other content it is rejected;
 *  - time: date_transaction; amount: amount_local in currency_code_local, or the foreign currency block
 *    (to_foreign_currency, else from_foreign_currency) with the local amount kept as the original;
 *  - accounts: from_account/to_account as `<institution_code or swift>/<account or iban>`; a side without an
 *    account uses the person's or entity's party id as a pseudo-account, or `cash` when its funds code is cash;
 *  - channel: transmode_code through TRANSMODE_CHANNELS below.
 * Persons and entities become parties with deterministic ids (see personParty/entityParty), linked to accounts
 * as `holder` (account entity, pseudo-accounts) or `signatory[:<role code>]`. Activity reports
 * (report_parties) yield their parties and accounts, without transactions. Multi-party transactions
 * (involved_parties) are rejected.
 *
 * Streamed: only one transaction, report party or small header element is held in memory at a time.
 */
import { channelIndex, type Account, type Channel, type Party, type Report } from '../../model/index.js';
import { parseIso } from '../../model/time.js';
import { BatchBuilder, type FormatReader, type ReadContext } from '../reader.js';
import { child, childrenNamed, rootElement, type XmlNode, type XmlStreamHandlers } from '../xml.js';
import {
  PartySink,
  SeenIds,
  bicCountry,
  ibanCountry,
  clean,
  compact,
  country,
  currency,
  decimalMinor,
  field,
  isoDay,
  nodeXml,
  normBic,
  normIban,
  normId,
  normName,
  streamXmlBatches,
  strongestKey,
  type IdentityCandidate,
  type Checked,
} from './pacs008.js';

/**
 * transmode_code → channel. goAML leaves the code list to each FIU; these are the descriptive codes of the
 * published national schemas (e.g. the UAE 5.0.2 conduction_type list) and the plain names some FIUs use.
 * The generic UNODC schema only enumerates opaque letters (A, AB, ...), whose meaning differs per country:
 * those, and any code not listed, map to `other`.
 */
export const TRANSMODE_CHANNELS: Readonly<Record<string, Channel>> = {
  // UAE goAML 5.0.2 conduction_type
  ATM: 'cash', // ATM
  ATMWT: 'cash', // ATM cash withdrawal
  CDM: 'cash', // ATM cash deposit
  CBMNT: 'cash', // cross-border movement (of currency)
  OCT: 'other', // over the counter / teller (cash or cheque)
  BO: 'other', // in branch / office
  CCD: 'card', // credit card
  DBCD: 'card', // debit card
  PPCD: 'card', // prepaid card
  LCRD: 'other', // loyalty card
  CRNEX: 'other', // currency exchange
  DAWLT: 'crypto', // digital assets wallet
  DRPCB: 'cheque', // drop cheque box
  DSB: 'wire', // drop SWIFT box
  DTB: 'wire', // drop TT (telegraphic transfer) box
  ELCFT: 'wire', // electronic funds transfer
  SWIFT: 'wire', // wire transfer
  ONBNK: 'wire', // online banking transfer
  INTRN: 'internal', // internal transfer
  MB: 'mobile', // mobile banking
  // plain names used by other FIUs and by report generators
  CASH: 'cash',
  WIRE: 'wire',
  EFT: 'wire',
  TT: 'wire',
  ACH: 'ach',
  CHEQUE: 'cheque',
  CHECK: 'cheque',
  CHQ: 'cheque',
  CARD: 'card',
  CRYPTO: 'crypto',
  VA: 'crypto',
  REMITTANCE: 'remittance',
  MVTS: 'remittance',
  HAWALA: 'remittance',
  MOBILE: 'mobile',
  INTERNAL: 'internal',
  OTHER: 'other',
};

/** from_funds_code / to_funds_code values that mean cash (UAE: CASH). */
export const CASH_FUNDS_CODES: ReadonlySet<string> = new Set(['CASH', 'CSH']);

const CHANNEL_INDEX = new Map(Object.entries(TRANSMODE_CHANNELS).map(([k, v]) => [k, channelIndex(v)]));
const OTHER = channelIndex('other');
/** The pseudo-account of cash paid in or out (funds code cash, no account). */
export const CASH = 'cash';

interface ReportState {
  line: number;
  index: number;
  header: Map<string, XmlNode>;
  id: string | undefined;
  transactions: number;
  indicators: string[];
  transactionIds: Set<string>;
  partyIds: Set<string>;
  accountIds: Set<string>;
}

/** Parties and accounts found on one side of a transaction, emitted only when the transaction is accepted. */
interface Found {
  parties: Party[];
  accounts: Account[];
  links: { partyId: string; accountId: string; role: string; line: number }[];
}

interface SideResult extends Found {
  accountId: string;
  country: string | undefined;
}


class GoamlParser {
  private report: ReportState | undefined;
  private reports = 0;
  private readonly reportIds = new Set<string>();
  private readonly ids = new SeenIds();
  private readonly sink: PartySink;

  constructor(
    private readonly out: BatchBuilder,
    private readonly ctx: ReadContext,
  ) {
    this.sink = new PartySink(out);
  }

  readonly handlers: XmlStreamHandlers = {
    isRecord: (path) => {
      const n = path.length;
      if (n >= 2 && path[n - 2] === 'report') return path[n - 1] !== 'activity';
      return n >= 4 && path[n - 1] === 'report_party' && path[n - 2] === 'report_parties' && path[n - 3] === 'activity' && path[n - 4] === 'report';
    },
    open: (name, _attrs, _path, line) => {
      if (name !== 'report') return;
      this.finishReport();
      this.reports++;
      this.report = {
        line,
        index: this.reports,
        header: new Map(),
        id: undefined,
        transactions: 0,
        indicators: [],
        transactionIds: new Set(),
        partyIds: new Set(),
        accountIds: new Set(),
      };
    },
    record: (node) => {
      const report = this.report;
      if (!report) return;
      switch (node.name) {
        case 'transaction':
          return this.transaction(report, node);
        case 'report_party':
          return this.reportParty(report, node);
        case 'report_indicators':
          for (const i of childrenNamed(node, 'indicator')) {
            const code = clean(i.text);
            if (code) report.indicators.push(code);
          }
          return;
        default:
          if (!report.header.has(node.name)) report.header.set(node.name, node);
      }
    },
    recordError: (line, reason) => this.out.reject(line, reason, ''),
  };

  end(): void {
    this.finishReport();
    if (this.reports === 0) this.out.reject(1, 'no <report> element: not a goAML report', '');
  }

  private provenance(line: number, element?: string) {
    return compact({ file: this.ctx.file, line, element, batch: this.ctx.batchId });
  }

  private head(report: ReportState, name: string): string | undefined {
    return clean(report.header.get(name)?.text);
  }

  /** `<rentity_id>/<entity_reference>`, made unique within the file. */
  private reportId(report: ReportState): string {
    if (report.id) return report.id;
    const entity = this.head(report, 'rentity_id');
    const reference = this.head(report, 'entity_reference');
    let id = reference ? (entity ? `${entity}/${reference}` : reference) : `${this.ctx.source}#report${report.index}`;
    if (this.reportIds.has(id)) id = `${id}#${report.index}`;
    this.reportIds.add(id);
    report.id = id;
    return id;
  }

  private finishReport(): void {
    const report = this.report;
    if (!report) return;
    this.report = undefined;
    const id = this.reportId(report);
    let submittedMs: number | undefined;
    const submitted = report.header.get('submission_date') ?? report.header.get('report_date');
    if (submitted && clean(submitted.text)) {
      const ms = parseIso(submitted.text);
      if (Number.isNaN(ms)) {
        this.out.reject(submitted.line, `${submitted.name}: ${JSON.stringify(submitted.text)} is not an ISO 8601 date (report ${id})`, nodeXml(submitted));
      } else submittedMs = ms;
    }
    const record: Report = compact({
      id,
      format: 'goaml',
      reportCode: this.head(report, 'report_code') ?? '-',
      reportingEntity: this.head(report, 'rentity_id'),
      entityReference: this.head(report, 'entity_reference'),
      submittedMs,
      currency: currency(this.head(report, 'currency_code_local')),
      reason: this.head(report, 'reason'),
      action: this.head(report, 'action'),
      indicators: report.indicators,
      transactionIds: [...report.transactionIds],
      partyIds: [...report.partyIds],
      accountIds: [...report.accountIds],
      provenance: this.provenance(report.line, 'report'),
    });
    this.out.batch.reports.push(record);
  }

  // ─────────────────────────────── transactions ───────────────────────────────

  private transaction(report: ReportState, tx: XmlNode): void {
    const n = ++report.transactions;
    const reportId = this.reportId(report);
    const id = field(tx, 'transactionnumber') ?? field(tx, 'internal_ref_number') ?? `${this.head(report, 'entity_reference') ?? reportId}#${n}`;
    const fail = (line: number, reason: string): void => this.out.reject(line, `${reason} (transaction ${id}, report ${reportId})`, nodeXml(tx));

    const dateNode = child(tx, 'date_transaction');
    if (!dateNode || dateNode.text === '') return fail(dateNode?.line ?? tx.line, 'date_transaction is missing');
    const timeMs = parseIso(dateNode.text);
    if (Number.isNaN(timeMs)) return fail(dateNode.line, `date_transaction: ${JSON.stringify(dateNode.text)} is not an ISO 8601 date or date-time`);

    const localNode = report.header.get('currency_code_local');
    const local = currency(localNode?.text);
    if (!local) {
      return fail(
        tx.line,
        localNode && clean(localNode.text)
          ? `the report's currency_code_local ${JSON.stringify(localNode.text)} (line ${localNode.line}) is not an ISO 4217 currency`
          : 'the report has no currency_code_local',
      );
    }
    const amountNode = child(tx, 'amount_local');
    if (!amountNode || amountNode.text === '') return fail(amountNode?.line ?? tx.line, 'amount_local is missing');
    const localAmount = decimalMinor(amountNode.text, local);
    if ('error' in localAmount) return fail(amountNode.line, `amount_local: ${localAmount.error}`);

    if (child(tx, 'involved_parties')) {
      return fail(tx.line, 'multi-party transaction (involved_parties) is not supported: only bi-party transactions (t_from/t_to) are loaded');
    }
    const fromNode = child(tx, 't_from_my_client') ?? child(tx, 't_from');
    if (!fromNode) return fail(tx.line, 'transaction has no t_from_my_client or t_from');
    const toNode = child(tx, 't_to_my_client') ?? child(tx, 't_to');
    if (!toNode) return fail(tx.line, 'transaction has no t_to_my_client or t_to');

    const foreign = this.foreign(child(toNode, 'to_foreign_currency') ?? child(fromNode, 'from_foreign_currency'));
    if ('reason' in foreign) return fail(foreign.line, foreign.reason);
    const from = this.side(report, fromNode, 'from');
    if ('reason' in from) return fail(from.line, from.reason);
    const to = this.side(report, toNode, 'to');
    if ('reason' in to) return fail(to.line, to.reason);

    const converted = foreign.ok && foreign.ok.code !== local ? foreign.ok : undefined;
    const amount = converted ? converted.minor : localAmount.minor;
    const code = converted ? converted.code : local;
    const fingerprint = `${timeMs}|${from.ok.accountId}|${to.ok.accountId}|${amount}|${code}`;
    const previous = this.ids.get(id);
    if (previous && previous.fingerprint !== fingerprint) {
      return fail(tx.line, `duplicate transaction id ${JSON.stringify(id)}: already used by the transaction at line ${previous.line} (different content)`);
    }
    if (!previous) {
      this.ids.add(id, tx.line, fingerprint);
      const mode = clean(child(tx, 'transmode_code')?.text)?.toUpperCase();
      this.out.tx.push(
        id,
        timeMs,
        from.ok.accountId,
        to.ok.accountId,
        amount,
        code,
        (mode === undefined ? undefined : CHANNEL_INDEX.get(mode)) ?? OTHER,
        tx.line,
        converted ? localAmount.minor : NaN,
        converted ? local : undefined,
        from.ok.country,
        to.ok.country,
      );
    }
    // A repeated id with the same content (the same transaction reported twice) only links this report to it.
    report.transactionIds.add(id);
    this.emit(report, from.ok);
    this.emit(report, to.ok);
    if (from.ok.accountId === CASH || to.ok.accountId === CASH) {
      this.sink.account({ id: CASH, kind: 'cash', name: 'cash', provenance: this.provenance(tx.line, 'transaction') });
    }
  }

  private foreign(node: XmlNode | undefined): Checked<{ minor: number; code: string } | undefined> {
    if (!node) return { ok: undefined };
    const codeNode = child(node, 'foreign_currency_code');
    const code = currency(codeNode?.text);
    if (!code) {
      const raw = codeNode?.text ?? '';
      return { line: codeNode?.line ?? node.line, reason: `${node.name}: foreign_currency_code ${JSON.stringify(raw)} is not an ISO 4217 currency` };
    }
    const amountNode = child(node, 'foreign_amount');
    if (!amountNode || amountNode.text === '') return { line: node.line, reason: `${node.name}: foreign_amount is missing` };
    const parsed = decimalMinor(amountNode.text, code);
    if ('error' in parsed) return { line: amountNode.line, reason: `${node.name}/foreign_amount: ${parsed.error}` };
    return { ok: { minor: parsed.minor, code } };
  }

  private side(report: ReportState, node: XmlNode, p: 'from' | 'to'): Checked<SideResult> {
    const sideCountry = country(child(node, `${p}_country`)?.text);
    const found: Found = { parties: [], accounts: [], links: [] };
    const conductor = child(node, 't_conductor');
    if (conductor) {
      const c = this.personParty(report, conductor, undefined);
      if (c) found.parties.push(c);
    }
    const accountNode = child(node, `${p}_account`);
    if (accountNode) {
      const accountId = this.account(report, accountNode, found);
      if (!accountId) return { line: accountNode.line, reason: `${p}_account has no account number or iban` };
      return { ok: { ...found, accountId, country: sideCountry } };
    }
    const cash = CASH_FUNDS_CODES.has(clean(child(node, `${p}_funds_code`)?.text)?.toUpperCase() ?? '');
    const personNode = child(node, `${p}_person`);
    const entityNode = child(node, `${p}_entity`);
    const subject = personNode ? this.personParty(report, personNode, undefined) : entityNode ? this.entityParty(report, entityNode, undefined) : undefined;
    if (!subject) {
      if (personNode || entityNode) {
        const what = personNode ? `${p}_person` : `${p}_entity`;
        return { line: (personNode ?? entityNode)!.line, reason: `${what} has neither a name nor an identifier` };
      }
      return { line: node.line, reason: `${node.name} has no ${p}_account, ${p}_person or ${p}_entity` };
    }
    found.parties.push(subject);
    if (cash) return { ok: { ...found, accountId: CASH, country: sideCountry } };
    found.accounts.push(
      compact({
        id: subject.id,
        kind: 'unknown' as const,
        country: subject.country,
        name: subject.name || undefined,
        provenance: this.provenance((personNode ?? entityNode)!.line, `${p}_${personNode ? 'person' : 'entity'}`),
      }),
    );
    found.links.push({ partyId: subject.id, accountId: subject.id, role: 'holder', line: subject.provenance.line });
    return { ok: { ...found, accountId: subject.id, country: sideCountry } };
  }

  /** An account (t_account / t_account_my_client) and its holders; returns its id, or undefined without a number. */
  private account(report: ReportState, node: XmlNode, found: Found): string | undefined {
    const swift = normBic(child(node, 'swift')?.text);
    const iban = normIban(child(node, 'iban')?.text);
    const institution = field(node, 'institution_code') ?? swift;
    const number = field(node, 'account') ?? iban;
    if (!number) return undefined;
    const id = institution ? `${institution}/${number}` : number;
    const nonBank = clean(child(node, 'non_bank_institution')?.text)?.toLowerCase();
    found.accounts.push(
      compact({
        id,
        kind: nonBank === 'true' || nonBank === '1' ? ('unknown' as const) : ('bank' as const),
        institution: field(node, 'institution_name') ?? institution,
        country: country(child(node, 'institution_country')?.text) ?? ibanCountry(iban) ?? bicCountry(swift),
        currency: currency(child(node, 'currency_code')?.text),
        name: field(node, 'account_name'),
        provenance: this.provenance(node.line, node.name),
      }),
    );
    const holder = child(node, 't_entity');
    if (holder) this.holder(found, this.entityParty(report, holder, id), id, 'holder');
    for (const s of childrenNamed(node, 'signatory')) {
      const person = child(s, 't_person');
      if (person) this.holder(found, this.personParty(report, person, id), id, role('signatory', child(s, 'role')?.text));
    }
    for (const r of childrenNamed(child(node, 'related_persons'), 'account_related_person')) {
      const person = child(r, 't_person');
      if (person) this.holder(found, this.personParty(report, person, id), id, role('signatory', child(r, 'role')?.text));
    }
    for (const r of childrenNamed(child(node, 'related_entities'), 'account_related_entity')) {
      const entity = child(r, 'entity');
      if (entity) this.holder(found, this.entityParty(report, entity, id), id, role('related-entity', child(r, 'account_entity_relation')?.text));
    }
    return id;
  }

  private holder(found: Found, party: Party | undefined, accountId: string, linkRole: string): void {
    if (!party) return;
    found.parties.push(party);
    found.links.push({ partyId: party.id, accountId, role: linkRole, line: party.provenance.line });
  }

  private emit(report: ReportState, found: Found): void {
    for (const a of found.accounts) {
      this.sink.account(a);
      report.accountIds.add(a.id);
    }
    for (const p of found.parties) {
      this.sink.party(p);
      report.partyIds.add(p.id);
    }
    for (const l of found.links) {
      this.sink.link({ partyId: l.partyId, accountId: l.accountId, role: l.role, provenance: this.provenance(l.line) });
    }
  }

  private reportParty(report: ReportState, node: XmlNode): void {
    this.reportId(report);
    const found: Found = { parties: [], accounts: [], links: [] };
    for (const c of node.children) {
      if (c.name === 'person' || c.name === 'person_my_client') {
        const p = this.personParty(report, c, undefined);
        if (p) found.parties.push(p);
        else this.out.reject(c.line, `report_party/${c.name} has neither a name nor an identifier (report ${this.reportId(report)})`, nodeXml(node));
      } else if (c.name === 'entity' || c.name === 'entity_my_client') {
        const p = this.entityParty(report, c, undefined);
        if (p) found.parties.push(p);
        else this.out.reject(c.line, `report_party/${c.name} has neither a name nor an identifier (report ${this.reportId(report)})`, nodeXml(node));
      } else if (c.name === 'account' || c.name === 'account_my_client') {
        if (!this.account(report, c, found)) {
          this.out.reject(c.line, `report_party/${c.name} has no account number or iban (report ${this.reportId(report)})`, nodeXml(node));
        }
      }
    }
    this.emit(report, found);
  }

  // ─────────────────────────────── parties ───────────────────────────────

  /**
   * A person (t_person, t_person_my_client, t_conductor). Id, first that applies:
   * `person:nid:<ssn or id_number>`, `person:passport:<number>`, `person:tax:<tax_number>`,
   * `person:doc:<type>:<identification number>`, `person:name:<folded name>|<birthdate>`, and without any of
   * these `person:name:<folded name>@<account id>` (or `@<report id>` outside an account), so that a bare
   * common name never merges strangers across reports.
   */
  private personParty(report: ReportState, node: XmlNode, accountId: string | undefined): Party | undefined {
    const name = [field(node, 'first_name'), field(node, 'middle_name'), field(node, 'last_name')].filter(Boolean).join(' ');
    const birthDate = isoDay(child(node, 'birthdate')?.text);
    const identifiers: Party['identifiers'] = [];
    const candidates: IdentityCandidate[] = [];
    const add = (scheme: string, type: string, value: string | undefined, issuer?: string): void => {
      if (!value) return;
      identifiers.push(compact({ type, value, country: issuer }));
      candidates.push({ scheme, value });
    };
    add('nid', 'ssn', field(node, 'ssn'));
    add('nid', 'id_number', field(node, 'id_number'));
    add('passport', 'passport', field(node, 'passport_number'), country(child(node, 'passport_country')?.text));
    add('tax', 'tax_number', field(node, 'tax_number'));
    const docs = [...childrenNamed(node, 'identification'), ...childrenNamed(child(node, 'identifications'), 'identification')];
    for (const d of docs) {
      const type = field(d, 'type') ?? 'other';
      add(`doc:${normId(type)}`, type, field(d, 'number'), country(child(d, 'issue_country')?.text));
    }
    let key = strongestKey(candidates);
    if (!key && name) key = birthDate ? `name:${normName(name)}|${birthDate}` : `name:${normName(name)}@${accountId ?? this.reportId(report)}`;
    if (!key) return undefined;
    return compact({
      id: `person:${key}`,
      kind: 'person' as const,
      name,
      country: country(child(node, 'residence')?.text) ?? country(child(node, 'nationality1')?.text),
      birthDate,
      identifiers,
      provenance: this.provenance(node.line, node.name),
    });
  }

  /**
   * An entity (t_entity, t_entity_my_client). Id, first that applies: `entity:reg:<country>:<incorporation_number>`,
   * `entity:tax:<tax_number>`, `entity:doc:<type>:<number>`, `entity:name:<folded name>|<country>`, and without a
   * country `entity:name:<folded name>@<account or report id>`.
   */
  private entityParty(report: ReportState, node: XmlNode, accountId: string | undefined): Party | undefined {
    const name = field(node, 'name') ?? field(node, 'commercial_name') ?? '';
    const incCountry = country(child(node, 'incorporation_country_code')?.text);
    const identifiers: Party['identifiers'] = [];
    const candidates: IdentityCandidate[] = [];
    const reg = field(node, 'incorporation_number');
    if (reg) {
      identifiers.push(compact({ type: 'incorporation_number', value: reg, country: incCountry }));
      candidates.push({ scheme: `reg:${incCountry ?? ''}`, value: reg });
    }
    const tax = field(node, 'tax_number');
    if (tax) {
      identifiers.push({ type: 'tax_number', value: tax });
      candidates.push({ scheme: 'tax', value: tax });
    }
    for (const d of childrenNamed(child(node, 'entity_identifications'), 'entity_identifier')) {
      const type = field(d, 'type') ?? 'other';
      const value = field(d, 'number');
      if (!value) continue;
      identifiers.push(compact({ type, value, country: country(child(d, 'issue_country')?.text) }));
      candidates.push({ scheme: `doc:${normId(type)}`, value });
    }
    let key = strongestKey(candidates);
    if (!key && name) key = incCountry ? `name:${normName(name)}|${incCountry}` : `name:${normName(name)}@${accountId ?? this.reportId(report)}`;
    if (!key) return undefined;
    return compact({
      id: `entity:${key}`,
      kind: 'company' as const,
      name,
      country: incCountry,
      identifiers,
      provenance: this.provenance(node.line, node.name),
    });
  }
}

function role(base: string, code: string | undefined): string {
  const c = clean(code);
  return c ? `${base}:${c}` : base;
}

const REPORT_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?report[\s>]/;
const REPORT_FIELD = /<(?:[A-Za-z_][\w.-]*:)?(?:rentity_id|report_code|submission_code)[\s>]/;

export const goamlReader: FormatReader = {
  format: 'goaml',
  layouts: ['goAML XML report (UNODC schema 4.x/5.x: <report> with <transaction> or <activity>)'],
  detect(head) {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    if (!text.startsWith('<')) return false;
    const root = rootElement(text);
    if (root === undefined || root === 'schema') return false;
    return REPORT_ELEMENT.test(text) && REPORT_FIELD.test(text);
  },
  async *read(ctx: ReadContext) {
    const out = new BatchBuilder(ctx);
    const parser = new GoamlParser(out, ctx);
    yield* streamXmlBatches(ctx, out, parser.handlers, () => parser.end());
  },
};
