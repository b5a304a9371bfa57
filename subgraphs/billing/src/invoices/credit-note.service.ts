import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  NotFoundError,
  assertClientAdmin,
  recordAudit,
  tenantContextFor,
  type Caller,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { roundMoney } from '../engine';
import { creditedSubtotal, findInvoiceRowForUpdate, insertInvoice } from './invoice.repository';
import { invoiceIdsOrThrow } from './invoice-access';
import { clientTodayOrThrow, toInvoices } from './invoice.service';
import type { CreateCreditNoteInput, Invoice } from './invoice.type';

const CORRECTABLE = new Set(['ISSUED', 'PARTIALLY_PAID', 'PAID']);

/**
 * A DRAFT credit note against an issued invoice (BILLING.md §6: an issued invoice is never edited, it is corrected):
 * one CREDIT line of −amount, VAT at the invoice's rate rounded half away from zero, negative total. Issued with
 * issueInvoices, it takes the next number of the client's sequence.
 */
export async function createCreditNote(caller: Caller, input: CreateCreditNoteInput): Promise<Invoice> {
  const { clientId, invoiceId } = invoiceIdsOrThrow(caller, input.invoiceId);
  assertClientAdmin(caller.identity, clientId);
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 500) {
    throw new BadUserInputError('reason', 'Give the reason in 1 to 500 characters');
  }
  const amount = new Decimal(input.amount);
  if (!amount.greaterThan(0)) throw new BadUserInputError('amount', 'Credit a positive amount');
  if (amount.decimalPlaces() > 2) throw new BadUserInputError('amount', 'Amounts carry at most 2 decimals (cents)');
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const original = await findInvoiceRowForUpdate(tx, clientId, invoiceId);
    if (!original) throw new NotFoundError('Invoice', input.invoiceId);
    if (original.kind !== 'INVOICE' || !CORRECTABLE.has(original.status)) {
      throw new BadUserInputError(
        'invoiceId',
        'A credit note corrects an issued invoice (not a draft, a void one or another credit note)',
      );
    }
    const available = new Decimal(original.subtotal).plus(await creditedSubtotal(tx, clientId, invoiceId));
    if (amount.greaterThan(available)) {
      throw new BadUserInputError('amount', `At most ${available.toFixed(2)} of ${original.number} is left to credit`);
    }
    const subtotal = amount.negated();
    const vat = roundMoney(subtotal.times(original.vatRate));
    const row = await insertInvoice(
      tx,
      {
        clientId,
        customerId: original.customerId,
        period: original.period,
        kind: 'CREDIT_NOTE',
        creditNoteOf: original.id,
        status: 'DRAFT',
        currency: original.currency,
        subtotal: subtotal.toFixed(2),
        vat: vat.toFixed(2),
        total: subtotal.plus(vat).toFixed(2),
        vatRate: original.vatRate,
      },
      [
        {
          lineNo: 1,
          kind: 'CREDIT',
          description: `Nota de crédito de ${original.number}: ${reason}`,
          quantity: null,
          unit: null,
          rate: null,
          amount: subtotal.toFixed(2),
        },
      ],
    );
    await recordAudit(tx, caller, {
      clientId,
      action: 'invoice.credit_note',
      entityType: 'Invoice',
      entityId: row.id,
      after: { creditNoteOf: original.id, number: original.number, amount: amount.toFixed(2), reason },
    });
    const [invoice] = await toInvoices(tx, clientId, [row], await clientTodayOrThrow(tx, clientId));
    return invoice;
  });
}
