import { DecimalScalar, YearMonthScalar } from '@ciro/subgraph-common';
import type Decimal from 'decimal.js';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from '../customers/customer.type';
import { Meter } from '../meters/meter.type';

export enum ConsumptionGranularity {
  SLOT = 'SLOT',
  HOUR = 'HOUR',
  DAY = 'DAY',
  MONTH = 'MONTH',
}
registerEnumType(ConsumptionGranularity, {
  name: 'ConsumptionGranularity',
  description:
    "Size of a consumption bucket, in the client's time zone: SLOT (15 minutes, at most 31 days per request), HOUR (local hours, at most 366 days), DAY (local calendar days from local midnight, at most 731 days), MONTH (calendar months, at most 120).",
});

@InputType({ description: 'A span of time `[from, to)`.' })
export class TimeRangeInput {
  @Field({ description: 'Start, included (ISO-8601 instant with offset).' })
  from!: Date;

  @Field({ description: 'End, excluded; must be after `from`.' })
  to!: Date;
}

@ObjectType({ description: 'Energy of one time-of-use block (tariff block code, e.g. PUNTA, RESTO, VALLE).' })
export class BlockConsumption {
  @Field({ description: 'Tariff block code; NONE for a customer without a tariff.' })
  block!: string;

  @Field(() => DecimalScalar, { description: 'kWh with the meter multipliers applied.' })
  kwh!: Decimal;
}

@ObjectType({ description: "One bucket of a customer's consumption." })
export class ConsumptionPoint {
  @Field({ description: 'Start of the bucket (instant).' })
  start!: Date;

  @Field({ description: 'End of the bucket, excluded (instant).' })
  end!: Date;

  @Field({
    description:
      "Start of the bucket as a wall time in the client's time zone, without offset, e.g. 2025-09-08T00:00:00.",
  })
  localStart!: string;

  @Field(() => DecimalScalar, {
    description:
      'kWh in the bucket: Σ over the customer’s meters of raw kWh × multiplier (0 when no reading; see `readings`).',
  })
  kwh!: Decimal;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Maximum demand in the bucket, kW = max slot kWh × 4; null when no reading.',
  })
  maxKw!: Decimal | null;

  @Field(() => Int, { description: 'Meter readings behind the bucket (0: no data, not zero consumption).' })
  readings!: number;

  @Field(() => [BlockConsumption], {
    nullable: true,
    description: 'kWh per tariff block present in the bucket (sums to `kwh`); null unless `byBlock: true`.',
  })
  blocks!: BlockConsumption[] | null;
}

@ObjectType({ description: "A customer's consumption over a range, in buckets of the client's time zone." })
export class CustomerConsumption {
  @Field(() => ConsumptionGranularity, { description: 'Size of the buckets.' })
  granularity!: ConsumptionGranularity;

  @Field({ description: 'Start of the first bucket (the requested `from`, widened to a whole bucket).' })
  from!: Date;

  @Field({ description: 'End of the last bucket (the requested `to`, widened to a whole bucket).' })
  to!: Date;

  @Field({ description: 'IANA time zone of the buckets (the client’s), e.g. America/El_Salvador.' })
  timeZone!: string;

  @Field({ description: 'Unit of every energy figure: kWh.' })
  unit!: string;

  @Field(() => DecimalScalar, { description: 'Σ kWh over the range (multipliers applied).' })
  total!: Decimal;

  @Field(() => [BlockConsumption], { description: 'Σ kWh over the range per tariff block (sums to `total`).' })
  totalByBlock!: BlockConsumption[];

  @Field(() => Int, { description: 'Meter readings behind the range.' })
  readings!: number;

  @Field(() => [ConsumptionPoint], { description: 'Every bucket of the range, oldest first (empty ones included).' })
  points!: ConsumptionPoint[];
}

@ObjectType({ description: "The 15-minute slot with a customer's highest demand in a range." })
export class PeakDemand {
  @Field(() => DecimalScalar, { description: 'Demand in kW: the slot’s kWh × 4 (multipliers applied).' })
  kw!: Decimal;

  @Field(() => DecimalScalar, { description: 'kWh of the slot (multipliers applied).' })
  kwh!: Decimal;

  @Field({ description: 'Start of the slot (instant).' })
  slotStart!: Date;

