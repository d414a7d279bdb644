/**
 * Phonetic keys for name tokens written in Latin letters by Spanish and English speakers (and the way
 * Arabic, Russian and other names are transliterated into them): letters that sound alike become one,
 * silent letters go, doubled letters collapse. `phoneticKey` keeps the vowels (a strong signal of
 * "same name"); `skeletonKey` keeps only the consonants after the first letter (a coarse key for blocking,
 * and for comparing names written in scripts that leave short vowels out).
 *
 *   guzman ~ gusman, vazquez ~ vasquez ~ basquez, gonzalez ~ gonsales, quintero ~ kintero, yepes ~ llepes,
 *   jimenez ~ gimenez ~ ximenez, hernandez ~ ernandez, mohammed ~ mohamed, hussein ~ husein.
 */


const VOWEL = /[aeiou]/;
const DIGIT = /\d/;
const CACHE_ENTRIES = 200_000;
const cache = new Map<string, string>();

const isFront = (c: string | undefined) => c === 'e' || c === 'i' || c === 'y';
const isVowel = (c: string | undefined) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/**
 * Phonetic spelling of one lower-case ASCII token (vowels kept), in one pass:
 * ph→f; sh, sch, zh→ş; ch, tch→ç; th→t; dh→d; gh→g; kh, h, j and soft g (ge, gi) fall silent (Spanish j and
 * soft g are the sound English writes h, and h is silent in Spanish); gu before e/i → g; initial x before a vowel
 * is the old Spanish j (Ximenez); x→ks; qu before e/i → k; q, ck, hard c → k; soft c (ce, ci) and z → s;
 * ll→y; v→b; w→u; y not before a vowel → i; ee→i; oo, ou→u; doubled letters once.
 */
export function phoneticKey(token: string): string {
  if (token.length <= 1 || DIGIT.test(token)) return token;
  const cached = cache.get(token);
  if (cached !== undefined) return cached;
  let out = '';
  const emit = (s: string) => {
    for (let k = 0; k < s.length; k++) if (out[out.length - 1] !== s[k]) out += s[k];
  };
  const n = token.length;
  for (let i = 0; i < n; i++) {
    const c = token[i]!;
    const next = token[i + 1];
    const next2 = token[i + 2];
    switch (c) {
      case 'p':
        if (next === 'h') i++;
        emit(next === 'h' ? 'f' : 'p');
        break;
      case 's':
        if (next === 'c' && next2 === 'h') {
          emit('ş');
          i += 2;
        } else if (next === 'h') {
          emit('ş');
          i++;
        } else emit('s');
        break;
      case 't':
        if (next === 'c' && next2 === 'h') {
          emit('ç');
          i += 2;
        } else {
          if (next === 'h') i++;
          emit('t');
        }
        break;
      case 'c':
        if (next === 'h') {
          emit('ç');
          i++;
        } else if (next === 'k') {
          emit('k');
          i++;
        } else emit(isFront(next) ? 's' : 'k');
        break;
      case 'z':
        if (next === 'h') {
          emit('ş');
          i++;
        } else emit('s');
        break;
      case 'k':
        if (next === 'h') i++;
        else emit('k');
        break;
      case 'g':
        if (next === 'h' || (next === 'u' && isFront(next2))) {
          emit('g');
          i++;
        } else if (!isFront(next)) emit('g');
        break;
      case 'd':
        if (next === 'h') i++;
        emit('d');
        break;
      case 'x':
        if (!(i === 0 && isVowel(next))) emit('ks');
        break;
      case 'q':
        if (next === 'u' && isFront(next2)) i++;
        emit('k');
        break;
      case 'j':
      case 'h':
        break;
      case 'l':
        if (next === 'l') {
          emit('y');
          i++;
        } else emit('l');
        break;
      case 'v':
        emit('b');
        break;
      case 'w':
        emit('u');
        break;
      case 'y':
        emit(isVowel(next) ? 'y' : 'i');
        break;
      case 'e':
        if (next === 'e') {
          emit('i');
          i++;
        } else emit('e');
        break;
      case 'o':
        if (next === 'o' || next === 'u') {
          emit('u');
          i++;
        } else emit('o');
        break;
      default:
        emit(c);
    }
  }
  const key = out.length === 0 ? token : out;
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(token, key);
  return key;
}

/** First sound and the consonants after it: a coarse key shared by most spellings of one name. */
export function skeletonKey(token: string): string {
  const p = phoneticKey(token);
  if (p.length <= 1) return p;
  let out = p[0]!;
  for (let i = 1; i < p.length; i++) {
    const c = p[i]!;
    if (VOWEL.test(c)) continue;
    if (out[out.length - 1] !== c) out += c;
  }
  return out;
}

/**
 * Consonants only, as an abjad script writes a name (vowels, y, w and the ain/hamza marks dropped, doubled
 * letters written once), with the consonant spellings that vary between transliterations merged:
 * Mohammed, Muhammad and محمد all give "mhmd"; Hussein and حسين give "hsn"; Djamel and جمال give "jml".
 */
export function consonantKey(token: string): string {
  const cached = consonantCache.get(token);
  if (cached !== undefined) return cached;
  const key = consonants(token);
  if (consonantCache.size >= CACHE_ENTRIES) consonantCache.clear();
  consonantCache.set(token, key);
  return key;
}

const consonantCache = new Map<string, string>();

function consonants(token: string): string {
  let s = token.toLowerCase();
  s = s.replace(/dj/g, 'j').replace(/dh/g, 'z').replace(/ph/g, 'f').replace(/(?:sch|sh|ch)/g, 'ş').replace(/ck|q|c/g, 'k').replace(/x/g, 'ks');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (CONSONANT_SKIP.has(ch)) continue;
    if (out[out.length - 1] !== ch) out += ch;
  }
  return out;
}

const CONSONANT_SKIP = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'w', "'", '`']);
