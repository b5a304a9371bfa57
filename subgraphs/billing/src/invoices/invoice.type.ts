import type Decimal from 'decimal.js';
import {
  CalendarDateScalar,
  Connection,
  DecimalScalar,
  PageArgs,
  Scopes,
  UserError,
  YearMonthScalar,
} from '@ciro/subgraph-common';
import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from '../customers/customer.type';
import { JSONScalar } from './json.scalar';

export enum InvoiceStatus {
  DRAFT = 'DRAFT',
  ISSUED = 'ISSUED',
  PAID = 'PAID',
  PARTIALLY_PAID = 'PARTIALLY_PAID',
  OVERDUE = 'OVERDUE',
  VOID = 'VOID',
}

registerEnumType(InvoiceStatus, {
  name: 'InvoiceStatus',
  description:
    'DRAFT (recomputed by billing runs) → ISSUED (numbered, immutable) → PARTIALLY_PAID / PAID, or VOID. OVERDUE: issued, past its due date with a balance (computed when read).',
});

export enum InvoiceKind {
  INVOICE = 'INVOICE',
  CREDIT_NOTE = 'CREDIT_NOTE',
}

registerEnumType(InvoiceKind, {
  name: 'InvoiceKind',
  description: 'An invoice, or a credit note (nota de crédito) that corrects an issued invoice.',
});

/** Scopes that may read an invoice; customer users are narrowed to their own customer by the services. */
export const INVOICE_READ = ['invoices:read', 'invoices:read:own'] as const;
const ReadScopes = () => Scopes(...INVOICE_READ);

@ObjectType({
  description:
    "One rate's share of a line billed at several rates (a rate change within the period, or the block rates of LOSSES).",
})
export class RateSplitPart {
  @Field(() => String, { nullable: true, description: 'Block code when the line mixes blocks (LOSSES).' })
  block!: string | null;

  @Field(() => DecimalScalar, { description: 'Rate applied, 6 decimals.' })
  rate!: Decimal;

  @Field(() => DecimalScalar, { description: 'Quantity billed at this rate.' })
  quantity!: Decimal;

  @Field(() => DecimalScalar, { description: 'Unrounded amount of this part (the line amount is rounded once).' })
  amount!: Decimal;

  @Field(() => CalendarDateScalar, { description: 'First local day this rate applied within the period.' })
  from!: string;

  @Field(() => CalendarDateScalar, { description: 'Last local day (inclusive) this rate applied within the period.' })
  to!: string;
}

@ObjectType({ description: 'A line of an invoice (BILLING.md §5).' })
export class InvoiceLine {
  @Field(() => Int, { description: 'Position on the invoice, from 1.' })
  lineNo!: number;

  @Field({
    description:
      'ENERGY_<block> (e.g. ENERGY_PUNTA), DEMAND, LOSSES (loss adjustment), FTPMS (surcharge), DEVIATION (charge for deviating from the forecast), DISCOUNT, ADJUSTMENT or CREDIT.',
  })
  kind!: string;

  @Field()
  description!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'kWh, kW or a fraction (see unit).' })
  quantity!: Decimal | null;

  @Field(() => String, { nullable: true, description: 'kWh, kW, fraction, or null.' })
  unit!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Rate (USD per unit); null when several rates applied (see rateSplit) or the line has no rate.',
  })
  rate!: Decimal | null;

  @Field(() => [RateSplitPart], { description: 'The rates that applied, when more than one did; empty otherwise.' })
  rateSplit!: RateSplitPart[];

  @Field(() => DecimalScalar, { description: 'Amount in the invoice currency, rounded to cents.' })
  amount!: Decimal;
}

@ObjectType({ description: 'A run of missing 15-minute slots of one meter.' })
export class MissingSlotRange {
  @Field(() => ID, { description: 'The meter (a Meter id).' })
  meterId!: string;

  @Field(() => Date, { description: 'Start of the first missing slot.' })
  from!: Date;

  @Field(() => Date, { description: 'End of the last missing slot (exclusive).' })
  to!: Date;
}

@ObjectType({ description: 'How complete the data behind an invoice was. Missing slots are reported, never invented.' })
export class InvoiceDataQuality {
  @Field(() => Int, {
    description: '15-minute slots expected over the period across the meters (2,880 per meter in September).',
  })
  expectedSlots!: number;

  @Field(() => Int)
  presentSlots!: number;

  @Field(() => Int)
  missingSlots!: number;

  @Field(() => [MissingSlotRange])
  missingRanges!: MissingSlotRange[];

  @Field(() => Int, { description: 'Hours without a forecast, counted as forecast 0 for the deviation charge.' })
  missingForecastHours!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Local wall time (client zone, no offset) of the start of the slot with the maximum demand.',
  })
  maxDemandAt!: string | null;
}

@ObjectType({ description: 'An invoice (or credit note) of a customer for a billing period.' })
@Directive('@key(fields: "id")')
export class Invoice {
  @Field(() => ID)
  @ReadScopes()
  id!: string;

  /** Raw ids, for services; not in the schema. */
  clientId!: string;
  invoiceId!: string;
  customerId!: string;

  @Field(() => String, { nullable: true, description: 'Fiscal number, e.g. "EIS-2025-000001"; null while a draft.' })
  @ReadScopes()
  number!: string | null;

  @Field(() => InvoiceStatus)
  @ReadScopes()
  status!: InvoiceStatus;

  @Field(() => InvoiceKind)
  @ReadScopes()
  kind!: InvoiceKind;

  @Field(() => YearMonthScalar, { description: 'Billing period (a calendar month in the client zone).' })
  @ReadScopes()
  period!: string;

