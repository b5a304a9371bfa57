import {
  Connection,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import { Arg, Args, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import { Client } from '../clients/client.type';
import { clientIdOrThrow } from '../clients/client.service';
import type { TenancyContext } from '../context';
import { CreateSystemAdminInput, CreateUserInput, User, Viewer } from './user.type';
import { createSystemAdmin, createUser, getViewer, listUsersOfClient } from './user.service';

@ObjectType()
export class UserConnection extends Connection(User, 'User') {}

@ObjectType()
export class UserPayload {
  @Field(() => User, { nullable: true })
  user!: User | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => Viewer, { description: 'The caller: user, role, client, customer and scopes.' })
  @Scopes('profile:read')
  async me(@Ctx() context: TenancyContext): Promise<Viewer> {
    return getViewer(callerOf(context));
  }

  @Mutation(() => UserPayload, {
    description:
      'Creates a user with a role in a client. Client administrators may only add users to their own client; ' +
      'a CUSTOMER_USER needs a customer of that client. A taken email is a userError on email.',
  })
  @Scopes('users:write')
  async createUser(
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
    @Ctx() context: TenancyContext,
  ): Promise<UserPayload> {
    const caller = callerOf(context);
    return withUserErrors<Omit<UserPayload, 'userErrors'>>(async () => ({ user: await createUser(caller, input) }), {
      user: null,
    });
  }

  @Mutation(() => UserPayload, { description: 'Creates a platform operator (system administrators only).' })
  @Scopes('users:write')
  async createSystemAdmin(
    @Arg('input', () => CreateSystemAdminInput) input: CreateSystemAdminInput,
    @Ctx() context: TenancyContext,
  ): Promise<UserPayload> {
    const caller = callerOf(context);
    return withUserErrors<Omit<UserPayload, 'userErrors'>>(
      async () => ({ user: await createSystemAdmin(caller, input) }),
      {
        user: null,
      },
    );
  }
}

@Resolver(() => Client)
export class ClientUsersResolver {
  @FieldResolver(() => UserConnection, { description: 'Users with a role in this client, by email.' })
  @Scopes('users:read')
  async users(@Root() client: Client, @Args() args: PageArgs, @Ctx() context: TenancyContext): Promise<UserConnection> {
    const caller = callerOf(context);
    const page = pageWindow(args);
    const { rows, total } = await listUsersOfClient(caller, clientIdOrThrow(caller, client.id), page);
    return toConnection(rows, page, total);
  }
}
