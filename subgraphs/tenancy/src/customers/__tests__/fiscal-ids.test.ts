import { describe, expect, it } from 'vitest';
import { normalizeNit, normalizeNrc } from '../fiscal-ids';

describe('normalizeNit', () => {
  it.each([
    ['0614-150396-102-3', '0614-150396-102-3'],
    ['06141503961023', '0614-150396-102-3'],
    ['  0614 150396 102 3 ', '0614-150396-102-3'],
    ['0614–150396–102–3', '0614-150396-102-3'],
    [6141503961023, '0614-150396-102-3'],
    [10614150396102, '1061-415039-610-2'],
  ])('accepts the 14-digit NIT %j as %s', (raw, expected) => {
    expect(normalizeNit(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['12345678-9', '12345678-9'],
    ['123456789', '12345678-9'],
    ['01234567-8', '01234567-8'],
    [12345678, '01234567-8'],
  ])('accepts the DUI used as NIT %j as %s', (raw, expected) => {
    expect(normalizeNit(raw)).toEqual({ ok: true, value: expected });
  });

  it('rejects a wrong digit count, naming the expected form and the value', () => {
    expect(normalizeNit('0614-150396-102')).toEqual({
      ok: false,
      message:
        'NIT must have 14 digits in the form 0000-000000-000-0 (or 9 digits in the DUI form 00000000-0), got "0614-150396-102" (13 digits)',
    });
  });

  it('rejects letters and empty text', () => {
    const letters = normalizeNit('0614-15O396-102-3');
    expect(letters.ok).toBe(false);
    if (!letters.ok) expect(letters.message).toContain('got "0614-15O396-102-3"');
    expect(normalizeNit('   ').ok).toBe(false);
  });

  it('rejects dashes in the wrong places even with 14 digits', () => {
    const result = normalizeNit('06141-50396-102-3');
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('(digit groups in the wrong place)'),
    });
  });

  it('rejects negative and fractional numbers', () => {
    expect(normalizeNit(-6141503961023).ok).toBe(false);
    expect(normalizeNit(614150396.5).ok).toBe(false);
  });
});

describe('normalizeNrc', () => {
  it.each([
    ['87654-2', '87654-2'],
    ['112233-4', '112233-4'],
    ['1-7', '1-7'],
    ['876542', '87654-2'],
    [' 87654 - 2 ', '87654-2'],
    [876542, '87654-2'],
  ])('accepts %j as %s', (raw, expected) => {
    expect(normalizeNrc(raw)).toEqual({ ok: true, value: expected });
  });

  it('rejects more than 6 digits before the check digit', () => {
    expect(normalizeNrc('1234567-8')).toEqual({
      ok: false,
      message:
        'NRC must have 1 to 6 digits, a dash and a check digit, in the form 123456-7, got "1234567-8" (8 digits)',
    });
  });

  it('rejects a dash that is not before the last digit', () => {
    const result = normalizeNrc('8765-42');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('the dash goes before the last digit');
  });

  it('rejects text and a lone digit', () => {
    expect(normalizeNrc('N/A')).toEqual({
      ok: false,
      message: 'NRC must have 1 to 6 digits, a dash and a check digit, in the form 123456-7, got "N/A"',
    });
    expect(normalizeNrc('7').ok).toBe(false);
  });
});
