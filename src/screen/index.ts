/**
 * Sanctions and watchlist screening: list loaders, the entity model, name normalisation and matching,
 * the blocking index, the screener, version diffs of lists, and screening records for a party.
 */
export * from './model.js';
export { loadLists, loadOfacSdnCsv, loadUnXml, loadCryptoAddressList, loadCustomList, ListError, OFAC_SDN_LIST, UN_LIST, OFAC_CRYPTO_LIST } from './loaders/index.js';
export { ListSet, diffLists, entityDigest, type ListDiff, type EntityChange } from './lists.js';
export { normalizeName, kindOfSchema, words, readingOrder, type NameForm, type NameKind } from './normalize.js';
export { toLatin } from './translit.js';
export { phoneticKey, skeletonKey, consonantKey } from './phonetic.js';
export { jaroWinkler, editDistance } from './similarity.js';
export { compareNames, explainComparison, wordSimilarity, OMISSION_COST, TOKEN_MATCH_MIN, type NameComparison, type TokenPair } from './compare.js';
export { scoreNames, scoreForms, DEFAULT_THRESHOLD, type PairScore } from './score.js';
export { compareAttributes, type QueryAttributes, type Adjustment } from './attributes.js';
export { countryCode } from './countries.js';
export { parseBirthDates, compareDates } from './dates.js';
export { normalizeCryptoAddress, looksLikeCryptoAddress } from './crypto.js';
export { NameIndex } from './blocking.js';
export { Screener, type ScreenQuery, type ScreenResult, type ScreenOptions, type Candidate } from './screener.js';
export { scorePairsCsv, readQueries, TableError, type PairsSummary, type RowProblem } from './tables.js';
export { screeningRecords, type ScreeningRecord } from './party.js';
