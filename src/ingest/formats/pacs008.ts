/**
 * ISO 20022 pacs.008 (FIToFICstmrCdtTrf, versions 001.02–001.13), bare or inside a business application
 * header envelope (CBPR+, Fedwire, PIX/SPI, ...), with or without namespace prefixes.
 *
 * One CdtTrfTxInf is one transaction:
 *  - id: UETR (lower-cased), else TxId, else EndToEndId (unless NOTPROVIDED), else `<MsgId>#<n>` (n = position
 *    of the CdtTrfTxInf in its message, 1-based);
 *  - time: AccptncDtTm, else IntrBkSttlmDt (transaction, then group header), else GrpHdr/CreDtTm;
 *  - amount: IntrBkSttlmAmt in its Ccy; InstdAmt is kept as the original amount when it differs;
 *  - accounts: `<agent>/<account>` where account = IBAN or Othr/Id and agent = the BIC (BICFI, or BIC before
 *    version 06; an 11-character BIC ending in XXX is shortened to its 8-character form) or the clearing
 *    system member id; the bare account when the agent is unknown;
 *  - countries: the party's PstlAdr/Ctry, else the IBAN's country, else the agent BIC's country;
 *  - channel: wire.
 * Dbtr and Cdtr become parties (company when OrgId is present), linked to their account as `holder`.
 *
 * The document is streamed: only GrpHdr and each CdtTrfTxInf are held in memory, one at a time.
 * This module also holds the streaming glue and identity helpers shared with the goAML reader.
 */
import { createReadStream } from 'node:fs';
import {
  channelIndex,
  isCurrency,
  minorExponent,
  parseAmountMinor,
  type Account,
  type Party,
  type PartyAccountLink,
} from '../../model/index.js';
import { parseIso } from '../../model/time.js';
import { BatchBuilder, type FormatReader, type IngestBatch, type ReadContext } from '../reader.js';
import { child, rootElement, streamXml, textAt, type XmlNode, type XmlStreamHandlers } from '../xml.js';

// ───────────────────────────── shared helpers (also used by goaml.ts) ─────────────────────────────

/**
 * Stream an XML file through `handlers`, yielding the builder's batches as they complete.
 * The file is read in chunks; after each chunk the parser has consumed, completed batches are handed to the
 * consumer before the next chunk is read (back-pressure), so memory stays bounded. `onEnd` runs after the
 * last element (to flush state such as an open report) and before the final batches are yielded.
 * A refusal (XmlRefused: DOCTYPE, malformed XML, invalid UTF-8) is thrown from the generator.
 */
export async function* streamXmlBatches(
  ctx: ReadContext,
  out: BatchBuilder,
  handlers: XmlStreamHandlers,
  onEnd?: () => void,
): AsyncGenerator<IngestBatch> {
  const source = createReadStream(ctx.path, { highWaterMark: 1 << 16 });
  const ready: IngestBatch[] = [];
  let wakeConsumer: (() => void) | undefined;
  let resumeProducer: (() => void) | undefined;
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const wake = (): void => {
    const w = wakeConsumer;
    wakeConsumer = undefined;
    w?.();
  };
  const resume = (): void => {
    const r = resumeProducer;
    resumeProducer = undefined;
    r?.();
  };

  async function* gated(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      if (stopped) return;
      yield chunk as Buffer; // the parser handles the whole chunk before asking for the next one
      const done = out.drain();
      if (done.length > 0) {
        ready.push(...done);
        await new Promise<void>((resolve) => {
          resumeProducer = resolve;
          wake();
        });
        if (stopped) return;
      }
    }
  }

  const run = streamXml(ctx.path, handlers, { stream: gated(), onBytes: ctx.onBytes })
    .then(
      () => {
        onEnd?.();
        ready.push(...out.finish());
      },
      (error: unknown) => {
        failure = { error };
      },
    )
    .finally(() => {
      finished = true;
      wake();
    });

  try {
    while (true) {
      if (ready.length > 0) {
        const batches = ready.splice(0, ready.length);
        for (const b of batches) yield b;
        resume();
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
    if (failure) throw failure.error;
  } finally {
    if (!finished) {
      // The consumer stopped early: let the producer end and close the file.
      stopped = true;
      resume();
      source.destroy();
      await run;
    }
  }
}

/** Trimmed text, or undefined when empty or a placeholder (`-`, NOTPROVIDED, N/A). */
export function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === '' || t === '-') return undefined;
  const upper = t.toUpperCase();
  if (upper === 'NOTPROVIDED' || upper === 'N/A' || upper === 'NOT PROVIDED') return undefined;
  return t;
}

