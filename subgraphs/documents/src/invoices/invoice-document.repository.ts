import { clients, customers, invoiceLines, invoices, meterAssignments, meters, type Tx } from '@ciro/db';
import { and, asc, eq, inArray, isNull, lt, or, gt } from 'drizzle-orm';
import type { Branding, InvoiceDocumentModel } from '../render/model';

export interface InvoicePdfRow {
  clientId: string;
  id: string;
  customerId: string;
  status: string;
  pdfBlobKey: string | null;
  pdfStatus: string | null;
  pdfError: string | null;
}

export async function findInvoicePdfRow(tx: Tx, clientId: string, invoiceId: string): Promise<InvoicePdfRow | null> {
  const [row] = await tx
    .select({
      clientId: invoices.clientId,
      id: invoices.id,
      customerId: invoices.customerId,
      status: invoices.status,
      pdfBlobKey: invoices.pdfBlobKey,
      pdfStatus: invoices.pdfStatus,
      pdfError: invoices.pdfError,
    })
    .from(invoices)
    .where(and(eq(invoices.clientId, clientId), eq(invoices.id, invoiceId)));
  return row ?? null;
}

export async function setInvoicePdf(
  tx: Tx,
  clientId: string,
  invoiceId: string,
  pdf: { status: 'PENDING' | 'READY' | 'FAILED'; blobKey?: string | null; error?: string | null },
): Promise<void> {
  await tx
    .update(invoices)
    .set({
      pdfStatus: pdf.status,
      ...(pdf.blobKey === undefined ? {} : { pdfBlobKey: pdf.blobKey }),
      pdfError: pdf.error ?? null,
    })
    .where(and(eq(invoices.clientId, clientId), eq(invoices.id, invoiceId)));
}

interface StoredDataQuality {
  expectedSlots: number;
  presentSlots: number;
  missingSlots: number;
  missingRanges: { meterId: string; from: string; to: string }[];
  missingForecastHours: number;
  maxDemandAt: string | null;
}

interface StoredRatePart {
  block?: string;
  rate: string;
  quantity: string;
  from: string;
  to: string;
}

/** Everything the document prints, in one transaction; null when the invoice is not visible. */
export async function loadInvoiceDocumentModel(
  tx: Tx,
  clientId: string,
  invoiceId: string,
): Promise<InvoiceDocumentModel | null> {
  const [row] = await tx
    .select({ invoice: invoices, client: clients, customer: customers })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .innerJoin(customers, and(eq(customers.clientId, invoices.clientId), eq(customers.id, invoices.customerId)))
    .where(and(eq(invoices.clientId, clientId), eq(invoices.id, invoiceId)));
  if (!row) return null;
  const { invoice, client, customer } = row;
  const lines = await tx
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.clientId, clientId), eq(invoiceLines.invoiceId, invoiceId)))
    .orderBy(asc(invoiceLines.lineNo));
  const period = periodRange(invoice.period);
  const meterRows = await tx
    .selectDistinct({ id: meters.id, serial: meters.serial, node: meters.node, multiplier: meters.multiplier })
    .from(meterAssignments)
    .innerJoin(meters, and(eq(meters.clientId, meterAssignments.clientId), eq(meters.id, meterAssignments.meterId)))
    .where(
      and(
        eq(meterAssignments.clientId, clientId),
        eq(meterAssignments.customerId, invoice.customerId),
        lt(meterAssignments.validFrom, period.to),
        or(isNull(meterAssignments.validTo), gt(meterAssignments.validTo, period.from)),
      ),
    )
    .orderBy(asc(meters.serial));
  const dq = invoice.dataQuality as StoredDataQuality | null;
  const serialOf = new Map(meterRows.map((m) => [m.id, m.serial]));
  const missingMeterIds = [...new Set((dq?.missingRanges ?? []).map((r) => r.meterId))].filter(
    (id) => !serialOf.has(id),
  );
  if (missingMeterIds.length > 0) {
    const extra = await tx
      .select({ id: meters.id, serial: meters.serial })
      .from(meters)
      .where(and(eq(meters.clientId, clientId), inArray(meters.id, missingMeterIds)));
    for (const m of extra) serialOf.set(m.id, m.serial);
  }
  const branding = client.branding as Branding;
  return {
    locale: customer.locale === 'en' ? 'en' : 'es',
    client: {
      name: client.name,
      legalName: client.legalName ?? client.name,
      nit: client.nit,
      nrc: client.nrc,
      address: client.address,
      timeZone: client.timeZone,
      currency: invoice.currency,
      branding,
    },
    customer: {
      code: customer.code,
      legalName: customer.legalName ?? customer.name,
      nit: customer.nit,
      nrc: customer.nrc,
      address: [customer.address, customer.municipality, customer.department].filter(Boolean).join(', ') || null,
      contractNumber: customer.contractNumber,
      contractedKw: customer.contractedKw,
      voltageLevel: customer.voltageLevel,
    },
    meters: meterRows.map((m) => ({ serial: m.serial, node: m.node, multiplier: m.multiplier })),
    invoice: {
      number: invoice.number,
      kind: invoice.kind,
      period: invoice.period,
      issuedAt: invoice.issuedAt,
      dueDate: invoice.dueDate,
      subtotal: invoice.subtotal,
      vat: invoice.vat,
      vatRate: invoice.vatRate,
      total: invoice.total,
    },
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      kind: line.kind,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      rate: line.rate,
      rateSplit: ((line.rateSplit as StoredRatePart[] | null) ?? []).map((p) => ({
        block: p.block ?? null,
        rate: p.rate,
        quantity: p.quantity,
        from: p.from,
        to: p.to,
      })),
      amount: line.amount,
    })),
    dataQuality: dq
      ? {
          expectedSlots: dq.expectedSlots,
          presentSlots: dq.presentSlots,
          missingSlots: dq.missingSlots,
          missingRanges: dq.missingRanges.map((r) => ({
            meterSerial: serialOf.get(r.meterId) ?? r.meterId,
            from: new Date(r.from),
            to: new Date(r.to),
          })),
          missingForecastHours: dq.missingForecastHours,
          maxDemandAt: dq.maxDemandAt,
        }
      : null,
  };
}

/** A generous UTC window around the local month (meter assignments are filtered coarsely; ±1 day covers any zone). */
function periodRange(period: string): { from: Date; to: Date } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 0)), to: new Date(Date.UTC(y, m, 2)) };
}
