import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { Client } from './clients/client.type';
import { ClientTariffsResolver, TariffResolver } from './tariffs/tariff.resolver';
import { resolveTariffReference } from './tariffs/tariff.reference';

/** Every resolver class of the billing subgraph. */
export const billingResolvers = [TariffResolver, ClientTariffsResolver] as const;

export function buildBillingSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: billingResolvers,
    // Entities billing only extends are not reachable from its root fields.
    orphanedTypes: [Client],
    referenceResolvers: {
      Tariff: { __resolveReference: resolveTariffReference },
    },
  });
}
