/**
 * A name as the matcher sees it: transliterated to ASCII, lower-case, punctuation gone, "LAST, First"
 * put in reading order, honorifics dropped, particles (de, la, del, al, bin, van...) and legal forms
 * (S.A. de C.V., LLC, GmbH...) set apart, and a weight for each remaining token.
 */
import { consonantKey, phoneticKey } from './phonetic.js';
import { editDistance } from './similarity.js';
import { hasAbjad, toLatin } from './translit.js';

export type NameKind = 'person' | 'organization' | 'vessel' | 'unknown';

export interface NameForm {
  /** The name as given. */
  original: string;
  kind: NameKind;
  /** Tokens that carry the name (particles and legal forms removed), in reading order. */
  tokens: string[];
  /** Interned id of each token (-1 past the interner's limit): a cheap key for caching token pairs. */
  ids: number[];
  /** Weight of each token in the score (1 = an ordinary name word). */
  weights: number[];
  phonetic: string[];
  /** Consonant skeletons, for comparison with a name written in an abjad script. */
  consonants: string[];
  /** Every word in order, particles and legal forms included: to recognise fused spellings (delacruz, alqaida). */
  words: string[];
  /** For each word, the index of its token, or -1 for a particle or legal form. */
  wordToken: number[];
  /** Written in Arabic, Persian or Hebrew script: short vowels are missing from the transliteration. */
  abjad: boolean;
}

const set = (words: string) => new Set(words.split(/\s+/).filter(Boolean));

/** Words that join the parts of a name and carry no identity of their own. */
export const PARTICLES = set(`
  de del la las los el al y e da das do dos di du della van von der den ter le les bin ibn bint ben binti bte ould ag
  the of and for und et
`);

const HONORIFICS = set(`
  mr mrs ms miss mister dr doctor prof professor sir dame lord lady sheikh shaikh sheik shaykh cheikh haji hajji hadji alhaji
  mullah mulla maulana maulvi mawlawi mawlana qari hafiz imam ayatollah hojatoleslam general gen col colonel maj major capt captain
  lt lieutenant sgt sergeant cmdr commander adm admiral brig brigadier don dona sr sra srta senor senora senorita lic licenciado licenciada
  ing ingeniero arq mtro jr junior snr ii iii iv emir amir prince princess king queen
`);

/** Legal forms: they say what kind of body it is, not which one. */
export const LEGAL_FORMS = set(`
  ltd limited llc lc inc incorporated corp corporation co plc sa sab sapi cv rl srl sas sarl ag gmbh mbh kg kgaa bv nv oy oyj ab
  aps spa pte pty pvt jsc pjsc ojsc cjsc ooo oao zao pao tov fze fzco fzc fzllc llp lp lda ltda eirl sac saic sl slu cia kk bhd sdn tbk pt
  wll spc saoc saog ead eood doo dd ad as asa sro spol zrt kft nyrt sp zoo sae sal sarl gie gbr ug se scs scrl sprl bvba cvba
  company compania compagnie establishment est
`);

/** Words common in organisation names: they count, but less than the distinctive ones. */
const ORG_GENERIC = set(`
  trading trade traders group grupo holding holdings international intl industries industrial industry enterprise enterprises services
  servicios service general import export imports exports importadora exportadora commercial comercial comercializadora
  distribuidora distribution inversiones investment investments shipping marine maritime navigation logistics global partners
  associates foundation fundacion association asociacion society sociedad organization organisation institute bank banco
  construction constructora inmobiliaria development technology technologies tech systems solutions resources management
  consulting agency network national united manufacturing products petroleum oil gas energy finance financial capital
  lines line transport transportes motors sociedad anonima cooperativa
`);

/** Spellings that stand for one word. */
const SYNONYMS: Record<string, string> = {
  mohd: 'muhammad', md: 'muhammad', mhd: 'muhammad', muhd: 'muhammad',
  abdul: 'abd', abdel: 'abd', abdal: 'abd', abdoul: 'abd', abdol: 'abd', abdil: 'abd', abdu: 'abd', abdur: 'abd', abdus: 'abd', abdulla: 'abdullah',
  intl: 'international', natl: 'national', bros: 'brothers', assoc: 'association', mfg: 'manufacturing', svcs: 'services', dept: 'department',
  cia: 'compania', cie: 'compagnie', ste: 'societe', st: 'saint',
};

/** Fused Arabic compounds: Abdulrahman = Abd al-Rahman, Abubakar = Abu Bakar. */
const FUSED_PREFIX = /^(abd(?:ul|el|al|ol|ou|ur|us|ar|as|ir|i|u)?|abu)([a-z]{3,})$/;

/** Roman numerals in organisation and vessel names are numbers (BICENTENARIO XIV is not BICENTENARIO X). */
const ROMAN: Record<string, string> = Object.fromEntries(
  ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv', 'xvi', 'xvii', 'xviii', 'xix', 'xx'].map((r, i) => [r, String(i + 1)]),
);

/** Long legal-form words are often mistyped (LIMTED, COMAPNY): they still say nothing about identity. */
const LONG_LEGAL_FORMS = ['limited', 'company', 'corporation', 'incorporated', 'compania', 'compagnie', 'establishment'];

function isNearLegalForm(word: string): boolean {
  if (word.length < 6 || LEGAL_FORMS.has(word)) return false;
  return LONG_LEGAL_FORMS.some((f) => Math.abs(f.length - word.length) <= 1 && editDistance(f, word, 1) <= 1);
}

