import type Decimal from 'decimal.js';
import { toLocalIso } from '@ciro/subgraph-common';
import { dec, roundMoney, sum } from './decimal';
import { computeDeviation, normalizeForecasts } from './deviation';
import { BillingEngineError, invalidInput } from './errors';
import { percent, pricedLine } from './lines';
import { buildPeriodCalendar, type PeriodCalendar } from './period-calendar';
import { decimalField, normalizeRateSets, RateCalendar, SegmentedSum } from './rates';
import { aggregateReadings } from './readings';
import type {
  BillingInput,
  BillingOptions,
  BillingOutcome,
  DataQuality,
  InvoiceDraft,
  InvoiceLineDraft,
  RateSplitPart,
} from './types';

const ONE = dec('1');

function calendarOrThrow(input: BillingInput): PeriodCalendar {
  try {
    return buildPeriodCalendar(input.period, input.zone, input.tariff.blocks, input.holidays ?? new Set<string>());
  } catch (e) {
    // Bad period text, unknown zone or blocks that do not cover the day.
    throw invalidInput((e as Error).message);
  }
}

function fractionField(field: string, value: Parameters<typeof decimalField>[1]): Decimal {
  const d = decimalField(field, value);
  if (d.greaterThanOrEqualTo(ONE)) throw invalidInput(`${field}: must be a fraction below 1, got ${d.toFixed()}`);
  return d;
}

/**
 * Computes a customer's invoice draft for a period under BILLING.md. Pure: no I/O, no clock.
 * Returns NO_READINGS when the customer has no reading in the period and NEGATIVE_TOTAL when the total is below zero
 * and the draft is not a credit note; throws BillingEngineError for invalid input or a date without rates.
 */
