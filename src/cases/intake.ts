/**
 * goAML intake as an FIU receives reports: the XML goes through the ingest reader (streamed, DOCTYPE
 * refused, rejects with their line), and each report is stored with its transactions, parties and
 * accounts. Parties and accounts carry the reader's deterministic ids (identity documents, institution and
 * account number), so a report naming someone the agency already knows links to that record instead of
 * creating another. A report received again (same reporting entity and reference) is recognised.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goamlReader } from '../ingest/formats/goaml.js';
import { XmlRefused, type IngestBatch } from '../ingest/index.js';
import { channelName, type Account, type Party, type Tlp, type Viewer } from '../model/index.js';
import type { EntityRecord, IntakeReportRecord, InvestigationStore, TenantTransaction } from '../store/index.js';

export interface IntakeOutcome {
  reports: {
    id: string;
    reportCode: string;
    duplicate: boolean;
    created: { kind: 'party' | 'account' | 'wallet'; id: string }[];
    linked: { kind: 'party' | 'account' | 'wallet'; id: string }[];
    transactionsInserted: number;
    transactionsKnown: number;
  }[];
  rejects: { line: number; reason: string }[];
}

export class IntakeError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

async function readGoaml(xml: string, batchId: string): Promise<IngestBatch[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-goaml-'));
  const path = join(dir, 'report.xml');
  try {
    await writeFile(path, xml);
    const batches: IngestBatch[] = [];
    for await (const b of goamlReader.read({ path, file: 'intake', source: 'goaml', batchId })) batches.push(b);
    return batches;
  } catch (err) {
    if (err instanceof XmlRefused) throw new IntakeError(err.line, err.message);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function intakeGoaml(store: InvestigationStore, viewer: Viewer, xml: string, tlp: Tlp, nowMs: number): Promise<IntakeOutcome> {
  const sha256 = createHash('sha256').update(xml).digest('hex');
  const batches = await readGoaml(xml, `intake-${sha256.slice(0, 12)}`);
  const parties = new Map<string, Party>();
  const accounts = new Map<string, Account>();
  const transactions = new Map<string, TenantTransaction>();
  const rejects: IntakeOutcome['rejects'] = [];
  const reports = batches.flatMap((b) => b.reports);
  for (const b of batches) {
    for (const p of b.parties) parties.set(p.id, p);
    for (const a of b.accounts) accounts.set(a.id, a);
    for (const r of b.rejects) rejects.push({ line: r.line, reason: r.reason });
    const tx = b.transactions;
    for (let i = 0; i < tx.length; i++) {
      const t: TenantTransaction = {
        tenantId: viewer.tenantId,
        id: tx.id[i]!,
        timeMs: tx.timeMs[i]!,
        fromAccount: tx.fromAccount[i]!,
        toAccount: tx.toAccount[i]!,
        amountMinor: tx.amountMinor[i]!,
        currency: tx.currency[i]!,
        channel: channelName(tx.channel[i]!),
        tlp,
        receivedMs: nowMs,
        batchId: b.batchId,
      };
      const o = tx.originalAmountMinor[i]!;
      if (!Number.isNaN(o)) t.originalAmountMinor = o;
      if (tx.originalCurrency[i] !== undefined) t.originalCurrency = tx.originalCurrency[i]!;
      if (tx.fromCountry[i] !== undefined) t.fromCountry = tx.fromCountry[i]!;
      if (tx.toCountry[i] !== undefined) t.toCountry = tx.toCountry[i]!;
      transactions.set(t.id, t);
    }
  }
  const entity = (kind: 'party' | 'account', id: string, name: string | undefined, data: object, reportId: string): EntityRecord => ({
    tenantId: viewer.tenantId,
    kind,
    id,
    ...(name ? { name } : {}),
    data: JSON.stringify(data),
    tlp,
    source: `goaml:${reportId}`,
    createdBy: viewer.userId,
    createdMs: nowMs,
    updatedMs: nowMs,
  });
  const out: IntakeOutcome = { reports: [], rejects };
  for (const r of reports) {
    if (await store.report(viewer, r.id).then((x) => x?.tenantId === viewer.tenantId)) {
      out.reports.push({ id: r.id, reportCode: r.reportCode, duplicate: true, created: [], linked: [], transactionsInserted: 0, transactionsKnown: 0 });
      continue;
    }
    const entities: EntityRecord[] = [];
    for (const id of r.partyIds ?? []) {
      const p = parties.get(id);
      if (p) entities.push(entity('party', id, p.name, { kind: p.kind, name: p.name, country: p.country, birthDate: p.birthDate, identifiers: p.identifiers }, r.id));
    }
    for (const id of r.accountIds ?? []) {
      const a = accounts.get(id);
      if (a) entities.push(entity('account', id, a.name, { kind: a.kind, institution: a.institution, country: a.country, currency: a.currency, name: a.name }, r.id));
    }
    const txs = (r.transactionIds ?? []).map((id) => transactions.get(id)).filter((t): t is TenantTransaction => t !== undefined);
    const record: IntakeReportRecord = {
      tenantId: viewer.tenantId,
      id: r.id,
      format: 'goaml',
      reportCode: r.reportCode,
      indicators: r.indicators ?? [],
      sha256,
      tlp,
      createdBy: viewer.userId,
      createdMs: nowMs,
      links: [
        ...(r.partyIds ?? []).map((ref) => ({ kind: 'party', ref })),
        ...(r.accountIds ?? []).map((ref) => ({ kind: 'account', ref })),
        ...(r.transactionIds ?? []).map((ref) => ({ kind: 'transaction', ref })),
      ],
    };
    if (r.entityReference !== undefined) record.entityReference = r.entityReference;
    if (r.reportingEntity !== undefined) record.reportingEntity = r.reportingEntity;
    if (r.submittedMs !== undefined) record.submittedMs = r.submittedMs;
    if (r.reason !== undefined) record.reason = r.reason;
    if (r.action !== undefined) record.action = r.action;
    const saved = await store.saveIntake(viewer, { report: record, entities, transactions: txs });
    out.reports.push({ id: r.id, reportCode: r.reportCode, duplicate: false, ...saved });
  }
  return out;
}
