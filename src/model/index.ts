export * from './schemas.js';
export * from './batch.js';
export { currencyCode, minorExponent, isCurrency, parseAmountMinor, formatMinor, minorToMajor } from './currency.js';
export { parseTimestamp, formatIso, type TimestampFormat } from './time.js';
export * from './tenancy.js';