export function computeInvoice(input: BillingInput, options: BillingOptions = {}): BillingOutcome {
  const { customer, tariff, period, zone } = input;
  const lossFactor = fractionField(`customer ${customer.code} lossFactor`, customer.lossFactor);
  const discount = fractionField(`customer ${customer.code} discount`, customer.discount);
  const tolerance =
    customer.deviationTolerance === null
      ? null
      : decimalField(`customer ${customer.code} deviationTolerance`, customer.deviationTolerance);
  const vatRate = decimalField('vatRate', input.vatRate);

  const blockCodes = [...new Set(tariff.blocks.map((b) => b.code))];
  const rateSets = normalizeRateSets(tariff.rateSets, blockCodes);
  const cal = calendarOrThrow(input);
  const rates = new RateCalendar(rateSets, cal.dates);
  const energy = aggregateReadings(cal, input.meters);

  const energySums = new Map<string, SegmentedSum>();
  const lossSums = new Map<string, SegmentedSum>();
  for (const code of blockCodes) {
    const seg = rates.segmentation((s) => s.energy.get(code)!);
    energySums.set(code, new SegmentedSum(seg));
    lossSums.set(code, new SegmentedSum(seg, code));
  }
  const ftpms = new SegmentedSum(rates.segmentation((s) => s.ftpms));
  let maxKwh: Decimal | null = null;
  let maxAt = -1;
  for (let i = 0; i < cal.slotMs.length; i++) {
    const kwh = energy.kwh[i];
    if (kwh === undefined) continue;
    const date = cal.date[i];
    const block = cal.block[i];
    energySums.get(block)!.add(date, kwh);
    lossSums.get(block)!.add(date, kwh.times(lossFactor));
    ftpms.add(date, kwh);
    if (maxKwh === null || kwh.greaterThan(maxKwh)) {
      maxKwh = kwh;
      maxAt = cal.slotMs[i];
    }
  }

  let deviationLine: InvoiceLineDraft | null = null;
  let missingForecastHourStarts: Date[] = [];
  if (tolerance !== null) {
    const forecasts = normalizeForecasts(input.forecasts ?? new Map<string, string>(), zone);
    const deviation = computeDeviation(
      cal,
      energy,
      forecasts,
      tolerance,
      rates.segmentation((s) => s.deviation),
    );
    missingForecastHourStarts = deviation.missingForecastHourStarts;
    const description = `Cargo por desvío (tolerancia ${percent(tolerance)} %)`;
    deviationLine = pricedLine('DEVIATION', description, 'kWh', deviation.sum.parts());
  }

  const dataQuality: DataQuality = {
    expectedSlots: energy.expectedSlots,
    presentSlots: energy.presentSlots,
    missingSlots: energy.expectedSlots - energy.presentSlots,
    missingRanges: energy.missingRanges,
    ignoredReadings: energy.ignoredReadings,
    missingForecastHours: missingForecastHourStarts.length,
    missingForecastHourStarts,
    maxDemandAt: maxKwh === null ? null : toLocalIso(new Date(maxAt), zone),
  };
  if (maxKwh === null) return { status: 'NO_READINGS', customerCode: customer.code, period, dataQuality };

  const lines: InvoiceLineDraft[] = [];
  for (const code of blockCodes) {
    lines.push(pricedLine(`ENERGY_${code}`, `Energía ${code}`, 'kWh', energySums.get(code)!.parts()));
  }
  const energyLines = [...lines];

  const demandRate = rates.setOn(cal.lastDate).demand;
  const maxKw = maxKwh.times(4);
  lines.push({
    kind: 'DEMAND',
    description: 'Demanda máxima',
    quantity: maxKw,
    unit: 'kW',
    rate: demandRate,
    amount: roundMoney(maxKw.times(demandRate)),
  });

  const lossParts: RateSplitPart[] = blockCodes.flatMap((code) => lossSums.get(code)!.parts());
  lines.push(pricedLine('LOSSES', `Ajuste por pérdidas (${percent(lossFactor)} %)`, 'kWh', lossParts));
  lines.push(pricedLine('FTPMS', 'Cargo FTPMS', 'kWh', ftpms.parts()));

  if (deviationLine) lines.push(deviationLine);

  if (!discount.isZero()) {
    const energyTotal = sum(energyLines.map((l) => l.amount));
    lines.push({
      kind: 'DISCOUNT',
      description: `Descuento (${percent(discount)} %)`,
      quantity: discount,
      unit: 'fraction',
      rate: null,
      amount: roundMoney(discount.times(energyTotal)).negated(),
    });
  }

  for (const [i, adj] of (input.adjustments ?? []).entries()) {
    if (!adj.description.trim()) throw invalidInput(`adjustment #${i + 1}: description is empty`);
    lines.push({
      kind: 'ADJUSTMENT',
      description: adj.description,
      quantity: ONE,
      unit: null,
      rate: null,
      amount: roundMoney(decimalField(`adjustment #${i + 1} amount`, adj.amount, { allowNegative: true })),
    });
  }

  const subtotal = sum(lines.map((l) => l.amount));
  const vat = roundMoney(subtotal.times(vatRate));
  const draft: InvoiceDraft = {
    customerCode: customer.code,
    period,
    creditNote: options.creditNote === true,
    lines,
    subtotal,
    vat,
    total: subtotal.plus(vat),
    dataQuality,
  };
  if (draft.total.lessThan(0) && !draft.creditNote) return { status: 'NEGATIVE_TOTAL', draft };
  return { status: 'DRAFT', draft };
}

/** `computeInvoice`, throwing BillingEngineError (NO_READINGS, NEGATIVE_TOTAL) instead of returning those outcomes. */
export function computeInvoiceDraftOrThrow(input: BillingInput, options: BillingOptions = {}): InvoiceDraft {
  const outcome = computeInvoice(input, options);
  switch (outcome.status) {
    case 'DRAFT':
      return outcome.draft;
    case 'NO_READINGS':
      throw new BillingEngineError(
        'NO_READINGS',
        `Customer ${outcome.customerCode} has no reading in ${outcome.period}: no invoice`,
      );
    case 'NEGATIVE_TOTAL':
      throw new BillingEngineError(
        'NEGATIVE_TOTAL',
        `Customer ${outcome.draft.customerCode} ${outcome.draft.period}: total ${outcome.draft.total.toFixed(2)} is negative; only a credit note may be`,
      );
  }
}
