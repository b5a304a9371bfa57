import { randomUUID } from 'node:crypto';
import { schema, type Tx } from '@ciro/db';
import { and, asc, eq } from 'drizzle-orm';
import { buildDte, type ClientDteSettings, type DteAmbiente } from './dte';

const inv = schema.invoices;

/** DTE_AMBIENTE: "00" (test, default) or "01" (production). */
export function dteAmbienteFromEnv(env: NodeJS.ProcessEnv = process.env): DteAmbiente {
  const value = env.DTE_AMBIENTE ?? '00';
  if (value !== '00' && value !== '01')
    throw new Error(`DTE_AMBIENTE must be 00 (test) or 01 (production), got ${value}`);
  return value;
}

/**
 * Builds and stores the DTE JSON of a draft about to be issued (the row is still a DRAFT, so the immutability trigger
 * lets dte_json be written; it is frozen with the rest of the invoice once markIssued runs in the same transaction).
 * Credit notes get none here (their DTE, tipo 05, references the invoice's and is not built yet).
 */
export async function writeDraftDte(
  tx: Tx,
  clientId: string,
  invoiceId: string,
  issue: { number: string; sequence: number; issuedAt: Date; zone: string },
): Promise<Record<string, unknown> | null> {
  const [row] = await tx
    .select({ invoice: inv, client: schema.clients, customer: schema.customers })
    .from(inv)
    .innerJoin(schema.clients, eq(schema.clients.id, inv.clientId))
    .innerJoin(
      schema.customers,
      and(eq(schema.customers.clientId, inv.clientId), eq(schema.customers.id, inv.customerId)),
    )
    .where(and(eq(inv.clientId, clientId), eq(inv.id, invoiceId), eq(inv.status, 'DRAFT')));
  if (!row || row.invoice.kind !== 'INVOICE') return null;
  const { invoice, client, customer } = row;
  const lines = await tx
    .select()
    .from(schema.invoiceLines)
    .where(and(eq(schema.invoiceLines.clientId, clientId), eq(schema.invoiceLines.invoiceId, invoiceId)))
    .orderBy(asc(schema.invoiceLines.lineNo));
  const settings = ((client.branding as { dte?: ClientDteSettings }).dte ?? {}) satisfies ClientDteSettings;
  const dte = buildDte({
    ambiente: dteAmbienteFromEnv(),
    establecimiento: settings.establecimiento ?? 'M001P001',
    sequence: issue.sequence,
    codigoGeneracion: randomUUID(),
    issuedAt: issue.issuedAt,
    zone: issue.zone,
    invoice: {
      number: issue.number,
      currency: invoice.currency,
      subtotal: invoice.subtotal,
      vat: invoice.vat,
      vatRate: invoice.vatRate,
      total: invoice.total,
      paymentTermsDays: customer.paymentTermsDays,
    },
    emisor: {
      nit: client.nit,
      nrc: client.nrc,
      nombre: client.legalName ?? client.name,
      nombreComercial: settings.nombreComercial ?? client.name,
      codActividad: settings.codActividad ?? null,
      descActividad: settings.descActividad ?? null,
      departamento: settings.departamento ?? null,
      municipio: settings.municipio ?? null,
      direccion: client.address,
      telefono: settings.telefono ?? null,
      correo: settings.correo ?? null,
      codEstableMH: settings.codEstableMH ?? null,
      codPuntoVentaMH: settings.codPuntoVentaMH ?? null,
    },
    receptor: {
      nit: customer.nit,
      nrc: customer.nrc,
      nombre: customer.legalName ?? customer.name,
      nombreComercial: customer.name,
      departamento: customer.department,
      municipio: customer.municipality,
      direccion: customer.address,
      correo: customer.billingEmail,
    },
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      amount: l.amount,
    })),
  });
  await tx
    .update(inv)
    .set({ dteJson: dte, pdfStatus: 'PENDING', pdfError: null })
    .where(and(eq(inv.clientId, clientId), eq(inv.id, invoiceId), eq(inv.status, 'DRAFT')));
  return dte;
}

/** The stored DTE JSON of an invoice (null for drafts, credit notes and invoices issued before DTEs were built). */
export async function findInvoiceDte(tx: Tx, clientId: string, invoiceId: string): Promise<unknown> {
  const [row] = await tx
    .select({ dte: inv.dteJson })
    .from(inv)
    .where(and(eq(inv.clientId, clientId), eq(inv.id, invoiceId)));
  return row?.dte ?? null;
}
