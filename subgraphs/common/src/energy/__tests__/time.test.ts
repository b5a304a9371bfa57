import { describe, expect, it } from 'vitest';
import {
  SLOT_MINUTES,
  expectedSlots,
  instantFromIso,
  formatPeriod,
  listPeriodSlotStarts,
  localPartsOf,
  localToInstant,
  parsePeriod,
  periodBounds,
  slotRanges,
  slotStartFromIntervalEnd,
  slotStartsBetween,
  toLocalIso,
} from '../time';

const SV = 'America/El_Salvador';
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('localToInstant', () => {
  it('resolves a wall time in El Salvador (UTC-6)', () => {
    expect(localToInstant({ year: 2025, month: 9, day: 1, hour: 0, minute: 0 }, SV).toISOString()).toBe(
      '2025-09-01T06:00:00.000Z',
    );
  });

  it('treats hour 24 as 00:00 of the next day, across a month end', () => {
    expect(localToInstant({ year: 2025, month: 9, day: 30, hour: 24, minute: 0 }, SV).toISOString()).toBe(
      '2025-10-01T06:00:00.000Z',
    );
    expect(localToInstant({ year: 2025, month: 12, day: 31, hour: 24, minute: 0 }, SV).toISOString()).toBe(
      '2026-01-01T06:00:00.000Z',
    );
  });

  it('throws a clear error for a wall time inside a DST gap', () => {
    expect(() => localToInstant({ year: 2025, month: 3, day: 9, hour: 2, minute: 30 }, NY)).toThrow(
      /does not exist in America\/New_York/,
    );
  });

  it('moves a gap wall time forward only when asked to', () => {
    expect(
      localToInstant({ year: 2025, month: 3, day: 9, hour: 2, minute: 30 }, NY, { gap: 'forward' }).toISOString(),
    ).toBe('2025-03-09T07:30:00.000Z');
  });

  it('takes the earlier instant of an ambiguous wall time by default, the later one on request', () => {
    const local = { year: 2025, month: 11, day: 2, hour: 1, minute: 30 };
    expect(localToInstant(local, NY).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(localToInstant(local, NY, { fold: 'earlier' }).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(localToInstant(local, NY, { fold: 'later' }).toISOString()).toBe('2025-11-02T06:30:00.000Z');
  });

  it('rejects impossible fields and unknown zones', () => {
    expect(() => localToInstant({ year: 2025, month: 2, day: 30, hour: 0, minute: 0 }, SV)).toThrow(
      /Invalid local time/,
    );
    expect(() => localToInstant({ year: 2025, month: 9, day: 1, hour: 24, minute: 15 }, SV)).toThrow(/hour 24/);
    expect(() => localToInstant({ year: 2025, month: 9, day: 1, hour: 25, minute: 0 }, SV)).toThrow(
      /Invalid local time/,
    );
    expect(() => localToInstant({ year: 2025, month: 9, day: 1, hour: 1, minute: 60 }, SV)).toThrow(
      /Invalid local time/,
    );
    expect(() => localToInstant({ year: 2025, month: 9, day: 1.5, hour: 1, minute: 0 }, SV)).toThrow(/integers/);
    expect(() => localToInstant({ year: 2025, month: 9, day: 1, hour: 1, minute: 0 }, 'Mars/Base')).toThrow(
      /Unknown time zone/,
    );
  });
});

describe('slotStartFromIntervalEnd', () => {
  it('maps an interval end stamp to the slot start 15 minutes earlier', () => {
    const end = localToInstant({ year: 2025, month: 9, day: 1, hour: 0, minute: 15 }, SV);
    expect(toLocalIso(slotStartFromIntervalEnd(end), SV)).toBe('2025-09-01T00:00:00');
    const midnight = localToInstant({ year: 2025, month: 9, day: 30, hour: 24, minute: 0 }, SV);
    expect(toLocalIso(slotStartFromIntervalEnd(midnight), SV)).toBe('2025-09-30T23:45:00');
    expect(SLOT_MINUTES).toBe(15);
  });
});

describe('periods', () => {
  it('parses and formats YYYY-MM', () => {
    expect(parsePeriod('2025-09')).toEqual({ year: 2025, month: 9 });
    expect(formatPeriod({ year: 2025, month: 9 })).toBe('2025-09');
    expect(() => parsePeriod('2025-9')).toThrow(/expected YYYY-MM/);
    expect(() => parsePeriod('2025-13')).toThrow(/month must be/);
    expect(() => parsePeriod('2025-00')).toThrow(/month must be/);
  });

  it('bounds a local month [1st 00:00, next 1st 00:00)', () => {
    const { start, end } = periodBounds('2025-09', SV);
    expect(start.toISOString()).toBe('2025-09-01T06:00:00.000Z');
    expect(end.toISOString()).toBe('2025-10-01T06:00:00.000Z');
    expect(periodBounds('2025-12', SV).end.toISOString()).toBe('2026-01-01T06:00:00.000Z');
  });

  it('counts 2,880 slots in September and 2,976 in October for El Salvador', () => {
    expect(expectedSlots('2025-09', SV)).toBe(2880);
    expect(expectedSlots('2025-10', SV)).toBe(2976);
    expect(listPeriodSlotStarts('2025-09', SV)).toHaveLength(2880);
  });

  it('counts DST months in New York (one hour less in March, one more in November)', () => {
    expect(expectedSlots('2025-03', NY)).toBe(31 * 96 - 4);
    expect(expectedSlots('2025-11', NY)).toBe(30 * 96 + 4);
  });

  it('resolves a midnight lost to a DST gap to the first existing instant with gap: forward', () => {
    // Havana springs forward 00:00 → 01:00 (2024-03-10); periodBounds relies on this for such zones.
    const start = localToInstant({ year: 2024, month: 3, day: 10, hour: 0, minute: 0 }, 'America/Havana', {
      gap: 'forward',
    });
    expect(toLocalIso(start, 'America/Havana')).toBe('2024-03-10T01:00:00');
  });
});

describe('localPartsOf', () => {
  it('gives local date, minute of day, hour start and weekday', () => {
    const slot = localToInstant({ year: 2025, month: 9, day: 8, hour: 8, minute: 30 }, SV);
    const parts = localPartsOf(slot, SV);
    expect(parts.date).toBe('2025-09-08');
    expect(parts.minuteOfDay).toBe(8 * 60 + 30);
    expect(toLocalIso(parts.hourStart, SV)).toBe('2025-09-08T08:00:00');
    expect(parts.weekday).toBe(1); // Monday
  });

  it('uses the local date, not the UTC date, near midnight', () => {
    const slot = localToInstant({ year: 2025, month: 9, day: 30, hour: 23, minute: 45 }, SV);
    expect(slot.toISOString().slice(0, 10)).toBe('2025-10-01');
    expect(localPartsOf(slot, SV).date).toBe('2025-09-30');
  });

  it('keeps the two 01:00 hours of a DST fold apart', () => {
    const first = localToInstant({ year: 2025, month: 11, day: 2, hour: 1, minute: 45 }, NY);
    const second = localToInstant({ year: 2025, month: 11, day: 2, hour: 1, minute: 45 }, NY, { fold: 'later' });
    const a = localPartsOf(first, NY);
    const b = localPartsOf(second, NY);
    expect(a.minuteOfDay).toBe(105);
    expect(b.minuteOfDay).toBe(105);
    expect(a.hourStart.toISOString()).toBe('2025-11-02T05:00:00.000Z');
    expect(b.hourStart.toISOString()).toBe('2025-11-02T06:00:00.000Z');
  });

  it('works in a zone with a half-hour offset', () => {
    const slot = at('2025-09-01T00:15:00Z'); // 05:45 in Kolkata
    const parts = localPartsOf(slot, 'Asia/Kolkata');
    expect(parts.minuteOfDay).toBe(5 * 60 + 45);
    expect(parts.hourStart.toISOString()).toBe('2025-08-31T23:30:00.000Z');
  });
});

describe('DST days', () => {
  const slotsOfDay = (zone: string, y: number, m: number, d: number) => {
    const start = localToInstant({ year: y, month: m, day: d, hour: 0, minute: 0 }, zone);
    const end = localToInstant({ year: y, month: m, day: d, hour: 24, minute: 0 }, zone);
    return slotStartsBetween(start, end).length;
  };
  it('has 92 slots on the spring-forward day and 100 on the fall-back day', () => {
    expect(slotsOfDay(NY, 2025, 3, 9)).toBe(92);
    expect(slotsOfDay(NY, 2025, 11, 2)).toBe(100);
    expect(slotsOfDay(NY, 2025, 11, 3)).toBe(96);
  });
});

describe('slotRanges', () => {
  it('groups contiguous slot starts', () => {
    const s = (iso: string) => at(iso);
    const ranges = slotRanges([
      s('2025-09-01T06:00:00Z'),
      s('2025-09-01T06:15:00Z'),
      s('2025-09-01T06:30:00Z'),
      s('2025-09-01T08:00:00Z'),
    ]);
    expect(ranges.map((r) => [r.from.toISOString(), r.to.toISOString()])).toEqual([
      ['2025-09-01T06:00:00.000Z', '2025-09-01T06:45:00.000Z'],
      ['2025-09-01T08:00:00.000Z', '2025-09-01T08:15:00.000Z'],
    ]);
    expect(slotRanges([])).toEqual([]);
  });

  it('rejects unsorted or duplicate input', () => {
    expect(() => slotRanges([at('2025-09-01T06:15:00Z'), at('2025-09-01T06:00:00Z')])).toThrow(/sorted/);
    expect(() => slotRanges([at('2025-09-01T06:00:00Z'), at('2025-09-01T06:00:00Z')])).toThrow(/sorted/);
  });
});

describe('instantFromIso', () => {
  it('takes an ISO string with Z or an offset as the instant it names', () => {
    expect(instantFromIso('2025-09-01T06:00:00.000Z', SV).toISOString()).toBe('2025-09-01T06:00:00.000Z');
    expect(instantFromIso('2025-09-01T00:00:00-06:00', NY).toISOString()).toBe('2025-09-01T06:00:00.000Z');
  });

  it('reads an ISO string without offset as a wall time in the zone', () => {
    expect(instantFromIso('2025-09-01T00:00:00', SV).toISOString()).toBe('2025-09-01T06:00:00.000Z');
    expect(instantFromIso('2025-09-01', SV).toISOString()).toBe('2025-09-01T06:00:00.000Z');
    expect(instantFromIso('2025-11-02T01:00', NY, { fold: 'later' }).toISOString()).toBe('2025-11-02T06:00:00.000Z');
    expect(() => instantFromIso('2025-03-09T02:00', NY)).toThrow(/does not exist/);
  });

  it('rejects garbage and sub-minute local times', () => {
    expect(() => instantFromIso('yesterday', SV)).toThrow(/Invalid ISO/);
    expect(() => instantFromIso('2025-13-01T00:00Z', SV)).toThrow(/Invalid ISO/);
    expect(() => instantFromIso('2025-09-01T00:00:30', SV)).toThrow(/seconds/);
  });
});
