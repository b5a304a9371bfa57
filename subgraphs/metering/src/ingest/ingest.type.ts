import { DecimalScalar, UserError } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Meter } from '../meters/meter.type';
import { TimestampConvention } from '../uploads/upload.type';

/** Most readings one ingestReadings call may carry (a 31-day month of one meter is 2,976). */
export const MAX_INGEST_READINGS = 3000;

@InputType({ description: 'One 15-minute reading pushed by a head-end.' })
export class IngestReadingInput {
  @Field({
    description:
      "The slot: an ISO-8601 instant with offset (`2025-09-01T06:00:00Z`) or a wall time in the client's time zone without offset (`2025-09-01T00:00`; with INTERVAL_END `…T24:00` is the last slot of the day). Must fall on a 15-minute boundary.",
  })
  slotStart!: string;

  @Field(() => DecimalScalar, { description: 'Delivered kWh as registered (raw, before the meter multiplier), ≥ 0.' })
  kwh!: Decimal;

  @Field(() => DecimalScalar, { nullable: true, description: 'kVArh as registered, ≥ 0.' })
  kvarh?: Decimal | null;
}

@InputType({ description: 'Readings of one meter; give `meterId` or `meterSerial`.' })
export class IngestReadingsInput {
  @Field(() => ID, { nullable: true, description: 'The meter (a Meter id).' })
  meterId?: string | null;

  @Field(() => String, { nullable: true, description: "The meter's serial within the client." })
  meterSerial?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "With `meterSerial`: the client (a Client id); defaults to the caller's client.",
  })
  clientId?: string | null;

  @Field(() => TimestampConvention, {
    nullable: true,
    description:
      'What `slotStart` stamps: INTERVAL_START (default: the slot start) or INTERVAL_END (the end, as meter exports do: 00:15 is the slot starting 00:00).',
  })
  convention?: TimestampConvention | null;

  @Field(() => [IngestReadingInput], { description: `1–${MAX_INGEST_READINGS} readings.` })
  readings!: IngestReadingInput[];
}

@ObjectType({ description: 'What an ingestReadings call stored.' })
export class IngestReadingsSummary {
  @Field(() => Int, { description: 'Distinct slots received (identical duplicates collapsed).' })
  received!: number;

  @Field(() => Int, { description: 'Slots stored for the first time.' })
  new!: number;

  @Field(() => Int, { description: 'Slots already stored with the same values (nothing changed).' })
  unchanged!: number;

  @Field(() => Int, { description: 'Slots whose stored values were replaced.' })
  replaced!: number;

  @Field(() => Int, { description: 'Customers whose hourly and daily figures were recomputed.' })
  customers!: number;

  @Field({ description: 'Start of the first slot.' })
  firstSlotStart!: Date;

  @Field({ description: 'Start of the last slot.' })
  lastSlotStart!: Date;
}

@ObjectType({ description: 'Result of ingestReadings.' })
export class IngestReadingsPayload {
  @Field(() => Meter, { nullable: true, description: 'The meter the readings were stored for; null with userErrors.' })
  meter!: Meter | null;

  @Field(() => IngestReadingsSummary, {
    nullable: true,
    description: 'What was stored; null with userErrors (then nothing was).',
  })
  summary!: IngestReadingsSummary | null;

  @Field(() => [UserError], { description: 'Problems with the input, by field; empty on success.' })
  userErrors!: UserError[];
}
