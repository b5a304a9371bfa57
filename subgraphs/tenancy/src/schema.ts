import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { ClientResolver } from './clients/client.resolver';
import { resolveClientReference } from './clients/client.reference';

/** Every resolver class of the tenancy subgraph. */
export const tenancyResolvers = [ClientResolver] as const;

export function buildTenancySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: tenancyResolvers,
    referenceResolvers: {
      Client: { __resolveReference: resolveClientReference },
    },
  });
}