/** Text of a child path, cleaned. */
export function field(node: XmlNode | undefined, ...names: string[]): string | undefined {
  return clean(textAt(node, ...names));
}

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Upper-case BIC; the 11-character form of a head office (`XXX` branch) is shortened to 8 characters. */
export function normBic(raw: string | undefined): string | undefined {
  const t = clean(raw)?.toUpperCase().replace(/\s+/g, '');
  if (!t) return undefined;
  return BIC.test(t) && t.length === 11 && t.endsWith('XXX') ? t.slice(0, 8) : t;
}

export function bicCountry(bic: string | undefined): string | undefined {
  return bic && BIC.test(bic) ? bic.slice(4, 6) : undefined;
}

/** IBAN without spaces, upper case. */
export function normIban(raw: string | undefined): string | undefined {
  const t = clean(raw)?.toUpperCase().replace(/\s+/g, '');
  return t || undefined;
}

export function ibanCountry(iban: string | undefined): string | undefined {
  return iban && IBAN.test(iban) ? iban.slice(0, 2) : undefined;
}

/** ISO 3166-1 alpha-2 code, upper-cased, or undefined. */
export function country(raw: string | undefined): string | undefined {
  const t = clean(raw)?.toUpperCase();
  return t && COUNTRY.test(t) ? t : undefined;
}

/** Name folded for identity keys: no accents, lower case, punctuation as single spaces. */
export function normName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Identifier folded for identity keys: upper case without spaces, dashes, dots or slashes. */
export function normId(value: string): string {
  return value.toUpperCase().replace(/[\s\-./]+/g, '');
}

/** `YYYY-MM-DD` of a date or date-time, or undefined when it is not a valid date. */
export function isoDay(raw: string | undefined): string | undefined {
  const t = clean(raw);
  if (!t || !/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const day = t.slice(0, 10);
  return Number.isNaN(parseIso(day)) ? undefined : day;
}

/**
 * A decimal amount in minor units of `code`, exact: a plain decimal (`1234.5`), no sign unless `allowNegative`,
 * and no non-zero digits beyond the currency's minor unit (money is never rounded silently).
 */
export function decimalMinor(raw: string, code: string): { minor: number } | { error: string } {
  const t = raw.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return { error: `${JSON.stringify(raw)} is not a decimal amount` };
  if (m[1] === '-') return { error: `negative amount ${JSON.stringify(raw)}` };
  const exponent = minorExponent(code);
  const fraction = m[3] ?? '';
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    return { error: `amount ${t} has more decimals than ${code} allows (${exponent})` };
  }
  const minor = parseAmountMinor(t, exponent);
  if (!Number.isSafeInteger(minor)) return { error: `amount ${t} is too large to be exact` };
  return { minor };
}

/** A canonical currency code as written (ISO 4217 codes only, no names), or undefined. */
export function currency(raw: string | undefined): string | undefined {
  const t = clean(raw)?.toUpperCase();
  return t && /^[A-Z]{3,4}$/.test(t) && isCurrency(t) ? t : undefined;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));
}

/** Compact XML of a captured element, for reject records (cut after about `max` characters). */
export function nodeXml(node: XmlNode, max = 1200): string {
  const parts: string[] = [];
  let size = 0;
  const walk = (n: XmlNode): boolean => {
    const attrs = Object.entries(n.attrs)
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    const open = `<${n.name}${attrs}>${escapeXml(n.text)}`;
    parts.push(open);
    size += open.length;
    if (size > max) return false;
    for (const c of n.children) if (!walk(c)) return false;
    parts.push(`</${n.name}>`);
    size += n.name.length + 3;
    return true;
  };
  walk(node);
  return parts.join('');
}

/** Ids already used in this read, with the line and a fingerprint of their content (bounded). */
export class SeenIds {
  private readonly seen = new Map<string, { line: number; fingerprint: string }>();
  private static readonly MAX = 1_000_000;

  get(id: string): { line: number; fingerprint: string } | undefined {
    return this.seen.get(id);
  }

  add(id: string, line: number, fingerprint: string): void {
    if (this.seen.size >= SeenIds.MAX) this.seen.clear();
    this.seen.set(id, { line, fingerprint });
  }
}

