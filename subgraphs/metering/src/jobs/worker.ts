import { createDb } from '@ciro/db';
import { createLogger, runServiceProcess, type Logger } from '@ciro/subgraph-common';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { readMeteringEnv } from '../env';
import { createUploadEvents } from '../events/upload-events';
import { createBlobStorage } from '../storage/blob-storage';
import { isolatedParser, parseThreadAvailable, type ParseRunner } from './parse-isolation';
import { handleParseUpload, markParseFailed, PARSE_UPLOAD_JOB, type ParseUploadDeps } from './parse-upload.job';
import { METERING_QUEUE, type QueueSettings } from './queue';

export interface MeteringWorkerOptions extends QueueSettings {
  deps: ParseUploadDeps;
  concurrency?: number;
  /**
   * Heap cap (MB) of the thread each upload is parsed in: the settings' `parseMaxMemoryMb`
   * (METERING_PARSE_MAX_MEMORY_MB). `false` parses in this thread (what happens anyway when running
   * from TypeScript sources without `parseThreadScript`).
   */
  parseMaxMemoryMb: number | false;
  /** The compiled parse thread; default dist/jobs/parse-thread.js beside this module when running compiled. */
  parseThreadScript?: string;
}

/** The capped parse thread, unless turned off or unavailable (sources, a password callback). */
function parseRunnerOf(options: MeteringWorkerOptions, logger: Logger): ParseRunner | undefined {
  if (options.deps.parse || options.parseMaxMemoryMb === false) return options.deps.parse;
  const maxMemoryMb = options.parseMaxMemoryMb;
  const script = parseThreadAvailable(options.deps.database, options.parseThreadScript);
  if (!script) {
    logger.warn('uploads are parsed in the worker process, without a memory cap (no compiled parse thread)');
    return undefined;
  }
  return isolatedParser({
    database: options.deps.database,
    blob: options.deps.blob,
    maxUploadBytes: options.deps.maxUploadBytes,
    maxMemoryMb,
    script,
  });
}

export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * The BullMQ consumer of the metering queue. Lifecycle only: each job is handed to its
 * handler (a plain function). Runs inside the subgraph process (dev, tests) or alone.
 */
export async function startMeteringWorker(options: MeteringWorkerOptions): Promise<RunningWorker> {
  const logger: Logger = options.deps.logger;
  const parse = parseRunnerOf(options, logger);
  const deps: ParseUploadDeps = parse ? { ...options.deps, parse } : options.deps;
  const worker = new Worker(
    METERING_QUEUE,
    async (job) => {
      if (job.name === PARSE_UPLOAD_JOB) return handleParseUpload(deps, job.data);
      throw new Error(`Unknown metering job ${job.name}`);
    },
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.prefix,
      concurrency: options.concurrency ?? 2,
    },
  );
  worker.on('failed', (job, error) => {
    logger.error({ err: error, jobId: job?.id, attempts: job?.attemptsMade }, 'metering job failed');
    if (job && job.name === PARSE_UPLOAD_JOB && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      markParseFailed(options.deps, job.data).catch((err: unknown) =>
        logger.error({ err, jobId: job.id }, 'could not mark the upload FAILED'),
      );
    }
  });
  worker.on('error', (error) => logger.error({ err: error }, 'metering worker error'));
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}

if (require.main === module) {
  runServiceProcess('metering worker', () => {
    const env = readMeteringEnv();
    const logger = createLogger('metering-worker', env.LOG_LEVEL);
    return {
      logger,
      start: async () => {
        const database = createDb({
          url: env.DATABASE_URL,
          max: env.DATABASE_POOL_MAX,
          applicationName: 'metering-worker',
        });
        const publisher = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3 });
        const worker = await startMeteringWorker({
          redisUrl: env.REDIS_URL,
          prefix: env.METERING_QUEUE_PREFIX,
          concurrency: env.METERING_WORKER_CONCURRENCY,
          parseMaxMemoryMb: env.METERING_PARSE_MAX_MEMORY_MB,
          deps: {
            database,
            blob: createBlobStorage({ connectionString: env.AZURE_STORAGE_CONNECTION_STRING }),
            events: createUploadEvents(publisher),
            logger,
            maxUploadBytes: env.UPLOAD_MAX_BYTES,
          },
        });
        return {
          url: `queue ${METERING_QUEUE}`,
          close: async () => {
            await worker.close();
            publisher.disconnect();
            await database.close();
          },
        };
      },
    };
  });
}
