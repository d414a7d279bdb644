/**
 * Attribution: GraphSense TagPacks (YAML: pack-level defaults, overridden per tag), the GraphSense actor
 * pack, and OFAC's digital-currency address lists (one JSON array per asset). Tags keep their label,
 * category, abuse, actor, source, confidence and pack; nothing is merged away. Tags reach a cluster's other
 * addresses only when the tag says it defines the cluster (GraphSense `is_cluster_definer`) or comes from a
 * sanctions list; conflicting attributions of one cluster are listed side by side with their sources.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Clustering } from './cluster.js';
import type { UtxoGraph } from './graph.js';
import { isBitcoinAddress, MAINNET, type Network } from './script.js';

/** GraphSense confidence scale (tagpack-tool `confidence.csv`, levels 0..100). */
export const CONFIDENCE_LEVELS: Readonly<Record<string, number>> = {
  override: 100,
  ownership: 100,
  manual_transaction: 90,
  service_api: 70,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  heuristic: 10,
  unknown: 5,
};

export const OFAC_SDN_SOURCE = 'https://www.treasury.gov/ofac/downloads/sdnlist.txt';

export interface Tag {
  address: string;
  label: string;
  /** GraphSense / INTERPOL taxonomy category: exchange, market, mixing_service, coinjoin, ... */
  category?: string;
  /** Abuse: ransomware, sanction, scam, ponzi_scheme, terrorism, ... */
  abuse?: string;
  actor?: string;
  source: string;
  confidence: string;
  confidenceLevel: number;
  /** The tag pack (title) or list it came from. */
  pack: string;
  isClusterDefiner: boolean;
  lastmod?: string;
}

export interface Actor {
  id: string;
  label: string;
  categories: string[];
  jurisdictions: string[];
  uri?: string;
}

export interface TagLoadReport {
  files: number;
  tags: number;
  actors: number;
  /** Tags for other currencies (ETH, TRX, ...), not loaded. */
  otherCurrency: number;
  /** Addresses that are not valid Bitcoin addresses (bad checksum, wrong network), reported and skipped. */
  invalid: { file: string; address: string; reason: string }[];
  /** Files that could not be read as a tag pack, actor pack or address list. */
  unreadable: { file: string; reason: string }[];
}

