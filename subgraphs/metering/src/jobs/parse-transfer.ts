import Decimal from 'decimal.js';
import type { CustomerForecast, ForecastResult, MeterSource } from '../parsing';
import type { MatchedSource } from '../uploads/meter-preview';
import type { ParsedUpload } from '../uploads/upload-parsing';

/**
 * A parsed upload as the parse thread posts it back for a commit (parse-thread.ts → parse-isolation.ts).
 * Structured clone would turn every Decimal into a plain object without its prototype and clone
 * millions of small objects, so the series are packed: instants (epoch ms) and rows in typed arrays
 * whose buffers are transferred, not copied, and the values as exact decimal text in one string per
 * series. Everything else (preview, meters, problems, periods) is plain data and Dates: cloned as is.
 */
export interface PackedSeries {
  /** Slot starts (meter readings) or hour starts (forecasts), epoch milliseconds. */
  starts: Float64Array;
  /** 1-based row each value came from. */
  rows: Float64Array;
  /** The values' decimal text, comma-separated (a Decimal's text never holds a comma). */
  values: string;
  /** kVArh: the same, an empty item for a missing value; null when the series has none. */
  optional: string | null;
}

export type PackedMatchedSource = Omit<MatchedSource, 'source'> & {
  source: Omit<MeterSource, 'readings'>;
  readings: PackedSeries;
};

export type PackedCustomerForecast = Omit<CustomerForecast, 'hours'> & { hours: PackedSeries };

export type PackedParsedUpload =
  | (Omit<Extract<ParsedUpload, { kind: 'METER_READINGS' }>, 'matched'> & { matched: PackedMatchedSource[] })
  | (Omit<Extract<ParsedUpload, { kind: 'FORECASTS' }>, 'result'> & {
      result: Omit<ForecastResult, 'customers'> & { customers: PackedCustomerForecast[] };
    });

/** Exact text of a Decimal, negative zero included (its toString() drops the sign). */
function decimalText(value: Decimal): string {
  return value.isZero() && value.isNegative() ? '-0' : value.toString();
}

function splitValues(text: string, count: number): string[] {
  const items = count === 0 ? [] : text.split(',');
  if (items.length !== count) throw new Error(`packed series holds ${items.length} values for ${count} instants`);
  return items;
}

function packSeries(
  items: readonly { start: Date; row: number; value: Decimal; optional?: Decimal | null }[],
  withOptional: boolean,
): PackedSeries {
  const starts = new Float64Array(items.length);
  const rows = new Float64Array(items.length);
  const values: string[] = new Array<string>(items.length);
  const optional: string[] = withOptional ? new Array<string>(items.length) : [];
  items.forEach((item, i) => {
    starts[i] = item.start.getTime();
    rows[i] = item.row;
    values[i] = decimalText(item.value);
    if (withOptional) optional[i] = item.optional ? decimalText(item.optional) : '';
  });
  return { starts, rows, values: values.join(','), optional: withOptional ? optional.join(',') : null };
}

function unpackSeries(series: PackedSeries): { start: Date; row: number; value: Decimal; optional: Decimal | null }[] {
  const n = series.starts.length;
  const values = splitValues(series.values, n);
  const optional = series.optional === null ? null : splitValues(series.optional, n);
  const out = new Array<{ start: Date; row: number; value: Decimal; optional: Decimal | null }>(n);
  for (let i = 0; i < n; i += 1) {
    const extra = optional?.[i];
    out[i] = {
      start: new Date(series.starts[i] ?? NaN),
      row: series.rows[i] ?? 0,
      value: new Decimal(values[i] ?? ''),
      optional: extra ? new Decimal(extra) : null,
    };
  }
  return out;
}

/** Packs a parse for postMessage; `transfer` lists the buffers to move instead of copy. */
export function packParsedUpload(parsed: ParsedUpload): { packed: PackedParsedUpload; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const track = (series: PackedSeries): PackedSeries => {
    transfer.push(series.starts.buffer as ArrayBuffer, series.rows.buffer as ArrayBuffer);
    return series;
  };
  if (parsed.kind === 'FORECASTS') {
    const customers = parsed.result.customers.map(({ hours, ...customer }) => ({
      ...customer,
      hours: track(
        packSeries(
          hours.map((h) => ({ start: h.hourStart, row: h.row, value: h.kwh })),
          false,
        ),
      ),
    }));
    return { packed: { ...parsed, result: { ...parsed.result, customers } }, transfer };
  }
  const matched = parsed.matched.map(({ source: { readings, ...source }, ...m }) => ({
    ...m,
    source,
    readings: track(
      packSeries(
        readings.map((r) => ({ start: r.slotStart, row: r.row, value: r.kwh, optional: r.kvarh })),
        readings.some((r) => r.kvarh !== null),
      ),
    ),
  }));
  return { packed: { ...parsed, matched }, transfer };
}

/** The parse as parseStoredUpload returned it in the thread: Decimals rebuilt from their exact text. */
export function unpackParsedUpload(packed: PackedParsedUpload): ParsedUpload {
  if (packed.kind === 'FORECASTS') {
    const customers = packed.result.customers.map(({ hours, ...customer }) => ({
      ...customer,
      hours: unpackSeries(hours).map((h) => ({ hourStart: h.start, kwh: h.value, row: h.row })),
    }));
    return { ...packed, result: { ...packed.result, customers } };
  }
  const matched = packed.matched.map(({ readings, source, ...m }) => ({
    ...m,
    source: {
      ...source,
      readings: unpackSeries(readings).map((r) => ({
        slotStart: r.start,
        kwh: r.value,
        kvarh: r.optional,
        row: r.row,
      })),
    },
  }));
  return { ...packed, matched };
}
