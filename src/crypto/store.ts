/**
 * The UTXO graph, clusters and tags in DuckDB: tables of their own (`crypto_*`, created and versioned here,
 * apart from the shared store's migrations) in the same database file. The tables mirror the graph's
 * arrays (ids are array positions), so a load is a few column scans and a save appends what is new since
 * the load. Bulk writes go through CSV segments read by DuckDB's COPY; the JavaScript thread never builds
 * a row object.
 *
 * Tables (all ids 0-based and dense):
 *   crypto_blocks(block_id, hash, prev_hash, height, time_s, tx_start, tx_end, source)
 *   crypto_txs(tx_id, txid, block_id, height, time_s, coinbase, n_in, n_out)
 *   crypto_outputs(out_id, tx_id, vout, value_sats, address_id, script_type)    address_id NULL: OP_RETURN
 *   crypto_inputs(in_id, tx_id, vin, prev_out)                                   prev_out NULL: coinbase/orphan
 *   crypto_orphans(in_id, prev_txid, prev_vout)                                  inputs waiting for their output
 *   crypto_addresses(address_id, address, key, first_tx)
 *   crypto_clusters(address_id, cluster_id)     crypto_cluster_merges(from_cluster, into_cluster, run_ms)
 *   crypto_coinjoins(tx_id, kind)               crypto_meta(key, value)
 *   crypto_tags(...)                            crypto_actors(...)
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { toHexReversed } from './encoding.js';
import type { Clustering, ClusterChanges } from './cluster.js';
import { COINJOIN_KINDS } from './coinjoin.js';
import { UtxoGraph, type BlockRecord, type GraphColumns } from './graph.js';
import { ADDRESS_KEY_BYTES, keyIsSelfDescribing, NETWORKS, SCRIPT_TYPES, type Network } from './script.js';
import { TagIndex, type Actor, type Tag } from './tags.js';

const SCHEMA_VERSION = 1;

const DDL = [
  `CREATE TABLE IF NOT EXISTS crypto_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_blocks (block_id INTEGER NOT NULL, hash VARCHAR NOT NULL, prev_hash VARCHAR NOT NULL, height INTEGER,
     time_s BIGINT NOT NULL, tx_start INTEGER NOT NULL, tx_end INTEGER NOT NULL, source VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_txs (tx_id INTEGER NOT NULL, txid VARCHAR NOT NULL, block_id INTEGER NOT NULL, height INTEGER,
     time_s BIGINT NOT NULL, coinbase BOOLEAN NOT NULL, n_in INTEGER NOT NULL, n_out INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_outputs (out_id INTEGER NOT NULL, tx_id INTEGER NOT NULL, vout INTEGER NOT NULL, value_sats BIGINT NOT NULL,
     address_id INTEGER, script_type VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_inputs (in_id INTEGER NOT NULL, tx_id INTEGER NOT NULL, vin INTEGER NOT NULL, prev_out INTEGER)`,
  `CREATE TABLE IF NOT EXISTS crypto_orphans (in_id INTEGER NOT NULL, prev_txid VARCHAR NOT NULL, prev_vout BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_addresses (address_id INTEGER NOT NULL, address VARCHAR NOT NULL, key VARCHAR NOT NULL, first_tx INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_clusters (address_id INTEGER NOT NULL, cluster_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_cluster_merges (from_cluster INTEGER NOT NULL, into_cluster INTEGER NOT NULL, run_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_coinjoins (tx_id INTEGER NOT NULL, kind VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS crypto_tags (address VARCHAR NOT NULL, label VARCHAR NOT NULL, category VARCHAR, abuse VARCHAR, actor VARCHAR,
     source VARCHAR NOT NULL, confidence VARCHAR NOT NULL, confidence_level INTEGER NOT NULL, pack VARCHAR NOT NULL, is_cluster_definer BOOLEAN NOT NULL, lastmod VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS crypto_actors (id VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, categories VARCHAR NOT NULL, jurisdictions VARCHAR NOT NULL, uri VARCHAR)`,
];

/** Counts at load time: a save appends from here. */
export interface GraphSnapshot {
  blocks: number;
  txs: number;
  outputs: number;
  inputs: number;
  addresses: number;
  /** Input ids that were orphans at load time (some may be resolved by the time of the save). */
  orphanInputs: Int32Array;
}

export interface StoredClustering {
  clusterOf: Int32Array;
  coinjoin: Uint8Array;
  options: Clustering['options'];
  runMs: number;
}

