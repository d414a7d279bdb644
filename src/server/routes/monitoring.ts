/**
 * Real-time monitoring: POST /api/transactions runs the agency's engine on each transaction and answers
 * with the alerts it raised; the transactions themselves can be read back.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { pacs008Reader } from '../../ingest/formats/pacs008.js';
import { XmlRefused } from '../../ingest/index.js';
import { channelName, type Tlp } from '../../model/index.js';
import { parseIso } from '../../model/time.js';
import { parseSettings } from '../../report/config.js';
import type { AppContext } from '../app.js';
import { invalid, notFound, zodDetails } from '../errors.js';
import { fastBatch, fastTransaction } from '../fast-input.js';
import type { MonitoredInput } from '../monitor.js';
import { route, type AnyRoute } from '../route.js';
import {
  apiAlert,
  apiTransaction,
  ApiTransaction,
  IdParam,
  IngestQuery,
  IngestResult,
  MAX_BATCH_TRANSACTIONS,
  page,
  pageOf,
  TransactionIn,
  TransactionsBody,
  TransactionsQuery,
} from '../schemas.js';

/** Up to 100,000 transactions of ~300 bytes of JSON each, with room. */
export const TRANSACTIONS_BODY_LIMIT = 64 * 1024 * 1024;
const BatchIn = z.array(TransactionIn).min(1).max(MAX_BATCH_TRANSACTIONS);

function toInput(t: TransactionIn): MonitoredInput {
  const out: MonitoredInput = {
    id: t.id,
    timeMs: parseIso(t.time),
    fromAccount: t.fromAccount,
    toAccount: t.toAccount,
    amountMinor: t.amountMinor,
    currency: t.currency,
    channel: t.channel,
  };
  if (t.fromCountry !== undefined) out.fromCountry = t.fromCountry;
  if (t.toCountry !== undefined) out.toCountry = t.toCountry;
  if (t.originalAmountMinor !== undefined) out.originalAmountMinor = t.originalAmountMinor;
  if (t.originalCurrency !== undefined) out.originalCurrency = t.originalCurrency;
  return out;
}

