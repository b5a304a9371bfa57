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
import { customerIdOfClientOrThrow } from '../invoices/invoice-access';
import { findLiveInvoiceForUpdate } from '../invoices/invoice.repository';
import { customerExists, insertAdjustment } from './adjustment.repository';
import type { Adjustment, CreateAdjustmentInput } from './adjustment.type';

/**
 * Records a manual adjustment (credit negative, debit positive) for a customer and period; the next billing run of
 * that period adds it to the customer's draft. A period whose invoice is already issued is closed: use a credit note
 * or a later period.
 */
export async function createAdjustment(caller: Caller, input: CreateAdjustmentInput): Promise<Adjustment> {
  const { clientId, customerId } = customerIdOfClientOrThrow(caller, input.customerId);
  assertClientAdmin(caller.identity, clientId);
  const description = input.description.trim();
  if (description.length === 0 || description.length > 200) {
    throw new BadUserInputError('description', 'Describe the adjustment in 1 to 200 characters');
  }
  const amount = new Decimal(input.amount);
  if (amount.isZero()) throw new BadUserInputError('amount', 'An adjustment is not zero');
  if (amount.decimalPlaces() > 2) throw new BadUserInputError('amount', 'Amounts carry at most 2 decimals (cents)');
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (!(await customerExists(tx, clientId, customerId))) throw new NotFoundError('Customer', input.customerId);
    const live = await findLiveInvoiceForUpdate(tx, clientId, customerId, input.period);
    if (live && live.status !== 'DRAFT') {
      throw new BadUserInputError(
        'period',
        `The invoice of ${input.period} is already issued (${live.number}): correct it with a credit note, or adjust a later period`,
      );
    }
    const row = await insertAdjustment(tx, {
      clientId,
      customerId,
      period: input.period,
      description,
      amount: amount.toFixed(2),
      createdByUserId: caller.identity.userId,
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'adjustment.create',
      entityType: 'Adjustment',
      entityId: row.id,
      after: { customerId, period: row.period, description, amount: row.amount },
    });
    return {
      id: toGlobalId('Adjustment', clientId, row.id),
      customer: { id: toGlobalId('Customer', clientId, customerId) },
      period: row.period,
      description: row.description,
      amount: new Decimal(row.amount),
      invoiceId: null,
      createdAt: row.createdAt,
    };
  });
}
