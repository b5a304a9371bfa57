import type { Database } from '@ciro/db';
import type { EventBus, Logger, RequestContext } from '@ciro/subgraph-common';
import type { ReadingEvents } from './events/reading-events';
import type { UploadEvents } from './events/upload-events';
import type { CommitParseRunner } from './jobs/parse-isolation';
import type { UploadQueue } from './jobs/queue';
import type { DirectUploadStorage } from './storage/blob-storage';

export interface MeteringSettings {
  jwtSecret: string;
  /** Largest file accepted, in bytes. */
  maxUploadBytes: number;
  /**
   * Heap cap (MB) of the thread an upload is parsed in, by the worker (preview) and by commitUpload
   * (METERING_PARSE_MAX_MEMORY_MB).
   */
  parseMaxMemoryMb: number;
}

/** Dependencies shared by every request of the metering subgraph. */
export interface MeteringDeps {
  database: Database;
  settings: MeteringSettings;
  blob: DirectUploadStorage;
  queue: UploadQueue;
  events: UploadEvents;
  /**
   * Where commitUpload parses the file again: a thread capped at `settings.parseMaxMemoryMb`
   * (createCommitParser; in this process, uncapped, without the compiled parse thread).
   */
  parseForCommit: CommitParseRunner;
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
