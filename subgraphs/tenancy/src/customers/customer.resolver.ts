import {
  Connection,
  NotFoundError,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { callerOf } from '../caller';
import { Client } from '../clients/client.type';
import { clientIdOrThrow, getClientByIdForCaller } from '../clients/client.service';
import type { TenancyContext } from '../context';
import { CreateCustomerInput, Customer, UpdateCustomerInput } from './customer.type';
import { createCustomer, getCustomerOrThrow, listClientCustomers, updateCustomer } from './customer.service';

@ObjectType()
export class CustomerConnection extends Connection(Customer, 'Customer') {}

@ObjectType()
export class CustomerPayload {
  @Field(() => Customer, { nullable: true })
  customer!: Customer | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ArgsType()
export class CustomerListArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Matches code or name, case-insensitive.' })
  search?: string;
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    description: 'One customer by id. Customer users may read only their own customer; others get FORBIDDEN.',
  })
  @Scopes('customers:read', 'customers:read:own')
  async customer(@Arg('id', () => ID) id: string, @Ctx() context: TenancyContext): Promise<Customer> {
    return getCustomerOrThrow(callerOf(context), id);
  }

  @FieldResolver(() => Client, { description: 'The client (supplier) billing this customer.' })
  @Scopes('customers:read', 'customers:read:own')
  async client(@Root() customer: Customer, @Ctx() context: TenancyContext): Promise<Client> {
    const client = await getClientByIdForCaller(callerOf(context), customer.clientId);
    if (!client) throw new NotFoundError('Client', customer.clientId);
    return client;
  }

  @Mutation(() => CustomerPayload, { description: 'Registers a customer of a client (client administrators).' })
  @Scopes('customers:write')
  async createCustomer(
    @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput,
    @Ctx() context: TenancyContext,
  ): Promise<CustomerPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ customer: await createCustomer(caller, input) }), { customer: null });
  }

  @Mutation(() => CustomerPayload, { description: "Changes a customer's legal data or commercial terms." })
  @Scopes('customers:write')
  async updateCustomer(
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Ctx() context: TenancyContext,
  ): Promise<CustomerPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ customer: await updateCustomer(caller, input) }), { customer: null });
  }
}

@Resolver(() => Client)
export class ClientCustomersResolver {
  @FieldResolver(() => CustomerConnection, { description: "The client's customers, ordered by code." })
  @Scopes('customers:read')
  async customers(
    @Root() client: Client,
    @Args() args: CustomerListArgs,
    @Ctx() context: TenancyContext,
  ): Promise<CustomerConnection> {
    const caller = callerOf(context);
    const page = pageWindow(args);
    const { rows, total } = await listClientCustomers(caller, clientIdOrThrow(caller, client.id), page, args.search);
    return toConnection(rows, page, total);
  }
}
