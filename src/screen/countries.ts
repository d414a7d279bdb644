/**
 * Country names and codes to ISO 3166-1 alpha-2, so "Mexico", "MX", "MEX"-free spellings such as
 * "Korea, North" or "Iran (Islamic Republic of)" compare equal. Names come from the runtime's ICU data
 * (Intl.DisplayNames), plus the spellings the sanctions lists use that ICU does not.
 */

const EXTRA: Record<string, string> = {
  'korea north': 'KP', 'north korea': 'KP', 'democratic peoples republic of korea': 'KP', dprk: 'KP',
  'korea south': 'KR', 'south korea': 'KR', 'republic of korea': 'KR',
  russia: 'RU', 'russian federation': 'RU', iran: 'IR', 'iran islamic republic of': 'IR', syria: 'SY', 'syrian arab republic': 'SY',
  burma: 'MM', laos: 'LA', 'lao peoples democratic republic': 'LA', vietnam: 'VN', 'viet nam': 'VN', moldova: 'MD', 'republic of moldova': 'MD',
  tanzania: 'TZ', 'united republic of tanzania': 'TZ', bolivia: 'BO', 'bolivia plurinational state of': 'BO', venezuela: 'VE',
  'venezuela bolivarian republic of': 'VE', 'congo democratic republic of the': 'CD', 'democratic republic of the congo': 'CD', drc: 'CD',
  'congo republic of the': 'CG', 'republic of the congo': 'CG', congo: 'CG', 'cote divoire': 'CI', 'ivory coast': 'CI',
  'macedonia the former yugoslav republic of': 'MK', macedonia: 'MK', 'north macedonia': 'MK', 'the gambia': 'GM', gambia: 'GM',
  'united kingdom of great britain and northern ireland': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB',
  'united states of america': 'US', usa: 'US', 'united states': 'US', us: 'US', 'cabo verde': 'CV', 'cape verde': 'CV',
  'palestinian territories': 'PS', palestine: 'PS', 'state of palestine': 'PS', 'west bank': 'PS', gaza: 'PS', 'hong kong': 'HK', taiwan: 'TW',
  turkey: 'TR', turkiye: 'TR', 'czech republic': 'CZ', czechia: 'CZ', 'holy see': 'VA', 'brunei darussalam': 'BN', eswatini: 'SZ', swaziland: 'SZ',
  'timor leste': 'TL', 'east timor': 'TL', 'micronesia federated states of': 'FM', kosovo: 'XK', yugoslavia: 'RS', 'serbia and montenegro': 'RS',
};

/** Demonyms the lists write instead of countries ("nationality Mexican" is rare, but queries say it). */
const DEMONYMS: Record<string, string> = {
  mexican: 'MX', colombian: 'CO', venezuelan: 'VE', guatemalan: 'GT', honduran: 'HN', salvadoran: 'SV', salvadorean: 'SV', peruvian: 'PE',
  ecuadorian: 'EC', bolivian: 'BO', brazilian: 'BR', argentine: 'AR', argentinian: 'AR', chilean: 'CL', panamanian: 'PA', cuban: 'CU',
  dominican: 'DO', nicaraguan: 'NI', 'costa rican': 'CR', paraguayan: 'PY', uruguayan: 'UY', spanish: 'ES', american: 'US', chinese: 'CN',
  russian: 'RU', iranian: 'IR', iraqi: 'IQ', syrian: 'SY', afghan: 'AF', pakistani: 'PK', lebanese: 'LB', yemeni: 'YE', saudi: 'SA',
  'north korean': 'KP', korean: 'KR', british: 'GB', french: 'FR', german: 'DE', italian: 'IT', turkish: 'TR', egyptian: 'EG', libyan: 'LY',
  somali: 'SO', sudanese: 'SD', nigerian: 'NG', indian: 'IN', indonesian: 'ID', filipino: 'PH', palestinian: 'PS', ukrainian: 'UA',
  belarusian: 'BY', israeli: 'IL', jordanian: 'JO', kuwaiti: 'KW', emirati: 'AE', qatari: 'QA', algerian: 'DZ', moroccan: 'MA', tunisian: 'TN',
};

function key(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^possibly /, '')
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let table: Map<string, string> | undefined;

function buildTable(): Map<string, string> {
  const m = new Map<string, string>();
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const A = 'A'.charCodeAt(0);
  for (let i = 0; i < 26; i++) {
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      let name: string | undefined;
      try {
        name = names.of(code);
      } catch {
        name = undefined;
      }
      if (!name || name === code) continue;
      m.set(key(name), code);
      m.set(code.toLowerCase(), code);
    }
  }
  for (const [k, v] of Object.entries(EXTRA)) m.set(k, v);
  for (const [k, v] of Object.entries(DEMONYMS)) if (!m.has(k)) m.set(k, v);
  return m;
}

/** ISO 3166-1 alpha-2 code of a country name, code or demonym, or undefined. */
export function countryCode(text: string | undefined): string | undefined {
  if (!text) return undefined;
  table ??= buildTable();
  const k = key(text);
  if (!k) return undefined;
  const direct = table.get(k);
  if (direct) return direct;
  // "Kabul, Afghanistan", "Culiacan, Sinaloa, Mexico": the last part names the country.
  const parts = text.split(/[,;]/);
  if (parts.length > 1) return table.get(key(parts[parts.length - 1]!));
  return undefined;
}
