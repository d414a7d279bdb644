/**
 * A labelled set of name pairs built from the real lists, to choose and check the screening threshold.
 *
 *   node dist/bench/screen-pairs.js [--lists <dir>] [--out <pairs.csv>] [--sample <fixture.csv> --sample-size N]
 *
 * Positives: a listed name against one of its aliases (strong and weak), against its original-script
 * spelling (UN), and against realistic variants of itself: typos, Spanish/Arabic respellings, reordering,
 * a middle name or second surname left out, an initial, accents and case, legal forms changed.
 * Negatives (hard first): two different entries of one list that share a surname or two words (brothers,
 * cousins: the Guzman Salazar), common Spanish names built on a listed surname ("Maria Guzman Lopez"),
 * organisations sharing a word, and random pairs. Entries are split in two halves by id: the threshold is
 * chosen on `dev` and reported on `test`, so the figure is not the one the choice was made on.
 * Reads ../shared (skips when absent); writes bench/data/screen-pairs.csv.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvEscape } from '../src/ingest/index.js';
import { loadLists, scoreNames, type WatchlistEntity } from '../src/screen/index.js';
import { mulberry32 } from '../src/scenario/rng.js';

export interface LabelledPair {
  name1: string;
  name2: string;
  schema: string;
  label: boolean;
  category: string;
  split: 'dev' | 'test';
  /** In the set the threshold is chosen on: every pair except aliases that share no word with the name (no name matcher can see those). */
  selection: boolean;
}

/** The seeded stream the pair sets are drawn with (mulberry32). */
export const rng = mulberry32;

