import {
  Connection,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import { Arg, Args, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import type { TenancyContext } from '../context';
import { Client, CreateClientInput, UpdateClientInput } from './client.type';
import { createClient, getClientOrThrow, listClients, updateClient } from './client.service';

@ObjectType()
export class ClientConnection extends Connection(Client, 'Client') {}

@ObjectType()
export class ClientPayload {
  @Field(() => Client, { nullable: true })
  client!: Client | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Client)
export class ClientResolver {
  @Query(() => Client, { description: 'One client by id. Admins of another client get FORBIDDEN.' })
  @Scopes('clients:read')
  async client(@Arg('id', () => ID) id: string, @Ctx() context: TenancyContext): Promise<Client> {
    return getClientOrThrow(callerOf(context), id);
  }

  @Query(() => ClientConnection, {
    description: 'Clients visible to the caller: all for system administrators, their own for client administrators.',
  })
  @Scopes('clients:read')
  async clients(@Args() args: PageArgs, @Ctx() context: TenancyContext): Promise<ClientConnection> {
    const page = pageWindow(args);
    const { rows, total } = await listClients(callerOf(context), page);
    return toConnection(rows, page, total);
  }

  @Mutation(() => ClientPayload, { description: 'Onboards a new client (system administrators).' })
  @Scopes('clients:write')
  async createClient(
    @Arg('input', () => CreateClientInput) input: CreateClientInput,
    @Ctx() context: TenancyContext,
  ): Promise<ClientPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ client: await createClient(caller, input) }), { client: null });
  }

  @Mutation(() => ClientPayload, { description: "Changes a client's legal data, VAT rate, locale or branding." })
  @Scopes('clients:write')
  async updateClient(
    @Arg('input', () => UpdateClientInput) input: UpdateClientInput,
    @Ctx() context: TenancyContext,
  ): Promise<ClientPayload> {
    const caller = callerOf(context);
    return withUserErrors(async () => ({ client: await updateClient(caller, input) }), { client: null });
  }
}
