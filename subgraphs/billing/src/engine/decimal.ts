import Decimal from 'decimal.js';

/**
 * The engine's own Decimal constructor: 40 significant digits (every product of a 4-decimal kWh, a 4-decimal factor
 * and a 6-decimal rate stays exact) and ROUND_HALF_UP, which decimal.js defines as half away from zero, like a
 * spreadsheet's ROUND. The global Decimal configuration is never touched.
 */
export const EngineDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** A decimal given to the engine: a Decimal (from any constructor) or its string form. Never a float. */
export type DecimalInput = Decimal | string;

export const ZERO = new EngineDecimal(0);

/** Re-homes a value in the engine's constructor so arithmetic uses the engine's precision, not the caller's. */
export function dec(value: DecimalInput): Decimal {
  return new EngineDecimal(value);
}

/** Rounds money to cents, half away from zero (spreadsheet ROUND(x, 2)). */
export function roundMoney(value: Decimal): Decimal {
  return new EngineDecimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
