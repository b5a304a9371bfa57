import type { Database } from '@ciro/db';
import type { EventBus, Logger, RequestContext } from '@ciro/subgraph-common';
import type { ReadingEvents } from './events/reading-events';
import type { UploadEvents } from './events/upload-events';
import type { UploadQueue } from './jobs/queue';
import type { DirectUploadStorage } from './storage/blob-storage';

export interface MeteringSettings {
  jwtSecret: string;
  /** Largest file accepted, in bytes. */
  maxUploadBytes: number;
}

/** Dependencies shared by every request of the metering subgraph. */
export interface MeteringDeps {
  database: Database;
  settings: MeteringSettings;
  blob: DirectUploadStorage;
  queue: UploadQueue;
  events: UploadEvents;
  /** `readings.stored` messages on `readings:<clientId>` (none published when absent). */
  readingEvents?: ReadingEvents;
  /** Redis pub/sub behind the subscriptions (uploadProgress, liveMetrics). */
  eventBus: EventBus;
  logger: Logger;
}

export interface MeteringContext extends RequestContext {
  deps: MeteringDeps;
  database: Database;
}
