import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { Customer } from './customers/customer.type';
import { resolveMeterReference } from './meters/meter.reference';
import { MeterReadingsResolver } from './meters/meter.resolver';
import { LiveMetricsResolver } from './live/live-metrics.resolver';
import { UploadProgressResolver } from './uploads/upload-progress.resolver';
import { UploadResolver } from './uploads/upload.resolver';

/** Every resolver class of the metering subgraph. */
export const meteringResolvers = [
  UploadResolver,
  MeterReadingsResolver,
  UploadProgressResolver,
  LiveMetricsResolver,
] as const;

export function buildMeteringSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: meteringResolvers,
    orphanedTypes: [Customer],
    referenceResolvers: {
      Meter: { __resolveReference: resolveMeterReference },
    },
  });
}
