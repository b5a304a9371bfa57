import type { Database } from '@ciro/db';
import { RedisEventBus, createLogger, listenSubgraph, type Logger, type RunningSubgraph } from '@ciro/subgraph-common';
import { Redis } from 'ioredis';
import type { MeteringContext, MeteringDeps, MeteringSettings } from './context';
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_PARSE_MAX_MEMORY_MB } from './env';
import { createReadingEvents } from './events/reading-events';
import { createUploadEvents } from './events/upload-events';
import { createUploadQueue } from './jobs/queue';
import { startMeteringWorker, type RunningWorker } from './jobs/worker';
import { buildMeteringSchema } from './schema';
import { DEFAULT_BLOB_CONNECTION_STRING, createBlobStorage, type DirectUploadStorage } from './storage/blob-storage';
import { createCommitParser } from './uploads/upload-commit.service';
import { uploadRoutes } from './uploads/upload.http';

export interface MeteringRedisOptions {
  /** Default redis://127.0.0.1:6379. */
  url?: string;
  /** BullMQ key prefix (default `ciro`); tests use their own. */
  queuePrefix?: string;
}

export interface MeteringServerOptions {
  database: Database;
  settings: Pick<MeteringSettings, 'jwtSecret'> & Partial<MeteringSettings>;
  port: number;
  redis?: MeteringRedisOptions;
  /** A connection string (Azurite by default), or a ready storage. */
  blob?: { connectionString: string } | DirectUploadStorage;
  logger?: Logger;
  introspection?: boolean;
  /** Run the parse worker in this process (default true: dev and tests). */
  worker?: boolean | { concurrency?: number };
  /**
   * The compiled parse thread the worker and commitUpload parse uploads in (capped at
   * `settings.parseMaxMemoryMb`); default dist/jobs/parse-thread.js when running compiled. Tests
   * running from TypeScript sources pass it to get the capped thread (else uploads are parsed
   * in-process, uncapped).
   */
  parseThreadScript?: string;
}

export interface RunningMetering extends RunningSubgraph {
  deps: MeteringDeps;
}

/** A positive whole number of MB (main.ts passes METERING_PARSE_MAX_MEMORY_MB, validated by env.ts). */
function parseMaxMemoryMbOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_PARSE_MAX_MEMORY_MB;
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`settings.parseMaxMemoryMb must be a positive whole number of megabytes, got ${value}`);
  }
  return value;
}

function isBlobStorage(value: MeteringServerOptions['blob']): value is DirectUploadStorage {
  return typeof value === 'object' && 'getOrThrow' in value;
}

/** Starts the metering subgraph (and, unless told otherwise, its worker); used by main.ts and by tests. */
export async function startMeteringServer(options: MeteringServerOptions): Promise<RunningMetering> {
  const logger = options.logger ?? createLogger('metering');
  const settings: MeteringSettings = {
    jwtSecret: options.settings.jwtSecret,
    maxUploadBytes: options.settings.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    parseMaxMemoryMb: parseMaxMemoryMbOf(options.settings.parseMaxMemoryMb),
  };
  const redisUrl = options.redis?.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.redis?.queuePrefix ?? 'ciro';
  const blob = isBlobStorage(options.blob)
    ? options.blob
    : createBlobStorage({ connectionString: options.blob?.connectionString ?? DEFAULT_BLOB_CONNECTION_STRING });
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  const queue = createUploadQueue({ redisUrl, prefix });
  const deps: MeteringDeps = {
    database: options.database,
    settings,
    blob,
    queue,
    events: createUploadEvents(publisher),
    parseForCommit: createCommitParser(
      { database: options.database, blob, settings, logger },
      options.parseThreadScript,
    ),
    readingEvents: createReadingEvents(publisher),
    eventBus: new RedisEventBus(redisUrl),
    logger,
  };

  let worker: RunningWorker | null = null;
  let server: RunningSubgraph;
  try {
    if (options.worker !== false) {
      worker = await startMeteringWorker({
        redisUrl,
        prefix,
        concurrency: typeof options.worker === 'object' ? options.worker.concurrency : undefined,
        parseMaxMemoryMb: settings.parseMaxMemoryMb,
        parseThreadScript: options.parseThreadScript,
        deps: {
          database: options.database,
          blob,
          events: deps.events,
          logger: logger.child({ component: 'worker' }),
          maxUploadBytes: settings.maxUploadBytes,
        },
      });
    }
    server = await listenSubgraph<MeteringContext>({
      name: 'metering',
      schema: await buildMeteringSchema(),
      port: options.port,
      jwtSecret: settings.jwtSecret,
      logger,
      introspection: options.introspection ?? false,
      extendContext: (base) => ({ ...base, deps, database: options.database }),
      routes: uploadRoutes(deps),
      readiness: async () => {
        await options.database.sql`select 1`;
        await publisher.ping();
        await blob.ping();
        return true;
      },
    });
  } catch (error) {
    await worker?.close();
    await queue.close();
    await deps.eventBus.close();
    publisher.disconnect();
    throw error;
  }
  const running = server;
  return {
    url: running.url,
    port: running.port,
    deps,
    async stop() {
      await running.stop();
      await worker?.close();
      await queue.close();
      await deps.eventBus.close();
      publisher.disconnect();
    },
  };
}
