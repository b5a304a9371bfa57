import { withTenant, type Tx } from '@ciro/db';
import {
  ForbiddenError,
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  pageWindow,
  tenantContextFor,
  toConnection,
  type Caller,
  type ConnectionShape,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import {
  billingSummary,
  findClientBilling,
  findInvoiceRow,
  listInvoiceRows,
  listLines,
  type InvoiceRow,
} from './invoice.repository';
import { customerIdOfClientOrThrow, invoiceIdsOrThrow, invoiceReaderScopeOrThrow } from './invoice-access';
import { localDate, toInvoice } from './invoice.mapper';
import type { BillingSummary, Invoice, InvoiceFilterArgs, InvoicesArgs } from './invoice.type';

/** Today's date in the client's zone (OVERDUE is decided against it). */
export async function clientTodayOrThrow(tx: Tx, clientId: string): Promise<string> {
  const client = await findClientBilling(tx, clientId);
  if (!client) throw new NotFoundError('Client', clientId);
  return localDate(new Date(), client.zone);
}

/** Invoices with their lines (one query for all lines). */
export async function toInvoices(tx: Tx, clientId: string, rows: InvoiceRow[], today: string): Promise<Invoice[]> {
  const lines = await listLines(
    tx,
    clientId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toInvoice(row, lines.get(row.id) ?? [], today));
}

/** One invoice; a customer user asking for another customer's invoice gets FORBIDDEN (never a hint it exists). */
export async function getInvoiceOrThrow(caller: Caller, globalId: string): Promise<Invoice> {
  const { clientId, invoiceId } = invoiceIdsOrThrow(caller, globalId);
  const reader = invoiceReaderScopeOrThrow(caller.identity, clientId);
  const invoice = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findInvoiceRow(tx, clientId, invoiceId);
    if (!row) return null;
    if (reader.customerId !== null && row.customerId !== reader.customerId) return null;
    const [mapped] = await toInvoices(tx, clientId, [row], await clientTodayOrThrow(tx, clientId));
    return mapped ?? null;
  });
  if (!invoice) {
    if (reader.customerId !== null) throw new ForbiddenError('This invoice belongs to another customer');
    throw new NotFoundError('Invoice', globalId);
  }
  return invoice;
}

async function listFor(
  caller: Caller,
  clientId: string,
  customerId: string | null,
  args: InvoiceFilterArgs,
): Promise<ConnectionShape<Invoice>> {
  const reader = invoiceReaderScopeOrThrow(caller.identity, clientId);
  if (reader.customerId !== null && customerId !== null && customerId !== reader.customerId) {
    throw new ForbiddenError('Customer users read only their own invoices');
  }
  const page = pageWindow(args);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const today = await clientTodayOrThrow(tx, clientId);
    const { rows, total } = await listInvoiceRows(
      tx,
      {
        clientId,
        customerId: reader.customerId ?? customerId,
        period: args.period ?? null,
        status: args.status ?? null,
        today,
      },
      page,
    );
    return toConnection(await toInvoices(tx, clientId, rows, today), page, total);
  });
}

/** `invoices(clientId, …)`: administrators see every customer's; customer users only their own. */
export function listInvoices(caller: Caller, args: InvoicesArgs): Promise<ConnectionShape<Invoice>> {
  const { clientId } = fromTenantIdOrThrow('Client', args.clientId);
  let customerId: string | null = null;
  if (args.customerId) {
    const customer = customerIdOfClientOrThrow(caller, args.customerId);
    if (customer.clientId !== clientId) throw new ForbiddenError('This customer belongs to another client');
    customerId = customer.customerId;
  }
  return listFor(caller, clientId, customerId, args);
}

/** `Customer.invoices`. */
export function listCustomerInvoices(
  caller: Caller,
  customerGlobalId: string,
  args: InvoiceFilterArgs,
): Promise<ConnectionShape<Invoice>> {
  const { clientId, customerId } = customerIdOfClientOrThrow(caller, customerGlobalId);
  return listFor(caller, clientId, customerId, args);
}

export async function getBillingSummary(caller: Caller, clientId: string, period: string): Promise<BillingSummary> {
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await billingSummary(tx, clientId, period, await clientTodayOrThrow(tx, clientId));
    return {
      period,
      billed: new Decimal(row.billed),
      credited: new Decimal(row.credited),
      collected: new Decimal(row.collected),
      outstanding: new Decimal(row.outstanding),
      overdue: new Decimal(row.overdue),
      invoiceCount: row.invoiceCount,
    };
  });
}
