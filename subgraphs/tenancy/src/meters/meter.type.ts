import type Decimal from 'decimal.js';
import { DecimalScalar } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum ConsumptionChannel {
  DELIVERED = 'DELIVERED',
  RECEIVED = 'RECEIVED',
}

registerEnumType(ConsumptionChannel, {
  name: 'ConsumptionChannel',
  description:
    'Register billed as consumption: DELIVERED (kWh Entregada / Del / import, the default) or RECEIVED (Recibida / Rec / export).',
});

@ObjectType({ description: 'A period during which a meter counts for a customer.' })
export class MeterAssignment {
  @Field(() => ID, { description: 'The customer the meter counted for.' })
  customerId!: string;

  @Field({ description: 'First instant (inclusive) the meter counts for the customer.' })
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'Instant (exclusive) it stopped counting; null while current.' })
  validTo!: Date | null;
}

@ObjectType({ description: 'An interval meter identified by its serial number, installed at a node of the network.' })
@Directive('@key(fields: "id")')
export class Meter {
  @Field(() => ID)
  id!: string;

  clientId!: string;
  meterId!: string;

  @Field({ description: 'Serial number, unique within the client (e.g. "5614086").' })
  serial!: string;

  @Field(() => String, { nullable: true, description: 'Network node (nodo) where it is installed, e.g. "Ateos".' })
  node!: string | null;

  @Field(() => DecimalScalar, { description: 'CT/PT multiplier applied to raw register values (1 when direct).' })
  multiplier!: Decimal;

  @Field(() => ConsumptionChannel)
  consumptionChannel!: ConsumptionChannel;

  @Field({ description: 'ACTIVE or RETIRED.' })
  status!: string;

  @Field(() => [MeterAssignment], { description: 'Customer assignments, newest first.' })
  assignments!: MeterAssignment[];
}

@InputType()
export class CreateMeterInput {
  @Field(() => ID)
  clientId!: string;

  @Field()
  serial!: string;

  @Field({ nullable: true })
  node?: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Defaults to "1".' })
  multiplier?: Decimal;

  @Field(() => ConsumptionChannel, { nullable: true, description: 'Defaults to DELIVERED.' })
  consumptionChannel?: ConsumptionChannel;

  @Field(() => ID, { nullable: true, description: 'Customer the meter counts for from `assignedFrom`.' })
  customerId?: string;

  @Field({ nullable: true, description: 'Start of the assignment; defaults to now.' })
  assignedFrom?: Date;
}

@InputType()
export class UpdateMeterInput {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  node?: string;

  @Field(() => DecimalScalar, { nullable: true })
  multiplier?: Decimal;

  @Field(() => ConsumptionChannel, { nullable: true })
  consumptionChannel?: ConsumptionChannel;

  @Field({ nullable: true, description: 'ACTIVE or RETIRED.' })
  status?: string;
}

@InputType({ description: 'Moves a meter to a customer from an instant on (meters get swapped mid-month).' })
export class AssignMeterInput {
  @Field(() => ID)
  meterId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field()
  validFrom!: Date;
}
