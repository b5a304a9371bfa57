import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decimalFromExcelNumber, parseDecimalNumber, parseFraction } from '../percent';

function ok(result: ReturnType<typeof parseFraction>): string {
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.value.toFixed();
}

function message(result: ReturnType<typeof parseFraction>): string {
  if (result.ok) throw new Error(`expected an error, got ${result.value.toFixed()}`);
  return result.message;
}

describe('parseFraction', () => {
  it.each([
    ['2.35%', '0.0235'],
    ['2,35%', '0.0235'],
    [' 2,35 % ', '0.0235'],
    ['1,95%', '0.0195'],
    ['2.10%', '0.021'],
    ['10%', '0.1'],
    ['0%', '0'],
    ['100%', '1'],
    ['0.0235', '0.0235'],
    ['0,0235', '0.0235'],
    ['.5', '0.5'],
    ['1', '1'],
    [0.0235, '0.0235'],
    [0.018, '0.018'],
    [0, '0'],
    [2.35 / 100, '0.0235'],
  ])('reads %j as the fraction %s', (raw, expected) => {
    expect(ok(parseFraction(raw, 'Discount'))).toBe(expected);
  });

  it('returns exact Decimals', () => {
    const result = parseFraction('2.35%', 'Loss factor');
    expect(result.ok && result.value instanceof Decimal && result.value.eq('0.0235')).toBe(true);
  });

  it.each([
    ['1.0235', '0.0235'],
    ['1,0235', '0.0235'],
    [1.0235, '0.0235'],
    ['1', '0'],
    ['2.35%', '0.0235'],
    ['0.0235', '0.0235'],
    [0.0235, '0.0235'],
  ])('with allowMultiplier reads %j as %s', (raw, expected) => {
    expect(ok(parseFraction(raw, 'Loss factor', { allowMultiplier: true }))).toBe(expected);
  });

  it('rejects garbage naming the field and the accepted forms', () => {
    expect(message(parseFraction('abc', 'Discount'))).toBe(
      'Discount must be a percentage like 2.35% or a fraction like 0.0235, got "abc"',
    );
    expect(message(parseFraction('2.3.5%', 'Discount'))).toContain('got "2.3.5%"');
    expect(message(parseFraction('2,35,1', 'Discount'))).toContain('got "2,35,1"');
    expect(message(parseFraction('%', 'Discount'))).toContain('got "%"');
    expect(message(parseFraction('', 'Discount'))).toBe(
      'Discount must be a percentage like 2.35% or a fraction like 0.0235, got an empty value',
    );
    expect(message(parseFraction(Number.NaN, 'Discount'))).toContain('got "NaN"');
    expect(message(parseFraction('x', 'Loss factor', { allowMultiplier: true }))).toContain('a multiplier like 1.0235');
  });

  it('rejects negatives', () => {
    expect(message(parseFraction('-2%', 'Discount'))).toBe('Discount must not be negative, got "-2%"');
    expect(message(parseFraction(-0.02, 'Discount'))).toBe('Discount must not be negative, got "-0.02"');
  });

  it('rejects more than 100%', () => {
    expect(message(parseFraction('150%', 'Discount'))).toBe('Discount must be at most 100%, got "150%"');
    expect(message(parseFraction('2.35', 'Discount'))).toBe(
      'Discount "2.35" without "%" means 235%, more than 100%; write a percentage like 2.35% or a fraction like 0.0235',
    );
    expect(message(parseFraction(2.35, 'Loss factor', { allowMultiplier: true }))).toContain(
      'read as a multiplier means 135%, more than 100%',
    );
  });
});

describe('parseDecimalNumber', () => {
  it.each([
    ['1500', '1500'],
    ['1500.5', '1500.5'],
    ['1500,5', '1500.5'],
    ['0,750', '0.75'],
    ['1,500.25', '1500.25'],
    ['1.500,25', '1500.25'],
    ['1.500.000', '1500000'],
    [40, '40'],
    [0.1 + 0.2, '0.3'],
  ])('reads %j as %s', (raw, expected) => {
    const result = parseDecimalNumber(raw, 'Multiplier');
    expect(result.ok ? result.value.toFixed() : result.message).toBe(expected);
  });

  it('rejects a single separator followed by three digits as ambiguous', () => {
    expect(parseDecimalNumber('1,500', 'Contracted power (kW)')).toEqual({
      ok: false,
      message: 'Contracted power (kW) "1,500" is ambiguous: write 1500 or 1.5, without a thousands separator',
    });
  });

  it('rejects text', () => {
    expect(parseDecimalNumber('cuarenta', 'Multiplier')).toEqual({
      ok: false,
      message: 'Multiplier must be a number like 1500 or 1500.5, got "cuarenta"',
    });
  });
});

describe('decimalFromExcelNumber', () => {
  it('keeps Excel’s 15 significant digits and drops binary noise', () => {
    expect(decimalFromExcelNumber(0.1 + 0.2).toFixed()).toBe('0.3');
    expect(decimalFromExcelNumber(1404.6864).toFixed()).toBe('1404.6864');
    expect(decimalFromExcelNumber(9007199254740991).toFixed()).toBe('9007199254740991');
  });
});
