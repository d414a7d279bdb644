/**
 * Rastro's synthetic world (`rastro generate`): a benign economy that makes detection hard — payroll, rent,
 * bills, card spending, suppliers, family remittances, cash deposits, savings, loans, big one-offs, across
 * seven countries, their banks, currencies, calendars and time zones — with criminal schemes embedded and
 * labelled, written in a public data set's layout (IBM AMLworld) with its truth files.
 *
 * Deterministic: one seed, one byte-identical output (every activity and every day draws from its own
 * random stream derived from the seed). Streaming: rows are generated per day and written once their UTC
 * day is complete; memory holds the world and about three days of rows.
 *
 * ## Schemes
 *
 * A scheme is one module behind one interface:
 *
 * ```ts
 * interface Scheme {
 *   readonly name: string;                             // kebab-case, e.g. 'ibm-patterns'
 *   plan(world: World, rng: Rng): SchemeInstance[];    // members and exact transactions, labelled by the generator
 * }
 * ```
 *
 * `plan` runs once, after the benign population is built: it recruits accounts of the world (people and
 * businesses that keep their normal lives) or opens fresh ones (`world.newOwner()`, `world.addAccount(...)`),
 * and returns its instances, each with an id, a type (`FAN-IN`, ...), a title, its member accounts and its
 * transactions in time order (UTC whole minutes inside the world's period, usually from
 * `world.attackStartDay` on, so the history before is clean). The generator then marks every member account
 * and every transaction as laundering, merges the transactions into the day stream, and lists each instance
 * in `Patterns.txt` and `accounts.csv`. `ibmPatternsScheme` (embedding IBM AMLworld's own laundering
 * attempts) is the first scheme; the schemes of the field (mule networks, structuring, remittance
 * splitting, mirror swaps, transaction laundering, crypto ramps) follow the same interface.
 *
 * ## Benign activities
 *
 * Each strand of the economy is an `Activity` (see `sink.ts`): built once from the world, asked for each
 * day in order, emitting through a `TxSink` with plain numbers (no object per row).
 */
export {
  generateWorld,
  COMMON_FILES,
  FORMAT_FILES,
  GENERATE_FORMATS,
  OUTPUT_FILES,
  type GenerateFormat,
  type GenerateOptions,
  type GenerateProgress,
  type GenerateSummary,
} from './generate.js';
export * from './schemes/index.js';
export { CryptoLedger, WALLET_KINDS, type CryptoIntent, type CryptoTarget, type WalletKind } from './crypto/ledger.js';
export { isP2wpkhAddress, p2wpkhAddress } from './crypto/bech32.js';
export { LISTED_NAMES, type ListedName } from './data/sanctioned-names.js';
export { RASTRO_MAPPING, RASTRO_MAPPING_FILE, RASTRO_TRANS_HEADER } from './formats/rastro.js';
export { AMLSIM_TRANS_HEADER } from './formats/amlsim.js';
export { World, ROLES, MIN_ACCOUNTS, MAX_ACCOUNTS, MAX_DAYS, type ListedParty, type Role, type WorldOptions } from './world.js';
export { typeLabel, MAX_SCHEME_TRANSACTIONS, type Scheme, type SchemeInstance, type PlannedTx } from './scheme.js';
export type { Activity, ActivityFactory, TxSink } from './sink.js';
export { Rng, AliasTable, deriveSeed } from './rng.js';
export { ECONOMY } from './economy/index.js';
export { ibmPatternsScheme, parseIbmPatterns, PatternsError, type IbmAttempt, type IbmPatternRow, type IbmPatternsOptions } from './schemes/ibm-patterns.js';
export { IBM_TRANS_HEADER, ibmAmount, ibmCurrencyName, ibmPaymentFormat, ibmTimestamp } from './formats/ibm-aml.js';
export { COUNTRIES, CORRIDORS } from './geography.js';