export const SPANISH_GIVEN = ['Jose', 'Juan', 'Luis', 'Carlos', 'Jesus', 'Miguel', 'Francisco', 'Antonio', 'Pedro', 'Manuel', 'Maria', 'Ana', 'Guadalupe', 'Rosa', 'Carmen', 'Alejandro', 'Fernando', 'Jorge', 'Ricardo', 'Roberto', 'Javier', 'Rafael', 'Sergio', 'Martha', 'Patricia', 'Laura', 'Sofia', 'Daniel', 'Eduardo', 'Arturo'];
export const SPANISH_SURNAMES = ['Garcia', 'Hernandez', 'Martinez', 'Lopez', 'Gonzalez', 'Rodriguez', 'Perez', 'Sanchez', 'Ramirez', 'Flores', 'Gomez', 'Diaz', 'Torres', 'Vargas', 'Castillo', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos', 'Ruiz', 'Mendoza', 'Aguilar', 'Reyes', 'Cruz', 'Jimenez', 'Moreno', 'Romero', 'Herrera', 'Medina'];

const RESPELL: Array<[RegExp, string]> = [
  [/z/i, 's'], [/s(?=[aeiou])/i, 'z'], [/v/i, 'b'], [/b/i, 'v'], [/ll/i, 'y'], [/y(?=[aeiou])/i, 'll'], [/c(?=[ei])/i, 's'],
  [/qu(?=[ei])/i, 'k'], [/^h/i, ''], [/j/i, 'g'], [/x/i, 'j'], [/ou/i, 'u'], [/ee/i, 'i'], [/i/i, 'ee'], [/u/i, 'ou'], [/ph/i, 'f'],
  [/kh/i, 'h'], [/ss/i, 's'], [/mm/i, 'm'], [/dd/i, 'd'], [/e(?=[^aeiou]+$)/i, 'a'], [/a(?=[^aeiou]+$)/i, 'e'], [/oh/i, 'u'],
];

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function typo(r: () => number, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  const op = Math.floor(r() * 4);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  if (op === 0) return word.slice(0, i) + word.slice(i + 1);
  if (op === 1) return word.slice(0, i) + word[i]! + word.slice(i);
  if (op === 2) return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
  const c = pick(r, letters.split(''));
  return word.slice(0, i) + (word[i] === word[i]!.toUpperCase() ? c.toUpperCase() : c) + word.slice(i + 1);
}

function respell(r: () => number, word: string): string {
  const options = RESPELL.filter(([re]) => re.test(word));
  if (options.length === 0) return word;
  const [re, to] = pick(r, options);
  const out = word.replace(re, (m) => (m[0] === m[0]!.toUpperCase() ? to.charAt(0).toUpperCase() + to.slice(1) : to));
  return out.length >= 2 ? out : word;
}

function readingOrder(name: string): string[] {
  const parts = name.split(',');
  const ordered = parts.length === 2 ? `${parts[1]} ${parts[0]}` : name;
  return ordered.split(/\s+/).filter(Boolean);
}

const LEGAL = ['S.A. de C.V.', 'LLC', 'Ltd', 'Limited', 'S.A.', 'Inc.', 'Co., Ltd.', 'GmbH', 'S.R.L.'];

export function variant(r: () => number, e: WatchlistEntity): { name: string; category: string } | undefined {
  const words = readingOrder(e.name);
  const person = e.schema === 'Person';
  const longWords = words.map((w, i) => ({ w, i })).filter((x) => x.w.length >= 4);
  const kinds = ['typo', 'respell', 'reorder', 'case-accents', ...(person && words.length >= 3 ? ['drop-token', 'initial'] : []), ...(!person ? ['legal-form'] : []), 'combined'];
  const kind = pick(r, kinds);
  const w = [...words];
  switch (kind) {
    case 'typo': {
      if (longWords.length === 0) return undefined;
      const t = pick(r, longWords);
      w[t.i] = typo(r, t.w);
      break;
    }
    case 'respell': {
      const t = pick(r, longWords.length ? longWords : words.map((x, i) => ({ w: x, i })));
      w[t.i] = respell(r, t.w);
      break;
    }
    case 'reorder':
      if (w.length < 2) return undefined;
      w.push(w.shift()!);
      break;
    case 'case-accents':
      return { name: w.join(' ').toLowerCase().replace(/a/, 'á').replace(/e/, 'é'), category: kind };
    case 'drop-token':
      w.splice(1 + Math.floor(r() * (w.length - 1)), 1);
      break;
    case 'initial':
      w[0] = `${w[0]!.charAt(0)}.`;
      break;
    case 'legal-form': {
      const stripped = e.name.replace(/,?\s*(S\.A\.( DE C\.V\.)?|LLC|LTD\.?|LIMITED|INC\.?|CO\.,? LTD\.?|GMBH|S\.R\.L\.|CORP\.?|COMPANY)$/i, '');
      return { name: `${stripped} ${pick(r, LEGAL)}`, category: kind };
    }
    case 'combined': {
      if (longWords.length === 0) return undefined;
      const t = pick(r, longWords);
      w[t.i] = respell(r, typo(r, t.w));
      if (w.length >= 2) w.push(w.shift()!);
      break;
    }
  }
  const name = w.join(' ');
  return name === words.join(' ') ? undefined : { name, category: kind };
}

function hashSplit(key: string): 'dev' | 'test' {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % 2 === 0 ? 'dev' : 'test';
}

function schemaOf(e: WatchlistEntity): string {
  return e.schema === 'Person' ? 'Person' : e.schema === 'Vessel' ? 'Vessel' : e.schema === 'Airplane' ? 'LegalEntity' : 'Organization';
}

function tokens(name: string): string[] {
  return name.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter((t) => t.length >= 3);
}

/** Build the labelled pairs from loaded entities (deterministic for a seed). */
export function buildPairs(entities: readonly WatchlistEntity[], seed = 1): LabelledPair[] {
  const r = rng(seed);
  const out: LabelledPair[] = [];
  const named = entities.filter((e) => e.schema !== 'CryptoWallet');
  const add = (e: WatchlistEntity, name1: string, name2: string, label: boolean, category: string) => {
    if (!name1.trim() || !name2.trim()) return;
    const t1 = tokens(name1);
    const t2 = tokens(name2);
    // Two entries with one name are the same party listed twice, not a negative.
    if (!label && t1.slice().sort().join(' ') === t2.slice().sort().join(' ')) return;
    const related = category !== 'alias-strong' && category !== 'alias-weak' ? true : t1.some((t) => t2.includes(t));
    out.push({ name1, name2, schema: schemaOf(e), label, category, split: hashSplit(e.key), selection: related });
  };
  // Positives from the lists themselves.
  for (const e of named) {
    for (const n of e.names.slice(1)) {
      const category = n.type === 'original-script' ? 'original-script' : n.strength === 'weak' ? 'alias-weak' : 'alias-strong';
      if (category !== 'original-script' && r() > 0.35) continue;
      add(e, e.name, n.name, true, category);
    }
  }
  // Positives: variants.
  for (const e of named) {
    if (r() > 0.5) continue;
    const v = variant(r, e);
    if (v) add(e, e.name, v.name, true, v.category);
  }
  // Negatives: different entries of one list sharing words.
  const byToken = new Map<string, WatchlistEntity[]>();
  for (const e of named) for (const t of new Set(tokens(e.name))) (byToken.get(t) ?? byToken.set(t, []).get(t)!).push(e);
  const seenPair = new Set<string>();
  for (const e of named) {
    if (r() > 0.9) continue;
    const toks = [...new Set(tokens(e.name))];
    if (toks.length === 0) continue;
    const t = pick(r, toks);
    const others = (byToken.get(t) ?? []).filter((o) => o.key !== e.key && o.list === e.list && o.schema === e.schema);
    if (others.length === 0 || others.length > 400) continue;
    const o = pick(r, others);
    const k = [e.key, o.key].sort().join('|');
    if (seenPair.has(k)) continue;
    seenPair.add(k);
    const shared = tokens(o.name).filter((x) => toks.includes(x)).length;
    const category = e.schema === 'Person' ? (shared >= 2 ? 'neg-family' : 'neg-shared-surname') : 'neg-org-shared-word';
    add(e, e.name, o.name, false, category);
  }
  // Negatives: common Spanish names on a listed surname.
  const persons = named.filter((e) => e.schema === 'Person' && e.name.includes(','));
  for (let k = 0; k < 1500; k++) {
    const e = pick(r, persons);
    const surnames = e.name.split(',')[0]!.trim().split(/\s+/);
    const given = e.name.split(',')[1]!.trim().split(/\s+/)[0]!;
    let first = pick(r, SPANISH_GIVEN);
    if (first.toLowerCase() === given.toLowerCase()) first = pick(r, SPANISH_GIVEN.filter((g) => g.toLowerCase() !== given.toLowerCase()));
    const second = surnames.length > 1 && r() < 0.5 ? surnames[1]! : pick(r, SPANISH_SURNAMES);
    add(e, e.name, `${first} ${surnames[0]} ${second}`, false, 'neg-common-spanish');
  }
  // Negatives: random pairs of one schema.
  for (let k = 0; k < 1000; k++) {
    const e = pick(r, named);
    const o = pick(r, named);
    if (o.key === e.key || o.schema !== e.schema) continue;
    add(e, e.name, o.name, false, 'neg-random');
  }
  return out;
}

export interface Figures {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function figuresAt(scored: ReadonlyArray<{ score: number; label: boolean }>, threshold: number): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const s of scored) {
    const m = s.score >= threshold;
    if (m && s.label) tp++;
    else if (m) fp++;
    else if (s.label) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, tp, fp, fn, tn, precision, recall, f1 };
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const listsDir = arg('--lists') ?? join(root, '..', 'shared', 'data', 'sanctions');
  if (!existsSync(listsDir)) {
    process.stdout.write(`screen-pairs: skipped, no lists at ${listsDir}\n`);
    return;
  }
  const lists = await loadLists([listsDir]);
  const pairs = buildPairs(lists.flatMap((l) => l.entities));
  const scored = pairs.map((p) => ({ ...p, score: scoreNames(p.name1, p.name2, p.schema).score }));
  const out = arg('--out') ?? join(root, 'bench', 'data', 'screen-pairs.csv');
  mkdirSync(dirname(out), { recursive: true });
  const header = 'name1,name2,schema,label,category,split,score\n';
  writeFileSync(out, header + scored.map((p) => [p.name1, p.name2, p.schema, String(p.label), p.category, p.split, p.score.toFixed(3)].map(csvEscape).join(',')).join('\n') + '\n');
  const dev = scored.filter((p) => p.split === 'dev' && p.selection);
  const test = scored.filter((p) => p.split === 'test' && p.selection);
  const fmt = (f: Figures) => `t=${f.threshold.toFixed(2)} P=${f.precision.toFixed(3)} R=${f.recall.toFixed(3)} F1=${f.f1.toFixed(3)} (tp ${f.tp} fp ${f.fp} fn ${f.fn} tn ${f.tn})`;
  const sel = scored.filter((p) => p.selection);
  process.stdout.write(`${pairs.length} pairs (${pairs.filter((p) => p.label).length} positive) written to ${out}; selection set ${sel.length} (${sel.filter((p) => p.label).length} positive)\n`);
  let best = figuresAt(dev, 0.5);
  for (let t = 0.5; t <= 0.99; t += 0.01) {
    const f = figuresAt(dev, Math.round(t * 100) / 100);
    if (f.f1 > best.f1) best = f;
  }
  process.stdout.write(`dev: best F1 at ${fmt(best)}\n`);
  const { DEFAULT_THRESHOLD } = await import('../src/screen/index.js');
  process.stdout.write(`dev  at default: ${fmt(figuresAt(dev, DEFAULT_THRESHOLD))}\n`);
  process.stdout.write(`test at default: ${fmt(figuresAt(test, DEFAULT_THRESHOLD))}\n`);
  process.stdout.write(`selection (dev+test) at default: ${fmt(figuresAt(sel, DEFAULT_THRESHOLD))}\n`);
  process.stdout.write(`every pair, unrelated aliases included, at default: ${fmt(figuresAt(scored, DEFAULT_THRESHOLD))}\n`);
  for (const t of [0.7, 0.75, 0.8, 0.85, 0.9]) process.stdout.write(`  test ${fmt(figuresAt(test, t))}\n`);
  const categories = [...new Set(scored.map((p) => p.category))].sort();
  process.stdout.write('per category on test at the default threshold (positives: recall; negatives: share wrongly matched):\n');
  for (const c of categories) {
    const xs = scored.filter((p) => p.category === c && p.split === 'test');
    const matched = xs.filter((p) => p.score >= DEFAULT_THRESHOLD).length;
    process.stdout.write(`  ${c.padEnd(22)} ${String(xs.length).padStart(5)}  ${(matched / Math.max(1, xs.length)).toFixed(3)}\n`);
  }
  const sample = arg('--sample');
  if (sample) {
    const size = Number(arg('--sample-size') ?? 1000);
    const r = rng(7);
    const chosen = sel.filter(() => r() < size / sel.length);
    writeFileSync(sample, 'name1,name2,schema,label,category\n' + chosen.map((p) => [p.name1, p.name2, p.schema, String(p.label), p.category].map(csvEscape).join(',')).join('\n') + '\n');
    process.stdout.write(`sample of ${chosen.length} pairs written to ${sample}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
