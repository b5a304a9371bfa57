import { BillingEngineError, computeInvoice, type BillingInput, type DataQuality, type InvoiceDraft } from '../engine';
import type { NewInvoiceLineRow } from '../invoices/invoice.repository';

/**
 * A customer's engine input as loaded from the database, in a form that crosses a worker thread cheaply: readings
 * stay the text PostgreSQL aggregated (`<epoch ms> <kWh delivered> <kWh received or ->` joined by `,`), every number
 * a string, no Decimal.
 */
export interface RawCustomerInput {
  input: Omit<BillingInput, 'meters'>;
  meters: {
    id: string;
    multiplier: string;
    /** The meter's consumption channel (BILLING.md §2: delivered unless configured otherwise). */
    received: boolean;
    assignments: { from: Date; to: Date | null }[];
    readings: string | null;
  }[];
}

/** Data quality as stored on the invoice (instants as ISO strings). */
export function storedDataQuality(dq: DataQuality) {
  return {
    expectedSlots: dq.expectedSlots,
    presentSlots: dq.presentSlots,
    missingSlots: dq.missingSlots,
    missingRanges: dq.missingRanges.map((r) => ({
      meterId: r.meterId,
      from: r.from.toISOString(),
      to: r.to.toISOString(),
    })),
    ignoredReadings: dq.ignoredReadings,
    missingForecastHours: dq.missingForecastHours,
    missingForecastHourStarts: dq.missingForecastHourStarts.map((d) => d.toISOString()),
    maxDemandAt: dq.maxDemandAt,
  };
}

export type StoredDataQuality = ReturnType<typeof storedDataQuality>;

export function draftLines(draft: InvoiceDraft): NewInvoiceLineRow[] {
  return draft.lines.map((line, index) => ({
    lineNo: index + 1,
    kind: line.kind,
    description: line.description,
    quantity: line.quantity.toFixed(),
    unit: line.unit,
    rate: line.rate?.toFixed(6) ?? null,
    rateSplit:
      line.rateSplit?.map((part) => ({
        ...(part.block === undefined ? {} : { block: part.block }),
        rate: part.rate.toFixed(6),
        quantity: part.quantity.toFixed(),
        amount: part.amount.toFixed(),
        from: part.from,
        to: part.to,
      })) ?? null,
    amount: line.amount.toFixed(2),
  }));
}

/** The engine's answer for one customer, as plain data (strings, numbers, no Decimal): storable as it is. */
export type PricedCustomer =
  | {
      status: 'DRAFT';
      subtotal: string;
      vat: string;
      total: string;
      lines: NewInvoiceLineRow[];
      dataQuality: StoredDataQuality;
    }
  | { status: 'NEGATIVE_TOTAL'; total: string; dataQuality: StoredDataQuality }
  | { status: 'NO_READINGS'; dataQuality: StoredDataQuality }
  /** Bad configuration (no rate in force, invalid factor): the message says what. */
  | { status: 'INVALID'; message: string };

export function billingInputOf(raw: RawCustomerInput): BillingInput {
  return {
    ...raw.input,
    meters: raw.meters.map((meter) => {
      const readings: { slotStart: Date; kwh: string }[] = [];
      for (const slot of meter.readings ? meter.readings.split(',') : []) {
        const [ms, delivered, received] = slot.split(' ') as [string, string, string];
        const kwh = meter.received ? received : delivered;
        if (kwh === '-') continue;
        readings.push({ slotStart: new Date(Number(ms)), kwh });
      }
      return { id: meter.id, multiplier: meter.multiplier, assignments: meter.assignments, readings };
    }),
  };
}

/** Prices one customer with the pure engine (BILLING.md). Pure: runs in the caller's thread or in an engine thread. */
export function priceCustomer(raw: RawCustomerInput): PricedCustomer {
  let result;
  try {
    result = computeInvoice(billingInputOf(raw));
  } catch (error) {
    if (error instanceof BillingEngineError) return { status: 'INVALID', message: error.message };
    throw error;
  }
  if (result.status === 'NO_READINGS') {
    return { status: 'NO_READINGS', dataQuality: storedDataQuality(result.dataQuality) };
  }
  const { draft } = result;
  if (result.status === 'NEGATIVE_TOTAL') {
    return {
      status: 'NEGATIVE_TOTAL',
      total: draft.total.toFixed(2),
      dataQuality: storedDataQuality(draft.dataQuality),
    };
  }
  return {
    status: 'DRAFT',
    subtotal: draft.subtotal.toFixed(2),
    vat: draft.vat.toFixed(2),
    total: draft.total.toFixed(2),
    lines: draftLines(draft),
    dataQuality: storedDataQuality(draft.dataQuality),
  };
}
