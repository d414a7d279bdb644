/**
 * The stores every contract test runs against: DuckDB always, PostgreSQL when RASTRO_TEST_PG holds a URL
 * (each run gets its own database, dropped at the end).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

export interface StoreFixture {
  name: string;
  /** Why this store is skipped, or undefined when it runs. */
  skip?: string;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function duckdbFixture(): StoreFixture {
  let dir: string | undefined;
  let n = 0;
  return {
    name: 'duckdb',
    async open() {
      dir ??= await mkdtemp(join(tmpdir(), 'rastro-store-'));
      return openStore(join(dir, `db-${++n}.duckdb`));
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export function postgresFixture(): StoreFixture {
  const admin = process.env.RASTRO_TEST_PG;
  const created: string[] = [];
  return {
    name: 'postgres',
    skip: admin ? undefined : 'RASTRO_TEST_PG not set: PostgreSQL store tests skipped',
    async open() {
      const name = `rastro_test_${randomBytes(5).toString('hex')}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      const url = new URL(admin!);
      url.pathname = `/${name}`;
      return openStore(url.toString());
    },
    async cleanup() {
      if (!admin || created.length === 0) return;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function allStoreFixtures(): StoreFixture[] {
  return [duckdbFixture(), postgresFixture()];
}
