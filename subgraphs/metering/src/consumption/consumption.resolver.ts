import { Scopes, YearMonthScalar } from '@ciro/subgraph-common';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import { Client } from '../clients/client.type';
import type { MeteringContext } from '../context';
import { Customer } from '../customers/customer.type';
import {
  DEFAULT_SUMMARY_TOP,
  MAX_SUMMARY_TOP,
  clientConsumptionSummary,
  customerConsumption,
  customerPeakDemand,
} from './consumption.service';
import {
  ClientConsumptionSummary,
  ConsumptionGranularity,
  CustomerConsumption,
  PeakDemand,
  TimeRangeInput,
} from './consumption.type';

@Resolver(() => Customer)
export class CustomerConsumptionResolver {
  @FieldResolver(() => CustomerConsumption, {
    description:
      "The customer's energy over `range` in buckets of the client's time zone (DAY and MONTH start at local midnight), with the meter multipliers applied; `range` is widened to whole buckets. Limits: SLOT 31 days, HOUR 366 days, DAY 731 days, MONTH 120 months (BAD_USER_INPUT beyond).",
  })
  @Scopes('consumption:read', 'consumption:read:own')
  async consumption(
    @Root() customer: Customer,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Arg('granularity', () => ConsumptionGranularity) granularity: ConsumptionGranularity,
    @Arg('byBlock', () => Boolean, {
      defaultValue: false,
      description: 'Also split every bucket per tariff block.',
    })
    byBlock: boolean,
    @Ctx() context: MeteringContext,
  ): Promise<CustomerConsumption> {
    return customerConsumption(callerOf(context), customer.id, {
      from: range.from,
      to: range.to,
      granularity,
      byBlock,
    });
  }

  @FieldResolver(() => PeakDemand, {
    nullable: true,
    description:
      'The 15-minute slot with the highest demand (kW = slot kWh × 4, multipliers applied) starting in `range` (at most 366 days); null without readings.',
  })
  @Scopes('consumption:read', 'consumption:read:own')
  async peakDemand(
    @Root() customer: Customer,
    @Arg('range', () => TimeRangeInput) range: TimeRangeInput,
    @Ctx() context: MeteringContext,
  ): Promise<PeakDemand | null> {
    return customerPeakDemand(callerOf(context), customer.id, range);
  }
}

@Resolver(() => Client)
export class ClientConsumptionResolver {
  @FieldResolver(() => ClientConsumptionSummary, {
    description:
      "Consumption of the client's customers over a billing period (local calendar month): totals, per block, the largest customers and those with missing readings. Client administrators only.",
  })
  @Scopes('consumption:read')
  async consumptionSummary(
    @Root() client: Client,
    @Arg('period', () => YearMonthScalar) period: string,
    @Arg('top', () => Int, {
      defaultValue: DEFAULT_SUMMARY_TOP,
      description: `How many customers \`customers\` lists, largest first (1–${MAX_SUMMARY_TOP}).`,
    })
    top: number,
    @Ctx() context: MeteringContext,
  ): Promise<ClientConsumptionSummary> {
    return clientConsumptionSummary(callerOf(context), client.id, period, top);
  }
}
