/**
 * Crypto tracing (Bitcoin): readers of blocks, the UTXO graph, clustering, attribution, exposure, tracing
 * and peel-chain detection. Everything here is a pure function over in-memory data except the readers'
 * file and network edges (ingest.ts, rpc.ts) and the DuckDB store (store.ts).
 */
export * from './encoding.js';
export * from './script.js';
export * from './block.js';
export * from './core-json.js';
export * from './blk-files.js';
export { FixedKeyTable } from './intern.js';
export { UtxoGraph, TX_COINBASE, type BlockRecord, type GraphIssueCounts } from './graph.js';
export { ingestPaths, ingestRpc, BLOCK_FORMATS, type BlockFormat, type IngestOptions, type IngestReport, type RpcRange } from './ingest.js';
export { RpcClient, RpcError, type RpcOptions } from './rpc.js';
export { clusterGraph, compareClusterings, clusterMembers, UnionFind, type Clustering, type ClusterOptions, type ClusterChanges } from './cluster.js';
export * from './coinjoin.js';
export * from './change.js';
export * from './tags.js';
export * from './exposure.js';
export * from './trace.js';
export * from './peel.js';
export { CryptoStore, type GraphSnapshot, type StoredClustering, type CryptoStoreOptions } from './store.js';
