import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  NotFoundError,
  assertClientAdmin,
  recordAudit,
  tenantContextFor,
  toGlobalId,
  type Caller,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { invoiceIdsOrThrow, invoiceReaderScopeOrThrow } from '../invoices/invoice-access';
import { findInvoiceRowForUpdate, updateInvoiceLifecycle } from '../invoices/invoice.repository';
import { clientTodayOrThrow, toInvoices } from '../invoices/invoice.service';
import type { Invoice } from '../invoices/invoice.type';
import { insertPayment, listInvoicePayments, type PaymentRow } from './payment.repository';
import type { Payment, RecordPaymentInput } from './payment.type';

function toPayment(row: PaymentRow): Payment {
  return {
    id: toGlobalId('Payment', row.clientId, row.id),
    amount: new Decimal(row.amount),
    paidAt: row.paidAt,
    method: row.method,
    reference: row.reference,
    createdAt: row.createdAt,
  };
}

const PAYABLE = new Set(['ISSUED', 'PARTIALLY_PAID']);

function optionalText(value: string | undefined, field: string, max: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > max) throw new BadUserInputError(field, `At most ${max} characters`);
  return text.length > 0 ? text : null;
}

/** Records a payment on an issued invoice: PAID when the balance reaches zero, PARTIALLY_PAID before. */
export async function recordPayment(
  caller: Caller,
  input: RecordPaymentInput,
): Promise<{ invoice: Invoice; payment: Payment }> {
  const { clientId, invoiceId } = invoiceIdsOrThrow(caller, input.invoiceId);
  assertClientAdmin(caller.identity, clientId);
  const amount = new Decimal(input.amount);
  if (!amount.greaterThan(0)) throw new BadUserInputError('amount', 'A payment is a positive amount');
  if (amount.decimalPlaces() > 2) throw new BadUserInputError('amount', 'Amounts carry at most 2 decimals (cents)');
  if (Number.isNaN(input.paidAt.getTime())) throw new BadUserInputError('paidAt', 'Not a date-time');
  const method = optionalText(input.method, 'method', 50);
  const reference = optionalText(input.reference, 'reference', 200);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findInvoiceRowForUpdate(tx, clientId, invoiceId);
    if (!row) throw new NotFoundError('Invoice', input.invoiceId);
    if (row.kind !== 'INVOICE') throw new BadUserInputError('invoiceId', 'A credit note is not paid');
    if (!PAYABLE.has(row.status)) {
      throw new BadUserInputError(
        'invoiceId',
        `Invoice ${row.number ?? 'draft'} is ${row.status}: payments go on issued invoices with a balance`,
      );
    }
    const balance = new Decimal(row.total).minus(row.paidAmount);
    if (amount.greaterThan(balance)) {
      throw new BadUserInputError(
        'amount',
        `Overpayment refused: the balance of ${row.number} is ${balance.toFixed(2)}`,
      );
    }
    const payment = await insertPayment(tx, {
      clientId,
      invoiceId,
      amount: amount.toFixed(2),
      paidAt: input.paidAt,
      method,
      reference,
      recordedByUserId: caller.identity.userId,
    });
    const paid = new Decimal(row.paidAmount).plus(amount);
    const updated = await updateInvoiceLifecycle(tx, clientId, invoiceId, {
      paidAmount: paid.toFixed(2),
      status: paid.equals(row.total) ? 'PAID' : 'PARTIALLY_PAID',
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'invoice.payment',
      entityType: 'Invoice',
      entityId: invoiceId,
      before: { status: row.status, paidAmount: row.paidAmount },
      after: { status: updated.status, paidAmount: updated.paidAmount, payment: payment.id, amount: payment.amount },
    });
    const [invoice] = await toInvoices(tx, clientId, [updated], await clientTodayOrThrow(tx, clientId));
    return { invoice: invoice, payment: toPayment(payment) };
  });
}

/** Payments of an invoice the caller can read. */
export async function listPaymentsOf(caller: Caller, invoice: Invoice): Promise<Payment[]> {
  invoiceReaderScopeOrThrow(caller.identity, invoice.clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, invoice.clientId), async (tx) =>
    (await listInvoicePayments(tx, invoice.clientId, invoice.invoiceId)).map(toPayment),
  );
}
