import { withTenant } from '@ciro/db';
import {
  ForbiddenError,
  Scopes,
  YearMonthScalar,
  callerOf,
  fromTenantIdOrThrow,
  tenantContextFor,
  withUserErrors,
  type ConnectionShape,
} from '@ciro/subgraph-common';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Client } from '../clients/client.type';
import type { BillingContext } from '../context';
import { Customer } from '../customers/customer.type';
import { createCreditNote } from './credit-note.service';
import { findInvoiceDte } from './dte.repository';
import { invoiceReaderScopeOrThrow } from './invoice-access';
import { issueInvoices, voidInvoice } from './invoice-issue.service';
import { JSONScalar } from './json.scalar';
import { getBillingSummary, getInvoiceOrThrow, listCustomerInvoices, listInvoices } from './invoice.service';
import {
  BillingSummary,
  CreateCreditNoteInput,
  INVOICE_READ,
  Invoice,
  InvoiceConnection,
  InvoiceFilterArgs,
  InvoicePayload,
  InvoicesArgs,
  IssueInvoicesInput,
  IssueInvoicesPayload,
  VoidInvoiceInput,
} from './invoice.type';

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => Invoice, { description: 'One invoice or credit note with its lines and data quality.' })
  @Scopes(...INVOICE_READ)
  async invoice(@Arg('id', () => ID) id: string, @Ctx() context: BillingContext): Promise<Invoice> {
    return getInvoiceOrThrow(callerOf(context), id);
  }

  @Query(() => InvoiceConnection, {
    description:
      "A client's invoices, newest period first, filtered by period, status and customer. Customer users see only their own customer's.",
  })
  @Scopes(...INVOICE_READ)
  async invoices(
    @Args(() => InvoicesArgs) args: InvoicesArgs,
    @Ctx() context: BillingContext,
  ): Promise<ConnectionShape<Invoice>> {
    return listInvoices(callerOf(context), args);
  }

  @FieldResolver(() => JSONScalar, { nullable: true })
  @Scopes(...INVOICE_READ)
  async dte(@Root() invoice: Invoice, @Ctx() context: BillingContext): Promise<unknown> {
    // The invoice reached here through a tenant-checked path; check again, the DTE carries the customer's fiscal data.
    const caller = callerOf(context);
    const reader = invoiceReaderScopeOrThrow(caller.identity, invoice.clientId);
    if (reader.customerId !== null && reader.customerId !== invoice.customerId) {
      throw new ForbiddenError('This invoice belongs to another customer');
    }
    return withTenant(caller.database, tenantContextFor(caller.identity, invoice.clientId), (tx) =>
      findInvoiceDte(tx, invoice.clientId, invoice.invoiceId),
    );
  }

  @Mutation(() => IssueInvoicesPayload, {
    description:
      'Issues the drafts of a billing run (or the listed drafts) in one transaction: gap-free numbers per client and fiscal year, due dates from payment terms. Issued invoices are immutable.',
  })
  @Scopes('invoices:write')
  async issueInvoices(
    @Arg('input', () => IssueInvoicesInput) input: IssueInvoicesInput,
    @Ctx() context: BillingContext,
  ): Promise<IssueInvoicesPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ invoices: await issueInvoices(caller, input) }), { invoices: [] });
  }

  @Mutation(() => InvoicePayload, {
    description: 'Voids an issued invoice that has no payments, with a reason. It keeps its number.',
  })
  @Scopes('invoices:write')
  async voidInvoice(
    @Arg('input', () => VoidInvoiceInput) input: VoidInvoiceInput,
    @Ctx() context: BillingContext,
  ): Promise<InvoicePayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ invoice: await voidInvoice(caller, input) }), { invoice: null });
  }

  @Mutation(() => InvoicePayload, {
    description:
      'Creates a DRAFT credit note correcting an issued invoice (which itself never changes); issue it with issueInvoices.',
  })
  @Scopes('invoices:write')
  async createCreditNote(
    @Arg('input', () => CreateCreditNoteInput) input: CreateCreditNoteInput,
    @Ctx() context: BillingContext,
  ): Promise<InvoicePayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ invoice: await createCreditNote(caller, input) }), { invoice: null });
  }
}

@Resolver(() => Customer)
export class CustomerInvoicesResolver {
  @FieldResolver(() => InvoiceConnection, {
    description: "The customer's invoices and credit notes, newest period first.",
  })
  @Scopes(...INVOICE_READ)
  async invoices(
    @Root() customer: Customer,
    @Args(() => InvoiceFilterArgs) args: InvoiceFilterArgs,
    @Ctx() context: BillingContext,
  ): Promise<ConnectionShape<Invoice>> {
    return listCustomerInvoices(callerOf(context), customer.id, args);
  }
}

@Resolver(() => Client)
export class ClientBillingSummaryResolver {
  @FieldResolver(() => BillingSummary, {
    description: 'Billed, credited, collected, outstanding and overdue amounts of the issued invoices of a period.',
  })
  @Scopes('invoices:read')
  async billingSummary(
    @Root() client: Client,
    @Arg('period', () => YearMonthScalar) period: string,
    @Ctx() context: BillingContext,
  ): Promise<BillingSummary> {
    const { clientId } = fromTenantIdOrThrow('Client', client.id);
    return getBillingSummary(callerOf(context), clientId, period);
  }
}
