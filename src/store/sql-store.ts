/**
 * The read side of the store in portable SQL ($n parameters work in DuckDB and PostgreSQL alike).
 * Implementations supply `query`; the queries and row mapping live here once.
 */
import type { Account, Alert, Party, Reject, Transaction } from '../model/index.js';
import { CHANNELS, type Channel } from '../model/index.js';
import type { InvestigationStore } from './investigation.js';
import {
  MAX_PAGE_ROWS,
  pageLimit,
  type AccountDetail,
  type AlertFilter,
  type DailyAggregate,
  type IngestRunInfo,
  type IngestSession,
  type Neighbour,
  type Page,
  type PartyScreening,
  type Store,
  type StoreStats,
  type TimeRange,
} from './store.js';

export type Row = Record<string, unknown>;
export type SqlParam = string | number | boolean | null;

const DAY_MS = 86_400_000;
const NO_LOWER = -8.64e15;
const NO_UPPER = 8.64e15;

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}
function optNum(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}
function optStr(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}
function channel(v: unknown): Channel {
  return (CHANNELS as readonly string[]).includes(String(v)) ? (String(v) as Channel) : 'other';
}

export function rowToTransaction(r: Row): Transaction {
  const tx: Transaction = {
    id: String(r.id),
    source: String(r.source),
    timeMs: num(r.time_ms),
    fromAccount: String(r.from_account),
    toAccount: String(r.to_account),
    amountMinor: num(r.amount_minor),
    currency: String(r.currency),
    channel: channel(r.channel),
    provenance: { file: String(r.file), line: num(r.line), batch: String(r.batch_id) },
  };
  const orig = optNum(r.orig_amount_minor);
  if (orig !== undefined) tx.originalAmountMinor = orig;
  const origCurrency = optStr(r.orig_currency);
  if (origCurrency !== undefined) tx.originalCurrency = origCurrency;
  const fromCountry = optStr(r.from_country);
  if (fromCountry !== undefined) tx.fromCountry = fromCountry;
  const toCountry = optStr(r.to_country);
  if (toCountry !== undefined) tx.toCountry = toCountry;
  return tx;
}

function rowToAccount(r: Row): Account {
  const a: Account = {
    id: String(r.id),
    kind: String(r.kind) as Account['kind'],
    provenance: { file: String(r.file), line: num(r.line), batch: String(r.batch_id) },
  };
  for (const [key, col] of [['institution', 'institution'], ['country', 'country'], ['currency', 'currency'], ['name', 'name']] as const) {
    const v = optStr(r[col]);
    if (v !== undefined) a[key] = v;
  }
  return a;
}

function rowToParty(r: Row): Party {
  const p: Party = {
    id: String(r.id),
    kind: String(r.kind) as Party['kind'],
    name: String(r.name),
    identifiers: JSON.parse(String(r.identifiers)) as Party['identifiers'],
    provenance: { file: String(r.file), line: num(r.line), batch: String(r.batch_id) },
  };
  const country = optStr(r.country);
  if (country !== undefined) p.country = country;
  const birth = optStr(r.birth_date);
  if (birth !== undefined) p.birthDate = birth;
  return p;
}

/** An `alerts`-shaped row (also the investigation queue's) as the model's Alert. */
export function rowToAlert(r: Row): Alert {
  return {
    id: String(r.id),
    typology: String(r.typology),
    score: num(r.score),
    factors: JSON.parse(String(r.factors)) as Alert['factors'],
    accounts: JSON.parse(String(r.accounts)) as string[],
    transactions: JSON.parse(String(r.transactions)) as string[],
    fromMs: num(r.from_ms),
    toMs: num(r.to_ms),
    amountMinor: num(r.amount_minor),
    currency: String(r.currency),
    explanation: String(r.explanation),
  };
}

const TX_COLUMNS =
  'source, id, time_ms, from_account, to_account, amount_minor, currency, orig_amount_minor, orig_currency, channel, from_country, to_country, file, line, batch_id';