/** A pacs.008 message read with the ingest reader (streamed, DOCTYPE refused); rejects name their line. */
async function pacs008Inputs(xml: string, batchId: string): Promise<{ inputs: MonitoredInput[]; rejects: { line: number; reason: string }[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-pacs008-'));
  const path = join(dir, 'message.xml');
  try {
    await writeFile(path, xml);
    const inputs: MonitoredInput[] = [];
    const rejects: { line: number; reason: string }[] = [];
    for await (const b of pacs008Reader.read({ path, file: 'request', source: 'api', batchId })) {
      const tx = b.transactions;
      for (let i = 0; i < tx.length; i++) {
        const o = tx.originalAmountMinor[i]!;
        const row: MonitoredInput = {
          id: tx.id[i]!,
          timeMs: tx.timeMs[i]!,
          fromAccount: tx.fromAccount[i]!,
          toAccount: tx.toAccount[i]!,
          amountMinor: tx.amountMinor[i]!,
          currency: tx.currency[i]!,
          channel: channelName(tx.channel[i]!),
        };
        if (tx.fromCountry[i] !== undefined) row.fromCountry = tx.fromCountry[i]!;
        if (tx.toCountry[i] !== undefined) row.toCountry = tx.toCountry[i]!;
        if (!Number.isNaN(o)) row.originalAmountMinor = o;
        if (tx.originalCurrency[i] !== undefined) row.originalCurrency = tx.originalCurrency[i]!;
        inputs.push(row);
      }
      for (const r of b.rejects) rejects.push({ line: r.line, reason: r.reason });
    }
    return { inputs, rejects };
  } catch (err) {
    if (err instanceof XmlRefused) throw invalid(`pacs.008 refused at line ${err.line}: ${err.message}`, [{ path: `body:${err.line}`, message: err.message }]);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function monitoringRoutes(ctx: AppContext): AnyRoute[] {
  const inv = ctx.store.investigation;
  const defaultTlp = new Map<string, { tlp: Tlp; untilMs: number }>();
  async function tenantTlp(tenantId: string): Promise<Tlp> {
    const now = ctx.clock();
    const hit = defaultTlp.get(tenantId);
    if (hit && hit.untilMs > now) return hit.tlp;
    const t = await inv.tenant(tenantId);
    const tlp = t ? parseSettings(t.settings, t.name).defaultTlp : 'AMBER';
    if (defaultTlp.size > 10_000) defaultTlp.clear();
    defaultTlp.set(tenantId, { tlp, untilMs: now + 10_000 });
    return tlp;
  }

  return [
    route({
      method: 'POST',
      url: '/api/transactions',
      summary: 'Monitor transactions in real time: one, a batch (JSON array), or a pacs.008 message; answers the alerts they raised',
      tag: 'monitoring',
      access: 'transactions:write',
      query: IngestQuery,
      body: TransactionsBody,
      rawBody: true,
      accepts: ['application/xml', 'text/xml'],
      bodyLimit: TRANSACTIONS_BODY_LIMIT,
      errors: [503],
      response: IngestResult,
      handler: async ({ viewer, query, body, req }) => {
        const batchId = String(req.id);
        let inputs: MonitoredInput[];
        if (typeof body === 'string') {
          const read = await pacs008Inputs(body, batchId);
          if (read.rejects.length > 0) {
            throw invalid(`${read.rejects.length} transaction(s) of the message cannot be read; nothing was processed`, read.rejects.slice(0, 50).map((r) => ({ path: `body:${r.line}`, message: r.reason })));
          }
          if (read.inputs.length === 0) throw invalid('the message holds no CdtTrfTxInf');
          inputs = read.inputs;
        } else if (Array.isArray(body)) {
          const fast = fastBatch(body, MAX_BATCH_TRANSACTIONS);
          if (fast) inputs = fast;
          else {
            const parsed = BatchIn.safeParse(body);
            if (!parsed.success) throw invalid('invalid transactions: nothing was processed', zodDetails('body', parsed.error));
            inputs = parsed.data.map(toInput);
          }
        } else {
          const fast = fastTransaction(body);
          if (fast) inputs = [fast];
          else {
            const parsed = TransactionIn.safeParse(body);
            if (!parsed.success) throw invalid('invalid transaction', zodDetails('body', parsed.error));
            inputs = [toInput(parsed.data)];
          }
        }
        const tlp = query.tlp ?? (await tenantTlp(viewer.tenantId));
        const out = await ctx.monitor.ingest(viewer, inputs, tlp, batchId);
        return {
          accepted: out.accepted,
          duplicates: out.duplicateIds.length,
          duplicateIds: out.duplicateIds.slice(0, 1000),
          alerts: out.alerts.map(apiAlert),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/transactions',
      summary: 'Monitored transactions, by account and time',
      tag: 'monitoring',
      access: 'transactions:read',
      query: TransactionsQuery,
      response: pageOf(ApiTransaction),
      handler: async ({ viewer, query }) => {
        const rows = await inv.transactions(viewer, {
          ...(query.account ? { account: query.account } : {}),
          ...(query.from ? { fromMs: parseIso(query.from) } : {}),
          ...(query.to ? { toMs: parseIso(query.to) } : {}),
          limit: query.limit + 1,
          offset: query.offset,
        });
        return page(rows.map(apiTransaction), query);
      },
    }),
    route({
      method: 'GET',
      url: '/api/transactions/:id',
      summary: 'One monitored transaction',
      tag: 'monitoring',
      access: 'transactions:read',
      params: IdParam,
      errors: [404],
      response: ApiTransaction,
      handler: async ({ viewer, params }) => {
        const t = await inv.transaction(viewer, params.id);
        if (!t) throw notFound('transaction');
        return apiTransaction(t);
      },
    }),
  ];
}


