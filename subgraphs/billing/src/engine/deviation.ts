import { instantFromIso } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { EngineDecimal, ZERO } from './decimal';
import { invalidInput } from './errors';
import type { PeriodCalendar } from './period-calendar';
import { decimalField, SegmentedSum, type Segmentation } from './rates';
import type { SlotEnergy } from './readings';
import type { DecimalInput } from './decimal';

export interface DeviationResult {
  sum: SegmentedSum;
  missingForecastHourStarts: Date[];
}

/** Forecast kWh per hour-start instant (ms); keys may be ISO instants or local wall times in the zone. */
export function normalizeForecasts(forecasts: ReadonlyMap<string, DecimalInput>, zone: string): Map<number, Decimal> {
  const out = new Map<number, Decimal>();
  for (const [key, value] of forecasts) {
    let t: number;
    try {
      t = instantFromIso(key, zone).getTime();
    } catch (e) {
      throw invalidInput(`forecast "${key}": ${(e as Error).message}`);
    }
    if (out.has(t)) throw invalidInput(`forecast "${key}": a second forecast for the same hour`);
    out.set(t, decimalField(`forecast "${key}"`, value));
  }
  return out;
}

/**
 * Per local hour with expected slots: chargeable = max(0, |actual − forecast| − tolerance × forecast), priced at the
 * deviation rate of the hour's local date. A missing forecast counts as 0 and is reported.
 */
export function computeDeviation(
  cal: PeriodCalendar,
  energy: SlotEnergy,
  forecasts: ReadonlyMap<number, Decimal>,
  tolerance: Decimal,
  rates: Segmentation,
): DeviationResult {
  const hours = new Map<number, { date: string; actual: Decimal }>();
  for (let i = 0; i < cal.slotMs.length; i++) {
    if (!energy.expected[i]) continue;
    const key = cal.hourStartMs[i];
    const hour = hours.get(key) ?? { date: cal.date[i], actual: ZERO };
    hour.actual = hour.actual.plus(energy.kwh[i] ?? ZERO);
    hours.set(key, hour);
  }
  const sum = new SegmentedSum(rates);
  const missingForecastHourStarts: Date[] = [];
  for (const [hourStart, { date, actual }] of hours) {
    let forecast = forecasts.get(hourStart);
    if (forecast === undefined) {
      missingForecastHourStarts.push(new Date(hourStart));
      forecast = ZERO;
    }
    const chargeable = EngineDecimal.max(ZERO, actual.minus(forecast).abs().minus(tolerance.times(forecast)));
    sum.add(date, chargeable);
  }
  return { sum, missingForecastHourStarts };
}
