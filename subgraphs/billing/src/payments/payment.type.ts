import type Decimal from 'decimal.js';
import { DecimalScalar, Scopes, UserError } from '@ciro/subgraph-common';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { INVOICE_READ, Invoice } from '../invoices/invoice.type';

@ObjectType({ description: 'A payment recorded against an issued invoice.' })
export class Payment {
  @Field(() => ID)
  @Scopes(...INVOICE_READ)
  id!: string;

  @Field(() => DecimalScalar)
  @Scopes(...INVOICE_READ)
  amount!: Decimal;

  @Field(() => Date)
  @Scopes(...INVOICE_READ)
  paidAt!: Date;

  @Field(() => String, { nullable: true, description: 'e.g. TRANSFER, CHECK, CASH, CARD.' })
  @Scopes(...INVOICE_READ)
  method!: string | null;

  @Field(() => String, { nullable: true, description: 'Bank or receipt reference.' })
  @Scopes(...INVOICE_READ)
  reference!: string | null;

  @Field(() => Date)
  @Scopes(...INVOICE_READ)
  createdAt!: Date;
}

@InputType()
export class RecordPaymentInput {
  @Field(() => ID)
  invoiceId!: string;

  @Field(() => DecimalScalar, { description: 'Positive, at most the balance (overpayments are refused), in cents.' })
  amount!: Decimal;

  @Field(() => Date)
  paidAt!: Date;

  @Field({ nullable: true })
  method?: string;

  @Field({ nullable: true })
  reference?: string;
}

@ObjectType()
export class RecordPaymentPayload {
  @Field(() => Invoice, { nullable: true, description: 'The invoice, now PAID or PARTIALLY_PAID.' })
  invoice!: Invoice | null;

  @Field(() => Payment, { nullable: true })
  payment!: Payment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
