/**
 * Any script to lower-case ASCII words. Chinese characters go through pinyin-pro (surname readings for a
 * person's first character), Hangul through a small romaniser that writes syllables the way the sanctions
 * lists spell Korean names (Kim Jong Un rather than Gim Jeong-eun), everything else through any-ascii.
 * Abjad scripts (Arabic, Persian, Hebrew) come out without short vowels: `hasAbjad` tells the matcher so it
 * can also compare consonant skeletons.
 */
import anyAscii from 'any-ascii';
import { pinyin } from 'pinyin-pro';

const HAN_CHARS = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const HAN_RUN = new RegExp(`[${HAN_CHARS}]+`, 'g');
const HAS_HAN = new RegExp(`[${HAN_CHARS}]`);
const HANGUL_RUN = /[\uac00-\ud7a3]+/g;
const HAS_HANGUL = /[\uac00-\ud7a3]/;
const ABJAD = /[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
const NON_ASCII = /[^\u0020-\u007e\t\n\r]/;

/** Chinese double-character surnames: the rest of the name is the given name. */
const HAN_COMPOUND_SURNAMES = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '歐陽', '司馬', '諸葛']);

/** Korean family names as romanised on the sanctions lists (DPRK usage). */
const HANGUL_SURNAMES: Record<string, string> = {
  김: 'kim', 이: 'ri', 리: 'ri', 박: 'pak', 최: 'choe', 정: 'jong', 강: 'kang', 조: 'jo', 윤: 'yun', 장: 'jang', 임: 'rim', 림: 'rim',
  한: 'han', 오: 'o', 서: 'so', 신: 'sin', 권: 'kwon', 황: 'hwang', 안: 'an', 송: 'song', 류: 'ryu', 유: 'yu', 홍: 'hong', 전: 'jon',
  고: 'ko', 문: 'mun', 양: 'yang', 손: 'son', 배: 'pae', 백: 'paek', 허: 'ho', 남: 'nam', 심: 'sim', 노: 'no', 로: 'ro', 하: 'ha', 곽: 'kwak',
  성: 'song', 차: 'cha', 주: 'ju', 우: 'u', 구: 'ku', 민: 'min', 진: 'jin', 지: 'ji', 엄: 'om', 채: 'chae', 원: 'won', 천: 'chon', 방: 'pang',
  공: 'kong', 현: 'hyon', 함: 'ham', 변: 'pyon', 염: 'yom', 여: 'yo', 추: 'chu', 도: 'to', 소: 'so', 석: 'sok', 선: 'son', 설: 'sol', 마: 'ma',
  길: 'kil', 연: 'yon', 위: 'wi', 표: 'pyo', 명: 'myong', 기: 'ki', 반: 'pan', 왕: 'wang', 금: 'kum', 옥: 'ok', 육: 'yuk', 인: 'in', 맹: 'maeng',
  제: 'je', 모: 'mo', 탁: 'thak', 국: 'kuk', 어: 'o', 은: 'un', 편: 'phyon', 용: 'yong',
};

function hanToLatin(run: string, personLike: boolean): string {
  const syllables = pinyin(run, { toneType: 'none', type: 'array', surname: personLike ? 'head' : 'off', nonZh: 'removed', v: true });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
  // A short run reads as a personal name: family name, then the given name written as one word (Xi Jinping).
  if (personLike && run.length >= 2 && run.length <= 4) {
    const surnameLength = HAN_COMPOUND_SURNAMES.has(run.slice(0, 2)) && run.length >= 3 ? 2 : 1;
    return ` ${clean.slice(0, surnameLength).join('')} ${clean.slice(surnameLength).join('')} `;
  }
  return ` ${clean.join(' ')} `;
}

/** Revised-romanisation syllable from any-ascii, re-spelt the McCune-Reischauer way the lists use (no diacritics). */
function koreanSyllable(syllable: string): string {
  let s = anyAscii(syllable).toLowerCase();
  s = s.replace(/eo/g, 'o').replace(/eu/g, 'u');
  s = s.replace(/^g/, 'k').replace(/^d/, 't').replace(/^b/, 'p');
  return s;
}

function hangulToLatin(run: string, personLike: boolean): string {
  const chars = [...run];
  const parts: string[] = [];
  chars.forEach((c, i) => {
    if (i === 0 && personLike && chars.length <= 4 && HANGUL_SURNAMES[c]) parts.push(HANGUL_SURNAMES[c]!);
    else parts.push(koreanSyllable(c));
  });
  return ` ${parts.join(' ')} `;
}

const HAS_ARABIC = /[\u0600-\u06ff]/;

/**
 * Arabic words written the way Latin transliterations split them: the article al- stands apart
 * (المداني → al-mdny), as does abd al- (عبدالولی → abd al-wly) and abu (ابوبکر → abu bkr).
 */
function arabicWords(text: string): string {
  return text
    .replace(/\u0629/g, '\u0627') // ta marbuta is read as -a (Qaida, Jamaa), not as h
    .replace(/[\s\u200c]*ال(له|دين|دین)(?=$|[\s\u200c-])/g, (_m, w: string) => (w === 'له' ? 'ullah' : 'uddin'))
    .replace(/(^|[\s\u200c-])عبد\s?ال/g, '$1عبد ال')
    .replace(/(^|[\s\u200c-])ال(?=[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]{2})/g, '$1al-')
    .replace(/(^|[\s\u200c-])(ابو|أبو)(?=[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]{2})/g, '$1abu ');
}

export function hasAbjad(text: string): boolean {
  return ABJAD.test(text);
}

/**
 * Latin letters, digits and punctuation only (case kept). `personLike` asks for name-shaped output of
 * Chinese and Korean runs (family name apart from the given name).
 */
export function toLatin(text: string, personLike = true): string {
  if (!NON_ASCII.test(text)) return text;
  let out = text.normalize('NFKC');
  if (HAS_ARABIC.test(out)) out = arabicWords(out);
  if (HAS_HAN.test(out)) out = out.replace(HAN_RUN, (run) => hanToLatin(run, personLike));
  if (HAS_HANGUL.test(out)) out = out.replace(HANGUL_RUN, (run) => hangulToLatin(run, personLike));
  return NON_ASCII.test(out) ? anyAscii(out) : out;
}
