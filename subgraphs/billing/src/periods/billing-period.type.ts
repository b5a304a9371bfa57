import { Connection, UserError, YearMonthScalar } from '@ciro/subgraph-common';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs } from '@ciro/subgraph-common';

export enum BillingPeriodStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}
registerEnumType(BillingPeriodStatus, {
  name: 'BillingPeriodStatus',
  description:
    'OPEN: billing may run (again) for the month. CLOSED: the month is finished: runBilling refuses it until reopened.',
});

@ObjectType({ description: "A client's billing month: its status, runs and invoices." })
export class BillingPeriod {
  @Field(() => ID)
  id!: string;

  @Field(() => YearMonthScalar)
  period!: string;

  @Field(() => BillingPeriodStatus)
  status!: BillingPeriodStatus;

  @Field(() => Int, { description: 'Billing runs of the month.' })
  runs!: number;

  @Field(() => Int, { description: 'Runs still QUEUED or RUNNING.' })
  runsInProgress!: number;

  @Field(() => ID, { nullable: true, description: 'The latest BillingRun of the month.' })
  lastRunId!: string | null;

  @Field(() => Int, { description: 'Draft invoices (issue them, or run again to replace them).' })
  drafts!: number;

  @Field(() => Int, { description: 'Issued invoices (any status after DRAFT), credit notes included.' })
  issued!: number;
}

@ObjectType()
export class BillingPeriodConnection extends Connection(BillingPeriod, 'BillingPeriod') {}

@ArgsType()
export class BillingPeriodsArgs extends PageArgs {
  @Field(() => ID)
  clientId!: string;
}

@InputType()
export class BillingPeriodInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => YearMonthScalar)
  period!: string;
}

@ObjectType()
export class BillingPeriodPayload {
  @Field(() => BillingPeriod, { nullable: true })
  billingPeriod!: BillingPeriod | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