/** Emits each party and each party–account link once per read (bounded, stores dedupe anyway). */
export class PartySink {
  private readonly parties = new Set<string>();
  private readonly links = new Set<string>();
  private static readonly MAX = 1_000_000;

  constructor(private readonly out: BatchBuilder) {}

  party(p: Party): void {
    if (this.parties.has(p.id)) return;
    if (this.parties.size >= PartySink.MAX) this.parties.clear();
    this.parties.add(p.id);
    this.out.batch.parties.push(p);
  }

  link(l: PartyAccountLink): void {
    const key = `${l.partyId}\u0000${l.accountId}\u0000${l.role}`;
    if (this.links.has(key)) return;
    if (this.links.size >= PartySink.MAX) this.links.clear();
    this.links.add(key);
    this.out.batch.links.push(l);
  }

  account(a: Account): void {
    if (this.out.firstSight(a.id)) this.out.batch.accounts.push(a);
  }
}

/** Rank of identifier schemes when several are present: the strongest one names the party. */
export const SCHEME_RANK: Record<string, number> = { lei: 0, bic: 1, nid: 2, passport: 3, reg: 4, tax: 5, doc: 6 };

export interface IdentityCandidate {
  /** Key scheme: nid, passport, tax, lei, bic, reg, or doc:<type>. */
  scheme: string;
  value: string;
}

/** The strongest identifier's key (`nid:784...`), or undefined. */
export function strongestKey(candidates: IdentityCandidate[]): string | undefined {
  let best: IdentityCandidate | undefined;
  let bestRank = Infinity;
  for (const c of candidates) {
    const rank = SCHEME_RANK[c.scheme.split(':', 1)[0]!] ?? 99;
    if (rank < bestRank) {
      best = c;
      bestRank = rank;
    }
  }
  return best ? `${best.scheme}:${normId(best.value)}` : undefined;
}

/** Drop properties whose value is undefined (records then compare and serialise cleanly). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// ───────────────────────────────────────── pacs.008 ─────────────────────────────────────────

const WIRE = channelIndex('wire');
const PACS008_NS = /urn:iso:std:iso:20022:tech:xsd:pacs\.008\.\d{3}\.\d{2}/;
const CDT_TRF_ELEMENT = /<(?:[A-Za-z_][\w.-]*:)?FIToFICstmrCdtTrf[\s>]/;

/** ISO external code of a person identification scheme → key scheme. */
const PERSON_SCHEMES: Record<string, string> = { NIDN: 'nid', SOSE: 'nid', CCPT: 'passport', TXID: 'tax' };
const ORG_SCHEMES: Record<string, string> = { TXID: 'tax' };

interface Side {
  accountId: string;
  account: Account;
  party: Party | undefined;
  country: string | undefined;
}

/** A parsed value, or where and why it could not be parsed. */
export type Checked<T> = { ok: T } | { line: number; reason: string };

