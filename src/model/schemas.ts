/**
 * The canonical money-flow model. These zod schemas are the single source of the record types and
 * their validation; readers, stores, the engine and the API speak these shapes.
 */
import { z } from 'zod';
import { isCurrency } from './currency.js';

export const CHANNELS = [
  'wire',
  'ach',
  'cash',
  'card',
  'cheque',
  'remittance',
  'crypto',
  'reinvestment',
  'internal',
  'mobile',
  'other',
] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const CurrencyCode = z.string().refine(isCurrency, { message: 'unknown ISO 4217 currency code' });
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code');
export const EpochMs = z.number().int().safe();
export const MinorUnits = z.number().int().safe();

/** Where a record came from: the file, the data row or XML element path, and the ingest batch. */
export const Provenance = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  element: z.string().optional(),
  batch: z.string(),
});
export type Provenance = z.infer<typeof Provenance>;

export const PartyKind = z.enum(['person', 'company']);
export const Party = z.object({
  id: z.string().min(1),
  kind: PartyKind,
  name: z.string(),
  country: CountryCode.optional(),
  birthDate: z.string().optional(),
  identifiers: z.array(z.object({ type: z.string(), value: z.string(), country: CountryCode.optional() })).default([]),
  provenance: Provenance,
});
export type Party = z.infer<typeof Party>;

export const AccountKind = z.enum(['bank', 'card', 'wallet', 'merchant', 'cash', 'unknown']);
export type AccountKind = z.infer<typeof AccountKind>;
export const Account = z.object({
  id: z.string().min(1),
  kind: AccountKind,
  institution: z.string().optional(),
  country: CountryCode.optional(),
  currency: CurrencyCode.optional(),
  name: z.string().optional(),
  provenance: Provenance,
});
export type Account = z.infer<typeof Account>;

/** A party's role on an account (holder, signatory, beneficial owner, ...). */
export const PartyAccountLink = z.object({
  partyId: z.string(),
  accountId: z.string(),
  role: z.string(),
  provenance: Provenance,
});
export type PartyAccountLink = z.infer<typeof PartyAccountLink>;

export const Transaction = z.object({
  /** The source's own id, or `row:<n>` (1-based data row) when it has none. Unique within `source`. */
  id: z.string().min(1),
  /** The data set the id is unique in (by default the input file's basename). */
  source: z.string().min(1),
  timeMs: EpochMs,
  fromAccount: z.string().min(1),
  toAccount: z.string().min(1),
  /** Settled amount in minor units of `currency`. */
  amountMinor: MinorUnits,
  currency: CurrencyCode,
  /** The instructed amount before conversion, when it differs from the settled one. */
  originalAmountMinor: MinorUnits.optional(),
  originalCurrency: CurrencyCode.optional(),
  channel: Channel,
  fromCountry: CountryCode.optional(),
  toCountry: CountryCode.optional(),
  provenance: Provenance,
});
export type Transaction = z.infer<typeof Transaction>;

/** A regulatory report as received (goAML STR/SAR/CTR ...), linked to what it reports. */
export const Report = z.object({
  id: z.string().min(1),
  format: z.string(),
  reportCode: z.string(),
  reportingEntity: z.string().optional(),
  entityReference: z.string().optional(),
  submittedMs: EpochMs.optional(),
  currency: CurrencyCode.optional(),
  reason: z.string().optional(),
  action: z.string().optional(),
  indicators: z.array(z.string()).default([]),
  transactionIds: z.array(z.string()).default([]),
  partyIds: z.array(z.string()).default([]),
  accountIds: z.array(z.string()).default([]),
  provenance: Provenance,
});
export type Report = z.infer<typeof Report>;

/** Ground truth from evaluation data (IBM `Is Laundering`, AMLSim `is_sar`); never read by the engines. */
export const TruthLabel = z.object({
  source: z.string(),
  transactionId: z.string(),
  laundering: z.boolean(),
  scheme: z.string().optional(),
  instance: z.string().optional(),
});
export type TruthLabel = z.infer<typeof TruthLabel>;

export const Reject = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  reason: z.string(),
  record: z.string(),
});
export type Reject = z.infer<typeof Reject>;

export const Alert = z.object({
  id: z.string(),
  typology: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case typology name'),
  score: z.number().min(0).max(1),
  factors: z.array(z.object({ name: z.string(), value: z.number(), weight: z.number() })).default([]),
  accounts: z.array(z.string()).min(1),
  transactions: z.array(z.string()),
  fromMs: EpochMs,
  toMs: EpochMs,
  amountMinor: MinorUnits,
  currency: CurrencyCode,
  explanation: z.string(),
});
export type Alert = z.infer<typeof Alert>;
