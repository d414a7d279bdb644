/**
 * Crypto addresses as keys: one spelling per address so a lookup is an exact hit. Hex (EVM) addresses and
 * bech32 addresses are case-insensitive and become lower-case; base58 addresses (bitcoin legacy, Tron,
 * Monero) are case-sensitive and stay as written.
 */

const HEX_EVM = /^0x[0-9a-fA-F]{40}$/;
const BECH32 = /^(bc|tb|ltc|tltc|bitcoincash|bchtest)1[02-9ac-hj-np-z]{6,90}$/i;
const CASHADDR = /^(bitcoincash:)?[qp][02-9ac-hj-np-z]{41}$/i;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{25,110}$/;
const HEX_LONG = /^[0-9a-fA-F]{40,128}$/;

export function normalizeCryptoAddress(address: string): string {
  const a = address.trim();
  if (HEX_EVM.test(a) || BECH32.test(a) || CASHADDR.test(a) || HEX_LONG.test(a)) return a.toLowerCase().replace(/^bitcoincash:/, '');
  return a;
}

/** Whether a query string looks like a crypto address rather than a name (no spaces, address alphabet and length). */
export function looksLikeCryptoAddress(text: string): boolean {
  const a = text.trim();
  if (a.length < 25 || a.length > 130 || /\s/.test(a)) return false;
  return HEX_EVM.test(a) || BECH32.test(a) || CASHADDR.test(a) || (BASE58.test(a) && /\d/.test(a) && /[a-z]/.test(a) && /[A-Z]/.test(a)) || HEX_LONG.test(a);
}
