import {
  Connection,
  PageArgs,
  Scopes,
  UserError,
  pageWindow,
  toConnection,
  withUserErrors,
} from '@ciro/subgraph-common';
import { Arg, Args, Ctx, Field, FieldResolver, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { callerOf } from '../caller';
import { Client } from '../clients/client.type';
import { clientIdOrThrow } from '../clients/client.service';
import type { TenancyContext } from '../context';
import { ApiKey, CreateApiKeyInput, RevokeApiKeyInput } from './api-key.type';
import { createApiKey, listClientApiKeys, revokeApiKey } from './api-key.service';

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey, 'ApiKey') {}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The full key, `ciro_<prefix>_<secret>`. Shown only now: store it safely; it cannot be retrieved later.',
  })
  secret!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ApiKeyPayload {
  @Field(() => ApiKey, { nullable: true })
  apiKey!: ApiKey | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => CreateApiKeyPayload, {
    description:
      'Creates an API key for a client, optionally limited to one customer. Its scopes must be a subset of yours ' +
      'and of the role it acts as; an unknown or excess scope is a userError on scopes naming it.',
  })
  @Scopes('api-keys:write')
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() context: TenancyContext,
  ): Promise<CreateApiKeyPayload> {
    const caller = callerOf(context);
    return withUserErrors<Omit<CreateApiKeyPayload, 'userErrors'>>(() => createApiKey(caller, input), {
      apiKey: null,
      secret: null,
    });
  }

  @Mutation(() => ApiKeyPayload, { description: 'Revokes an API key at once; revoking twice is harmless.' })
  @Scopes('api-keys:write')
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput,
    @Ctx() context: TenancyContext,
  ): Promise<ApiKeyPayload> {
    const caller = callerOf(context);
    return withUserErrors<Omit<ApiKeyPayload, 'userErrors'>>(
      async () => ({ apiKey: await revokeApiKey(caller, input) }),
      {
        apiKey: null,
      },
    );
  }
}

@Resolver(() => Client)
export class ClientApiKeysResolver {
  @FieldResolver(() => ApiKeyConnection, { description: "The client's API keys, newest first (never their secrets)." })
  @Scopes('api-keys:read')
  async apiKeys(
    @Root() client: Client,
    @Args() args: PageArgs,
    @Ctx() context: TenancyContext,
  ): Promise<ApiKeyConnection> {
    const caller = callerOf(context);
    const page = pageWindow(args);
    const { rows, total } = await listClientApiKeys(caller, clientIdOrThrow(caller, client.id), page);
    return toConnection(rows, page, total);
  }
}
