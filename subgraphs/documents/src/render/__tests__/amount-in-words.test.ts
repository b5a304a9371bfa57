import { describe, expect, it } from 'vitest';
import { amountInSpanishWords, integerInSpanishWords } from '../amount-in-words';

describe('amountInSpanishWords', () => {
  it('writes the worked example total as printed on the invoice', () => {
    expect(amountInSpanishWords('166760.87')).toBe('CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES');
  });

  it.each([
    ['0', 'CERO 00/100 DÓLARES'],
    ['0.05', 'CERO 05/100 DÓLARES'],
    ['1', 'UN 00/100 DÓLARES'],
    ['21.5', 'VEINTIÚN 50/100 DÓLARES'],
    ['100', 'CIEN 00/100 DÓLARES'],
    ['101', 'CIENTO UN 00/100 DÓLARES'],
    ['115', 'CIENTO QUINCE 00/100 DÓLARES'],
    ['1000', 'MIL 00/100 DÓLARES'],
    ['1001', 'MIL UN 00/100 DÓLARES'],
    ['21000', 'VEINTIÚN MIL 00/100 DÓLARES'],
    ['31000', 'TREINTA Y UN MIL 00/100 DÓLARES'],
    ['100000', 'CIEN MIL 00/100 DÓLARES'],
    ['147575.99', 'CIENTO CUARENTA Y SIETE MIL QUINIENTOS SETENTA Y CINCO 99/100 DÓLARES'],
    ['19184.88', 'DIECINUEVE MIL CIENTO OCHENTA Y CUATRO 88/100 DÓLARES'],
    ['1000000', 'UN MILLÓN DE 00/100 DÓLARES'],
    ['2500000.1', 'DOS MILLONES QUINIENTOS MIL 10/100 DÓLARES'],
    [
      '999999999.99',
      'NOVECIENTOS NOVENTA Y NUEVE MILLONES NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE 99/100 DÓLARES',
    ],
  ])('%s → %s', (amount, words) => {
    expect(amountInSpanishWords(amount)).toBe(words);
  });

  it('rounds to cents half away from zero before writing', () => {
    expect(amountInSpanishWords('10.005')).toBe('DIEZ 01/100 DÓLARES');
    expect(amountInSpanishWords('9.999')).toBe('DIEZ 00/100 DÓLARES');
  });

  it('prefixes a credit note amount with MENOS', () => {
    expect(amountInSpanishWords('-16.22')).toBe('MENOS DIECISÉIS 22/100 DÓLARES');
  });

  it('uses another currency name when given', () => {
    expect(amountInSpanishWords('2', 'EUROS')).toBe('DOS 00/100 EUROS');
  });
});

describe('integerInSpanishWords', () => {
  it('keeps UNO when not followed by a noun', () => {
    expect(integerInSpanishWords(1, false)).toBe('UNO');
    expect(integerInSpanishWords(31, false)).toBe('TREINTA Y UNO');
    expect(integerInSpanishWords(21, false)).toBe('VEINTIUNO');
  });

  it('says MILLONES for millions above one and keeps them apart from thousands', () => {
    expect(integerInSpanishWords(21_001_001)).toBe('VEINTIÚN MILLONES MIL UN');
  });

  it('refuses fractions, negatives and numbers of a trillion or more', () => {
    expect(() => integerInSpanishWords(1.5)).toThrow(RangeError);
    expect(() => integerInSpanishWords(-1)).toThrow(RangeError);
    expect(() => integerInSpanishWords(1e12)).toThrow(RangeError);
  });
});
