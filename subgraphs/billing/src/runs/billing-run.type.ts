import type Decimal from 'decimal.js';
import { DecimalScalar, Scopes, UserError, YearMonthScalar } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from '../customers/customer.type';

export enum BillingRunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  COMPLETED_WITH_ERRORS = 'COMPLETED_WITH_ERRORS',
  FAILED = 'FAILED',
}

registerEnumType(BillingRunStatus, {
  name: 'BillingRunStatus',
  description:
    'QUEUED (waiting for a worker); RUNNING; COMPLETED; COMPLETED_WITH_ERRORS when some customer could not be billed (see its outcome); FAILED when the run stopped (resumeBillingRun continues it).',
});

export enum BillingRunCustomerStatus {
  DRAFTED = 'DRAFTED',
  NO_READINGS = 'NO_READINGS',
  ALREADY_ISSUED = 'ALREADY_ISSUED',
  NEGATIVE_TOTAL = 'NEGATIVE_TOTAL',
  FAILED = 'FAILED',
}

registerEnumType(BillingRunCustomerStatus, {
  name: 'BillingRunCustomerStatus',
  description:
    'DRAFTED (draft written or replaced), NO_READINGS (no reading at all: no invoice), ALREADY_ISSUED (the issued invoice is left alone), NEGATIVE_TOTAL (refused: only a credit note may be negative), FAILED (configuration problem, see message).',
});

const RunScopes = () => Scopes('billing:read', 'billing:run');

@ObjectType({ description: 'How many customers ended in each outcome.' })
export class BillingRunCounts {
  @Field(() => Int)
  drafted!: number;

  @Field(() => Int)
  noReadings!: number;

  @Field(() => Int)
  alreadyIssued!: number;

  @Field(() => Int)
  negativeTotal!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int, {
    description: 'Customers with slots missing in the period (NO_READINGS customers included): data to chase.',
  })
  withMissingSlots!: number;

  @Field(() => Int, { description: 'Customers with forecast hours missing (counted as forecast 0 for deviation).' })
  withMissingForecastHours!: number;
}

@ObjectType({ description: "One customer's outcome in a billing run." })
export class BillingRunCustomerOutcome {
  @Field(() => Customer)
  customer!: Customer;

  @Field({ description: 'Business code of the customer, e.g. "C-0001".' })
  customerCode!: string;

  @Field(() => BillingRunCustomerStatus)
  status!: BillingRunCustomerStatus;

  @Field(() => ID, {
    nullable: true,
    description:
      'The draft written, or the issued invoice left alone (an Invoice id). A later run may replace the draft.',
  })
  invoiceId!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Invoice total.' })
  total!: Decimal | null;

  @Field(() => Int, { nullable: true })
  expectedSlots!: number | null;

  @Field(() => Int, { nullable: true })
  presentSlots!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'expectedSlots − presentSlots: slots reported missing, never invented.',
  })
  missingSlots!: number | null;

  @Field(() => Int, { nullable: true })
  missingForecastHours!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the customer was not billed, or what was left alone.' })
  message!: string | null;
}

@ObjectType({ description: 'A billing run of a client and period: one draft invoice per customer, with progress.' })
@Directive('@key(fields: "id")')
export class BillingRun {
  @Field(() => ID)
  @RunScopes()
  id!: string;

  clientId!: string;
  runId!: string;

  @Field(() => YearMonthScalar)
  @RunScopes()
  period!: string;

  @Field(() => BillingRunStatus)
  @RunScopes()
  status!: BillingRunStatus;

  @Field(() => Int, { description: 'Customers processed so far (same as customersDone).' })
  @RunScopes()
  progress!: number;

  @Field(() => Int, { description: 'Customers to process (same as customersTotal).' })
  @RunScopes()
  total!: number;

  @Field(() => Int, { description: 'Customers to bill: the ACTIVE customers of the client when the run started.' })
  @RunScopes()
  customersTotal!: number;

  @Field(() => Int, { description: 'Customers with an outcome so far (FAILED included).' })
  @RunScopes()
  customersDone!: number;

  @Field(() => Int, { description: 'Customers whose outcome is FAILED.' })
  @RunScopes()
  customersFailed!: number;

  @Field(() => BillingRunCounts)
  @RunScopes()
  counts!: BillingRunCounts;

  @Field(() => Date, { description: 'When the run was requested (and queued).' })
  @RunScopes()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker started its first customer; null while QUEUED.' })
  @RunScopes()
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the run reached its final status.' })
  @RunScopes()
  finishedAt!: Date | null;

  @Field(() => [BillingRunCustomerOutcome], { description: 'Per customer, by code.' })
  @RunScopes()
  customers!: BillingRunCustomerOutcome[];
}

@InputType()
export class RunBillingInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => YearMonthScalar)
  period!: string;
}

@InputType()
export class ResumeBillingRunInput {
  @Field(() => ID, { description: 'The BillingRun to resume.' })
  id!: string;
}

@ObjectType()
export class RunBillingPayload {
  @Field(() => BillingRun, { nullable: true })
  billingRun!: BillingRun | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
