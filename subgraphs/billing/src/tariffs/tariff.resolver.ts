import { Scopes, callerOf, fromTenantIdOrThrow, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Client } from '../clients/client.type';
import type { BillingContext } from '../context';
import { CreateTariffInput, ScheduleRateSetInput, Tariff, TariffPayload } from './tariff.type';
import { createTariff, getTariffOrThrow, listClientTariffs, scheduleRateSet } from './tariff.service';

@Resolver(() => Tariff)
export class TariffResolver {
  @Query(() => Tariff, { description: 'One tariff with its blocks and rate history.' })
  @Scopes('tariffs:read')
  async tariff(@Arg('id', () => ID) id: string, @Ctx() context: BillingContext): Promise<Tariff> {
    return getTariffOrThrow(callerOf(context), id);
  }

  @Mutation(() => TariffPayload, {
    description: 'Creates a tariff. Its blocks must cover every local minute of each day type exactly once.',
  })
  @Scopes('tariffs:write')
  async createTariff(
    @Arg('input', () => CreateTariffInput) input: CreateTariffInput,
    @Ctx() context: BillingContext,
  ): Promise<TariffPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ tariff: await createTariff(caller, input) }), { tariff: null });
  }

  @Mutation(() => TariffPayload, {
    description:
      'Schedules new rates from a local date (each slot is billed at the rates in force on its own date). Rates already used by an issued invoice cannot change.',
  })
  @Scopes('tariffs:write')
  async scheduleRateSet(
    @Arg('input', () => ScheduleRateSetInput) input: ScheduleRateSetInput,
    @Ctx() context: BillingContext,
  ): Promise<TariffPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ tariff: await scheduleRateSet(caller, input) }), { tariff: null });
  }
}

@Resolver(() => Client)
export class ClientTariffsResolver {
  @FieldResolver(() => [Tariff], { description: "The client's tariffs, by code." })
  @Scopes('tariffs:read')
  async tariffs(@Root() client: Client, @Ctx() context: BillingContext): Promise<Tariff[]> {
    const { clientId } = fromTenantIdOrThrow('Client', client.id);
    return listClientTariffs(callerOf(context), clientId);
  }
}
