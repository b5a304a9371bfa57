import { describe, expect, it } from 'vitest';
import { localToInstant, slotStartFromIntervalEnd, type LocalDateTime } from '../time';
import { clockToMinutes, createBlockClassifier, minutesToClock, validateTariffBlocks, type TariffBlock } from '../tou';

const SV = 'America/El_Salvador';
const NY = 'America/New_York';

const block = (code: string, start: string, end: string, dayType: TariffBlock['dayType'] = 'ALL'): TariffBlock => ({
  code,
  dayType,
  startMinute: clockToMinutes(start),
  endMinute: clockToMinutes(end),
});

const MT_H: TariffBlock[] = [
  block('VALLE', '23:00', '05:00'),
  block('RESTO', '05:00', '18:00'),
  block('PUNTA', '18:00', '23:00'),
];

const local = (day: number, hour: number, minute: number, month = 9): LocalDateTime => ({
  year: 2025,
  month,
  day,
  hour,
  minute,
});

describe('clock helpers', () => {
  it('converts HH:MM to minutes and back', () => {
    expect(clockToMinutes('23:00')).toBe(1380);
    expect(clockToMinutes('24:00')).toBe(1440);
    expect(clockToMinutes(' 5:00 ')).toBe(300);
    expect(minutesToClock(300)).toBe('05:00');
    expect(minutesToClock(1440)).toBe('24:00');
    for (const bad of ['24:15', '25:00', '12:60', 'noon', ''])
      expect(() => clockToMinutes(bad)).toThrow(/Invalid clock/);
  });
});

describe('MT-H classifier (BILLING.md §3 edges)', () => {
  const classify = createBlockClassifier(MT_H, SV, new Set());
  const bySlotStart = (d: number, h: number, m: number) => classify(localToInstant(local(d, h, m), SV));
  const byIntervalEnd = (d: number, h: number, m: number) =>
    classify(slotStartFromIntervalEnd(localToInstant(local(d, h, m), SV)));

  it.each([
    [17, 45, 'RESTO'],
    [18, 0, 'PUNTA'],
    [22, 45, 'PUNTA'],
    [23, 0, 'VALLE'],
    [23, 45, 'VALLE'],
    [0, 0, 'VALLE'],
    [4, 45, 'VALLE'],
    [5, 0, 'RESTO'],
  ])('slot starting %i:%i is %s', (h, m, code) => {
    expect(bySlotStart(10, h, m)).toBe(code);
  });

  it('classifies interval-end stamps by the slot they close', () => {
    expect(byIntervalEnd(10, 18, 0)).toBe('RESTO'); // slot 17:45
    expect(byIntervalEnd(10, 18, 15)).toBe('PUNTA'); // slot 18:00
    expect(byIntervalEnd(10, 5, 0)).toBe('VALLE'); // slot 04:45
    expect(byIntervalEnd(10, 5, 15)).toBe('RESTO'); // slot 05:00
    expect(byIntervalEnd(10, 23, 0)).toBe('PUNTA'); // slot 22:45
    expect(byIntervalEnd(10, 23, 15)).toBe('VALLE'); // slot 23:00
  });

  it('puts "24:00" of 30/09 in the slot 23:45 of 30/09 (VALLE, September)', () => {
    const slot = slotStartFromIntervalEnd(localToInstant(local(30, 24, 0), SV));
    expect(slot.toISOString()).toBe('2025-10-01T05:45:00.000Z');
    expect(classify(slot)).toBe('VALLE');
  });

  it('covers a whole day with 24 + 52 + 20 quarter hours per block', () => {
    const counts: Record<string, number> = {};
    const start = localToInstant(local(10, 0, 0), SV).getTime();
    for (let i = 0; i < 96; i++) {
      const code = classify(new Date(start + i * 15 * 60_000));
      counts[code] = (counts[code] ?? 0) + 1;
    }
    expect(counts).toEqual({ VALLE: 24, RESTO: 52, PUNTA: 20 });
  });
});

describe('classifier in a DST zone', () => {
  const classify = createBlockClassifier(MT_H, NY, new Set());
  it('uses local wall time on both sides of the change', () => {
    // 2025-03-09: 01:45 EST is followed by 03:00 EDT.
    const before = localToInstant({ year: 2025, month: 3, day: 9, hour: 1, minute: 45 }, NY);
    expect(classify(before)).toBe('VALLE');
    expect(classify(new Date(before.getTime() + 15 * 60_000))).toBe('VALLE'); // 03:00 EDT
    const sixPm = localToInstant({ year: 2025, month: 3, day: 9, hour: 18, minute: 0 }, NY);
    expect(sixPm.toISOString()).toBe('2025-03-09T22:00:00.000Z');
    expect(classify(sixPm)).toBe('PUNTA');
    expect(classify(new Date(sixPm.getTime() - 15 * 60_000))).toBe('RESTO');
  });
});

