/**
 * The loaded lists, one version of each at a time. Loading a list again replaces its previous version and
 * says what changed: entries added, removed and changed (with the fields that changed). Loading the same
 * version twice changes nothing and reports every entry unchanged.
 */
import { createHash } from 'node:crypto';
import type { LoadedList, WatchlistEntity } from './model.js';

export interface EntityChange {
  key: string;
  name: string;
  /** Fields whose values differ between the versions. */
  fields: string[];
}

export interface ListDiff {
  list: string;
  previousVersion?: string;
  version?: string;
  added: Array<{ key: string; name: string }>;
  removed: Array<{ key: string; name: string }>;
  changed: EntityChange[];
  unchanged: number;
}

const FIELDS: ReadonlyArray<keyof WatchlistEntity> = [
  'schema', 'name', 'names', 'programs', 'birthDates', 'birthPlaces', 'nationalities', 'ids', 'addresses', 'cryptoAddresses', 'gender', 'listedOn', 'remarks',
];

function canonical(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** A digest of what the list says about an entry (its key excluded), to tell versions apart. */
export function entityDigest(e: WatchlistEntity): string {
  const h = createHash('sha256');
  for (const f of FIELDS) h.update(`${f}=${canonical(e[f])}\n`);
  return h.digest('hex').slice(0, 32);
}

/** Compare two versions of one list by entry key. */
export function diffLists(previous: readonly WatchlistEntity[], next: readonly WatchlistEntity[], list: string): ListDiff {
  const before = new Map(previous.map((e) => [e.key, e]));
  const diff: ListDiff = { list, added: [], removed: [], changed: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const e of next) {
    seen.add(e.key);
    const old = before.get(e.key);
    if (!old) {
      diff.added.push({ key: e.key, name: e.name });
      continue;
    }
    const fields = FIELDS.filter((f) => canonical(old[f]) !== canonical(e[f]));
    if (fields.length === 0) diff.unchanged++;
    else diff.changed.push({ key: e.key, name: e.name, fields: fields.map(String) });
  }
  for (const e of previous) if (!seen.has(e.key)) diff.removed.push({ key: e.key, name: e.name });
  return diff;
}

export class ListSet {
  private readonly lists = new Map<string, { version?: string; entities: WatchlistEntity[]; digest: string }>();

  /** Put a list version in place of the previous one; the diff says what changed. */
  apply(loaded: LoadedList): ListDiff {
    const prev = this.lists.get(loaded.list);
    const unique = new Map<string, WatchlistEntity>();
    for (const e of loaded.entities) if (!unique.has(e.key)) unique.set(e.key, e);
    const entities = [...unique.values()];
    const diff = diffLists(prev?.entities ?? [], entities, loaded.list);
    if (prev?.version) diff.previousVersion = prev.version;
    if (loaded.version) diff.version = loaded.version;
    const h = createHash('sha256');
    for (const e of [...entities].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) h.update(`${e.key}:${entityDigest(e)}\n`);
    this.lists.set(loaded.list, { ...(loaded.version ? { version: loaded.version } : {}), entities, digest: h.digest('hex').slice(0, 16) });
    return diff;
  }

  entities(): WatchlistEntity[] {
    const out: WatchlistEntity[] = [];
    for (const l of this.lists.values()) out.push(...l.entities);
    return out;
  }

  /** Name, version and content digest of each list: what a screening result was made against. */
  versions(): Array<{ list: string; version?: string; digest: string; entities: number }> {
    return [...this.lists.entries()].map(([list, l]) => ({ list, ...(l.version ? { version: l.version } : {}), digest: l.digest, entities: l.entities.length }));
  }

  get size(): number {
    let n = 0;
    for (const l of this.lists.values()) n += l.entities.length;
    return n;
  }
}