class Pacs008Parser {
  private grpHdr: XmlNode | undefined;
  private messages = 0;
  private txInMessage = 0;
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
      if (n < 2 || path[n - 2] !== 'FIToFICstmrCdtTrf') return false;
      return path[n - 1] === 'CdtTrfTxInf' || path[n - 1] === 'GrpHdr';
    },
    open: (name) => {
      if (name !== 'FIToFICstmrCdtTrf') return;
      this.messages++;
      this.grpHdr = undefined;
      this.txInMessage = 0;
    },
    record: (node) => {
      if (node.name === 'GrpHdr') this.grpHdr = node;
      else this.transaction(node);
    },
    recordError: (line, reason) => this.out.reject(line, reason, ''),
  };

  end(): void {
    if (this.messages === 0) this.out.reject(1, 'no FIToFICstmrCdtTrf element: not an ISO 20022 pacs.008 message', '');
  }

  private provenance(line: number, element?: string) {
    return compact({ file: this.ctx.file, line, element, batch: this.ctx.batchId });
  }

  private transaction(tx: XmlNode): void {
    this.txInMessage++;
    const pmtId = child(tx, 'PmtId');
    const uetr = field(pmtId, 'UETR')?.toLowerCase();
    const msgId = field(this.grpHdr, 'MsgId') ?? `message${this.messages}`;
    const id = uetr ?? field(pmtId, 'TxId') ?? field(pmtId, 'EndToEndId') ?? `${msgId}#${this.txInMessage}`;
    const fail = (line: number, reason: string): void => this.out.reject(line, `${reason} (transaction ${id})`, nodeXml(tx));

    const time = this.time(tx);
    if ('reason' in time) return fail(time.line, time.reason);
    const settled = this.amount(tx, 'IntrBkSttlmAmt', 'interbank settlement amount', true);
    if ('reason' in settled) return fail(settled.line, settled.reason);
    const instructed = this.amount(tx, 'InstdAmt', 'instructed amount', false);
    if ('reason' in instructed) return fail(instructed.line, instructed.reason);
    const from = this.side(tx, 'Dbtr', 'debtor');
    if ('reason' in from) return fail(from.line, from.reason);
    const to = this.side(tx, 'Cdtr', 'creditor');
    if ('reason' in to) return fail(to.line, to.reason);

    const { minor, code } = settled.ok!;
    const original = instructed.ok && (instructed.ok.code !== code || instructed.ok.minor !== minor) ? instructed.ok : undefined;
    const fingerprint = `${time.ok}|${from.ok.accountId}|${to.ok.accountId}|${minor}|${code}`;
    const previous = this.ids.get(id);
    if (previous) {
      const same = previous.fingerprint === fingerprint ? 'same content' : 'different content';
      return fail(tx.line, `duplicate transaction id ${JSON.stringify(id)}: already used by the transaction at line ${previous.line} (${same})`);
    }
    this.ids.add(id, tx.line, fingerprint);

    this.out.tx.push(
      id,
      time.ok,
      from.ok.accountId,
      to.ok.accountId,
      minor,
      code,
      WIRE,
      tx.line,
      original ? original.minor : NaN,
      original?.code,
      from.ok.country,
      to.ok.country,
    );
    for (const side of [from.ok, to.ok]) {
      this.sink.account(side.account);
      if (side.party) {
        this.sink.party(side.party);
        this.sink.link({ partyId: side.party.id, accountId: side.accountId, role: 'holder', provenance: side.party.provenance });
      }
    }
  }

  private time(tx: XmlNode): Checked<number> {
    const candidates: [XmlNode | undefined, string][] = [
      [child(tx, 'AccptncDtTm'), 'AccptncDtTm'],
      [child(tx, 'IntrBkSttlmDt'), 'IntrBkSttlmDt'],
      [child(this.grpHdr, 'IntrBkSttlmDt'), 'GrpHdr/IntrBkSttlmDt'],
      [child(this.grpHdr, 'CreDtTm'), 'GrpHdr/CreDtTm'],
    ];
    for (const [node, label] of candidates) {
      if (!node || node.text === '') continue;
      const ms = parseIso(node.text);
      if (Number.isNaN(ms)) return { line: node.line, reason: `${label}: ${JSON.stringify(node.text)} is not an ISO 8601 date or date-time` };
      return { ok: ms };
    }
    return { line: tx.line, reason: 'no date: AccptncDtTm, IntrBkSttlmDt and GrpHdr/CreDtTm are all missing' };
  }

  private amount(tx: XmlNode, name: string, what: string, required: boolean): Checked<{ minor: number; code: string } | undefined> {
    const node = child(tx, name);
    if (!node) return required ? { line: tx.line, reason: `missing ${name} (${what})` } : { ok: undefined };
    const ccy = node.attrs['Ccy'];
    if (ccy === undefined || ccy.trim() === '') return { line: node.line, reason: `${name} has no Ccy attribute (currency)` };
    const code = currency(ccy);
    if (!code) return { line: node.line, reason: `${name}: unknown currency ${JSON.stringify(ccy)} (expected an ISO 4217 code)` };
    if (node.text === '') return { line: node.line, reason: `${name} is empty` };
    const parsed = decimalMinor(node.text, code);
    if ('error' in parsed) return { line: node.line, reason: `${name}: ${parsed.error}` };
    return { ok: { minor: parsed.minor, code } };
  }

  private side(tx: XmlNode, role: 'Dbtr' | 'Cdtr', what: string): Checked<Side> {
    const acct = child(tx, `${role}Acct`);
    if (!acct) return { line: tx.line, reason: `missing ${role}Acct (${what} account)` };
    const idNode = child(acct, 'Id');
    const iban = normIban(textAt(idNode, 'IBAN'));
    const number = iban ?? field(idNode, 'Othr', 'Id');
    if (!number) return { line: acct.line, reason: `${role}Acct has no IBAN or Othr/Id` };
    const fin = child(child(tx, `${role}Agt`), 'FinInstnId');
    const bic = normBic(textAt(fin, 'BICFI') ?? textAt(fin, 'BIC'));
    const agent = bic ?? field(fin, 'ClrSysMmbId', 'MmbId');
    const accountId = agent ? `${agent}/${number}` : number;
    const partyNode = child(tx, role);
    const sideCountry = country(textAt(partyNode, 'PstlAdr', 'Ctry')) ?? ibanCountry(iban) ?? bicCountry(bic);
    const account: Account = compact({
      id: accountId,
      kind: 'bank' as const,
      institution: agent,
      country: ibanCountry(iban) ?? bicCountry(bic),
      currency: currency(acct.attrs['Ccy'] ?? textAt(acct, 'Ccy')),
      name: field(acct, 'Nm'),
      provenance: this.provenance(acct.line, `${role}Acct`),
    });
    return { ok: { accountId, account, party: this.party(partyNode, role, accountId), country: sideCountry } };
  }

  /** Debtor or creditor as a party; undefined when it has neither a name nor an identifier. */
  private party(node: XmlNode | undefined, role: string, accountId: string): Party | undefined {
    if (!node) return undefined;
    const name = field(node, 'Nm');
    const idNode = child(node, 'Id');
    const org = child(idNode, 'OrgId');
    const prvt = child(idNode, 'PrvtId');
    const identifiers: Party['identifiers'] = [];
    const candidates: IdentityCandidate[] = [];
    let birthDate: string | undefined;
    if (org) {
      const lei = field(org, 'LEI');
      if (lei) {
        identifiers.push({ type: 'lei', value: lei });
        candidates.push({ scheme: 'lei', value: lei });
      }
      const bic = normBic(textAt(org, 'AnyBIC') ?? textAt(org, 'BICOrBEI'));
      if (bic) {
        identifiers.push({ type: 'bic', value: bic });
        candidates.push({ scheme: 'bic', value: bic });
      }
      for (const o of org.children.filter((c) => c.name === 'Othr')) this.otherId(o, ORG_SCHEMES, identifiers, candidates);
    } else if (prvt) {
      birthDate = isoDay(textAt(prvt, 'DtAndPlcOfBirth', 'BirthDt'));
      for (const o of prvt.children.filter((c) => c.name === 'Othr')) this.otherId(o, PERSON_SCHEMES, identifiers, candidates);
    }
    const kind = org ? 'entity' : 'person';
    let key = strongestKey(candidates);
    if (!key && name) key = birthDate && kind === 'person' ? `name:${normName(name)}|${birthDate}` : `name:${normName(name)}@${accountId}`;
    if (!key) return undefined;
    return compact({
      id: `${kind}:${key}`,
      kind: org ? ('company' as const) : ('person' as const),
      name: name ?? '',
      country: country(textAt(node, 'PstlAdr', 'Ctry')) ?? country(textAt(node, 'CtryOfRes')),
      birthDate,
      identifiers,
      provenance: this.provenance(node.line, role),
    });
  }

  private otherId(o: XmlNode, schemes: Record<string, string>, identifiers: Party['identifiers'], candidates: IdentityCandidate[]): void {
    const value = field(o, 'Id');
    if (!value) return;
    const code = field(o, 'SchmeNm', 'Cd')?.toUpperCase();
    const type = code ?? field(o, 'SchmeNm', 'Prtry') ?? field(o, 'Issr') ?? '';
    identifiers.push({ type: type || 'other', value });
    candidates.push({ scheme: (code && schemes[code]) ?? `doc:${normId(type || 'other')}`, value });
  }
}

export const pacs008Reader: FormatReader = {
  format: 'iso20022',
  layouts: ['ISO 20022 pacs.008 FIToFICstmrCdtTrf XML (001.02–001.13; bare Document or inside an AppHdr envelope)'],
  detect(head) {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    if (!text.startsWith('<')) return false;
    const root = rootElement(text);
    if (root === undefined || root === 'schema') return false;
    return CDT_TRF_ELEMENT.test(text) || (root === 'Document' && PACS008_NS.test(text));
  },
  async *read(ctx) {
    const out = new BatchBuilder(ctx);
    const parser = new Pacs008Parser(out, ctx);
    yield* streamXmlBatches(ctx, out, parser.handlers, () => parser.end());
  },
};
