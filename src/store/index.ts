import { join } from 'node:path';
import { DuckDbStore } from './duckdb.js';
import type { Store } from './store.js';

export * from './store.js';
export * from './investigation.js';
export { auditHash, checkChain, startChainCheck, GENESIS_HASH, type AuditDraft, type AuditEntry, type ChainCheck } from './audit-chain.js';
export { DuckDbStore } from './duckdb.js';
export { loadFiles, type LoadOptions, type LoadResult } from './load.js';

/** Default embedded database: a DuckDB file under ./rastro-data/. */
export const DEFAULT_DB_PATH = join('rastro-data', 'rastro.duckdb');

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** Open the store a `--db` value names: a postgres:// URL, or a DuckDB file path (default ./rastro-data/rastro.duckdb). */
export async function openStore(location: string = DEFAULT_DB_PATH): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { PostgresStore } = await import('./postgres.js');
    return PostgresStore.open(location);
  }
  return DuckDbStore.open(location);
}
