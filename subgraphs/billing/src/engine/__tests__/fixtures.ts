import {
  clockToMinutes,
  localToInstant,
  periodBounds,
  SLOT_MS,
  toLocalIso,
  type TariffBlock,
} from '@ciro/subgraph-common';
import type { BillingInput, MeterInput, MeterReading, RateSetInput, TariffInput } from '../types';

export const SV = 'America/El_Salvador';
export const NY = 'America/New_York';

export const MT_H_BLOCKS: TariffBlock[] = [
  { code: 'VALLE', dayType: 'ALL', startMinute: clockToMinutes('23:00'), endMinute: clockToMinutes('05:00') },
  { code: 'RESTO', dayType: 'ALL', startMinute: clockToMinutes('05:00'), endMinute: clockToMinutes('18:00') },
  { code: 'PUNTA', dayType: 'ALL', startMinute: clockToMinutes('18:00'), endMinute: clockToMinutes('23:00') },
];

export const RATES_MAY: RateSetInput = {
  validFrom: '2025-05-01',
  energy: { VALLE: '0.158412', RESTO: '0.171237', PUNTA: '0.189654' },
  demand: '9.875000',
  ftpms: '0.004210',
  deviation: '0.144420',
};

export const RATES_OCT15: RateSetInput = {
  validFrom: '2025-10-15',
  energy: { VALLE: '0.161085', RESTO: '0.174902', PUNTA: '0.193318' },
  demand: '10.125000',
  ftpms: '0.004380',
  deviation: '0.151730',
};

export const MT_H: TariffInput = { code: 'MT-H', blocks: MT_H_BLOCKS, rateSets: [RATES_MAY, RATES_OCT15] };

export const ALWAYS = [{ from: new Date('2000-01-01T00:00:00Z'), to: null }];

/** Local wall time → instant in the zone. */
export function at(zone: string, y: number, mo: number, d: number, h: number, mi: number): Date {
  return localToInstant({ year: y, month: mo, day: d, hour: h, minute: mi }, zone);
}

/** One reading of `kwh` for every slot of the period. */
export function constantReadings(period: string, zone: string, kwh: string): MeterReading[] {
  const { start, end } = periodBounds(period, zone);
  const out: MeterReading[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += SLOT_MS) out.push({ slotStart: new Date(t), kwh });
  return out;
}

export function meter(id: string, readings: MeterReading[], extra: Partial<MeterInput> = {}): MeterInput {
  return { id, multiplier: '1', assignments: ALWAYS, readings, ...extra };
}

export function baseInput(overrides: Partial<BillingInput> = {}): BillingInput {
  return {
    customer: { code: 'C-TEST', lossFactor: '0.0235', discount: '0', deviationTolerance: null },
    meters: [meter('M1', constantReadings('2025-09', SV, '1'))],
    tariff: MT_H,
    period: '2025-09',
    zone: SV,
    vatRate: '0.13',
    ...overrides,
  };
}

/**
 * A forecast for every hour of a period: `value` gets the hour's local wall time (`2025-09-01T00:00:00`) and returns
 * kWh or undefined (no forecast). Keys are local wall times, or UTC instants with `keys: 'instant'`.
 */
export function hourlyForecasts(
  period: string,
  zone: string,
  value: (localIso: string) => string | undefined,
  keys: 'local' | 'instant' = 'local',
): Map<string, string> {
  const { start, end } = periodBounds(period, zone);
  const out = new Map<string, string>();
  for (let t = start.getTime(); t < end.getTime(); t += 4 * SLOT_MS) {
    const instant = new Date(t);
    const local = toLocalIso(instant, zone);
    const v = value(local);
    if (v !== undefined) out.set(keys === 'local' ? local : instant.toISOString(), v);
  }
  return out;
}
