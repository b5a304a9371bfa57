import {
  Connection,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import { Client } from '../clients/client.type';
import { clientIdOrThrow } from '../clients/client.service';
import type { TenancyContext } from '../context';
import { Customer } from '../customers/customer.type';
import { AssignMeterInput, CreateMeterInput, Meter, UpdateMeterInput } from './meter.type';
import {
  assignMeter,
  createMeter,
  getMeterOrThrow,
  listClientMeters,
  listMetersOfCustomer,
  updateMeter,
} from './meter.service';

@ObjectType()
export class MeterConnection extends Connection(Meter, 'Meter') {}

@ObjectType()
export class MeterPayload {
  @Field(() => Meter, { nullable: true })
  meter!: Meter | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Meter)
export class MeterResolver {
  @Query(() => Meter, { description: 'One meter by id. Customer users may read only meters assigned to them.' })
  @Scopes('meters:read', 'meters:read:own')
  async meter(@Arg('id', () => ID) id: string, @Ctx() context: TenancyContext): Promise<Meter> {
    return getMeterOrThrow(callerOf(context), id);
  }

  @Mutation(() => MeterPayload, { description: 'Registers a meter; the serial must be new within the client.' })
  @Scopes('meters:write')
  async createMeter(
    @Arg('input', () => CreateMeterInput) input: CreateMeterInput,
    @Ctx() context: TenancyContext,
  ): Promise<MeterPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ meter: await createMeter(caller, input) }), { meter: null });
  }

  @Mutation(() => MeterPayload, { description: "Changes a meter's node, multiplier, channel or status." })
  @Scopes('meters:write')
  async updateMeter(
    @Arg('input', () => UpdateMeterInput) input: UpdateMeterInput,
    @Ctx() context: TenancyContext,
  ): Promise<MeterPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ meter: await updateMeter(caller, input) }), { meter: null });
  }

  @Mutation(() => MeterPayload, { description: 'Moves a meter to a customer from an instant on.' })
  @Scopes('meters:write')
  async assignMeter(
    @Arg('input', () => AssignMeterInput) input: AssignMeterInput,
    @Ctx() context: TenancyContext,
  ): Promise<MeterPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ meter: await assignMeter(caller, input) }), { meter: null });
  }
}

@Resolver(() => Client)
export class ClientMetersResolver {
  @FieldResolver(() => MeterConnection, { description: "The client's meters, ordered by serial." })
  @Scopes('meters:read')
  async meters(
    @Root() client: Client,
    @Args() args: PageArgs,
    @Ctx() context: TenancyContext,
  ): Promise<MeterConnection> {
    const caller = callerOf(context);
    const page = pageWindow(args);
    const { rows, total } = await listClientMeters(caller, clientIdOrThrow(caller, client.id), page);
    return toConnection(rows, page, total);
  }
}

@Resolver(() => Customer)
export class CustomerMetersResolver {
  @FieldResolver(() => [Meter], { description: 'Meters counting for this customer now.' })
  @Scopes('meters:read', 'meters:read:own')
  async meters(@Root() customer: Customer, @Ctx() context: TenancyContext): Promise<Meter[]> {
    return listMetersOfCustomer(callerOf(context), customer.clientId, customer.customerId);
  }
}