  @Field({ description: "Start of the slot as a wall time in the client's time zone, without offset." })
  localSlotStart!: string;

  @Field({ description: 'Tariff block of the slot, e.g. PUNTA.' })
  block!: string;

  @Field(() => Meter, { description: 'The meter contributing the most to the slot (the only one for most customers).' })
  meter!: Meter;

  @Field(() => [Meter], { description: 'Every meter whose reading makes up the slot.' })
  meters!: Meter[];
}

@ObjectType({ description: 'A run of missing 15-minute slots `[from, to)`.' })
export class CompletenessGap {
  @Field({ description: 'Start of the first missing slot.' })
  from!: Date;

  @Field({ description: 'End of the last missing slot (excluded).' })
  to!: Date;

  @Field({ description: "`from` as a wall time in the client's time zone, without offset." })
  localFrom!: string;

  @Field({ description: "`to` as a wall time in the client's time zone, without offset." })
  localTo!: string;

  @Field(() => Int, { description: 'Missing slots in the run.' })
  slots!: number;
}

@ObjectType({ description: 'Expected versus stored 15-minute readings of a meter over a billing period.' })
export class MeterDataCompleteness {
  @Field(() => YearMonthScalar, { description: 'The billing period (local calendar month).' })
  period!: string;

  @Field({ description: 'IANA time zone of the period (the client’s).' })
  timeZone!: string;

  @Field(() => Int, { description: 'Slots of the local month (2,880 in a 30-day month; DST days have 92 or 100).' })
  expectedSlots!: number;

  @Field(() => Int, { description: 'Slots of the period with a stored reading.' })
  presentSlots!: number;

  @Field(() => Int, { description: 'expectedSlots − presentSlots.' })
  missingSlots!: number;

  @Field(() => DecimalScalar, {
    description: 'presentSlots / expectedSlots × 100, rounded down to at most two decimals ("99.75", "100").',
  })
  percent!: Decimal;

  @Field(() => [CompletenessGap], { description: 'Missing slots as ranges, oldest first.' })
  gaps!: CompletenessGap[];
}

@ObjectType({ description: "One customer's consumption in a period, for an administrator's summary." })
export class CustomerConsumptionTotal {
  @Field(() => Customer, { description: 'The customer.' })
  customer!: Customer;

  @Field({ description: 'The customer’s business code, e.g. C-0001.' })
  customerCode!: string;

  @Field(() => DecimalScalar, { description: 'kWh in the period (multipliers applied).' })
  kwh!: Decimal;

  @Field(() => [BlockConsumption], { description: 'kWh per tariff block.' })
  byBlock!: BlockConsumption[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Maximum demand in kW; null without readings.' })
  maxKw!: Decimal | null;

  @Field(() => Int, { description: 'Meter readings stored for the period.' })
  readings!: number;

  @Field(() => Int, {
    description: 'Meter readings expected: slots of the period while each of its meters counted for it.',
  })
  expectedReadings!: number;

  @Field({ description: 'True when every expected reading is stored.' })
  complete!: boolean;
}

@ObjectType({ description: "A client's consumption over a billing period, across its customers (administrators)." })
export class ClientConsumptionSummary {
  @Field(() => YearMonthScalar, { description: 'The billing period (local calendar month).' })
  period!: string;

  @Field({ description: 'IANA time zone of the period (the client’s).' })
  timeZone!: string;

  @Field({ description: 'Unit of every energy figure: kWh.' })
  unit!: string;

  @Field(() => DecimalScalar, { description: 'Σ kWh of every customer.' })
  total!: Decimal;

  @Field(() => [BlockConsumption], { description: 'Σ kWh of every customer per tariff block.' })
  totalByBlock!: BlockConsumption[];

  @Field(() => Int, { description: 'Customers of the client.' })
  customerCount!: number;

  @Field(() => [CustomerConsumptionTotal], {
    description: 'Customers by consumption, largest first (`top` of them; ties by code).',
  })
  customers!: CustomerConsumptionTotal[];

  @Field(() => [CustomerConsumptionTotal], {
    description: 'Every customer with fewer readings than expected (missing data), by code.',
  })
  incompleteCustomers!: CustomerConsumptionTotal[];
}
