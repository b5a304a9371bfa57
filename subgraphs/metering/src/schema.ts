import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { Customer } from './customers/customer.type';
import { resolveMeterReference } from './meters/meter.reference';
import { MeterReadingsResolver } from './meters/meter.resolver';
import { UploadResolver } from './uploads/upload.resolver';

/** Every resolver class of the metering subgraph. */
export const meteringResolvers = [UploadResolver, MeterReadingsResolver] as const;

export function buildMeteringSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: meteringResolvers,
    orphanedTypes: [Customer],
    referenceResolvers: {
      Meter: { __resolveReference: resolveMeterReference },
    },
  });
}
