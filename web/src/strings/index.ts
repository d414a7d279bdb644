/**
 * Every string the web app shows, in one place. English is complete; a Spanish or Portuguese catalogue
 * only has to translate the same keys (missing keys fall back to English). `{name}` marks a value.
 */
import { en } from './en';
import { explorerEn } from './explorer.en';

export const english = { ...en, ...explorerEn } as const;
export type StringKey = keyof typeof english;

const catalogs: Record<string, Partial<Record<StringKey, string>>> = { en: english };
let locale = 'en';

export function setLocale(next: string): void {
  locale = catalogs[next] ? next : 'en';
  document.documentElement.lang = locale;
}

export function t(key: StringKey, vars?: Record<string, string | number>): string {
  const template = catalogs[locale]?.[key] ?? english[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** Minor units to a display amount, e.g. 1234567 USD → "12,345.67 USD". */
export function formatMoney(amountMinor: number, currency: string): string {
  const value = amountMinor / 100;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

export function formatUsd(usd: number): string {
  return `${usd.toLocaleString('en-US', { maximumFractionDigits: 0 })} USD`;
}

/** An ISO instant as "2022-09-01 00:06 UTC" (investigators compare times across countries: always UTC). */
export function formatTime(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}
