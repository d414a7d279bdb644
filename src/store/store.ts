/**
 * The store contract: write batches of canonical records, read what investigations need.
 * DuckDB (embedded default) and PostgreSQL (servers) implement it; one contract test suite runs on both.
 */
import type { IngestBatch } from '../ingest/reader.js';
import type { Account, Alert, Party, Reject, Transaction } from '../model/index.js';
import type { InvestigationStore } from './investigation.js';

export interface IngestRunInfo {
  batchId: string;
  startedMs: number;
  files: readonly string[];
}

export interface IngestCounts {
  /** Transactions the readers produced in this run. */
  transactionsRead: number;
  /** Transactions new to the store (the rest were already there, or repeated within the input). */
  transactionsInserted: number;
  duplicates: number;
  accounts: number;
  parties: number;
  reports: number;
  truthLabels: number;
  rejects: number;
}

export function emptyIngestCounts(): IngestCounts {
  return { transactionsRead: 0, transactionsInserted: 0, duplicates: 0, accounts: 0, parties: 0, reports: 0, truthLabels: 0, rejects: 0 };
}

export interface TimeRange {
  /** Inclusive lower bound, epoch ms. */
  fromMs?: number;
  /** Exclusive upper bound, epoch ms. */
  toMs?: number;
}

export interface Page {
  limit?: number;
  offset?: number;
}

export interface Neighbour {
  account: string;
  direction: 'in' | 'out';
  currency: string;
  count: number;
  amountMinor: number;
  firstMs: number;
  lastMs: number;
}

export interface DailyAggregate {
  dayMs: number;
  currency: string;
  inCount: number;
  inAmountMinor: number;
  outCount: number;
  outAmountMinor: number;
}

export interface AccountActivity {
  account: string;
  sentCount: number;
  receivedCount: number;
  counterparties: number;
}

export interface StoreStats {
  transactions: number;
  accounts: number;
  parties: number;
  reports: number;
  alerts: number;
  rejects: number;
  truthLabels: number;
  firstMs: number | null;
  lastMs: number | null;
  currencies: { currency: string; count: number; amountMinor: number }[];
  channels: { channel: string; count: number }[];
  sources: { source: string; count: number }[];
  topAccounts: AccountActivity[];
}

export interface AlertFilter extends TimeRange, Page {
  typology?: string;
  minScore?: number;
  account?: string;
}

export interface AccountDetail {
  account: Account;
  parties: { party: Party; role: string }[];
}

/** Limits on reads: a query never returns more than this many rows, whatever it asks. */
export const MAX_PAGE_ROWS = 10_000;
export const DEFAULT_PAGE_ROWS = 1_000;

export function pageLimit(page: Page): { limit: number; offset: number } {
  const limit = Math.min(Math.max(1, Math.floor(page.limit ?? DEFAULT_PAGE_ROWS)), MAX_PAGE_ROWS);
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  return { limit, offset };
}

export interface IngestSession {
  write(batch: IngestBatch): Promise<void>;
  /** Make the run's records visible, each transaction once (idempotent on source + id). */
  commit(): Promise<IngestCounts>;
  /** Drop everything written in this session. */
  abort(): Promise<void>;
}

/** One candidate of a sanctions screening of a party (see src/screen `screeningRecords`). */
export interface PartyScreening {
  partyId: string;
  screenedAtMs: number;
  queryName: string | null;
  entityKey: string;
  list: string;
  listVersion: string | null;
  entityName: string;
  matchedName: string;
  nameStrength: string;
  score: number;
  match: boolean;
  programs: string[];
  reasons: string[];
}

export interface Store {
  readonly kind: 'duckdb' | 'postgres';
  /** Where the data lives (file path or URL with the password hidden). */
  readonly location: string;
  beginIngest(info: IngestRunInfo): Promise<IngestSession>;
  /** Transactions sent or received by an account in a time range, oldest first. */
  transactionsOfAccount(account: string, range?: TimeRange & Page): Promise<Transaction[]>;
  /** Counterparties of an account with flow totals per direction and currency, largest first. */
  neighbours(account: string, options?: TimeRange & Page & { direction?: 'in' | 'out' | 'both' }): Promise<Neighbour[]>;
  /** Per UTC day and currency: what came in and went out of an account. */
  dailyAggregates(account: string, range?: TimeRange): Promise<DailyAggregate[]>;
  account(id: string): Promise<AccountDetail | undefined>;
  writeAlerts(alerts: readonly Alert[], batchId: string): Promise<number>;
  alerts(filter?: AlertFilter): Promise<Alert[]>;
  /** Keep screening results with their party; the same party, entity and instant again is stored once. */
  writeScreenings(rows: readonly PartyScreening[]): Promise<number>;
  /** A party's screenings, newest first, best score first within one screening. */
  screeningsOfParty(partyId: string): Promise<PartyScreening[]>;
  rejects(page?: Page & { batchId?: string }): Promise<(Reject & { batchId: string })[]>;
  stats(options?: { top?: number }): Promise<StoreStats>;
  /** Tenants, people, monitored transactions, alert queue, cases, intake and audit (the investigation server's data). */
  readonly investigation: InvestigationStore;
  close(): Promise<void>;
}
