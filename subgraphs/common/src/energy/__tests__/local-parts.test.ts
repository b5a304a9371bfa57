import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localPartsOf, type LocalParts } from '../time';
import { ZoneClock, formatWall } from '../zone-clock';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const SLOT_MS = 15 * MINUTE_MS;

/** The luxon implementation `localPartsOf` had before it used `ZoneClock`: the reference. */
function luxonPartsOf(instant: Date, zone: string): LocalParts {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new Error(`Unknown time zone "${zone}"`);
  const dt = DateTime.fromJSDate(instant, { zone: z });
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const intoHourMs = (dt.minute * 60 + dt.second) * 1000 + dt.millisecond;
  return {
    date: `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.day)}`,
    minuteOfDay: dt.hour * 60 + dt.minute,
    hourStart: new Date(instant.getTime() - intoHourMs),
    weekday: dt.weekday,
  };
}

const ZONES = [
  'America/El_Salvador',
  'America/New_York',
  'America/Santiago',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'UTC',
];

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 0, 1);

interface Mismatch {
  at: string;
  zone: string;
  got: LocalParts;
  want: LocalParts;
}

const same = (a: LocalParts, b: LocalParts): boolean =>
  a.date === b.date &&
  a.minuteOfDay === b.minuteOfDay &&
  a.weekday === b.weekday &&
  Object.is(a.hourStart.getTime(), b.hourStart.getTime());

/** Compares every instant with the reference; collects mismatches (a few at most) rather than asserting per instant. */
function mismatches(instants: Iterable<number>, zone: string): { checked: number; wrong: Mismatch[] } {
  const wrong: Mismatch[] = [];
  let checked = 0;
  for (const t of instants) {
    const at = new Date(t);
    const got = localPartsOf(at, zone);
    const want = luxonPartsOf(at, zone);
    checked++;
    if (!same(got, want) && wrong.length < 5) wrong.push({ at: at.toISOString(), zone, got, want });
  }
  return { checked, wrong };
}

function* range(from: number, to: number, step: number): Generator<number> {
  for (let t = from; t < to; t += step) yield t;
}

/** Instants where the zone's offset changes (all on a quarter hour), found with luxon alone. */
function luxonTransitions(zone: string, from: number, to: number): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  const coarse = 6 * HOUR_MS;
  for (let t = from; t < to; t += coarse) {
    if (z.offset(t) === z.offset(t + coarse)) continue;
    for (let q = t + SLOT_MS; q <= t + coarse; q += SLOT_MS) {
      if (z.offset(q) !== z.offset(q - SLOT_MS)) out.push(q);
    }
  }
  return out;
}

describe('localPartsOf against luxon', () => {
  it.each(ZONES)('agrees on every 15-minute slot of 2024–2026 in %s', (zone) => {
    const { checked, wrong } = mismatches(range(FROM, TO, SLOT_MS), zone);
    expect(wrong).toEqual([]);
    expect(checked).toBe((TO - FROM) / SLOT_MS);
  });

  it.each(ZONES)('agrees on every minute (and odd seconds) around each DST transition of 2024–2026 in %s', (zone) => {
    const transitions = luxonTransitions(zone, FROM, TO);
    const expected: Record<string, number> = { 'America/El_Salvador': 0, 'Asia/Kathmandu': 0, UTC: 0 };
    expect(transitions.length).toBe(expected[zone] ?? 6);
    for (const at of transitions) {
      const around = [...range(at - 3 * HOUR_MS, at + 3 * HOUR_MS, MINUTE_MS)];
      // Some with seconds and milliseconds, so hourStart subtracts them too.
      const odd = around.map((t, i) => t + ((i * 7_919) % MINUTE_MS));
      const { wrong } = mismatches([...around, ...odd, ...around.reverse()], zone);
      expect(wrong).toEqual([]);
    }
  });

  it('agrees in any order and with zones interleaved (no stale per-zone state)', () => {
    const instants: number[] = [];
    let seed = 12_345;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      // Any minute from 1995 to 2040, plus some seconds.
      instants.push(Date.UTC(1995, 0, 1) + (seed % (45 * 525_960)) * MINUTE_MS + (i % 60) * 1000 + (i % 7));
    }
    const wrong: Mismatch[] = [];
    instants.forEach((t, i) => {
      const zone = ZONES[i % ZONES.length];
      const got = localPartsOf(new Date(t), zone);
      const want = luxonPartsOf(new Date(t), zone);
      if (!same(got, want) && wrong.length < 5) wrong.push({ at: new Date(t).toISOString(), zone, got, want });
    });
    expect(wrong).toEqual([]);
  });

  it('agrees on historical instants: local mean time with seconds, years 1–99 and before year 0', () => {
    const instants = [
      Date.UTC(1883, 10, 18, 16, 0), // New York's LMT (−4:56:02) just before standard time
      Date.UTC(1883, 10, 18, 17, 30),
      Date.UTC(1900, 0, 1, 0, 0, 0, 1),
      new Date('0050-06-15T12:34:56.789Z').getTime(),
      new Date('0099-12-31T23:59:00Z').getTime(),
      new Date('-000003-11-27T04:59:00Z').getTime(),
      -1,
      0,
    ];
    for (const zone of ZONES) expect(mismatches(instants, zone).wrong).toEqual([]);
  });

  it('gives the same nonsense as luxon for an invalid date', () => {
    const got = localPartsOf(new Date(NaN), 'America/New_York');
    expect(got.date).toBe('0NaN-NaN-NaN');
    expect(got.minuteOfDay).toBeNaN();
    expect(got.weekday).toBeNaN();
    expect(got.hourStart.getTime()).toBeNaN();
    expect(got).toEqual(luxonPartsOf(new Date(NaN), 'America/New_York'));
  });

  it('throws the same error for an unknown zone, every time', () => {
    expect(() => localPartsOf(new Date(0), 'Nowhere/City')).toThrow(new Error('Unknown time zone "Nowhere/City"'));
    expect(() => localPartsOf(new Date(0), 'Nowhere/City')).toThrow(new Error('Unknown time zone "Nowhere/City"'));
    expect(() => localPartsOf(new Date(0), '')).toThrow(/Unknown time zone/);
    expect(() => new ZoneClock('Nowhere/City')).toThrow(new Error('Unknown time zone "Nowhere/City"'));
  });

  it('stays right when more zones are used than it keeps clocks for', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 150);
    const t = Date.UTC(2025, 6, 1, 12, 7);
    for (let pass = 0; pass < 2; pass++) {
      for (const zone of zones) expect(mismatches([t, t + 123_456_789], zone).wrong).toEqual([]);
    }
  });
});

