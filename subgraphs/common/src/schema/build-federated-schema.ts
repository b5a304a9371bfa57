import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { scopeAuthChecker } from '../auth/scopes.decorator';

/** The `@scopes` directive as every subgraph declares it, shared into the supergraph. */
export const SCOPES_SPEC_URL = 'https://specs.ciro.energy/scopes/v1.0';

const FEDERATION_LINKS = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@composeDirective", "@interfaceObject", "@inaccessible", "@tag"])
    @link(url: "${SCOPES_SPEC_URL}", import: ["@scopes"])
    @composeDirective(name: "@scopes")

  """
  Scopes a caller needs to select this field (any one of them). An empty list means the field is public.
  """
  directive @scopes(require: [String!]!) on FIELD_DEFINITION | OBJECT
`;

// Resolver maps are loosely typed by @apollo/subgraph; `__resolveReference` receives the representation.
export type ReferenceResolvers = Record<string, { __resolveReference: (...args: never[]) => unknown }>;

export interface FederatedSchemaOptions {
  resolvers: NonNullable<BuildSchemaOptions['resolvers']>;
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  referenceResolvers?: ReferenceResolvers;
}

/**
 * type-graphql insists on a PubSub as soon as a schema has subscriptions, but
 * ours all bring their own `subscribe` (Redis through the EventBus, with a
 * snapshot first), so this one only explains itself if someone uses `topics`.
 */
const TOPICS_NOT_SUPPORTED = {
  publish(): never {
    throw new Error('Publish through Redis (an EventBus), not type-graphql pubSub');
  },
  subscribe(): never {
    throw new Error('Use @Subscription({ subscribe }) with an EventBus; `topics` are not supported');
  },
};

/** Builds a Federation 2 subgraph schema from type-graphql resolvers. */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    authChecker: scopeAuthChecker,
    authMode: 'error',
    pubSub: TOPICS_NOT_SUPPORTED,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: { forbidUnknownValues: false },
    // Federation adds Query._entities etc.; type-graphql's own check would reject a schema without them.
    skipCheck: true,
  });

  const resolverMap = createResolversMap(typeGraphqlSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    const existing = (resolverMap[typeName] ?? {}) as Record<string, unknown>;
    resolverMap[typeName] = { ...existing, ...reference } as GraphQLResolverMap<unknown>[string];
  }

  return buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINKS}
      ${printSchemaWithDirectives(typeGraphqlSchema)}
    `,
    resolvers: resolverMap,
  });
}

/** The SDL committed as `schema.graphql` and fed to composition. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return `${printSubgraphSchema(schema).trim()}\n`;
}