export interface CryptoStoreOptions {
  memoryLimit?: string;
}

function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export class CryptoStore {
  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly stageDir: string,
  ) {}

  static async open(path: string, options: CryptoStoreOptions = {}): Promise<CryptoStore> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path, { memory_limit: options.memoryLimit ?? '768MB', preserve_insertion_order: 'false' });
    const conn = await instance.connect();
    const stageDir = await mkdtemp(join(path === ':memory:' ? tmpdir() : dirname(path), '.rastro-crypto-'));
    const store = new CryptoStore(path, instance, conn, stageDir);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    for (const s of DDL) await this.conn.run(s);
    const v = await this.meta('schema_version');
    if (v === undefined) await this.setMeta('schema_version', String(SCHEMA_VERSION));
    else if (Number(v) > SCHEMA_VERSION) throw new Error(`crypto tables are at schema version ${v}; this Rastro knows ${SCHEMA_VERSION}`);
  }

  async meta(key: string): Promise<string | undefined> {
    const r = await this.conn.runAndReadAll(`SELECT value FROM crypto_meta WHERE key = $1`, [key]);
    const rows = r.getRows();
    return rows.length ? String(rows[0]![0]) : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.conn.run(`INSERT OR REPLACE INTO crypto_meta VALUES ($1, $2)`, [key, value]);
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> {
    return (await this.conn.runAndReadAll(sql, params)).getRows();
  }

  private async count(table: string): Promise<number> {
    return Number((await this.rows(`SELECT count(*) FROM ${table}`))[0]![0]);
  }

  /** Stream a query's chunks; `each(get, rows)` reads column c of row r through `get(c, r)`. */
  private async scan(sql: string, each: (get: (c: number, r: number) => unknown, rows: number) => void): Promise<void> {
    const result = await this.conn.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const vectors = Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c));
      each((c, r) => vectors[c]!.getItem(r), chunk.rowCount);
    }
  }

  /** Write rows as a CSV segment and COPY it into `table`. */
  private async copy(table: string, rows: number, row: (i: number) => string): Promise<void> {
    if (rows === 0) return;
    const path = join(this.stageDir, `${table}.csv`);
    const out = createWriteStream(path, { highWaterMark: 1 << 20 });
    const done = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    const BATCH = 8192;
    for (let start = 0; start < rows; start += BATCH) {
      let text = '';
      for (let i = start; i < Math.min(rows, start + BATCH); i++) text += `${row(i)}\n`;
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await done;
    await this.conn.run(`COPY ${table} FROM ${sqlString(path)} (FORMAT csv, HEADER false, NULLSTR '')`);
    await rm(path, { force: true });
  }

  async network(): Promise<Network | undefined> {
    const n = await this.meta('network');
    return n ? NETWORKS[n as Network['name']] : undefined;
  }

  /** Load the whole graph (empty when nothing was ingested yet). */
  async loadGraph(network: Network): Promise<{ graph: UtxoGraph; snapshot: GraphSnapshot }> {
    const stored = await this.network();
    if (stored && stored.name !== network.name) throw new Error(`this database holds ${stored.name} data, not ${network.name}`);
    const nTx = await this.count('crypto_txs');
    const nOut = await this.count('crypto_outputs');
    const nIn = await this.count('crypto_inputs');
    const nAddr = await this.count('crypto_addresses');
    const blocks: BlockRecord[] = [];
    await this.scan(`SELECT hash, prev_hash, height, time_s::DOUBLE, tx_start, tx_end, source FROM crypto_blocks ORDER BY block_id`, (get, n) => {
      for (let r = 0; r < n; r++) {
        const h = get(2, r);
        blocks.push({ hash: String(get(0, r)), prevHash: String(get(1, r)), height: h === null ? null : Number(h), time: Number(get(3, r)), txStart: Number(get(4, r)), txEnd: Number(get(5, r)), source: String(get(6, r)) });
      }
    });
    const c: GraphColumns = {
      blocks,
      txids: new Uint8Array(nTx * 32),
      txTime: new Uint32Array(nTx),
      txHeight: new Int32Array(nTx),
      txBlock: new Int32Array(nTx),
      txFlags: new Uint8Array(nTx),
      txNIn: new Int32Array(nTx),
      txNOut: new Int32Array(nTx),
      outValue: new Float64Array(nOut),
      outAddr: new Int32Array(nOut),
      outType: new Uint8Array(nOut),
      inPrev: new Int32Array(nIn),
      addrKeys: new Uint8Array(nAddr * ADDRESS_KEY_BYTES),
      addrNames: new Map(),
      addrFirstTx: new Int32Array(nAddr),
      orphans: [],
    };
    // Hex is split into 32-bit words by DuckDB (vectorised C++), so JavaScript reads numbers, not strings.
    const words = (col: string, from: number, n: number) => Array.from({ length: n }, (_, k) => `('0x' || substr(${col}, ${from + 8 * k}, 8))::UINTEGER`).join(', ');
    let t = 0;
    await this.scan(`SELECT ${words('txid', 1, 8)}, block_id, coalesce(height, -1), time_s::DOUBLE, coinbase, n_in, n_out FROM crypto_txs ORDER BY tx_id`, (get, n) => {
      const ids = c.txids;
      for (let r = 0; r < n; r++, t++) {
        // Display order word k holds display bytes 4k..4k+3; serialized byte i is display byte 31 - i.
        for (let k = 0; k < 8; k++) {
          const w = get(k, r) as number;
          const base = t * 32 + 31 - 4 * k;
          ids[base] = w >>> 24;
          ids[base - 1] = (w >>> 16) & 0xff;
          ids[base - 2] = (w >>> 8) & 0xff;
          ids[base - 3] = w & 0xff;
        }
        c.txBlock[t] = get(8, r) as number;
        c.txHeight[t] = get(9, r) as number;
        c.txTime[t] = get(10, r) as number;
        c.txFlags[t] = get(11, r) ? 1 : 0;
        c.txNIn[t] = get(12, r) as number;
        c.txNOut[t] = get(13, r) as number;
      }
    });
    const typeList = `[${SCRIPT_TYPES.map((x) => `'${x}'`).join(', ')}]`;
    let o = 0;
    await this.scan(`SELECT value_sats::DOUBLE, coalesce(address_id, -1), (list_position(${typeList}, script_type) - 1)::INTEGER FROM crypto_outputs ORDER BY out_id`, (get, n) => {
      for (let r = 0; r < n; r++, o++) {
        c.outValue[o] = get(0, r) as number;
        c.outAddr[o] = get(1, r) as number;
        c.outType[o] = Math.max(0, get(2, r) as number);
      }
    });
    let i = 0;
    await this.scan(`SELECT coalesce(prev_out, -1) FROM crypto_inputs ORDER BY in_id`, (get, n) => {
      for (let r = 0; r < n; r++, i++) c.inPrev[i] = get(0, r) as number;
    });
    let a = 0;
    const names = c.addrNames as Map<number, string>;
    // Keys of kinds 6.. (multisig, nonstandard, unknown witness, anchor) do not spell their address: read its name.
    await this.scan(
      `SELECT ('0x' || substr(key, 1, 2))::UINTEGER, ${words('key', 3, 8)}, CASE WHEN substr(key, 1, 2) >= '06' THEN address END, first_tx FROM crypto_addresses ORDER BY address_id`,
      (get, n) => {
        const keys = c.addrKeys;
        for (let r = 0; r < n; r++, a++) {
          const base = a * ADDRESS_KEY_BYTES;
          const kind = get(0, r) as number;
          keys[base] = kind;
          for (let k = 0; k < 8; k++) {
            const w = get(1 + k, r) as number;
            const at = base + 1 + 4 * k;
            keys[at] = w >>> 24;
            keys[at + 1] = (w >>> 16) & 0xff;
            keys[at + 2] = (w >>> 8) & 0xff;
            keys[at + 3] = w & 0xff;
          }
          if (!keyIsSelfDescribing(kind)) names.set(a, String(get(9, r)));
          c.addrFirstTx[a] = get(10, r) as number;
        }
      },
    );
    const orphans: { input: number; prevTxid: string; vout: number }[] = [];
    await this.scan(`SELECT in_id, prev_txid, prev_vout FROM crypto_orphans ORDER BY in_id`, (get, n) => {
      for (let r = 0; r < n; r++) orphans.push({ input: Number(get(0, r)), prevTxid: String(get(1, r)), vout: Number(get(2, r)) });
    });
    c.orphans = orphans;
    const graph = UtxoGraph.restore(network, c);
    return {
      graph,
      snapshot: { blocks: blocks.length, txs: nTx, outputs: nOut, inputs: nIn, addresses: nAddr, orphanInputs: Int32Array.from(orphans.map((x) => x.input)) },
    };
  }

  /** Append what the graph gained since `since`; resolved orphans are updated, the orphan list replaced. */
  async saveGraph(g: UtxoGraph, since: GraphSnapshot): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await this.setMeta('network', g.network.name);
      const blocks = g.blocks.slice(since.blocks);
      await this.copy('crypto_blocks', blocks.length, (k) => {
        const b = blocks[k]!;
        return `${since.blocks + k},${b.hash},${b.prevHash},${b.height ?? ''},${b.time},${b.txStart},${b.txEnd},${csvText(b.source || '-')}`;
      });
      await this.copy('crypto_txs', g.txCount - since.txs, (k) => {
        const t = since.txs + k;
        const h = g.txHeight[t]!;
        return `${t},${toHexReversed(g.txids.keyAt(t))},${g.txBlock[t]},${h < 0 ? '' : h},${g.txTime[t]},${g.isCoinbase(t)},${g.txInStart[t + 1]! - g.txInStart[t]!},${g.txOutStart[t + 1]! - g.txOutStart[t]!}`;
      });
      await this.copy('crypto_outputs', g.outCount - since.outputs, (k) => {
        const o = since.outputs + k;
        const a = g.outAddr[o]!;
        return `${o},${g.outTx[o]},${g.vout(o)},${g.outValue[o]},${a < 0 ? '' : a},${SCRIPT_TYPES[g.outType[o]!]}`;
      });
      await this.copy('crypto_inputs', g.inCount - since.inputs, (k) => {
        const i = since.inputs + k;
        const p = g.inPrev[i]!;
        const t = g.inTx[i]!;
        return `${i},${t},${i - g.txInStart[t]!},${p < 0 ? '' : p}`;
      });
      await this.copy('crypto_addresses', g.addressCount - since.addresses, (k) => {
        const a = since.addresses + k;
        return `${a},${csvText(g.addressName(a))},${Buffer.from(g.addresses.keyAt(a)).toString('hex')},${g.addrFirstTx[a]}`;
      });
      // Orphans of earlier loads that found their output now.
      const resolved: number[] = [];
      for (const i of since.orphanInputs) if (g.inPrev[i]! >= 0) resolved.push(i);
      if (resolved.length) {
        await this.conn.run(`CREATE OR REPLACE TEMP TABLE crypto_resolved (in_id INTEGER, prev_out INTEGER)`);
        await this.copy('crypto_resolved', resolved.length, (k) => `${resolved[k]},${g.inPrev[resolved[k]!]}`);
        await this.conn.run(`UPDATE crypto_inputs SET prev_out = r.prev_out FROM crypto_resolved r WHERE crypto_inputs.in_id = r.in_id`);
        await this.conn.run(`DROP TABLE crypto_resolved`);
      }
      await this.conn.run(`DELETE FROM crypto_orphans`);
      const orphans = g.orphans();
      await this.copy('crypto_orphans', orphans.length, (k) => `${orphans[k]!.input},${orphans[k]!.prevTxid},${orphans[k]!.vout}`);
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    }
  }

  async loadClustering(): Promise<StoredClustering | undefined> {
    const options = await this.meta('cluster_options');
    if (!options) return undefined;
    const n = await this.count('crypto_clusters');
    const clusterOf = new Int32Array(n);
    let a = 0;
    await this.scan(`SELECT cluster_id FROM crypto_clusters ORDER BY address_id`, (get, rows) => {
      for (let r = 0; r < rows; r++, a++) clusterOf[a] = Number(get(0, r));
    });
    const nTx = await this.count('crypto_txs');
    const coinjoin = new Uint8Array(nTx);
    const kinds = new Map<string, number>(COINJOIN_KINDS.map((k, i) => [k, i]));
    await this.scan(`SELECT tx_id, kind FROM crypto_coinjoins`, (get, rows) => {
      for (let r = 0; r < rows; r++) {
        const t = Number(get(0, r));
        if (t < nTx) coinjoin[t] = kinds.get(String(get(1, r))) ?? 0;
      }
    });
    return { clusterOf, coinjoin, options: JSON.parse(options), runMs: Number((await this.meta('cluster_run_ms')) ?? 0) };
  }

  async saveClustering(c: Clustering, changes: ClusterChanges, runMs: number): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await this.conn.run(`DELETE FROM crypto_clusters`);
      await this.copy('crypto_clusters', c.clusterOf.length, (a) => `${a},${c.clusterOf[a]}`);
      await this.conn.run(`DELETE FROM crypto_coinjoins`);
      const cj: number[] = [];
      for (let t = 0; t < c.coinjoin.length; t++) if (c.coinjoin[t]) cj.push(t);
      await this.copy('crypto_coinjoins', cj.length, (k) => `${cj[k]},${COINJOIN_KINDS[c.coinjoin[cj[k]!]!]}`);
      const merges = [...changes.merged];
      await this.copy('crypto_cluster_merges', merges.length, (k) => `${merges[k]![0]},${merges[k]![1]},${runMs}`);
      await this.setMeta('cluster_options', JSON.stringify(c.options));
      await this.setMeta('cluster_run_ms', String(runMs));
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    }
  }

  /** Where a cluster id went (following recorded merges); the id itself when it never merged. */
  async resolveClusterId(id: number): Promise<number> {
    let cur = id;
    for (let k = 0; k < 1000; k++) {
      const r = await this.rows(`SELECT into_cluster FROM crypto_cluster_merges WHERE from_cluster = $1 ORDER BY run_ms DESC LIMIT 1`, [cur]);
      if (!r.length) return cur;
      cur = Number(r[0]![0]);
    }
    return cur;
  }

  /** Store tags and actors; tags of a pack already stored are replaced by the new load of that pack. */
  async saveTags(tags: readonly Tag[], actors: readonly Actor[]): Promise<{ tags: number; actors: number }> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const packs = [...new Set(tags.map((t) => t.pack))];
      for (const p of packs) await this.conn.run(`DELETE FROM crypto_tags WHERE pack = $1`, [p]);
      const opt = (s: string | undefined) => (s === undefined ? '' : csvText(s));
      await this.copy('crypto_tags', tags.length, (k) => {
        const t = tags[k]!;
        return [csvText(t.address), csvText(t.label), opt(t.category), opt(t.abuse), opt(t.actor), csvText(t.source), csvText(t.confidence), t.confidenceLevel, csvText(t.pack), t.isClusterDefiner, opt(t.lastmod)].join(',');
      });
      for (const a of actors) {
        await this.conn.run(`INSERT OR REPLACE INTO crypto_actors VALUES ($1, $2, $3, $4, $5)`, [a.id, a.label, JSON.stringify(a.categories), JSON.stringify(a.jurisdictions), a.uri ?? null]);
      }
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    }
    return { tags: await this.count('crypto_tags'), actors: await this.count('crypto_actors') };
  }

  async loadTags(): Promise<TagIndex> {
    const actors: Actor[] = [];
    for (const r of await this.rows(`SELECT id, label, categories, jurisdictions, uri FROM crypto_actors`)) {
      const a: Actor = { id: String(r[0]), label: String(r[1]), categories: JSON.parse(String(r[2])), jurisdictions: JSON.parse(String(r[3])) };
      if (r[4] !== null) a.uri = String(r[4]);
      actors.push(a);
    }
    const index = new TagIndex([], actors);
    await this.scan(`SELECT address, label, category, abuse, actor, source, confidence, confidence_level, pack, is_cluster_definer, lastmod FROM crypto_tags`, (get, n) => {
      for (let r = 0; r < n; r++) {
        const t: Tag = {
          address: String(get(0, r)),
          label: String(get(1, r)),
          source: String(get(5, r)),
          confidence: String(get(6, r)),
          confidenceLevel: Number(get(7, r)),
          pack: String(get(8, r)),
          isClusterDefiner: Boolean(get(9, r)),
        };
        const opt = (c: number) => {
          const v = get(c, r);
          return v === null ? undefined : String(v);
        };
        const category = opt(2);
        const abuse = opt(3);
        const actor = opt(4);
        const lastmod = opt(10);
        if (category) t.category = category;
        if (abuse) t.abuse = abuse;
        if (actor) t.actor = actor;
        if (lastmod) t.lastmod = lastmod;
        index.add(t);
      }
    });
    return index;
  }

  async counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ['blocks', 'txs', 'outputs', 'inputs', 'orphans', 'addresses', 'tags', 'actors']) out[t] = await this.count(`crypto_${t}`);
    return out;
  }

  async close(): Promise<void> {
    await rm(this.stageDir, { recursive: true, force: true });
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
