import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Decimal from 'decimal.js';
import { parseMeterFile, type MeterSource, type Reading } from '../parsing';

/**
 * Deterministic 15-minute data for the ingestion benchmark, shaped like the sample meters:
 * each generated meter follows one sample meter's September days (a day of the same weekday),
 * scaled by a seeded factor per meter, a seasonal swing and a little seeded noise.
 */

export const ZONE = 'America/El_Salvador';
export const SLOT_MS = 15 * 60_000;
const SLOTS_PER_DAY = 96;
/** El Salvador keeps UTC-6 all year: local midnight is 06:00 UTC. */
const LOCAL_OFFSET_MS = 6 * 3600_000;
const SEPTEMBER_START = Date.UTC(2025, 8, 1) + LOCAL_OFFSET_MS;
const SEPTEMBER_DAYS = 30;

export const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../shared/samples');
export const METER_WORKBOOK = 'meters/Descargas medidores 2025-09.xlsx';
export const METER_CSV = 'meters/Medidor 5614112 2025-09.csv';

export function readSample(path: string): Buffer {
  return readFileSync(resolve(SAMPLES, path));
}

/** mulberry32: small, fast, deterministic. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One sample meter's September: kWh and kVArh per slot, 30 days × 96 slots, local days. */
export interface Profile {
  serial: string;
  kwh: Float64Array;
  kvarh: Float64Array;
}

function profileOf(source: MeterSource): Profile {
  const kwh = new Float64Array(SEPTEMBER_DAYS * SLOTS_PER_DAY);
  const kvarh = new Float64Array(SEPTEMBER_DAYS * SLOTS_PER_DAY);
  for (const r of source.readings) {
    const i = Math.round((r.slotStart.getTime() - SEPTEMBER_START) / SLOT_MS);
    if (i < 0 || i >= kwh.length) continue;
    kwh[i] = r.kwh.toNumber();
    kvarh[i] = r.kvarh?.toNumber() ?? 0;
  }
  return { serial: source.serial ?? '', kwh, kvarh };
}

/** The eleven sample meters (ten workbook sheets and the CSV). */
export function loadProfiles(): Profile[] {
  const profiles: Profile[] = [];
  for (const file of [METER_WORKBOOK, METER_CSV]) {
    for (const source of parseMeterFile(readSample(file), { fileName: file, zone: ZONE }).sources) {
      if (source.readings.length > 0) profiles.push(profileOf(source));
    }
  }
  if (profiles.length === 0) throw new Error(`no meter profiles in ${SAMPLES}`);
  return profiles;
}

/** Local months of one year as [start, end) instants (UTC-6). */
export function localMonths(year: number): { start: Date; end: Date; label: string }[] {
  return Array.from({ length: 12 }, (_, m) => ({
    start: new Date(Date.UTC(year, m, 1) + LOCAL_OFFSET_MS),
    end: new Date(Date.UTC(year, m + 1, 1) + LOCAL_OFFSET_MS),
    label: `${year}-${String(m + 1).padStart(2, '0')}`,
  }));
}

export interface GeneratedMeter {
  /** Index of the meter: picks its profile and seeds its scale and noise. */
  index: number;
  profile: Profile;
  scale: number;
  /** September days by weekday (0 = Sunday), to copy a day of the same weekday. */
  septemberDaysByWeekday: number[][];
}

export function generatedMeter(index: number, profiles: readonly Profile[]): GeneratedMeter {
  const random = seeded(0x5eed0000 + index);
  const profile = profiles[index % profiles.length];
  const byWeekday: number[][] = Array.from({ length: 7 }, () => []);
  for (let d = 0; d < SEPTEMBER_DAYS; d += 1) byWeekday[(1 + d) % 7]?.push(d); // 2025-09-01 was a Monday
  return { index, profile, scale: 0.5 + random() * 1.5, septemberDaysByWeekday: byWeekday };
}

/**
 * The meter's readings over [start, end) (local-day aligned), as the parser hands them to the
 * store path: raw register values with four decimals. Deterministic per (meter, slot).
 */
export function readingsOf(meter: GeneratedMeter, start: Date, end: Date): Reading[] {
  const out: Reading[] = [];
  const first = start.getTime();
  const slots = Math.round((end.getTime() - first) / SLOT_MS);
  let random = seeded(0);
  let template = 0;
  let season = 1;
  for (let s = 0; s < slots; s += 1) {
    const t = first + s * SLOT_MS;
    const slotOfDay = Math.floor((t - LOCAL_OFFSET_MS) / SLOT_MS) % SLOTS_PER_DAY;
    if (s === 0 || slotOfDay === 0) {
      const localDay = Math.floor((t - LOCAL_OFFSET_MS) / 86_400_000);
      random = seeded(meter.index * 1_000_003 + localDay);
      const candidates = meter.septemberDaysByWeekday[(localDay + 4) % 7] ?? [0]; // 1970-01-01 was a Thursday
      template = candidates[Math.floor(random() * candidates.length)] ?? 0;
      season = 1 + 0.12 * Math.sin((2 * Math.PI * (localDay % 365)) / 365);
    }
    const i = template * SLOTS_PER_DAY + slotOfDay;
    const factor = meter.scale * season * (0.95 + 0.1 * random());
    const kwh = (meter.profile.kwh[i] ?? 0) * factor;
    const kvarh = (meter.profile.kvarh[i] ?? 0) * factor;
    out.push({
      slotStart: new Date(t),
      kwh: new Decimal(kwh.toFixed(4)),
      kvarh: new Decimal(kvarh.toFixed(4)),
      row: s + 8,
    });
  }
  return out;
}