describe('day types', () => {
  const blocks: TariffBlock[] = [
    block('VALLE', '23:00', '05:00', 'WEEKDAY'),
    block('RESTO', '05:00', '18:00', 'WEEKDAY'),
    block('PUNTA', '18:00', '23:00', 'WEEKDAY'),
    block('WE', '00:00', '00:00', 'WEEKEND'),
    block('HOL', '00:00', '24:00', 'HOLIDAY'),
  ];
  const classify = createBlockClassifier(blocks, SV, new Set(['2025-09-15']));
  const at = (d: number, h: number) => classify(localToInstant(local(d, h, 0), SV));

  it('picks weekday, weekend and holiday blocks from the local date', () => {
    expect(at(12, 19)).toBe('PUNTA'); // Friday
    expect(at(13, 19)).toBe('WE'); // Saturday
    expect(at(14, 3)).toBe('WE'); // Sunday
    expect(at(15, 19)).toBe('HOL'); // Monday, holiday (Independence Day)
    expect(at(16, 19)).toBe('PUNTA');
  });

  it('lets a holiday on a weekend take the HOLIDAY blocks', () => {
    const c = createBlockClassifier(blocks, SV, new Set(['2025-09-13']));
    expect(c(localToInstant(local(13, 10, 0), SV))).toBe('HOL');
  });

  it('falls back to the weekday type when no HOLIDAY blocks exist, and to ALL when no specific type exists', () => {
    const withAll: TariffBlock[] = [...MT_H, block('WE', '00:00', '24:00', 'WEEKEND')];
    const c = createBlockClassifier(withAll, SV, new Set(['2025-09-15']));
    expect(c(localToInstant(local(15, 19, 0), SV))).toBe('PUNTA'); // holiday, no HOLIDAY blocks → ALL
    expect(c(localToInstant(local(13, 19, 0), SV))).toBe('WE');
  });

  it('honours a custom weekend', () => {
    const c = createBlockClassifier(blocks, SV, new Set(), { weekendDays: [5, 6] });
    expect(c(localToInstant(local(12, 19, 0), SV))).toBe('WE'); // Friday
    expect(c(localToInstant(local(14, 19, 0), SV))).toBe('PUNTA'); // Sunday
  });
});

describe('validateTariffBlocks', () => {
  it('accepts MT-H and a single full-day block', () => {
    expect(validateTariffBlocks(MT_H)).toEqual({ ok: true });
    expect(validateTariffBlocks([block('FLAT', '00:00', '24:00')])).toEqual({ ok: true });
  });

  it('names an uncovered range', () => {
    const res = validateTariffBlocks([block('VALLE', '23:00', '05:00'), block('RESTO', '05:00', '18:00')]);
    expect(res).toEqual({ ok: false, problems: ['ALL: 18:00–23:00 is not covered by any block'] });
  });

  it('names overlapping ranges and the blocks involved', () => {
    const res = validateTariffBlocks([
      block('VALLE', '22:00', '05:00'),
      block('RESTO', '05:00', '18:00'),
      block('PUNTA', '18:00', '23:00'),
    ]);
    expect(res).toEqual({ ok: false, problems: ['ALL: 22:00–23:00 is covered by several blocks (VALLE, PUNTA)'] });
  });

  it('names the day type of the problem', () => {
    const res = validateTariffBlocks([
      block('A', '00:00', '12:00', 'WEEKDAY'),
      block('B', '12:00', '24:00', 'WEEKDAY'),
      block('W', '01:00', '24:00', 'WEEKEND'),
    ]);
    expect(res).toEqual({ ok: false, problems: ['WEEKEND: 00:00–01:00 is not covered by any block'] });
  });

  it('requires weekdays and weekends to resolve somewhere', () => {
    const res = validateTariffBlocks([block('A', '00:00', '24:00', 'WEEKDAY')]);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.problems).toEqual(['WEEKEND: no blocks for weekends (configure WEEKEND or ALL)']);
    const res2 = validateTariffBlocks([block('A', '00:00', '24:00', 'HOLIDAY')]);
    expect(!res2.ok && res2.problems).toHaveLength(2);
  });

  it('rejects malformed blocks and an empty set', () => {
    expect(validateTariffBlocks([])).toEqual({ ok: false, problems: ['no tariff blocks configured'] });
    const res = validateTariffBlocks([
      { code: '', dayType: 'ALL', startMinute: 0, endMinute: 1440 },
      { code: 'X', dayType: 'SOMEDAY' as TariffBlock['dayType'], startMinute: 1440, endMinute: 1441 },
      { code: 'Y', dayType: 'ALL', startMinute: 1.5, endMinute: -1 },
    ]);
    expect(!res.ok && res.problems).toEqual([
      'block "" (ALL): code is empty',
      'block "X" (SOMEDAY): unknown day type',
      'block "X" (SOMEDAY): startMinute 1440 must be an integer in 0..1439',
      'block "X" (SOMEDAY): endMinute 1441 must be an integer in 0..1440',
      'block "Y" (ALL): startMinute 1.5 must be an integer in 0..1439',
      'block "Y" (ALL): endMinute -1 must be an integer in 0..1440',
    ]);
  });

  it('makes createBlockClassifier throw on an invalid set', () => {
    expect(() => createBlockClassifier([block('A', '00:00', '12:00')], SV, new Set())).toThrow(
      /Invalid tariff blocks: ALL: 12:00–24:00 is not covered/,
    );
  });
});
