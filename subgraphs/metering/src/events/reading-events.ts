import type { Redis } from 'ioredis';

/** Where stored readings came from. */
export type ReadingSource = 'UPLOAD' | 'INGEST';

/**
 * What a subscriber of `readings:<rawClientId>` receives, as JSON: one message per meter whose
 * readings were stored (an upload commit, or an `ingestReadings` call). Energy values are
 * decimal strings in kWh with the meter multiplier applied; ids are raw uuids.
 */
export interface ReadingsStoredEvent {
  type: 'readings.stored';
  /** When the readings were stored (ISO instant). */
  at: string;
  /** The customer the meter counts for at `lastSlotStart`; null when it counts for none. */
  customerId: string | null;
  meterId: string;
  meterSerial: string;
  source: ReadingSource;
  /** The upload they came from (source UPLOAD), else null. */
  uploadId: string | null;
  /** Readings stored for this meter (new, unchanged and replaced). */
  slots: number;
  /** Start of the first and of the last slot (ISO instants). */
  firstSlotStart: string;
  lastSlotStart: string;
  /** kWh of the last slot × multiplier. */
  lastSlotKwh: string;
  /** Σ kWh × multiplier over the stored slots. */
  totalKwh: string;
}

/** Publishes reading events on Redis; any process (subgraph or worker) can emit. */
export interface ReadingEvents {
  publish(rawClientId: string, events: readonly ReadingsStoredEvent[]): Promise<void>;
}

/** Redis pub/sub channel of a client's reading events (raw client uuid). */
export function readingChannelOf(rawClientId: string): string {
  return `readings:${rawClientId}`;
}

export function createReadingEvents(redis: Redis): ReadingEvents {
  return {
    async publish(rawClientId, events) {
      const channel = readingChannelOf(rawClientId);
      for (const event of events) await redis.publish(channel, JSON.stringify(event));
    },
  };
}

/** For callers without Redis (unit tests of services). */
export const NO_READING_EVENTS: ReadingEvents = { publish: async () => {} };
