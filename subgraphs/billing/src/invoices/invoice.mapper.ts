import { toGlobalId } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import type { StoredDataQuality } from '../runs/bill-customer';
import type { InvoiceLineRow, InvoiceRow } from './invoice.repository';
import {
  type InvoiceKind,
  InvoiceStatus,
  type Invoice,
  type InvoiceDataQuality,
  type InvoiceLine,
  type RateSplitPart,
} from './invoice.type';

interface StoredRatePart {
  block?: string;
  rate: string;
  quantity: string;
  amount: string;
  from: string;
  to: string;
}

const ZERO = new Decimal(0);

/** Local calendar date `YYYY-MM-DD` of an instant in a zone (for due dates and OVERDUE). */
export function localDate(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A local date plus whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isOverdue(row: InvoiceRow, today: string): boolean {
  return (
    row.kind === 'INVOICE' &&
    (row.status === 'ISSUED' || row.status === 'PARTIALLY_PAID') &&
    row.dueDate !== null &&
    row.dueDate < today &&
    new Decimal(row.total).greaterThan(row.paidAmount)
  );
}

function toLine(row: InvoiceLineRow): InvoiceLine {
  const split = (row.rateSplit as StoredRatePart[] | null) ?? [];
  return {
    lineNo: row.lineNo,
    kind: row.kind,
    description: row.description,
    quantity: row.quantity === null ? null : new Decimal(row.quantity),
    unit: row.unit,
    rate: row.rate === null ? null : new Decimal(row.rate),
    rateSplit: split.map((p): RateSplitPart => ({
      block: p.block ?? null,
      rate: new Decimal(p.rate),
      quantity: new Decimal(p.quantity),
      amount: new Decimal(p.amount),
      from: p.from,
      to: p.to,
    })),
    amount: new Decimal(row.amount),
  };
}

function toDataQuality(clientId: string, stored: StoredDataQuality | null): InvoiceDataQuality | null {
  if (!stored) return null;
  return {
    expectedSlots: stored.expectedSlots,
    presentSlots: stored.presentSlots,
    missingSlots: stored.missingSlots,
    missingRanges: stored.missingRanges.map((r) => ({
      meterId: toGlobalId('Meter', clientId, r.meterId),
      from: new Date(r.from),
      to: new Date(r.to),
    })),
    missingForecastHours: stored.missingForecastHours,
    maxDemandAt: stored.maxDemandAt,
  };
}

/** An invoice row and its lines as the schema shows them; `today` (client-local date) decides OVERDUE. */
export function toInvoice(row: InvoiceRow, lines: InvoiceLineRow[], today: string): Invoice {
  const total = new Decimal(row.total);
  const paid = new Decimal(row.paidAmount);
  // A credit note is not owed; a voided invoice no longer is.
  const owes = row.kind === 'INVOICE' && row.status !== 'VOID';
  return {
    id: toGlobalId('Invoice', row.clientId, row.id),
    clientId: row.clientId,
    invoiceId: row.id,
    customerId: row.customerId,
    number: row.number,
    status: isOverdue(row, today) ? InvoiceStatus.OVERDUE : (row.status as InvoiceStatus),
    kind: row.kind as InvoiceKind,
    period: row.period,
    customer: { id: toGlobalId('Customer', row.clientId, row.customerId) },
    currency: row.currency,
    subtotal: new Decimal(row.subtotal),
    vat: new Decimal(row.vat),
    vatRate: new Decimal(row.vatRate),
    total,
    paidAmount: paid,
    balance: owes ? total.minus(paid) : ZERO,
    issuedAt: row.issuedAt,
    dueDate: row.dueDate,
    voidedAt: row.voidedAt,
    voidReason: row.voidReason,
    creditNoteOf: row.creditNoteOf ? toGlobalId('Invoice', row.clientId, row.creditNoteOf) : null,
    lines: lines.map(toLine),
    dataQuality: toDataQuality(row.clientId, row.dataQuality as StoredDataQuality | null),
    createdAt: row.createdAt,
  };
}