  @Field(() => Customer)
  @ReadScopes()
  customer!: Customer;

  @Field({ description: 'ISO 4217 currency of every amount, e.g. USD.' })
  @ReadScopes()
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Sum of the rounded line amounts.' })
  @ReadScopes()
  subtotal!: Decimal;

  @Field(() => DecimalScalar, { description: 'VAT (IVA) on the subtotal, rounded to cents.' })
  @ReadScopes()
  vat!: Decimal;

  @Field(() => DecimalScalar, { description: 'VAT rate applied, as a fraction ("0.13").' })
  @ReadScopes()
  vatRate!: Decimal;

  @Field(() => DecimalScalar, { description: 'subtotal + vat. Negative only on a credit note.' })
  @ReadScopes()
  total!: Decimal;

  @Field(() => DecimalScalar, { description: 'Sum of the payments recorded.' })
  @ReadScopes()
  paidAmount!: Decimal;

  @Field(() => DecimalScalar, { description: 'total − paidAmount; 0 on a credit note or a voided invoice.' })
  @ReadScopes()
  balance!: Decimal;

  @Field(() => Date, { nullable: true })
  @ReadScopes()
  issuedAt!: Date | null;

  @Field(() => CalendarDateScalar, { nullable: true, description: 'Issue date + the customer’s payment terms.' })
  @ReadScopes()
  dueDate!: string | null;

  @Field(() => Date, { nullable: true })
  @ReadScopes()
  voidedAt!: Date | null;

  @Field(() => String, { nullable: true })
  @ReadScopes()
  voidReason!: string | null;

  @Field(() => ID, { nullable: true, description: 'On a credit note: the issued invoice it corrects (an Invoice id).' })
  @ReadScopes()
  creditNoteOf!: string | null;

  @Field(() => [InvoiceLine])
  @ReadScopes()
  lines!: InvoiceLine[];

  @Field(() => InvoiceDataQuality, { nullable: true, description: 'Null on credit notes.' })
  @ReadScopes()
  dataQuality!: InvoiceDataQuality | null;

  @Field(() => Date)
  @ReadScopes()
  createdAt!: Date;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'The Documento Tributario Electrónico of El Salvador (Ministerio de Hacienda) built when the invoice was issued: a Comprobante de Crédito Fiscal (tipoDte "03") for a customer with an NRC, a Factura ("01") otherwise; amounts as decimal strings. Unsigned and not transmitted. Null for drafts and credit notes.',
  })
  @ReadScopes()
  dte?: unknown;
}

@ObjectType()
export class InvoiceConnection extends Connection(Invoice, 'Invoice') {}

@ArgsType()
export class InvoiceFilterArgs extends PageArgs {
  @Field(() => YearMonthScalar, { nullable: true })
  period?: string;

  @Field(() => InvoiceStatus, { nullable: true })
  status?: InvoiceStatus;
}

@ArgsType()
export class InvoicesArgs extends InvoiceFilterArgs {
  @Field(() => ID)
  clientId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only this customer’s invoices (a customer user may only name its own).',
  })
  customerId?: string;
}

@ObjectType({
  description: 'What a period billed and collected: issued invoices only (drafts and voided ones excluded).',
})
export class BillingSummary {
  @Field(() => YearMonthScalar)
  @Scopes('invoices:read')
  period!: string;

  @Field(() => DecimalScalar, { description: 'Σ total of the issued invoices.' })
  @Scopes('invoices:read')
  billed!: Decimal;

  @Field(() => DecimalScalar, { description: 'Σ of the credit notes issued for the period, as a positive amount.' })
  @Scopes('invoices:read')
  credited!: Decimal;

  @Field(() => DecimalScalar, { description: 'Σ payments recorded on those invoices.' })
  @Scopes('invoices:read')
  collected!: Decimal;

  @Field(() => DecimalScalar, { description: 'billed − collected.' })
  @Scopes('invoices:read')
  outstanding!: Decimal;

  @Field(() => DecimalScalar, { description: 'Balance of the invoices past their due date.' })
  @Scopes('invoices:read')
  overdue!: Decimal;

  @Field(() => Int)
  @Scopes('invoices:read')
  invoiceCount!: number;
}

@InputType({ description: 'Issue the drafts of a billing run, or the listed draft invoices. Exactly one of the two.' })
export class IssueInvoicesInput {
  @Field(() => ID, { nullable: true })
  runId?: string;

  @Field(() => [ID], { nullable: true })
  invoiceIds?: string[];
}

@ObjectType()
export class IssueInvoicesPayload {
  @Field(() => [Invoice], { description: 'The invoices issued, in number order.' })
  invoices!: Invoice[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class VoidInvoiceInput {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why the invoice is voided (kept on the invoice and in the audit log).' })
  reason!: string;
}

@ObjectType()
export class InvoicePayload {
  @Field(() => Invoice, { nullable: true })
  invoice!: Invoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType({
  description:
    'A credit note (nota de crédito) against an issued invoice: credits `amount` before VAT (VAT at the invoice rate is added), as a DRAFT to issue with issueInvoices.',
})
export class CreateCreditNoteInput {
  @Field(() => ID, { description: 'The issued invoice to correct.' })
  invoiceId!: string;

  @Field(() => DecimalScalar, {
    description: 'Subtotal credited, positive, in cents; at most what the invoice billed minus earlier credit notes.',
  })
  amount!: Decimal;

  @Field({ description: 'Why (printed on the credit note line and kept in the audit log).' })
  reason!: string;
}
