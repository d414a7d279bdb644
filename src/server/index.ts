/**
 * The investigation server (`rastro serve`): the HTTP API over a store, with real-time monitoring, cases,
 * reports and the audit trail. Public surface of src/server.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { RulesConfig } from '../detect/index.js';
import { DEFAULT_DB_PATH, isPostgresUrl, openStore, type Store } from '../store/index.js';
import { buildApp, type AppContext } from './app.js';
import { bootstrap, loadDemo } from './bootstrap.js';

export { buildApp, type AppContext, type ServerOptions } from './app.js';
export { bootstrap, addUser, loadDemo, OPERATOR_TENANT } from './bootstrap.js';
export { Monitor, liveRules, type MonitoredInput } from './monitor.js';
export { hashPassword, verifyPassword } from './auth.js';

export interface ServeOptions {
  /** DuckDB file or postgres:// URL (default ./rastro-data/rastro.duckdb). */
  db?: string;
  /** An open store instead of `db` (tests). */
  store?: Store;
  port?: number;
  host?: string;
  rules?: RulesConfig;
  /** Load the demo world when the database is new (default true). */
  demo?: boolean;
  demoAccounts?: number;
  /** The web app's built files (default: the package's own dist/web when built; false: API only). */
  webRoot?: string | false;
  secureCookies?: boolean;
  checkResponses?: boolean;
  logger?: boolean;
  clock?: () => number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  context: AppContext;
  store: Store;
  /** The web app's files being served, if any. */
  webRoot?: string;
  /** One-time admin token, when this start bootstrapped the database. */
  bootstrapToken?: string;
  demoUsers?: { username: string; password: string; tenant: string; role: string }[];
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clock = options.clock ?? Date.now;
  const db = options.db ?? DEFAULT_DB_PATH;
  const ownStore = !options.store;
  const store = options.store ?? (await openStore(db));
  const webRoot = options.webRoot === false ? undefined : (options.webRoot ?? bundledWebRoot());
  try {
    const { app, context } = await buildApp({
      store,
      ...(options.rules ? { rules: options.rules } : {}),
      ...(webRoot ? { webRoot } : {}),
      secureCookies: options.secureCookies ?? true,
      checkResponses: options.checkResponses ?? false,
      logger: options.logger ?? false,
      clock,
    });
    const { token } = await bootstrap(store.investigation, clock());
    let demoUsers: RunningServer['demoUsers'];
    if (token && (options.demo ?? true)) {
      const dataDir = isPostgresUrl(db) || options.store ? 'rastro-data' : dirname(db);
      const demo = await loadDemo(store.investigation, context.monitor, { dataDir, log, nowMs: clock(), ...(options.demoAccounts ? { accounts: options.demoAccounts } : {}) });
      demoUsers = demo.users;
    }
    await app.listen({ port: options.port ?? 7777, host: options.host ?? '127.0.0.1' });
    const address = app.server.address() as AddressInfo;
    const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    return {
      url,
      app,
      context,
      store,
      ...(webRoot ? { webRoot } : {}),
      ...(token ? { bootstrapToken: token } : {}),
      ...(demoUsers ? { demoUsers } : {}),
      async close() {
        await app.close();
        if (ownStore) await store.close();
      },
    };
  } catch (err) {
    if (ownStore) await store.close().catch(() => undefined);
    throw err;
  }
}

/** The web app built into this package (`npm run build` writes dist/web), if it is there. */
export function bundledWebRoot(): string | undefined {
  // this file is dist/src/server/index.js; the app is dist/web
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** The API's OpenAPI document, as `GET /api/openapi.json` answers it (built on a throw-away in-memory store). */
export async function apiDocument(): Promise<Record<string, unknown>> {
  const store = await openStore(':memory:');
  try {
    const { app } = await buildApp({ store, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      return JSON.parse(res.body) as Record<string, unknown>;
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
