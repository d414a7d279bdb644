/**
 * What a watchlist entry is, whatever list it came from. The zod schemas validate custom lists and are
 * the types everywhere else.
 */
import { z } from 'zod';

export const ENTITY_SCHEMAS = ['Person', 'Organization', 'Company', 'LegalEntity', 'Vessel', 'Airplane', 'CryptoWallet'] as const;
export type EntitySchema = (typeof ENTITY_SCHEMAS)[number];

/**
 * How much a name says about the entity. `primary`: the listed name; `strong`: an alias the list treats as
 * identifying (OFAC a.k.a. in alt.csv, UN quality "Good" / "a.k.a."), `weak`: a low-quality alias (OFAC
 * weak a.k.a. in remarks, UN quality "Low"), reported but scored lower.
 */
export const NameStrength = z.enum(['primary', 'strong', 'weak']);
export type NameStrength = z.infer<typeof NameStrength>;

export const EntityName = z.object({
  name: z.string().min(1).max(1000),
  strength: NameStrength,
  /** aka, fka (formerly), nka (now), original-script. */
  type: z.string().max(40).optional(),
});
export type EntityName = z.infer<typeof EntityName>;

export const IdDocument = z.object({
  type: z.string().max(200),
  number: z.string().min(1).max(200),
  country: z.string().max(200).optional(),
});
export type IdDocument = z.infer<typeof IdDocument>;

export const Address = z.object({
  full: z.string().max(2000),
  city: z.string().max(200).optional(),
  country: z.string().max(200).optional(),
});
export type Address = z.infer<typeof Address>;

export const CryptoAddress = z.object({
  /** Asset code as the list writes it: XBT (bitcoin), ETH, USDT, TRX, XMR, ... */
  asset: z.string().max(20),
  address: z.string().min(10).max(200),
});
export type CryptoAddress = z.infer<typeof CryptoAddress>;

/** Partial ISO dates: `1954-12-25`, `1954-12` or `1954`; `~1960` for an approximate year. */
export const PartialDate = z.string().regex(/^~?\d{4}(-\d{2}(-\d{2})?)?$/);

export const WatchlistEntity = z.object({
  /** `<list>:<id in the list>`, stable across versions of the list. */
  key: z.string().min(1).max(300),
  list: z.string().min(1).max(100),
  sourceId: z.string().min(1).max(200),
  schema: z.enum(ENTITY_SCHEMAS),
  name: z.string().min(1).max(1000),
  names: z.array(EntityName).max(1000),
  programs: z.array(z.string().max(200)).max(100),
  birthDates: z.array(PartialDate).max(100),
  birthPlaces: z.array(z.string().max(500)).max(100),
  nationalities: z.array(z.string().max(200)).max(100),
  ids: z.array(IdDocument).max(200),
  addresses: z.array(Address).max(500),
  cryptoAddresses: z.array(CryptoAddress).max(5000),
  gender: z.string().max(20).optional(),
  listedOn: z.string().max(40).optional(),
  remarks: z.string().max(20000).optional(),
});
export type WatchlistEntity = z.infer<typeof WatchlistEntity>;

/** One list as read from its files: every entity, and what could not be read. */
export interface LoadedList {
  /** `ofac-sdn`, `un`, `ofac-crypto`, or a custom list's name. */
  list: string;
  /** Version or generation date when the source says (UN dateGenerated), else undefined. */
  version?: string;
  files: string[];
  entities: WatchlistEntity[];
  problems: Array<{ file: string; line: number; reason: string }>;
}

/** A fresh entity with empty attribute lists. */
export function emptyEntity(list: string, sourceId: string, schema: EntitySchema, name: string): WatchlistEntity {
  return {
    key: `${list}:${sourceId}`,
    list,
    sourceId,
    schema,
    name,
    names: [{ name, strength: 'primary' }],
    programs: [],
    birthDates: [],
    birthPlaces: [],
    nationalities: [],
    ids: [],
    addresses: [],
    cryptoAddresses: [],
  };
}

/** Push a value unless it is empty or already there. */
export function addUnique<T>(list: T[], value: T | undefined, same: (a: T, b: T) => boolean = (a, b) => a === b): void {
  if (value === undefined || value === '' || value === null) return;
  if (!list.some((v) => same(v, value))) list.push(value);
}
