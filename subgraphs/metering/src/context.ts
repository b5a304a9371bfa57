import type { Database } from '@ciro/db';
import type { Logger, RequestContext } from '@ciro/subgraph-common';
import type { UploadEvents } from './events/upload-events';
import type { UploadQueue } from './jobs/queue';
import type { BlobStorage } from './storage/blob-storage';

export interface MeteringSettings {
  jwtSecret: string;
  /** Largest file accepted, in bytes. */
  maxUploadBytes: number;
}

/** Dependencies shared by every request of the metering subgraph. */
export interface MeteringDeps {
  database: Database;
  settings: MeteringSettings;
  blob: BlobStorage;
  queue: UploadQueue;
  events: UploadEvents;
  logger: Logger;
}

export interface MeteringContext extends RequestContext {
  deps: MeteringDeps;
  database: Database;
}
