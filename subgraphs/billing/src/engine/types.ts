import type { TariffBlock } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import type { DecimalInput } from './decimal';

/** Billing parameters of one customer. Fractions, not percentages (2.35 % is `0.0235`). */
export interface CustomerBillingConfig {
  code: string;
  lossFactor: DecimalInput;
  /** Discount on the energy lines; 0 for none. */
  discount: DecimalInput;
  /** Deviation tolerance; `null` when the customer pays no deviation charge. */
  deviationTolerance: DecimalInput | null;
}

/** A meter counts for the customer for slots whose start lies in `[from, to)` (`to` null = open-ended). */
export interface MeterAssignment {
  from: Date;
  to: Date | null;
}

export interface MeterReading {
  slotStart: Date;
  /** Raw register value; the engine multiplies by the meter's multiplier. */
  kwh: DecimalInput;
}

export interface MeterInput {
  id: string;
  /** CT/PT ratio, default 1. */
  multiplier?: DecimalInput;
  assignments: readonly MeterAssignment[];
  readings: readonly MeterReading[];
}

/** Rates in force from `validFrom` (local date, inclusive) until the next set's `validFrom`. */
export interface RateSetInput {
  validFrom: string;
  /** USD/kWh per block code. */
  energy: Readonly<Record<string, DecimalInput>>;
  /** USD/kW-month. */
  demand: DecimalInput;
  /** USD/kWh. */
  ftpms: DecimalInput;
  /** USD/kWh of chargeable deviation. */
  deviation: DecimalInput;
}

export interface TariffInput {
  code?: string;
  /** Blocks in display order; the ENERGY lines follow the order of first appearance of each code. */
  blocks: readonly TariffBlock[];
  rateSets: readonly RateSetInput[];
}

export interface AdjustmentInput {
  description: string;
  /** Credit negative, debit positive. */
  amount: DecimalInput;
}

export interface BillingInput {
  customer: CustomerBillingConfig;
  meters: readonly MeterInput[];
  tariff: TariffInput;
  /**
   * Hourly forecasts (kWh) keyed by the hour's start: an ISO instant (`2025-09-01T06:00:00.000Z`, any offset) or a
   * local wall time without offset (`2025-09-01T00:00:00`), read in `zone`.
   */
  forecasts?: ReadonlyMap<string, DecimalInput>;
  adjustments?: readonly AdjustmentInput[];
  /** `YYYY-MM`, a calendar month in `zone`. */
  period: string;
  /** The client's IANA time zone. */
  zone: string;
  vatRate: DecimalInput;
  /** Local dates `YYYY-MM-DD` that take HOLIDAY blocks. */
  holidays?: ReadonlySet<string>;
}

export interface BillingOptions {
  /** A credit note may total below zero; an invoice may not. */
  creditNote?: boolean;
}

export type LineKind = `ENERGY_${string}` | 'DEMAND' | 'LOSSES' | 'FTPMS' | 'DEVIATION' | 'DISCOUNT' | 'ADJUSTMENT';

export type LineUnit = 'kWh' | 'kW' | 'fraction' | null;

/** One rate's share of a line whose rate changed within the period (or that mixes block rates, like LOSSES). */
export interface RateSplitPart {
  /** Block code when the line mixes blocks (LOSSES). */
  block?: string;
  rate: Decimal;
  quantity: Decimal;
  /** Unrounded. */
  amount: Decimal;
  /** First and last local date (inclusive) this rate applied to within the period. */
  from: string;
  to: string;
}

export interface InvoiceLineDraft {
  kind: LineKind;
  description: string;
  quantity: Decimal;
  unit: LineUnit;
  /** `null` when several rates applied (see `rateSplit`) or when the line has no rate. */
  rate: Decimal | null;
  rateSplit?: RateSplitPart[];
  /** Rounded to cents once. */
  amount: Decimal;
}

export interface MissingRange {
  meterId: string;
  from: Date;
  /** Exclusive: end of the last missing slot. */
  to: Date;
}

export interface DataQuality {
  /** Σ over meters of the period's slots inside the meter's assignments. */
  expectedSlots: number;
  presentSlots: number;
  missingSlots: number;
  missingRanges: MissingRange[];
  /** Readings ignored because they fall outside the period or the meter's assignment. */
  ignoredReadings: number;
  /** Hours (with expected slots) that had no forecast; counted as forecast 0. Only when deviation applies. */
  missingForecastHours: number;
  missingForecastHourStarts: Date[];
  /** Local wall time (`2025-09-08T08:30:00`) of the start of the slot with the maximum demand (earliest on a tie). */
  maxDemandAt: string | null;
}

export interface InvoiceDraft {
  customerCode: string;
  period: string;
  creditNote: boolean;
  lines: InvoiceLineDraft[];
  subtotal: Decimal;
  vat: Decimal;
  total: Decimal;
  dataQuality: DataQuality;
}

export type BillingOutcome =
  | { status: 'DRAFT'; draft: InvoiceDraft }
  /** No reading at all for the customer in the period: no invoice, the run lists it. */
  | { status: 'NO_READINGS'; customerCode: string; period: string; dataQuality: DataQuality }
  /** The total is negative and the draft is not a credit note. */
  | { status: 'NEGATIVE_TOTAL'; draft: InvoiceDraft };
