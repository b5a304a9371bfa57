import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { Client } from './clients/client.type';
import { ClientConsumptionResolver, CustomerConsumptionResolver } from './consumption/consumption.resolver';
import { Customer } from './customers/customer.type';
import { IngestReadingsResolver } from './ingest/ingest.resolver';
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
  CustomerConsumptionResolver,
  ClientConsumptionResolver,
  IngestReadingsResolver,
] as const;

export function buildMeteringSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: meteringResolvers,
    orphanedTypes: [Customer, Client],
    referenceResolvers: {
      Meter: { __resolveReference: resolveMeterReference },
    },
  });
}