/** The exposure categories a tag puts its address in. */
export function tagCategories(tag: Tag, actors?: ReadonlyMap<string, Actor>): string[] {
  const out = new Set<string>();
  if (tag.category) out.add(tag.category);
  if (tag.abuse) out.add(tag.abuse === 'sanction' ? 'sanctioned' : tag.abuse);
  if (out.size === 0 && tag.actor) for (const c of actors?.get(tag.actor)?.categories ?? []) out.add(c);
  if (out.size === 0) out.add('other');
  return [...out];
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function isBitcoinCurrency(c: string | undefined): boolean {
  const u = (c ?? '').toUpperCase();
  return u === 'BTC' || u === 'XBT';
}

/** Parse one TagPack document; Bitcoin tags only (others are counted). */
export function parseTagPack(doc: unknown, file: string, report: TagLoadReport, net: Network = MAINNET): Tag[] {
  const pack = doc as Record<string, unknown>;
  if (!pack || typeof pack !== 'object' || !Array.isArray(pack.tags)) throw new Error('no tags list');
  const title = str(pack.title) ?? basename(file);
  const out: Tag[] = [];
  for (const raw of pack.tags as Record<string, unknown>[]) {
    if (!raw || typeof raw !== 'object') continue;
    const field = (k: string): unknown => (k in raw ? raw[k] : pack[k]);
    const address = str(raw.address);
    if (!address) continue;
    if (!isBitcoinCurrency(str(field('currency')))) {
      report.otherCurrency++;
      continue;
    }
    if (!isBitcoinAddress(address, net)) {
      report.invalid.push({ file, address, reason: 'not a valid Bitcoin address (checksum or network)' });
      continue;
    }
    const confidence = str(field('confidence')) ?? 'unknown';
    const tag: Tag = {
      address,
      label: str(field('label')) ?? title,
      source: str(field('source')) ?? file,
      confidence,
      confidenceLevel: CONFIDENCE_LEVELS[confidence] ?? CONFIDENCE_LEVELS.unknown!,
      pack: title,
      isClusterDefiner: bool(field('is_cluster_definer')) ?? false,
    };
    const category = str(field('category'));
    const abuse = str(field('abuse'));
    const actor = str(field('actor'));
    const lastmod = str(field('lastmod'));
    if (category) tag.category = category;
    if (abuse) tag.abuse = abuse;
    if (actor) tag.actor = actor;
    if (lastmod) tag.lastmod = lastmod;
    out.push(tag);
  }
  return out;
}

export function parseActorPack(doc: unknown): Actor[] {
  const d = doc as { actors?: Record<string, unknown>[] };
  if (!d || !Array.isArray(d.actors)) throw new Error('no actors list');
  return d.actors
    .filter((a) => a && typeof a === 'object' && str(a.id))
    .map((a) => {
      const actor: Actor = {
        id: str(a.id)!,
        label: str(a.label) ?? str(a.id)!,
        categories: Array.isArray(a.categories) ? a.categories.map((c) => String(c)) : [],
        jurisdictions: Array.isArray(a.jurisdictions) ? a.jurisdictions.map((c) => String(c)) : [],
      };
      const uri = str(a.uri);
      if (uri) actor.uri = uri;
      return actor;
    });
}

/** OFAC digital-currency addresses (0xB10C's `sanctioned_addresses_<ASSET>.json`): Bitcoin (XBT) only. */
export function parseOfacList(list: unknown, file: string, report: TagLoadReport, net: Network = MAINNET): Tag[] {
  if (!Array.isArray(list)) throw new Error('not a JSON array of addresses');
  const asset = /_([A-Z0-9]+)\.json$/i.exec(basename(file))?.[1]?.toUpperCase() ?? 'XBT';
  if (asset !== 'XBT' && asset !== 'BTC') {
    report.otherCurrency += list.length;
    return [];
  }
  const out: Tag[] = [];
  for (const v of list) {
    const address = String(v).trim();
    if (!isBitcoinAddress(address, net)) {
      report.invalid.push({ file, address, reason: 'not a valid Bitcoin address (checksum or network)' });
      continue;
    }
    out.push({
      address,
      label: 'OFAC SDN list',
      abuse: 'sanction',
      source: OFAC_SDN_SOURCE,
      confidence: 'authority_data',
      confidenceLevel: CONFIDENCE_LEVELS.authority_data!,
      pack: `OFAC SDN digital currency addresses (${asset})`,
      isClusterDefiner: false,
    });
  }
  return out;
}

export function emptyTagReport(): TagLoadReport {
  return { files: 0, tags: 0, actors: 0, otherCurrency: 0, invalid: [], unreadable: [] };
}

/** Read tag packs, actor packs and OFAC lists from files and directories (recursively for directories). */
export async function loadTagSources(paths: readonly string[], net: Network = MAINNET): Promise<{ tags: Tag[]; actors: Actor[]; report: TagLoadReport }> {
  const report = emptyTagReport();
  const tags: Tag[] = [];
  const actors: Actor[] = [];
  const files: string[] = [];
  const walk = async (p: string): Promise<void> => {
    let st;
    try {
      st = await stat(p);
    } catch {
      report.unreadable.push({ file: p, reason: 'no such file or directory' });
      return;
    }
    if (st.isDirectory()) {
      for (const n of (await readdir(p)).sort()) {
        const child = join(p, n);
        const ext = extname(n).toLowerCase();
        if ((await stat(child)).isDirectory()) await walk(child);
        else if (ext === '.yaml' || ext === '.yml' || ext === '.json') files.push(child);
      }
    } else files.push(p);
  };
  for (const p of paths) await walk(p);
  for (const file of files) {
    let doc: unknown;
    try {
      const text = await readFile(file, 'utf8');
      doc = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { schema: 'core', uniqueKeys: false });
    } catch (err) {
      report.unreadable.push({ file, reason: (err as Error).message.split('\n')[0]! });
      continue;
    }
    report.files++;
    try {
      if (Array.isArray(doc)) tags.push(...parseOfacList(doc, file, report, net));
      else if (doc && typeof doc === 'object' && 'actors' in doc) actors.push(...parseActorPack(doc));
      else tags.push(...parseTagPack(doc, file, report, net));
    } catch (err) {
      report.unreadable.push({ file, reason: `not a tag pack, actor pack or address list: ${(err as Error).message}` });
      report.files--;
    }
  }
  report.tags = tags.length;
  report.actors = actors.length;
  return { tags, actors, report };
}

export class TagIndex {
  readonly byAddress = new Map<string, Tag[]>();
  readonly actors = new Map<string, Actor>();

  constructor(tags: readonly Tag[] = [], actors: readonly Actor[] = []) {
    for (const a of actors) this.actors.set(a.id, a);
    for (const t of tags) this.add(t);
  }

  add(tag: Tag): void {
    const list = this.byAddress.get(tag.address);
    if (!list) this.byAddress.set(tag.address, [tag]);
    else if (!list.some((t) => t.label === tag.label && t.source === tag.source && t.pack === tag.pack)) list.push(tag);
  }

  get size(): number {
    let n = 0;
    for (const l of this.byAddress.values()) n += l.length;
    return n;
  }

  tagsOf(address: string): readonly Tag[] {
    return this.byAddress.get(address) ?? [];
  }

  categoriesOf(tag: Tag): string[] {
    return tagCategories(tag, this.actors);
  }
}

