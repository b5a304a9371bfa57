import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  ForbiddenError,
  InputValidationError,
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  publishInvoicesIssued,
  recordAudit,
  tenantContextFor,
  type Caller,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { findBillingRunRow } from '../runs/billing-run.repository';
import {
  findClientBilling,
  findInvoiceRow,
  findInvoiceRowForUpdate,
  lockDraftsForIssue,
  markIssued,
  reserveInvoiceNumbers,
  updateInvoiceLifecycle,
  type InvoiceRow,
} from './invoice.repository';
import { writeDraftDte } from './dte.repository';
import { invoiceIdsOrThrow } from './invoice-access';
import { addDays, localDate } from './invoice.mapper';
import { toInvoices } from './invoice.service';
import type { Invoice, IssueInvoicesInput, VoidInvoiceInput } from './invoice.type';

/** `EIS-2025-000001`: client code, fiscal year, six-digit sequence. */
export function formatInvoiceNumber(clientCode: string, year: number, sequence: number): string {
  return `${clientCode}-${year}-${String(sequence).padStart(6, '0')}`;
}

type IssueTarget = { clientId: string } & ({ runId: string } | { invoiceIds: string[] });

function issueTargetOrThrow(caller: Caller, input: IssueInvoicesInput): IssueTarget {
  const ids = input.invoiceIds ?? [];
  if (Boolean(input.runId) === ids.length > 0) {
    throw new InputValidationError([{ field: 'runId', message: 'Give either runId or a non-empty invoiceIds' }]);
  }
  if (input.runId) {
    const { clientId, id } = fromTenantIdOrThrow('BillingRun', input.runId);
    assertClientAdmin(caller.identity, clientId);
    return { clientId, runId: id };
  }
  const decoded = ids.map((id) => fromTenantIdOrThrow('Invoice', id));
  const clientId = decoded[0].clientId;
  assertClientAdmin(caller.identity, clientId);
  if (decoded.some((d) => d.clientId !== clientId)) throw new ForbiddenError('These invoices belong to another client');
  return { clientId, invoiceIds: [...new Set(decoded.map((d) => d.id))] };
}

/**
 * Issues drafts in one transaction: numbers them gap-free per client and fiscal year (the issue date's year in the
 * client zone), in period, kind and customer-code order; sets issued_at and the due date (issue date + the customer's
 * payment terms; a credit note is due on issue) and the DTE JSON of each invoice. From here on the database refuses any
 * edit of their amounts, lines or DTE. Once committed, "invoices issued" is published: one render job per invoice on
 * the documents render queue. Redis being down never fails issuing: the invoices stay PENDING and the documents sweep
 * renders them.
 */
export async function issueInvoices(caller: Caller, input: IssueInvoicesInput): Promise<Invoice[]> {
  const target = issueTargetOrThrow(caller, input);
  const { clientId } = target;
  const { invoices, rows } = await issueInTransaction(caller, input, target);
  await publishInvoicesIssued(
    rows.map((row) => ({ clientId, invoiceId: row.id, billingRunId: row.billingRunId ?? null })),
  );
  return invoices;
}

async function issueInTransaction(
  caller: Caller,
  input: IssueInvoicesInput,
  target: IssueTarget,
): Promise<{ invoices: Invoice[]; rows: InvoiceRow[] }> {
  const { clientId } = target;
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const client = await findClientBilling(tx, clientId);
    if (!client) throw new NotFoundError('Client', clientId);
    if ('runId' in target && !(await findBillingRunRow(tx, clientId, target.runId))) {
      throw new NotFoundError('BillingRun', input.runId ?? '');
    }
    const drafts = await lockDraftsForIssue(tx, clientId, target);
    if ('invoiceIds' in target) {
      const found = new Set(drafts.map((d) => d.id));
      const problems: { field: string; message: string }[] = [];
      for (const [index, id] of target.invoiceIds.entries()) {
        if (found.has(id)) continue;
        const row = await findInvoiceRow(tx, clientId, id);
        problems.push({
          field: `invoiceIds.${index}`,
          message: row ? `Invoice ${row.number ?? id} is ${row.status}, not a draft` : `Invoice ${id} was not found`,
        });
      }
      if (problems.length > 0) throw new InputValidationError(problems);
    } else if (drafts.length === 0) {
      throw new BadUserInputError(
        'runId',
        'This run has no draft left to issue (already issued, or replaced by a later run)',
      );
    }
    const negative = drafts.find((d) => d.kind === 'INVOICE' && new Decimal(d.total).isNegative());
    if (negative) throw new BadUserInputError('invoiceIds', `Invoice of ${negative.customerCode} has a negative total`);

    const issuedAt = new Date();
    const issueDate = localDate(issuedAt, client.zone);
    const year = Number(issueDate.slice(0, 4));
    const last = await reserveInvoiceNumbers(tx, clientId, year, drafts.length);
    const issued: InvoiceRow[] = [];
    for (const [index, draft] of drafts.entries()) {
      const sequence = last - drafts.length + 1 + index;
      const number = formatInvoiceNumber(client.code, year, sequence);
      await writeDraftDte(tx, clientId, draft.id, { number, sequence, issuedAt, zone: client.zone });
      const row = await markIssued(tx, clientId, draft.id, {
        number,
        fiscalYear: year,
        sequence,
        issuedAt,
        dueDate: draft.kind === 'CREDIT_NOTE' ? issueDate : addDays(issueDate, draft.paymentTermsDays),
      });
      await recordAudit(tx, caller, {
        clientId,
        action: 'invoice.issue',
        entityType: 'Invoice',
        entityId: row.id,
        before: { status: 'DRAFT' },
        after: { number: row.number, total: row.total, dueDate: row.dueDate },
      });
      issued.push(row);
    }
    return { invoices: await toInvoices(tx, clientId, issued, issueDate), rows: issued };
  });
}

/** Voids an issued invoice without payments; it keeps its number (no gap) and is never billed again. */
export async function voidInvoice(caller: Caller, input: VoidInvoiceInput): Promise<Invoice> {
  const { clientId, invoiceId } = invoiceIdsOrThrow(caller, input.id);
  assertClientAdmin(caller.identity, clientId);
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 500) {
    throw new BadUserInputError('reason', 'Give the reason in 1 to 500 characters');
  }
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findInvoiceRowForUpdate(tx, clientId, invoiceId);
    if (!row) throw new NotFoundError('Invoice', input.id);
    if (row.status === 'DRAFT') {
      throw new BadUserInputError('id', 'A draft is not voided: the next billing run recomputes or removes it');
    }
    if (row.status === 'VOID') throw new BadUserInputError('id', `Invoice ${row.number} is already void`);
    if (new Decimal(row.paidAmount).greaterThan(0)) {
      throw new BadUserInputError('id', `Invoice ${row.number} has payments: correct it with a credit note`);
    }
    const voided = await updateInvoiceLifecycle(tx, clientId, invoiceId, {
      status: 'VOID',
      voidedAt: new Date(),
      voidReason: reason,
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'invoice.void',
      entityType: 'Invoice',
      entityId: invoiceId,
      before: { status: row.status },
      after: { status: 'VOID', reason },
    });
    const client = await findClientBilling(tx, clientId);
    const [invoice] = await toInvoices(tx, clientId, [voided], localDate(new Date(), client?.zone ?? 'UTC'));
    return invoice;
  });
}
