import { billingRuns, clients, customers, invoiceLines, invoices, meterAssignments, meters, type Tx } from '@ciro/db';
import { and, asc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Branding, InvoiceDocumentModel } from '../render/model';

export interface InvoicePdfRow {
  clientId: string;
  id: string;
  customerId: string;
  status: string;
  billingRunId: string | null;
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
      billingRunId: invoices.billingRunId,
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
  const dailyDemand =
    invoice.kind === 'INVOICE'
      ? await dailyMaxDemand(tx, clientId, invoice.customerId, invoice.period, client.timeZone)
      : [];
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
    dailyDemand,
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

/**
 * Maximum demand of each local day: kW(slot) = Σ over the customer's meters (inside their assignment) of
 * kWh × multiplier × 4 (BILLING.md §2), maximum per day of the slot's start in the client zone.
 */
export async function dailyMaxDemand(
  tx: Tx,
  clientId: string,
  customerId: string,
  period: string,
  zone: string,
): Promise<{ day: string; maxKw: number }[]> {
  const rows = await tx.execute<{ day: string; max_kw: string }>(sql`
    with bounds as (
      select (${period} || '-01')::timestamp at time zone ${zone} as from_at,
             ((${period} || '-01')::date + interval '1 month')::timestamp at time zone ${zone} as to_at
    ), slots as (
      select r.slot_start, sum(r.kwh * m.multiplier) * 4 as kw
      from meter_readings r
      join meter_assignments a on a.client_id = r.client_id and a.meter_id = r.meter_id and a.customer_id = ${customerId}
        and r.slot_start >= a.valid_from and (a.valid_to is null or r.slot_start < a.valid_to)
      join meters m on m.client_id = r.client_id and m.id = r.meter_id
      cross join bounds b
      where r.client_id = ${clientId} and r.slot_start >= b.from_at and r.slot_start < b.to_at
      group by r.slot_start
    )
    select to_char(slot_start at time zone ${zone}, 'YYYY-MM-DD') as day, max(kw)::text as max_kw
    from slots group by 1 order by 1`);
  return [...rows].map((r) => ({ day: r.day, maxKw: Number(r.max_kw) }));
}

/** Issued (non-draft) invoices whose PDF was never rendered, oldest first; optionally of one client. */
export async function listInvoicesAwaitingPdf(
  tx: Tx,
  limit: number,
  clientId?: string,
): Promise<{ clientId: string; invoiceId: string; billingRunId: string | null }[]> {
  return tx
    .select({ clientId: invoices.clientId, invoiceId: invoices.id, billingRunId: invoices.billingRunId })
    .from(invoices)
    .where(
      and(
        ne(invoices.status, 'DRAFT'),
        or(isNull(invoices.pdfStatus), eq(invoices.pdfStatus, 'PENDING')),
        clientId === undefined ? undefined : eq(invoices.clientId, clientId),
      ),
    )
    .orderBy(asc(invoices.issuedAt))
    .limit(limit);
}

export interface RunDocumentCounts {
  total: number;
  ready: number;
  failed: number;
  pending: number;
}

/** PDF states of a billing run's issued (non-draft) invoices; null when the run is not visible. */
export async function countRunDocuments(tx: Tx, clientId: string, runId: string): Promise<RunDocumentCounts | null> {
  const [run] = await tx
    .select({ id: billingRuns.id })
    .from(billingRuns)
    .where(and(eq(billingRuns.clientId, clientId), eq(billingRuns.id, runId)));
  if (!run) return null;
  const [row] = await tx
    .select({
      total: sql<number>`count(*)::int`,
      ready: sql<number>`(count(*) filter (where ${invoices.pdfStatus} = 'READY'))::int`,
      failed: sql<number>`(count(*) filter (where ${invoices.pdfStatus} = 'FAILED'))::int`,
    })
    .from(invoices)
    .where(and(eq(invoices.clientId, clientId), eq(invoices.billingRunId, runId), ne(invoices.status, 'DRAFT')));
  const total = row?.total ?? 0;
  const ready = row?.ready ?? 0;
  const failed = row?.failed ?? 0;
  return { total, ready, failed, pending: total - ready - failed };
}