describe('ZoneClock', () => {
  it('gives luxon offsets across years, in both directions, with no stale cached stretch', () => {
    const zone = 'Europe/Berlin';
    const clock = new ZoneClock(zone);
    const z = IANAZone.create(zone);
    const instants = [...range(Date.UTC(1960, 0, 1), Date.UTC(2060, 0, 1), 97 * 86_400_000 + 4_321_000)];
    for (const t of [...instants, ...instants.reverse()]) expect(clock.offsetAt(t)).toBe(z.offset(t) * MINUTE_MS);
    // Past the cache of transitions per zone-year (2048): a year seen long ago is found again.
    for (let year = 0; year < 2100; year++) {
      const t = Date.UTC(year, 6, 1);
      expect(clock.offsetAt(t)).toBe(z.offset(t) * MINUTE_MS);
    }
    expect(clock.offsetAt(Date.UTC(1800, 0, 1))).toBe(z.offset(Date.UTC(1800, 0, 1)) * MINUTE_MS);
    expect(clock.offsetAt(new Date('0001-03-01T00:00:00Z').getTime())).toBe(
      z.offset(new Date('0001-03-01T00:00:00Z').getTime()) * MINUTE_MS,
    );
    expect(clock.offsetAt(NaN)).toBeNaN();
  });

  it('changes offset exactly at the transition instant, also at a UTC year boundary', () => {
    const clock = new ZoneClock('America/New_York');
    const spring = Date.UTC(2025, 2, 9, 7); // 02:00 EST → 03:00 EDT
    expect(clock.offsetAt(spring - 1)).toBe(-5 * HOUR_MS);
    expect(clock.offsetAt(spring)).toBe(-4 * HOUR_MS);
    expect(clock.offsetAt(spring - 1)).toBe(-5 * HOUR_MS);
    const newYear = Date.UTC(2026, 0, 1);
    expect(clock.offsetAt(newYear - 1)).toBe(-5 * HOUR_MS);
    expect(clock.offsetAt(newYear)).toBe(-5 * HOUR_MS);
    expect(clock.wallOf(newYear)).toBe(newYear - 5 * HOUR_MS);
  });

  it('maps wall times back with gaps moved forward and folds taking the earlier instant', () => {
    const clock = new ZoneClock('America/New_York');
    expect(new Date(clock.instantOf(Date.UTC(2025, 2, 9, 2, 0))).toISOString()).toBe('2025-03-09T07:00:00.000Z');
    expect(new Date(clock.instantOf(Date.UTC(2025, 2, 9, 2, 30))).toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(new Date(clock.instantOf(Date.UTC(2025, 10, 2, 1, 30))).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(new Date(clock.instantOf(Date.UTC(2025, 6, 1, 12, 0))).toISOString()).toBe('2025-07-01T16:00:00.000Z');
    // Santiago's spring-forward skips local midnight: the day starts when the clock jumps.
    const santiago = new ZoneClock('America/Santiago');
    expect(new Date(santiago.instantOf(Date.UTC(2025, 8, 7, 0, 0))).toISOString()).toBe('2025-09-07T04:00:00.000Z');
    expect(formatWall(Date.UTC(2025, 8, 7, 8, 30, 15, 500))).toBe('2025-09-07T08:30:15');
  });
});
