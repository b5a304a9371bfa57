import type Decimal from 'decimal.js';
import { roundMoney, sum } from './decimal';
import type { InvoiceLineDraft, LineKind, LineUnit, RateSplitPart } from './types';

/**
 * A line priced from rate parts: quantity and unrounded amount are the parts' sums, the amount is rounded once.
 * The rate is shown when one rate applied (parts with zero quantity do not count; parts of equal rate are one rate);
 * otherwise it is null ("variable", BILLING.md §5) and the parts that applied form the split.
 */
export function pricedLine(
  kind: LineKind,
  description: string,
  unit: LineUnit,
  parts: readonly RateSplitPart[],
): InvoiceLineDraft {
  const quantity = sum(parts.map((p) => p.quantity));
  const amount = roundMoney(sum(parts.map((p) => p.amount)));
  const applied = parts.filter((p) => !p.quantity.isZero());
  // Nothing consumed: show the rate in force at the end of the period.
  const shown = applied.length > 0 ? applied : parts.slice(-1);
  // One rate applied, even in several date ranges (a rate set that returns to earlier rates): show it.
  if (shown.every((p) => p.rate.equals(shown[0].rate))) {
    return { kind, description, quantity, unit, rate: shown[0].rate, amount };
  }
  return { kind, description, quantity, unit, rate: null, rateSplit: [...shown], amount };
}

/** Fraction → percent text without trailing zeros: 0.0235 → "2.35". */
export function percent(fraction: Decimal): string {
  return fraction.times(100).toFixed();
}
