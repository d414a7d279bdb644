/**
 * Pairs of names and their scores: variants of one name match, different people who share surnames do not,
 * and every score says why.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_THRESHOLD, scoreNames } from '../../src/screen/index.js';

const match = (a: string, b: string, schema = 'Person') => {
  const r = scoreNames(a, b, schema);
  assert.ok(r.match, `${a} ~ ${b} should match, scored ${r.score}: ${r.reasons.join('; ')}`);
  return r;
};
const noMatch = (a: string, b: string, schema = 'Person') => {
  const r = scoreNames(a, b, schema);
  assert.ok(!r.match, `${a} / ${b} should not match, scored ${r.score}: ${r.reasons.join('; ')}`);
  return r;
};

describe('the same name written differently', () => {
  test('order, case, accents and the OFAC comma do not change the score', () => {
    assert.equal(scoreNames('GUZMAN LOERA, Joaquin', 'Joaquín Guzmán Loera', 'Person').score, 1);
    assert.equal(scoreNames('Loera Guzman Joaquin', 'joaquin guzman loera').score, 1);
  });

  test('typos, Spanish respellings, compound surnames and particles', () => {
    match('ZAMBADA GARCIA, Ismael', 'Ismael Sambada Garcia');
    match('GONZALEZ VAZQUEZ, Jesus', 'Jesus Gonsales Basquez');
    match('GUZMAN LOERA, Joaquin', 'Joaquin Guzmna Loera');
    match('Juan de la Cruz Perez', 'Juan Delacruz Perez');
    match('Maria del Rosario Zambada', 'Maria Rosario Zambada');
  });

  test('a middle name or second surname left out still matches', () => {
    match('GUZMAN LOERA, Joaquin', 'Joaquin Archivaldo Guzman Loera');
    match('ZAMBADA GARCIA, Ismael', 'Ismael Zambada');
  });

  test('transliterations: Arabic, Cyrillic, Chinese, Korean', () => {
    match('SADDAM HUSSEIN AL-TIKRITI', 'صدام حسين التكريتي');
    match('DOKU KHAMATOVICH UMAROV', 'Умаров Доку Хаматович');
    match('Jin Tiesan', '金铁三');
    match('KIM, Jong Un', '김정은');
    match('Mohammed Ali', 'Muhammad Aly');
  });

  test('organisations: legal forms and their typos do not count', () => {
    match('BANCO NACIONAL DE CUBA', 'Banco Nacional de Cuba S.A.', 'Company');
    match('FARMACIA VIDA SUPREMA, S.A. DE C.V.', 'Farmacia Vida Suprema SA de CV', 'Company');
    match('KRAKERN LIMITED', 'KRAKERN LIMTED', 'Company');
    match("AL QA'IDA", 'Al-Qaida', 'Organization');
  });
});

describe('different parties that look alike', () => {
  test('common Spanish names that share surnames with a listed person', () => {
    noMatch('Jose Garcia Lopez', 'Juan Garcia Lopez');
    noMatch('GUZMAN LOERA, Joaquin', 'Maria Guzman Loera');
    noMatch('Maria Lopez Garcia', 'Mario Lopez Garcia');
  });

  test('brothers and sons: the Guzman Salazar brothers, Uday and Saddam', () => {
    noMatch('GUZMAN SALAZAR, Ivan Archivaldo', 'GUZMAN SALAZAR, Jesus Alfredo');
    noMatch('Saddam Hussein', 'Uday Saddam Hussein');
  });

  test('numbered vessels and companies differ by their number', () => {
    noMatch('BICENTENARIO XIV', 'BICENTENARIO X', 'Vessel');
    noMatch('ASIA BRIDGE', 'ASIA BRIDGE 1', 'Vessel');
  });
});

describe('scores', () => {
  test('are symmetric, in [0, 1], and come with reasons', () => {
    const pairs = [
      ['GUZMAN LOERA, Joaquin', 'Joaquin Guzman'],
      ['Jose Garcia Lopez', 'Juan Garcia Lopez'],
      ['SADDAM HUSSEIN', 'صدام حسين'],
    ];
    for (const [a, b] of pairs) {
      const x = scoreNames(a!, b!, 'Person');
      const y = scoreNames(b!, a!, 'Person');
      assert.equal(x.score, y.score);
      assert.ok(x.score >= 0 && x.score <= 1);
      assert.ok(x.reasons.length > 0);
    }
    const r = scoreNames('Jose Garcia Lopez', 'Juan Garcia Lopez', 'Person');
    assert.ok(r.reasons.some((s) => s.includes('"jose" ≠ "juan"')), r.reasons.join('; '));
  });

  test('the default threshold is the documented one', () => {
    assert.equal(DEFAULT_THRESHOLD, 0.7);
  });
});