export abstract class SqlStore implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly location: string;
  abstract readonly investigation: InvestigationStore;
  protected abstract query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  abstract beginIngest(info: IngestRunInfo): Promise<IngestSession>;
  abstract writeAlerts(alerts: readonly Alert[], batchId: string): Promise<number>;
  abstract close(): Promise<void>;

  async transactionsOfAccount(account: string, range: TimeRange & Page = {}): Promise<Transaction[]> {
    const { limit, offset } = pageLimit(range);
    const rows = await this.query(
      `SELECT ${TX_COLUMNS} FROM transactions
       WHERE (from_account = $1 OR to_account = $1) AND time_ms >= $2 AND time_ms < $3
       ORDER BY time_ms, source, id LIMIT $4 OFFSET $5`,
      [account, range.fromMs ?? NO_LOWER, range.toMs ?? NO_UPPER, limit, offset],
    );
    return rows.map(rowToTransaction);
  }

  async neighbours(account: string, options: TimeRange & Page & { direction?: 'in' | 'out' | 'both' } = {}): Promise<Neighbour[]> {
    const { limit, offset } = pageLimit(options);
    const direction = options.direction ?? 'both';
    const parts: string[] = [];
    if (direction !== 'in') {
      parts.push(`SELECT to_account AS account, 'out' AS direction, currency, time_ms, amount_minor FROM transactions
                  WHERE from_account = $1 AND time_ms >= $2 AND time_ms < $3`);
    }
    if (direction !== 'out') {
      parts.push(`SELECT from_account AS account, 'in' AS direction, currency, time_ms, amount_minor FROM transactions
                  WHERE to_account = $1 AND time_ms >= $2 AND time_ms < $3`);
    }
    const rows = await this.query(
      `SELECT account, direction, currency, COUNT(*) AS n, SUM(amount_minor) AS amount, MIN(time_ms) AS first_ms, MAX(time_ms) AS last_ms
       FROM (${parts.join(' UNION ALL ')}) flows
       GROUP BY account, direction, currency
       ORDER BY SUM(amount_minor) DESC, account, direction LIMIT $4 OFFSET $5`,
      [account, options.fromMs ?? NO_LOWER, options.toMs ?? NO_UPPER, limit, offset],
    );
    return rows.map((r) => ({
      account: String(r.account),
      direction: r.direction === 'in' ? 'in' : 'out',
      currency: String(r.currency),
      count: num(r.n),
      amountMinor: num(r.amount),
      firstMs: num(r.first_ms),
      lastMs: num(r.last_ms),
    }));
  }

  async dailyAggregates(account: string, range: TimeRange = {}): Promise<DailyAggregate[]> {
    const rows = await this.query(
      `SELECT time_ms - (time_ms % ${DAY_MS}) AS day_ms, currency,
              SUM(CASE WHEN to_account = $1 THEN 1 ELSE 0 END) AS in_count,
              SUM(CASE WHEN to_account = $1 THEN amount_minor ELSE 0 END) AS in_amount,
              SUM(CASE WHEN from_account = $1 THEN 1 ELSE 0 END) AS out_count,
              SUM(CASE WHEN from_account = $1 THEN amount_minor ELSE 0 END) AS out_amount
       FROM transactions
       WHERE (from_account = $1 OR to_account = $1) AND time_ms >= $2 AND time_ms < $3
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [account, range.fromMs ?? NO_LOWER, range.toMs ?? NO_UPPER],
    );
    return rows.map((r) => ({
      dayMs: num(r.day_ms),
      currency: String(r.currency),
      inCount: num(r.in_count),
      inAmountMinor: num(r.in_amount),
      outCount: num(r.out_count),
      outAmountMinor: num(r.out_amount),
    }));
  }

  async account(id: string): Promise<AccountDetail | undefined> {
    const [row] = await this.query(`SELECT * FROM accounts WHERE id = $1`, [id]);
    if (!row) return undefined;
    const parties = await this.query(
      `SELECT p.*, l.role FROM party_accounts l JOIN parties p ON p.id = l.party_id WHERE l.account_id = $1 ORDER BY p.id, l.role`,
      [id],
    );
    return { account: rowToAccount(row), parties: parties.map((r) => ({ party: rowToParty(r), role: String(r.role) })) };
  }

  async writeScreenings(rows: readonly PartyScreening[]): Promise<number> {
    let written = 0;
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      const params: SqlParam[] = [];
      const values: string[] = [];
      for (const r of chunk) {
        const b = params.length;
        params.push(r.partyId, r.screenedAtMs, r.queryName, r.entityKey, r.list, r.listVersion, r.entityName, r.matchedName, r.nameStrength, r.score, r.match, JSON.stringify(r.programs), JSON.stringify(r.reasons));
        values.push(`(${Array.from({ length: 13 }, (_, i) => (i === 1 ? `CAST($${b + i + 1} AS BIGINT)` : `$${b + i + 1}`)).join(',')})`);
      }
      const inserted = await this.query(`INSERT INTO party_screenings VALUES ${values.join(',')} ON CONFLICT DO NOTHING RETURNING party_id`, params);
      written += inserted.length;
    }
    return written;
  }

  async screeningsOfParty(partyId: string): Promise<PartyScreening[]> {
    const rows = await this.query(
      `SELECT * FROM party_screenings WHERE party_id = $1 ORDER BY screened_ms DESC, score DESC, entity_key LIMIT ${MAX_PAGE_ROWS}`,
      [partyId],
    );
    return rows.map((r) => ({
      partyId: String(r.party_id),
      screenedAtMs: Number(r.screened_ms),
      queryName: r.query_name === null || r.query_name === undefined ? null : String(r.query_name),
      entityKey: String(r.entity_key),
      list: String(r.list),
      listVersion: r.list_version === null || r.list_version === undefined ? null : String(r.list_version),
      entityName: String(r.entity_name),
      matchedName: String(r.matched_name),
      nameStrength: String(r.name_strength),
      score: Number(r.score),
      match: r.is_match === true || r.is_match === 'true',
      programs: JSON.parse(String(r.programs)) as string[],
      reasons: JSON.parse(String(r.reasons)) as string[],
    }));
  }

  async alerts(filter: AlertFilter = {}): Promise<Alert[]> {
    const { limit, offset } = pageLimit(filter);
    const where = ['to_ms >= $1', 'from_ms < $2', 'score >= $3'];
    const params: SqlParam[] = [filter.fromMs ?? NO_LOWER, filter.toMs ?? NO_UPPER, filter.minScore ?? 0];
    if (filter.typology !== undefined) {
      params.push(filter.typology);
      where.push(`typology = $${params.length}`);
    }
    if (filter.account !== undefined) {
      params.push(filter.account);
      where.push(`id IN (SELECT alert_id FROM alert_accounts WHERE account = $${params.length})`);
    }
    params.push(limit, offset);
    const rows = await this.query(
      `SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY score DESC, from_ms, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(rowToAlert);
  }

  async rejects(page: Page & { batchId?: string } = {}): Promise<(Reject & { batchId: string })[]> {
    const { limit, offset } = pageLimit(page);
    const rows = await this.query(
      `SELECT * FROM rejects WHERE ($1 = '' OR batch_id = $1) ORDER BY batch_id, file, line LIMIT $2 OFFSET $3`,
      [page.batchId ?? '', limit, offset],
    );
    return rows.map((r) => ({ batchId: String(r.batch_id), file: String(r.file), line: num(r.line), reason: String(r.reason), record: String(r.record) }));
  }

  async stats(options: { top?: number } = {}): Promise<StoreStats> {
    const top = Math.min(Math.max(1, options.top ?? 10), 1000);
    const [counts] = await this.query(
      `SELECT (SELECT COUNT(*) FROM transactions) AS transactions, (SELECT COUNT(*) FROM accounts) AS accounts,
              (SELECT COUNT(*) FROM parties) AS parties, (SELECT COUNT(*) FROM reports) AS reports,
              (SELECT COUNT(*) FROM alerts) AS alerts, (SELECT COUNT(*) FROM rejects) AS rejects,
              (SELECT COUNT(*) FROM truth_labels) AS truth,
              (SELECT MIN(time_ms) FROM transactions) AS first_ms, (SELECT MAX(time_ms) FROM transactions) AS last_ms`,
    );
    const currencies = await this.query(
      `SELECT currency, COUNT(*) AS n, SUM(amount_minor) AS amount FROM transactions GROUP BY currency ORDER BY COUNT(*) DESC, currency`,
    );
    const channels = await this.query(`SELECT channel, COUNT(*) AS n FROM transactions GROUP BY channel ORDER BY COUNT(*) DESC, channel`);
    const sources = await this.query(`SELECT source, COUNT(*) AS n FROM transactions GROUP BY source ORDER BY source`);
    const topAccounts = await this.query(
      `SELECT account, SUM(sent) AS sent, SUM(received) AS received, COUNT(DISTINCT counterparty) AS counterparties FROM (
         SELECT from_account AS account, to_account AS counterparty, 1 AS sent, 0 AS received FROM transactions
         UNION ALL SELECT to_account, from_account, 0, 1 FROM transactions) f
       GROUP BY account ORDER BY SUM(sent) + SUM(received) DESC, account LIMIT $1`,
      [top],
    );
    const c = counts ?? {};
    return {
      transactions: num(c.transactions),
      accounts: num(c.accounts),
      parties: num(c.parties),
      reports: num(c.reports),
      alerts: num(c.alerts),
      rejects: num(c.rejects),
      truthLabels: num(c.truth),
      firstMs: c.first_ms === null || c.first_ms === undefined ? null : num(c.first_ms),
      lastMs: c.last_ms === null || c.last_ms === undefined ? null : num(c.last_ms),
      currencies: currencies.map((r) => ({ currency: String(r.currency), count: num(r.n), amountMinor: num(r.amount) })),
      channels: channels.map((r) => ({ channel: String(r.channel), count: num(r.n) })),
      sources: sources.map((r) => ({ source: String(r.source), count: num(r.n) })),
      topAccounts: topAccounts.map((r) => ({
        account: String(r.account),
        sentCount: num(r.sent),
        receivedCount: num(r.received),
        counterparties: num(r.counterparties),
      })),
    };
  }
}

/** Flatten an alert into the row written by both implementations. */
export function alertRow(alert: Alert, batchId: string): SqlParam[] {
  return [
    alert.id,
    alert.typology,
    alert.score,
    JSON.stringify(alert.factors),
    JSON.stringify(alert.accounts),
    JSON.stringify(alert.transactions),
    alert.fromMs,
    alert.toMs,
    alert.amountMinor,
    alert.currency,
    alert.explanation,
    batchId,
  ];
}
