import { DecimalScalar } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { ArgsType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { Connection } from '@ciro/subgraph-common';

/** The tenancy subgraph's Meter, extended here with its readings. */
@ObjectType({ description: 'An interval meter (owned by the tenancy subgraph); metering adds its readings.' })
@Directive('@key(fields: "id")')
export class Meter {
  @Field(() => ID)
  id!: string;

  /** Raw uuids, set by the reference resolver. */
  rawClientId?: string;
  rawMeterId?: string;
}

@ObjectType({ description: 'A stored 15-minute reading of a meter: raw register values, before the multiplier.' })
export class MeterReading {
  @Field({ description: 'Start of the slot `[slotStart, slotStart + 15 min)`.' })
  slotStart!: Date;

  @Field(() => DecimalScalar, { description: 'Delivered kWh as registered (multiply by the meter multiplier).' })
  kwh!: Decimal;

  @Field(() => DecimalScalar, { nullable: true })
  kvarh!: Decimal | null;

  @Field(() => ID, { nullable: true, description: 'The upload the current value came from.' })
  uploadId!: string | null;
}

@ObjectType()
export class MeterReadingConnection extends Connection(MeterReading, 'MeterReading') {}

export const MAX_READINGS_PAGE = 3000;

@ArgsType()
export class MeterReadingsArgs {
  @Field({ description: 'First slot start included.' })
  from!: Date;

  @Field({ description: 'Slots starting before this instant.' })
  to!: Date;

  @Field(() => Int, {
    nullable: true,
    description: `How many readings to return (1–${MAX_READINGS_PAGE}, default ${MAX_READINGS_PAGE}; a 31-day month is 2,976).`,
  })
  @Min(1)
  @Max(MAX_READINGS_PAGE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return readings after this cursor.' })
  after?: string;
}
