import { Queue } from 'bullmq';
import { PARSE_UPLOAD_JOB, type ParseUploadPayload } from './parse-upload.job';

/** The metering subgraph's BullMQ queue (its parse jobs). */
export const METERING_QUEUE = 'metering-uploads';

export interface QueueSettings {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own so runs never share jobs). */
  prefix: string;
}

export interface UploadQueue {
  /** Idempotent: the job id is the upload id and its mapping revision, so a second enqueue is a no-op. */
  enqueueParse(payload: ParseUploadPayload): Promise<void>;
  close(): Promise<void>;
}

export function parseJobIdOf(payload: ParseUploadPayload): string {
  return `${payload.uploadId}-r${payload.revision}`;
}

export function createUploadQueue(settings: QueueSettings): UploadQueue {
  const queue = new Queue(METERING_QUEUE, {
    connection: { url: settings.redisUrl },
    prefix: settings.prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return {
    async enqueueParse(payload) {
      await queue.add(PARSE_UPLOAD_JOB, payload, { jobId: parseJobIdOf(payload) });
    },
    close: () => queue.close(),
  };
}
