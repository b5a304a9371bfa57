import { Scopes, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { ingestReadings } from './ingest.service';
import { IngestReadingsInput, IngestReadingsPayload, MAX_INGEST_READINGS } from './ingest.type';

@Resolver()
export class IngestReadingsResolver {
  @Mutation(() => IngestReadingsPayload, {
    description: `For head-ends: stores 15-minute readings of one meter (1–${MAX_INGEST_READINGS} per call) through the same path as upload commits, updating hourly and daily figures in the same transaction. Idempotent: readings already stored with the same values are counted as unchanged; different values replace them. Problems (negative or over-precise values, slots off the 15-minute grid or not started yet, the same slot twice with different values, an unknown meter) come back as userErrors naming \`readings.<index>.<field>\`; a meter of another client is FORBIDDEN. Publishes a readings.stored event when something changed.`,
  })
  @Scopes('readings:write')
  async ingestReadings(
    @Arg('input', () => IngestReadingsInput) input: IngestReadingsInput,
    @Ctx() context: MeteringContext,
  ): Promise<IngestReadingsPayload> {
    const caller = callerOf(context);
    return withUserErrors(() => ingestReadings(context.deps, caller, input), { meter: null, summary: null });
  }
}