/** A tag spreads to its whole cluster when it says it defines the cluster, or comes from a sanctions list. */
export function spreadsToCluster(tag: Tag): boolean {
  return tag.isClusterDefiner || tag.abuse === 'sanction';
}

/**
 * Categories per address as bit masks, for the hot loops of exposure and tracing: an address has its own
 * tags' categories plus those of the tags that spread to its cluster. Up to 30 categories; more fold into
 * `other`.
 */
export interface Labels {
  categories: string[];
  /** Category bits per address id (0 = unlabelled). */
  mask: Int32Array;
  /** Tags per address id (own tags only). */
  tagsByAddress: Map<number, Tag[]>;
  /** Tags per cluster id (all member tags). */
  tagsByCluster: Map<number, Tag[]>;
  index: TagIndex;
}

const MAX_CATEGORIES = 30;

export function categoryBit(labels: Pick<Labels, 'categories'>, name: string): number {
  const i = labels.categories.indexOf(name);
  return i < 0 ? 0 : 1 << i;
}

export function maskNames(labels: Pick<Labels, 'categories'>, mask: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.categories.length; i++) if (mask & (1 << i)) out.push(labels.categories[i]!);
  return out;
}

/** Resolve tags against the graph's addresses and clusters. */
export function buildLabels(g: UtxoGraph, index: TagIndex, clustering?: Clustering): Labels {
  const categories: string[] = [];
  const bitOf = (name: string): number => {
    let i = categories.indexOf(name);
    if (i < 0) {
      if (categories.length >= MAX_CATEGORIES) i = categories.indexOf('other') >= 0 ? categories.indexOf('other') : (categories.push('other'), categories.length - 1);
      else {
        categories.push(name);
        i = categories.length - 1;
      }
    }
    return 1 << i;
  };
  const mask = new Int32Array(g.addressCount);
  const tagsByAddress = new Map<number, Tag[]>();
  const tagsByCluster = new Map<number, Tag[]>();
  const clusterMask = new Map<number, number>();
  for (const [address, tags] of index.byAddress) {
    const a = g.addressId(address);
    if (a < 0) continue;
    tagsByAddress.set(a, tags);
    const c = clustering ? clustering.clusterOf[a]! : a;
    const inCluster = tagsByCluster.get(c);
    if (inCluster) inCluster.push(...tags);
    else tagsByCluster.set(c, [...tags]);
    for (const t of tags) {
      let bits = 0;
      for (const cat of index.categoriesOf(t)) bits |= bitOf(cat);
      mask[a]! |= bits;
      if (spreadsToCluster(t)) clusterMask.set(c, (clusterMask.get(c) ?? 0) | bits);
    }
  }
  if (clustering && clusterMask.size > 0) {
    const of = clustering.clusterOf;
    for (let a = 0; a < mask.length; a++) {
      const m = clusterMask.get(of[a]!);
      if (m) mask[a]! |= m;
    }
  }
  return { categories, mask, tagsByAddress, tagsByCluster, index };
}

export interface Attribution {
  /** One entry per distinct actor (or label when no actor), strongest first. */
  entities: { name: string; actor?: string; categories: string[]; confidenceLevel: number; tags: Tag[] }[];
  /** More than one entity, or categories that disagree. */
  conflict: boolean;
  categories: string[];
}

/** Who a set of tags says owns a cluster or address, with every source kept and conflicts flagged. */
export function attribute(tags: readonly Tag[], index: TagIndex): Attribution {
  const groups = new Map<string, { name: string; actor?: string; categories: Set<string>; confidenceLevel: number; tags: Tag[] }>();
  for (const t of tags) {
    const actor = t.actor ? index.actors.get(t.actor) : undefined;
    const key = t.actor ?? (t.abuse === 'sanction' && !t.category ? 'sanctioned' : t.label.toLowerCase());
    let g = groups.get(key);
    if (!g) {
      g = { name: actor?.label ?? t.label, categories: new Set(), confidenceLevel: 0, tags: [] };
      if (t.actor) g.actor = t.actor;
      groups.set(key, g);
    }
    for (const c of index.categoriesOf(t)) g.categories.add(c);
    g.confidenceLevel = Math.max(g.confidenceLevel, t.confidenceLevel);
    g.tags.push(t);
  }
  const entities = [...groups.values()]
    .map((g) => ({ ...g, categories: [...g.categories].sort() }))
    .sort((a, b) => b.confidenceLevel - a.confidenceLevel || b.tags.length - a.tags.length || a.name.localeCompare(b.name));
  // A sanctions listing next to a named service is a fact about it, not a conflict.
  const named = entities.filter((e) => !(e.categories.length === 1 && e.categories[0] === 'sanctioned'));
  const categories = [...new Set(entities.flatMap((e) => e.categories))].sort();
  const namedCategories = new Set(named.flatMap((e) => e.categories.filter((c) => c !== 'sanctioned')));
  return { entities, conflict: named.length > 1 || namedCategories.size > 1, categories };
}
