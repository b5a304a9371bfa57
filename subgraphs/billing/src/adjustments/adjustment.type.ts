import type Decimal from 'decimal.js';
import { DecimalScalar, Scopes, UserError, YearMonthScalar } from '@ciro/subgraph-common';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Customer } from '../customers/customer.type';

@ObjectType({
  description: 'A manual charge or credit for a customer and period, billed as an ADJUSTMENT line by the next run.',
})
export class Adjustment {
  @Field(() => ID)
  @Scopes('invoices:read')
  id!: string;

  @Field(() => Customer)
  @Scopes('invoices:read')
  customer!: Customer;

  @Field(() => YearMonthScalar)
  @Scopes('invoices:read')
  period!: string;

  @Field()
  @Scopes('invoices:read')
  description!: string;

  @Field(() => DecimalScalar, { description: 'Credit negative, debit positive.' })
  @Scopes('invoices:read')
  amount!: Decimal;

  @Field(() => ID, {
    nullable: true,
    description: 'The invoice (draft or issued) that carries it, once a run picked it up.',
  })
  @Scopes('invoices:read')
  invoiceId!: string | null;

  @Field(() => Date)
  @Scopes('invoices:read')
  createdAt!: Date;
}

@InputType()
export class CreateAdjustmentInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => YearMonthScalar, { description: 'The period whose invoice carries it (not issued yet).' })
  period!: string;

  @Field()
  description!: string;

  @Field(() => DecimalScalar, { description: 'Credit negative, debit positive; cents.' })
  amount!: Decimal;
}

@ObjectType()
export class AdjustmentPayload {
  @Field(() => Adjustment, { nullable: true })
  adjustment!: Adjustment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
