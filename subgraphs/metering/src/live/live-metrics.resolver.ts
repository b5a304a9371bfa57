import { withTenant } from '@ciro/db';
import {
  DecimalScalar,
  NotFoundError,
  Scopes,
  assertCustomerAccess,
  fromTenantIdOrThrow,
  snapshotThenEvents,
  tenantContextFor,
  toGlobalId,
} from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import type { SubscribeResolverData } from 'type-graphql';
import { Arg, Field, ID, Int, ObjectType, Root, Subscription, registerEnumType } from 'type-graphql';
import { callerOf } from '../caller';
import type { MeteringContext } from '../context';
import { readingChannelOf, type ReadingsStoredEvent } from '../events/reading-events';
import { uploadGlobalId } from '../uploads/upload.mapper';
import { customerExists, latestReadingsOfCustomer, type LatestMeterReading } from './live-metrics.repository';

export enum LiveMetricsSource {
  LATEST = 'LATEST',
  UPLOAD = 'UPLOAD',
  INGEST = 'INGEST',
}
registerEnumType(LiveMetricsSource, {
  name: 'LiveMetricsSource',
  description:
    'LATEST: what is stored already, sent once per meter when the subscription starts. UPLOAD: readings of a committed upload. INGEST: readings pushed by a head-end (ingestReadings).',
});

/** 15-minute slots per hour: average demand in kW is the slot's kWh × 4. */
const SLOTS_PER_HOUR = 4;

@ObjectType({
  description: "New readings of one of the customer's meters. Energy is kWh with the meter multiplier applied.",
})
export class LiveMetrics {
  @Field(() => ID)
  customerId!: string;

  @Field(() => ID)
  meterId!: string;

  @Field(() => String)
  meterSerial!: string;

  @Field(() => LiveMetricsSource)
  source!: LiveMetricsSource;

  @Field(() => ID, { nullable: true, description: 'The upload the readings came from (source UPLOAD).' })
  uploadId!: string | null;

  @Field(() => Int, { description: 'Slots stored by this event (LATEST: 1, or 0 when the meter has none yet).' })
  slots!: number;

  @Field(() => Date, { nullable: true })
  firstSlotStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Start of the newest slot of this event.' })
  lastSlotStart!: Date | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'kWh of the newest slot.' })
  lastSlotKwh!: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Average demand over the newest slot, kW (kWh × 4).' })
  lastSlotDemandKw!: Decimal | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'kWh over the slots of this event.' })
  totalKwh!: Decimal | null;

  @Field(() => Date)
  at!: Date;
}

function isReadingsStored(value: unknown): value is ReadingsStoredEvent {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'readings.stored';
}

function fromLatest(clientId: string, customerGlobalId: string, latest: LatestMeterReading): LiveMetrics {
  const kwh = latest.kwh === null ? null : new Decimal(latest.kwh).times(latest.multiplier);
  return {
    customerId: customerGlobalId,
    meterId: toGlobalId('Meter', clientId, latest.meterId),
    meterSerial: latest.meterSerial,
    source: LiveMetricsSource.LATEST,
    uploadId: latest.uploadId ? uploadGlobalId(clientId, latest.uploadId) : null,
    slots: latest.slotStart ? 1 : 0,
    firstSlotStart: latest.slotStart,
    lastSlotStart: latest.slotStart,
    lastSlotKwh: kwh,
    lastSlotDemandKw: kwh?.times(SLOTS_PER_HOUR) ?? null,
    totalKwh: kwh,
    at: new Date(),
  };
}

function fromEvent(clientId: string, customerGlobalId: string, event: ReadingsStoredEvent): LiveMetrics {
  const lastSlotKwh = new Decimal(event.lastSlotKwh);
  return {
    customerId: customerGlobalId,
    meterId: toGlobalId('Meter', clientId, event.meterId),
    meterSerial: event.meterSerial,
    source: event.source === 'INGEST' ? LiveMetricsSource.INGEST : LiveMetricsSource.UPLOAD,
    uploadId: event.uploadId ? uploadGlobalId(clientId, event.uploadId) : null,
    slots: event.slots,
    firstSlotStart: new Date(event.firstSlotStart),
    lastSlotStart: new Date(event.lastSlotStart),
    lastSlotKwh,
    lastSlotDemandKw: lastSlotKwh.times(SLOTS_PER_HOUR),
    totalKwh: new Decimal(event.totalKwh),
    at: new Date(event.at),
  };
}

interface LiveMetricsArgs {
  customerId: string;
}

/**
 * The latest stored slot of each current meter first (so a dashboard has a
 * value at once and nothing between subscribing and the first event is
 * lost), then every batch of readings stored for the customer.
 */
async function subscribeLiveMetrics({
  args,
  context,
}: SubscribeResolverData<unknown, LiveMetricsArgs, MeteringContext>): Promise<AsyncIterable<LiveMetrics>> {
  const caller = callerOf(context);
  const { clientId, id: customerId } = fromTenantIdOrThrow('Customer', args.customerId);
  assertCustomerAccess(caller.identity, clientId, customerId);
  return snapshotThenEvents(context.deps.eventBus, readingChannelOf(clientId), {
    snapshot: async () => {
      const latest = await withTenant(context.database, tenantContextFor(caller.identity, clientId), async (tx) => {
        if (!(await customerExists(tx, clientId, customerId))) throw new NotFoundError('Customer', args.customerId);
        return latestReadingsOfCustomer(tx, clientId, customerId);
      });
      return latest.map((meter) => fromLatest(clientId, args.customerId, meter));
    },
    map: (raw) => {
      const event: unknown = JSON.parse(raw);
      if (!isReadingsStored(event) || event.customerId !== customerId) return undefined;
      return { value: fromEvent(clientId, args.customerId, event) };
    },
  });
}

export class LiveMetricsResolver {
  @Subscription(() => LiveMetrics, {
    description:
      "Live readings of a customer's meters: the latest stored slot of each meter first, then every new batch (uploads committed, head-end pushes). Over graphql-ws at the gateway.",
    subscribe: subscribeLiveMetrics,
  })
  @Scopes('consumption:read', 'consumption:read:own')
  liveMetrics(@Arg('customerId', () => ID) _customerId: string, @Root() metrics: LiveMetrics): LiveMetrics {
    return metrics;
  }
}
