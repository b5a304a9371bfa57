import { sql } from 'drizzle-orm';
import type { Tx } from '@ciro/db';
import {
  deleteDraftInvoice,
  findLiveInvoiceForUpdate,
  insertInvoice,
  linkAdjustments,
} from '../invoices/invoice.repository';
import { loadCustomerBillingInput, type BillingScope, type CustomerToBill } from './billing-inputs.repository';
import { putRunCustomerOutcome, type BillingRunCustomerStatus, type RunProgressRow } from './billing-run.repository';
import type { StoredDataQuality } from './customer-pricing';
import { INLINE_PRICING, type PricingPool } from './pricing-pool';

/** Two runs of the same period (or two workers of one run) bill a customer one after the other; re-entrant. */
export async function lockCustomerPeriod(tx: Tx, clientId: string, customerId: string, period: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`billing:${clientId}:${customerId}:${period}`}, 0))`,
  );
}

export interface CustomerOutcome {
  customerId: string;
  customerCode: string;
  status: BillingRunCustomerStatus;
  invoiceId: string | null;
  total: string | null;
  dataQuality: StoredDataQuality | null;
  message: string | null;
}

export { draftLines, storedDataQuality, type StoredDataQuality } from './customer-pricing';

/**
 * Bills one customer of a run, inside the caller's transaction: recomputes its draft for the period with the engine
 * and replaces the existing DRAFT (never an issued invoice, reported ALREADY_ISSUED); a customer without any
 * reading, or whose total would be negative, keeps no draft. Records the outcome on the run. Idempotent: the same
 * data gives the same draft, and there is never more than one live invoice per customer and period.
 * A plain function so a queue worker can call it per customer; `locked` when the caller already holds
 * `lockCustomerPeriod` in this transaction. Returns the outcome and the run's figures after it.
 */
export async function billCustomer(
  tx: Tx,
  scope: BillingScope,
  customer: CustomerToBill,
  runId: string,
  options: { locked?: boolean; pricing?: PricingPool } = {},
): Promise<CustomerOutcome & { progress: RunProgressRow | null }> {
  if (!options.locked) await lockCustomerPeriod(tx, scope.clientId, customer.id, scope.period);
  const outcome = await computeOutcome(tx, scope, customer, runId, options.pricing ?? INLINE_PRICING);
  const progress = await putRunCustomerOutcome(tx, {
    clientId: scope.clientId,
    runId,
    customerId: customer.id,
    status: outcome.status,
    invoiceId: outcome.invoiceId,
    total: outcome.total,
    expectedSlots: outcome.dataQuality?.expectedSlots ?? null,
    presentSlots: outcome.dataQuality?.presentSlots ?? null,
    missingForecastHours: outcome.dataQuality?.missingForecastHours ?? null,
    message: outcome.message,
  });
  return { ...outcome, progress };
}

async function computeOutcome(
  tx: Tx,
  scope: BillingScope,
  customer: CustomerToBill,
  runId: string,
  pricing: PricingPool,
): Promise<CustomerOutcome> {
  const base = { customerId: customer.id, customerCode: customer.code };
  const live = await findLiveInvoiceForUpdate(tx, scope.clientId, customer.id, scope.period);
  if (live && live.status !== 'DRAFT') {
    return {
      ...base,
      status: 'ALREADY_ISSUED',
      invoiceId: live.id,
      total: live.total,
      dataQuality: null,
      message: `Invoice ${live.number ?? live.id} is already ${live.status} for ${scope.period}: left unchanged`,
    };
  }
  const failed = (message: string): CustomerOutcome => ({
    ...base,
    status: 'FAILED',
    invoiceId: live?.id ?? null,
    total: null,
    dataQuality: null,
    message,
  });

  const loaded = await loadCustomerBillingInput(tx, scope, customer);
  if (!loaded) return failed(`Customer ${customer.code} has no tariff`);
  const result = await pricing.price(loaded.raw);
  // Bad configuration (no rate in force, invalid factor): the draft, if any, stays as the last good one.
  if (result.status === 'INVALID') return failed(result.message);

  if (result.status !== 'DRAFT') {
    if (live) await deleteDraftInvoice(tx, scope.clientId, live.id);
    if (result.status === 'NO_READINGS') {
      return {
        ...base,
        status: 'NO_READINGS',
        invoiceId: null,
        total: null,
        dataQuality: result.dataQuality,
        message: `No reading in ${scope.period}: no invoice`,
      };
    }
    return {
      ...base,
      status: 'NEGATIVE_TOTAL',
      invoiceId: null,
      total: result.total,
      dataQuality: result.dataQuality,
      message: `Total ${result.total} is negative: only a credit note may be`,
    };
  }

  if (live) await deleteDraftInvoice(tx, scope.clientId, live.id);
  const invoice = await insertInvoice(
    tx,
    {
      clientId: scope.clientId,
      customerId: customer.id,
      period: scope.period,
      billingRunId: runId,
      kind: 'INVOICE',
      status: 'DRAFT',
      currency: scope.currency,
      subtotal: result.subtotal,
      vat: result.vat,
      total: result.total,
      vatRate: scope.vatRate,
      dataQuality: result.dataQuality,
    },
    result.lines,
  );
  await linkAdjustments(tx, scope.clientId, loaded.adjustmentIds, invoice.id);
  return {
    ...base,
    status: 'DRAFTED',
    invoiceId: invoice.id,
    total: invoice.total,
    dataQuality: result.dataQuality,
    message: null,
  };
}
