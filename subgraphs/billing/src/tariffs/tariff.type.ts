import type Decimal from 'decimal.js';
import { CalendarDateScalar, DecimalScalar, UserError } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum DayTypeEnum {
  ALL = 'ALL',
  WEEKDAY = 'WEEKDAY',
  WEEKEND = 'WEEKEND',
  HOLIDAY = 'HOLIDAY',
}

registerEnumType(DayTypeEnum, {
  name: 'DayType',
  description: 'Days a block applies to: ALL, or WEEKDAY / WEEKEND / HOLIDAY for tariffs with day types.',
});

@ObjectType({ description: 'A time-of-use block: a local-time range of the day (may wrap midnight).' })
export class TariffBlockType {
  @Field({ description: 'Block code, e.g. VALLE, RESTO, PUNTA.' })
  code!: string;

  @Field(() => DayTypeEnum)
  dayType!: DayTypeEnum;

  @Field({ description: 'Local start time, HH:MM (inclusive).' })
  start!: string;

  @Field({ description: 'Local end time, HH:MM (exclusive); 24:00 or an earlier time than start wraps midnight.' })
  end!: string;
}

@ObjectType({ description: 'Energy rate of one block.' })
export class BlockRate {
  @Field()
  block!: string;

  @Field(() => DecimalScalar, { description: 'USD per kWh, 6 decimals.' })
  rate!: Decimal;
}

@ObjectType({ description: 'Rates in force from a local date until the next set starts.' })
export class RateSet {
  @Field(() => ID)
  id!: string;

  @Field(() => CalendarDateScalar, { description: 'First local day (inclusive) the rates apply.' })
  validFrom!: string;

  @Field(() => [BlockRate])
  energyRates!: BlockRate[];

  @Field(() => DecimalScalar, { description: 'Demand rate, USD per kW-month.' })
  demandRate!: Decimal;

  @Field(() => DecimalScalar, { description: 'FTPMS surcharge (transmission/market fund), USD per kWh.' })
  ftpmsRate!: Decimal;

  @Field(() => DecimalScalar, { description: 'Deviation charge, USD per chargeable kWh.' })
  deviationRate!: Decimal;

  @Field({ description: 'True once an issued invoice used these rates: they can no longer change.' })
  locked!: boolean;
}

@ObjectType({ description: 'A time-of-use tariff: its blocks and its effective-dated rate sets.' })
@Directive('@key(fields: "id")')
export class Tariff {
  @Field(() => ID)
  id!: string;

  clientId!: string;
  tariffId!: string;

  @Field({ description: 'Code customers are billed on, e.g. "MT-H".' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [TariffBlockType])
  blocks!: TariffBlockType[];

  @Field(() => [RateSet], { description: 'Every rate set, oldest first: the rate history.' })
  rateSets!: RateSet[];
}

@InputType()
export class TariffBlockInput {
  @Field()
  code!: string;

  @Field(() => DayTypeEnum, { nullable: true, description: 'Defaults to ALL.' })
  dayType?: DayTypeEnum;

  @Field({ description: 'HH:MM' })
  start!: string;

  @Field({ description: 'HH:MM; 24:00 allowed.' })
  end!: string;
}

@InputType()
export class BlockRateInput {
  @Field()
  block!: string;

  @Field(() => DecimalScalar)
  rate!: Decimal;
}

@InputType()
export class RateSetInput {
  @Field(() => CalendarDateScalar)
  validFrom!: string;

  @Field(() => [BlockRateInput], { description: 'One rate per block code of the tariff.' })
  energyRates!: BlockRateInput[];

  @Field(() => DecimalScalar)
  demandRate!: Decimal;

  @Field(() => DecimalScalar)
  ftpmsRate!: Decimal;

  @Field(() => DecimalScalar)
  deviationRate!: Decimal;
}

@InputType()
export class CreateTariffInput {
  @Field(() => ID)
  clientId!: string;

  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => [TariffBlockInput], { description: 'Must cover every local minute of each day type exactly once.' })
  blocks!: TariffBlockInput[];

  @Field(() => [RateSetInput])
  rateSets!: RateSetInput[];
}

@InputType({ description: 'Adds rates from a date on (or replaces a not-yet-used set with the same date).' })
export class ScheduleRateSetInput extends RateSetInput {
  @Field(() => ID)
  tariffId!: string;
}

@ObjectType()
export class TariffPayload {
  @Field(() => Tariff, { nullable: true })
  tariff!: Tariff | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