/** Words of one name that are compared; the rest of a longer text is not a name. */
export const MAX_NAME_WORDS = 24;

const VESSEL_PREFIXES = set('mv mt ms ss fv mfv my rv');

/** Distinct tokens interned; past this, new tokens get no id (and no pair caching). */
const MAX_INTERNED = 1 << 21;
const interned = new Map<string, number>();

function internToken(token: string): number {
  let id = interned.get(token);
  if (id === undefined) {
    if (interned.size >= MAX_INTERNED) return -1;
    id = interned.size;
    interned.set(token, id);
  }
  return id;
}

export function kindOfSchema(schema: string | undefined): NameKind {
  switch ((schema ?? '').trim().toLowerCase()) {
    case 'person':
    case 'individual':
      return 'person';
    case 'company':
    case 'organization':
    case 'organisation':
    case 'legalentity':
    case 'entity':
    case 'publicbody':
      return 'organization';
    case 'vessel':
    case 'airplane':
    case 'aircraft':
      return 'vessel';
    default:
      return 'unknown';
  }
}

function splitFused(word: string): string[] {
  if (/^abd[aeu]ll?ah?$/.test(word)) return [word]; // Abdullah, Abdallah: a name of its own
  const m = FUSED_PREFIX.exec(word);
  if (!m) return [word];
  const head = m[1]!.startsWith('abu') ? 'abu' : 'abd';
  let rest = m[2]!;
  // Abdurrahman, Abdussalam: the article's l assimilated into the next consonant.
  if (rest.length > 4 && rest[0] === rest[1]) rest = rest.slice(1);
  if (rest.startsWith('al') && rest.length > 5 && head === 'abd') rest = rest.slice(2);
  return [head, rest];
}

/** Lower-case ASCII words of a name, punctuation removed (apostrophes and abbreviation dots close up). */
export function words(name: string, kind: NameKind = 'unknown'): string[] {
  let text = toLatin(name, kind !== 'organization').toLowerCase();
  text = text.replace(/&/g, ' and ').replace(/['’`´ʼ‘".]/g, '').replace(/[^a-z0-9]+/g, ' ');
  return text.split(' ').filter(Boolean);
}

/** "GUZMAN LOERA, Joaquin" → "Joaquin GUZMAN LOERA" (one comma, a person or a name without legal form after it). */
export function readingOrder(name: string, kind: NameKind): string {
  if (kind !== 'person' && kind !== 'unknown') return name;
  const parts = name.split(',');
  if (parts.length !== 2) return name;
  const [last, first] = [parts[0]!.trim(), parts[1]!.trim()];
  if (!last || !first) return name;
  if (kind === 'unknown' && words(first).some((w) => LEGAL_FORMS.has(w))) return name;
  return `${first} ${last}`;
}

/** Guess the kind of an unlabelled name from its words. */
function inferKind(ws: readonly string[]): NameKind {
  for (const w of ws) if (LEGAL_FORMS.has(w)) return 'organization';
  return 'unknown';
}

export function normalizeName(name: string, kind: NameKind = 'unknown'): NameForm {
  const ordered = readingOrder(name, kind);
  let ws = words(ordered, kind);
  const effective = kind === 'unknown' ? inferKind(ws) : kind;
  const expanded: string[] = [];
  for (const w of ws) {
    const s = SYNONYMS[w] ?? w;
    for (const part of splitFused(s)) expanded.push(part);
  }
  ws = expanded;
  if (effective === 'organization' || effective === 'vessel') ws = ws.map((w) => ROMAN[w] ?? (isNearLegalForm(w) ? 'ltd' : w));
  if (effective === 'vessel' && ws.length > 1 && VESSEL_PREFIXES.has(ws[0]!)) ws = ws.slice(1);
  if (effective === 'person' || effective === 'unknown') {
    const kept = ws.filter((w) => !HONORIFICS.has(w));
    if (kept.length > 0) ws = kept;
  }
  if (ws.length > MAX_NAME_WORDS) ws = ws.slice(0, MAX_NAME_WORDS);
  const tokens: string[] = [];
  const weights: number[] = [];
  const wordToken: number[] = [];
  for (const w of ws) {
    if (PARTICLES.has(w) || (effective !== 'person' && LEGAL_FORMS.has(w))) {
      wordToken.push(-1);
      continue;
    }
    wordToken.push(tokens.length);
    tokens.push(w);
    weights.push(tokenWeight(w, effective));
  }
  // A name made only of particles or legal forms ("La", "S.A.") still has to be comparable.
  if (tokens.length === 0) {
    ws.forEach((w, i) => {
      wordToken[i] = tokens.length;
      tokens.push(w);
      weights.push(0.5);
    });
  }
  const abjad = hasAbjad(name);
  return {
    original: name,
    kind: effective,
    tokens,
    ids: tokens.map(internToken),
    weights,
    phonetic: tokens.map(phoneticKey),
    consonants: tokens.map(consonantKey),
    words: ws,
    wordToken,
    abjad,
  };
}

function tokenWeight(token: string, kind: NameKind): number {
  if (token.length === 1 && !/\d/.test(token)) return 0.4;
  if (kind !== 'person' && ORG_GENERIC.has(token)) return 0.35;
  return 1;
}
