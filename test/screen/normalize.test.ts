/**
 * Names as the matcher sees them: every script to ASCII words, reading order, honorifics, particles and
 * legal forms set apart.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consonantKey, normalizeName, phoneticKey, readingOrder, toLatin } from '../../src/screen/index.js';

describe('transliteration', () => {
  test('Cyrillic, Chinese (pinyin, family name apart), Korean (as the lists spell it) and accents become ASCII words', () => {
    assert.equal(toLatin('Владимир Путин'), 'Vladimir Putin');
    assert.deepEqual(normalizeName('金铁三', 'person').tokens, ['jin', 'tiesan']);
    assert.deepEqual(normalizeName('김정은', 'person').tokens, ['kim', 'jong', 'un']);
    assert.deepEqual(normalizeName('Joaquín Guzmán', 'person').tokens, ['joaquin', 'guzman']);
  });

  test('Arabic: the article stands apart, ullah and uddin join the name before them, ta marbuta reads -a', () => {
    assert.deepEqual(normalizeName('يوسف المداني', 'person').tokens, ['ywsf', 'mdny']);
    assert.deepEqual(normalizeName('حبیب الله رشاد', 'person').tokens, ['hbybullah', 'rshd']);
    assert.ok(normalizeName('القاعدة', 'organization').abjad);
  });
});

describe('normalisation', () => {
  test('"LAST, First" is read as "First LAST"', () => {
    assert.equal(readingOrder('GUZMAN LOERA, Joaquin', 'person'), 'Joaquin GUZMAN LOERA');
    assert.deepEqual(normalizeName('GUZMAN LOERA, Joaquin', 'person').tokens, ['joaquin', 'guzman', 'loera']);
  });

  test('honorifics go, particles and legal forms stay only as words (for fused spellings), not as tokens', () => {
    const p = normalizeName('Sheikh Juan de la Cruz', 'person');
    assert.deepEqual(p.tokens, ['juan', 'cruz']);
    assert.deepEqual(p.words, ['juan', 'de', 'la', 'cruz']);
    const c = normalizeName('Distribuidora Imperial de Baja California, S.A. de C.V.', 'organization');
    assert.deepEqual(c.tokens, ['distribuidora', 'imperial', 'baja', 'california']);
    assert.ok(c.weights[0]! < 1, 'a generic word weighs less');
  });

  test('an unlabelled name with a legal form is an organisation; roman numerals in it are numbers', () => {
    assert.equal(normalizeName('CIMEX, S.A.').kind, 'organization');
    assert.deepEqual(normalizeName('BICENTENARIO XIV', 'vessel').tokens, ['bicentenario', '14']);
  });

  test('fused Arabic compounds split, Abdullah stays whole', () => {
    assert.deepEqual(normalizeName('Abdulrahman Yasin', 'person').tokens, ['abd', 'rahman', 'yasin']);
    assert.deepEqual(normalizeName('Abdullah Azzam', 'person').tokens, ['abdullah', 'azzam']);
  });
});

describe('phonetic keys', () => {
  test('Spanish spellings of one sound share a key', () => {
    for (const [a, b] of [
      ['guzman', 'gusman'],
      ['vazquez', 'basquez'],
      ['gonzalez', 'gonsales'],
      ['quintero', 'kintero'],
      ['yepes', 'llepes'],
      ['jimenez', 'gimenez'],
      ['hernandez', 'ernandez'],
      ['ximenez', 'jimenez'],
    ]) {
      assert.equal(phoneticKey(a!), phoneticKey(b!), `${a} ~ ${b}`);
    }
    assert.notEqual(phoneticKey('garcia'), phoneticKey('garza'));
  });

  test('consonant skeletons meet abjad spellings', () => {
    assert.equal(consonantKey('muhammad'), consonantKey('mhmd'));
    assert.equal(consonantKey('hussein'), consonantKey('hsyn'));
    assert.equal(consonantKey('djamel'), consonantKey('jml'));
  });
});
